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


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_a_postgresql_url_is_driven_by_psycopg_however_it_is_written(monkeypatch, scheme):
    monkeypatch.setenv("CONNECTOR_DATABASE_URL", f"{scheme}://connector:pw@db.internal:5432/connector")
    url = Settings(_env_file=None).database_url
    assert url == "postgresql+psycopg://connector:pw@db.internal:5432/connector"


@pytest.mark.parametrize("value", ["mysql://root@db/connector", "db.internal/connector"])
def test_a_database_url_of_another_kind_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("CONNECTOR_DATABASE_URL", value)
    with pytest.raises(ValidationError, match="CONNECTOR_DATABASE_URL"):
        Settings(_env_file=None)


def test_retention_defaults_are_a_year_for_questions_and_two_for_enquiries():
    settings = Settings(_env_file=None)
    assert (settings.retain_questions_days, settings.retain_enquiries_days) == (365, 730)
    assert settings.database_url is None
