import pytest
from pydantic import ValidationError

from connector.settings import Settings


def test_origins_from_the_environment_may_be_comma_separated(monkeypatch):
    monkeypatch.setenv("CONNECTOR_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings(_env_file=None).cors_origins == ["https://a.example", "https://b.example"]


def test_origins_from_the_environment_may_be_a_json_list(monkeypatch):
    monkeypatch.setenv("CONNECTOR_CORS_ORIGINS", '["https://a.example"]')
    assert Settings(_env_file=None).cors_origins == ["https://a.example"]


def test_a_wildcard_origin_stops_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("CONNECTOR_CORS_ORIGINS", "*")
    with pytest.raises(ValidationError, match="CONNECTOR_CORS_ORIGINS"):
        Settings(_env_file=None)


def test_a_bad_number_stops_start_up_naming_the_setting(monkeypatch):
    monkeypatch.setenv("CONNECTOR_PORT", "not-a-port")
    with pytest.raises(ValidationError, match="port"):
        Settings(_env_file=None)
