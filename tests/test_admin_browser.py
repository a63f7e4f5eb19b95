"""The admin in a real headless Chromium against the real API under uvicorn: sign in, filter the question
log, download its CSV, send an email again; and no serious accessibility violations (axe-core)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from admin_support import PASSWORD, admin_settings
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ApiServer, launch_chromium

from api.app import create_app
from connector.db import Database
from connector.db.tables import questions
from connector.enquiries import EnquiryForm, EnquiryStore
from connector.outbox import FAILED, PENDING, Email, Outbox
from connector.settings import Settings

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

TIMEOUT_MS = 30_000
FORMULA = "=cmd|' /C calc'!A0 welding in Grays?"


@dataclass
class Admin:
    settings: Settings
    api: ApiServer
    browser: Any
    email_id: int


def seed(database: Database) -> int:
    now = datetime.now(UTC)
    for n, (question, status) in enumerate(
        [
            ("How much is the levy?", "answered"),
            (FORMULA, "no_answer"),
            ("<script>x()</script> hi", "refused"),
        ]
    ):
        with database.begin() as conn:
            conn.execute(
                questions.insert().values(
                    answer_id=f"b{n}",
                    asked_at=now,
                    session_hash="s",
                    audience="employer",
                    question=question,
                    status=status,
                    route="search",
                    hit_count=1,
                    timings={},
                )  # fmt: skip
            )
    form = EnquiryForm(need="Two welders", organisation="Acme", contact_name="Sam Lee",
                       email="sam@acme.example", consent=True)  # fmt: skip
    enquiry, _ = EnquiryStore(database).create(
        form, "browser-key", [{"name": "CI"}], [Email("ci@x.example", "E", "b")]
    )
    outbox = Outbox(database)
    [email] = outbox.for_enquiry(enquiry.reference)
    outbox.mark_failed(email.id, "SMTP refused")
    return email.id


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Admin]:
    settings = admin_settings(tmp_path_factory.mktemp("admin-browser") / "data")
    email_id = seed(Database.open(settings))
    api = ApiServer(create_app(settings)).start()
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield Admin(settings, api, browser, email_id)
        finally:
            browser.close()
            api.stop()


@pytest.fixture
def page(admin: Admin, tmp_path: Path) -> Iterator[Any]:
    context = admin.browser.new_context(accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(admin.api.url + "/admin/questions")
    page.get_by_label("Admin password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/questions")
    yield page
    context.close()


def axe_serious(page: Any) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_sign_in_filter_and_download_the_question_log(page: Any, tmp_path: Path) -> None:
    assert page.get_by_role("heading", name="Question log").is_visible()
    assert "3 questions match" in page.locator("#result-count").inner_text()
    assert page.get_by_text("<script>x()</script> hi").is_visible()  # shown as text, never run
    page.get_by_label("Outcome").select_option("no_answer")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=no_answer**")
    assert "1 question match" in page.locator("#result-count").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these as CSV").click()
    path = tmp_path / "questions.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [row["question"] for row in rows] == ["'" + FORMULA]
    assert axe_serious(page) == []


def test_send_an_email_again_from_the_enquiries_page(page: Any, admin: Admin) -> None:
    outbox = Outbox(Database.open(admin.settings))
    outbox.mark_failed(admin.email_id, "SMTP refused")
    page.get_by_role("link", name="Enquiries").click()
    row = page.locator(f"#email-{admin.email_id}")
    assert "failed" in row.inner_text() and "SMTP refused" in row.inner_text()
    assert axe_serious(page) == []
    row.get_by_role("button", name="Send again to ci@x.example").click()
    page.wait_for_url("**/admin/enquiries#email-*")
    assert page.locator(f"#email-{admin.email_id} .tag").inner_text() == PENDING
    assert outbox.get(admin.email_id).state == PENDING
    assert FAILED not in page.locator(f"#email-{admin.email_id} .tag").inner_text()
