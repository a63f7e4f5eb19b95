"""Signing in to /admin through HTTP: no default credentials, 401 and 429 for wrong passwords, CSRF,
the session cookie's flags, and a proxy's header honoured only when configured."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from admin_support import HTML, PASSWORD, admin_settings, csrf_token, login, signed_in
from fastapi.testclient import TestClient
from rate_window import start_inside_one_window

from api.app import create_app
from connector.admin_password import hash_password, verify_password
from connector.settings import Settings

PAGES = ["/admin", "/admin/questions", "/admin/unmet", "/admin/enquiries", "/admin/sources", "/admin/search"]


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(admin_settings(tmp_path / "data", admin_login_rate="3/minute")))


def test_password_hash_verifies_only_the_same_password() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert hash_password(PASSWORD) != stored  # salted
    with pytest.raises(ValueError):
        hash_password("short")


def test_settings_refuse_a_password_hash_of_another_shape(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CONNECTOR_ADMIN_PASSWORD_HASH"):
        admin_settings(tmp_path, admin_password_hash="plaintext-password")


@pytest.mark.parametrize("path", [*PAGES, "/admin/questions.csv", "/admin/login"])
def test_without_configuration_admin_says_so_and_logs_nobody_in(tmp_path: Path, path: str) -> None:
    client = TestClient(create_app(Settings(_env_file=None, data_dir=tmp_path)))  # type: ignore[call-arg]
    response = client.get(path, headers=HTML)
    assert response.status_code == 503
    assert "not configured" in response.text
    assert client.post("/admin/login", data={"password": ""}).status_code == 503


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_browser_is_sent_to_the_login_page(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=")


@pytest.mark.parametrize("path", [*PAGES, "/admin/questions.csv", "/admin/enquiries.csv"])
def test_anonymous_non_browser_gets_401(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorised"


def test_login_sets_a_strict_http_only_cookie_and_opens_the_pages(client: TestClient) -> None:
    response = login(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/questions"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie
    assert "secure" not in cookie  # plain http here; Secure is set over https
    page = client.get("/admin/questions", headers=HTML)
    assert page.status_code == 200
    assert "Question log" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_cookie_is_secure_over_https(tmp_path: Path) -> None:
    client = TestClient(create_app(admin_settings(tmp_path / "data")), base_url="https://testserver")
    assert "secure" in login(client).headers["set-cookie"].lower()


def test_wrong_password_is_401_then_429_and_never_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    wrong = "not-the-password-guess"
    start_inside_one_window(burst_seconds=10)
    for _ in range(3):
        assert login(client, wrong).status_code == 401
    blocked = login(client, wrong)
    assert blocked.status_code == 429
    assert login(client).status_code == 429  # even the right password, until the window moves on
    assert "admin login failed" in caplog.text
    assert wrong not in caplog.text and PASSWORD not in caplog.text


def test_a_forged_or_tampered_cookie_signs_nobody_in(client: TestClient) -> None:
    signed_in(client)
    value = client.cookies.get("connector_admin")
    client.cookies.clear()
    assert (
        client.get("/admin/questions", headers=HTML | {"Cookie": f"connector_admin={value}"}).status_code
        == 200
    )
    for forged in (value[:-4] + "AAAA", '{"csrf": "x", "user": "admin"}'):
        response = client.get("/admin/questions", headers=HTML | {"Cookie": f"connector_admin={forged}"})
        assert response.history and response.history[0].status_code == 303


def test_post_without_csrf_token_is_403(client: TestClient) -> None:
    csrf_token(client)
    assert client.post("/admin/login", data={"password": PASSWORD}).status_code == 403
    signed_in(client)
    assert client.post("/admin/emails/1/resend", data={}).status_code == 403
    assert (
        client.post("/admin/sources/recrawl", data={"source": "x", "csrf_token": "wrong"}).status_code == 403
    )
    assert client.post("/admin/logout", data={}).status_code == 403


def test_login_gets_a_new_csrf_token_and_logout_ends_the_session(client: TestClient) -> None:
    before = csrf_token(client)
    signed_in(client)
    after = csrf_token(client, "/admin/questions")
    assert after != before
    response = client.post("/admin/logout", data={"csrf_token": after}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/admin", headers=HTML, follow_redirects=False).status_code == 303


def test_next_never_leaves_the_admin(client: TestClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/admin/login",
        data={"csrf_token": token, "password": PASSWORD, "next": "//evil.example/admin"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/admin"


def test_proxy_header_signs_in_only_listed_users_and_only_when_configured(tmp_path: Path) -> None:
    header = {"X-Forwarded-Email": "Staff@Chamber.example", **HTML}
    plain = TestClient(create_app(admin_settings(tmp_path / "a")))
    assert plain.get("/admin/sources", headers=header, follow_redirects=False).status_code == 303
    proxied = TestClient(
        create_app(
            Settings(  # type: ignore[call-arg]
                _env_file=None,
                data_dir=tmp_path / "b",
                admin_trusted_header="X-Forwarded-Email",
                admin_allowed_users="staff@chamber.example,other@chamber.example",
            )
        )
    )
    response = proxied.get("/admin/sources", headers=header)
    assert response.status_code == 200
    assert "staff@chamber.example" in response.text
    stranger = {"X-Forwarded-Email": "someone@else.example", **HTML}
    assert proxied.get("/admin/sources", headers=stranger, follow_redirects=False).status_code == 303


def test_hash_password_command_prints_a_hash_that_verifies() -> None:
    from typer.testing import CliRunner

    from connector.cli import app

    result = CliRunner().invoke(app, ["admin", "hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0
    printed = result.output.strip().splitlines()[-1]
    assert verify_password(PASSWORD, printed) and PASSWORD not in printed
    short = CliRunner().invoke(app, ["admin", "hash-password"], input="short\nshort\n")
    assert short.exit_code == 1


def test_a_new_password_ends_sessions_made_with_the_old_one(tmp_path: Path) -> None:
    first = admin_settings(tmp_path / "data")
    client = signed_in(TestClient(create_app(first)))
    cookie = {"Cookie": f"connector_admin={client.cookies.get('connector_admin')}"}
    same = TestClient(create_app(first))
    assert same.get("/admin/sources", headers=HTML | cookie, follow_redirects=False).status_code == 200
    changed = first.model_copy(update={"admin_password_hash": hash_password("another long password")})
    later = TestClient(create_app(changed))
    assert later.get("/admin/sources", headers=HTML | cookie, follow_redirects=False).status_code == 303
