"""Helpers for the admin tests: settings with an admin password, a signed-in client, CSRF tokens.

settings = admin_settings(tmp_path / "data")
client = signed_in(TestClient(create_app(settings)))
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from connector.admin_password import hash_password
from connector.settings import Settings

PASSWORD = "a long admin password for tests"
HTML = {"Accept": "text/html"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


def admin_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings with the test password's hash, a fixed secret and no .env."""
    values: dict[str, Any] = {"admin_password_hash": password_hash(), "admin_secret": "test-secret-" * 4}
    return Settings(_env_file=None, data_dir=data_dir, **(values | overrides))  # type: ignore[call-arg]


def with_admin(settings: Settings) -> Settings:
    """The same settings (database included) with the test admin password."""
    return settings.model_copy(update={"admin_password_hash": password_hash(), "admin_secret": "s" * 32})


def csrf_token(client: TestClient, path: str = "/admin/login") -> str:
    """The CSRF token of the form on a page (the session cookie comes with it)."""
    response = client.get(path, headers=HTML)
    found = CSRF.search(response.text)
    assert found, f"no CSRF token on {path}: {response.status_code}"
    return found.group(1)


def login(client: TestClient, password: str = PASSWORD) -> Any:
    token = csrf_token(client)
    return client.post(
        "/admin/login",
        data={"csrf_token": token, "password": password, "next": "/admin/questions"},
        headers=HTML,
        follow_redirects=False,
    )


def signed_in(client: TestClient) -> TestClient:
    response = login(client)
    assert response.status_code == 303, response.text
    return client
