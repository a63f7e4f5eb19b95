"""The admin pages through HTTP on a seeded database, on SQLite and on PostgreSQL: filters, paging, CSV
content and formula safety, escaping of stored HTML, resend, and the overview's figures matching the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from admin_support import CSRF, HTML, signed_in, with_admin
from fastapi.testclient import TestClient

from api.app import create_app
from connector.db import Database
from connector.db.tables import questions
from connector.embedder import Embedder
from connector.enquiries import EnquiryForm, EnquiryStore
from connector.feedback import FeedbackStore
from connector.outbox import FAILED, PENDING, Email, Outbox
from connector.report_files import write_demand_report
from connector.settings import Settings
from connector.tags import Tagger

NOW = datetime.now(UTC)
SCRIPT = "<script>alert('stored')</script> is the levy 0.5%?"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def tagger(embedder: Embedder) -> Tagger:
    return Tagger.build(embedder)


def add_question(database: Database, answer_id: str, question: str, **values: object) -> None:
    row = {
        "answer_id": answer_id, "asked_at": NOW - timedelta(hours=1), "session_hash": "s",
        "audience": "employer", "question": question, "status": "answered", "route": "search",
        "hit_count": 3, "top_source": None, "timings": {}, "topic": None, "sector": None, "level": None,
    }  # fmt: skip
    with database.begin() as conn:
        conn.execute(questions.insert().values(**(row | values)))


def seed(database: Database) -> None:
    add_question(database, "q1", "How do I fund a welding apprenticeship?", topic="apprenticeships")
    add_question(database, "q2", SCRIPT, status="no_answer", route="search")
    add_question(database, "q3", FORMULA, status="no_answer", audience="learner")
    add_question(database, "q4", "Careers advice for my son", audience="learner", route="careers",
                 asked_at=NOW - timedelta(days=40))  # fmt: skip
    FeedbackStore(database).record("q1", helpful=False, comment="<b>nothing about welding</b>")


@pytest.fixture
def admin(db_settings: Settings, tagger: Tagger) -> Iterator[tuple[TestClient, Database]]:
    settings = with_admin(db_settings)
    database = Database.open(settings)
    seed(database)
    app = create_app(settings)
    app.state.demand_tagger = tagger  # the session's model, not a second load
    yield signed_in(TestClient(app)), database


def table_rows(csv_body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_body.lstrip("\ufeff"))))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"q1", "q2", "q3", "q4"}),
        ("status=no_answer", {"q2", "q3"}),
        ("status=no_answer&audience=learner", {"q3"}),
        ("route=careers", {"q4"}),
        ("topic=apprenticeships", {"q1"}),
        ("text=WELDING", {"q1"}),
        ("text=%25", {"q2"}),  # a typed % is a character, not a wildcard
        (f"since={(NOW - timedelta(days=7)).date()}", {"q1", "q2", "q3"}),
        (f"until={(NOW - timedelta(days=30)).date()}", {"q4"}),
    ],
)
def test_question_log_filters_and_its_csv_agree(
    admin: tuple[TestClient, Database], query: str, expected: set[str]
) -> None:
    client, _ = admin
    texts = {"q1": "welding apprenticeship", "q2": "is the levy", "q3": "HYPERLINK", "q4": "Careers advice"}
    page = client.get(f"/admin/questions?{query}", headers=HTML)
    assert page.status_code == 200
    assert f"{len(expected)} question" in page.text
    assert {key for key, text in texts.items() if text in page.text} == expected
    download = client.get(f"/admin/questions.csv?{query}")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"].startswith('attachment; filename="questions-')
    rows = table_rows(download.text)
    assert {key for key, text in texts.items() if any(text in r["question"] for r in rows)} == expected


def test_csv_cells_cannot_run_as_formulas(admin: tuple[TestClient, Database]) -> None:
    client, _ = admin
    rows = table_rows(client.get("/admin/questions.csv?audience=learner&status=no_answer").text)
    assert [r["question"] for r in rows] == ["'" + FORMULA]
    helpful = table_rows(client.get("/admin/questions.csv?text=welding").text)
    assert (helpful[0]["helpful"], helpful[0]["comment"]) == ("no", "<b>nothing about welding</b>")


def test_stored_html_is_shown_as_text_on_every_page(admin: tuple[TestClient, Database]) -> None:
    client, _ = admin
    for path in ("/admin/questions", "/admin/unmet"):
        body = client.get(path, headers=HTML).text
        assert "<script>alert" not in body and "<b>nothing" not in body
        assert "&lt;script&gt;alert(" in body
    assert "&lt;b&gt;nothing about welding&lt;/b&gt;" in client.get("/admin/unmet", headers=HTML).text


def test_bad_dates_are_reported_not_a_500(admin: tuple[TestClient, Database]) -> None:
    client, _ = admin
    response = client.get("/admin/questions?since=31/12/2026&page=1", headers=HTML)
    assert response.status_code == 200
    assert "From must be a date" in response.text
    assert client.get("/admin/questions?page=0", headers=HTML).status_code == 422


def test_question_log_is_paged(admin: tuple[TestClient, Database]) -> None:
    client, database = admin
    for n in range(60):
        add_question(database, f"p{n}", f"paged question {n:02d}", asked_at=NOW - timedelta(minutes=n))
    first = client.get("/admin/questions?text=paged", headers=HTML).text
    assert "Page 1 of 2" in first and "paged question 00" in first and "paged question 59" not in first
    second = client.get("/admin/questions?text=paged&page=2", headers=HTML).text
    assert "paged question 59" in second and "paged question 00" not in second


def test_unmet_lists_group_similar_questions_most_asked_first(admin: tuple[TestClient, Database]) -> None:
    client, database = admin
    for n, wording in enumerate(
        ["Welding courses in Grays?", "any welding course near Grays", "welding Grays"]
    ):
        add_question(database, f"w{n}", wording, status="no_answer", audience="learner")
    body = client.get("/admin/unmet", headers=HTML).text
    unanswered = body.split('id="unanswered-table"')[1].split("</table>")[0]
    first_row = unanswered.split("<tbody>")[1].split("</tr>")[0]
    assert "welding" in first_row.lower() and '<td class="n">3</td>' in first_row
    not_helpful = body.split('id="not-helpful-table"')[1].split("</table>")[0]
    assert "welding apprenticeship" in not_helpful
    rows = table_rows(client.get("/admin/unmet.csv").text)
    assert {r["list"] for r in rows} == {"unanswered", "not helpful"}
    assert all(not r["question"].startswith("=") for r in rows)


def test_overview_shows_the_report_figures(
    admin: tuple[TestClient, Database], tagger: Tagger, tmp_path
) -> None:
    client, _ = admin
    page = client.get("/admin?weeks=4", headers=HTML)
    assert page.status_code == 200
    for title in (
        "Questions per week by audience",
        "Questions per week by topic",
        "Questions per week by outcome",
    ):
        assert title in page.text
    assert page.text.count("<svg") == 6
    assert "3 questions since" in page.text  # q4 is older than four weeks
    since = (NOW - timedelta(weeks=4)).date()
    settings = client.app.state.settings  # type: ignore[attr-defined]
    [weekly_csv, *_] = write_demand_report(settings, since, tmp_path / "report", tagger)
    from_report = table_rows(weekly_csv.read_text(encoding="utf-8-sig"))
    assert table_rows(client.get("/admin/overview.csv?weeks=4").text) == from_report


def test_resend_puts_a_failed_email_back_in_the_queue(admin: tuple[TestClient, Database]) -> None:
    client, database = admin
    form = EnquiryForm(need="Two <i>welders</i>", organisation="@SUM(1+1) Acme", contact_name="Sam Lee",
                       email="sam@acme.example", consent=True, sector="construction")  # fmt: skip
    providers = [{"name": "Colchester Institute", "email": "enq@ci.example"}, {"name": "No Email Ltd"}]
    emails = [Email("enq@ci.example", "Enquiry", "body"), Email("sam@acme.example", "Your enquiry", "body")]
    enquiry, _ = EnquiryStore(database).create(form, "key-1", providers, emails)
    outbox = Outbox(database)
    first, second = outbox.for_enquiry(enquiry.reference)
    outbox.mark_failed(first.id, "550 mailbox unavailable")
    page = client.get("/admin/enquiries", headers=HTML)
    assert enquiry.reference in page.text and "550 mailbox unavailable" in page.text
    assert "Two &lt;i&gt;welders&lt;/i&gt;" in page.text
    assert 'No Email Ltd <span class="tag no-email">' in page.text
    token = CSRF.search(page.text).group(1)
    assert client.post(f"/admin/emails/{first.id}/resend", data={}).status_code == 403
    assert outbox.get(first.id).state == FAILED
    response = client.post(
        f"/admin/emails/{first.id}/resend", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert outbox.get(first.id).state == PENDING
    assert outbox.get(second.id).state == PENDING
    missing = client.post("/admin/emails/999999/resend", data={"csrf_token": token})
    assert missing.status_code == 404
    rows = table_rows(client.get("/admin/enquiries.csv").text)
    assert [r["email_state"] for r in rows] == [PENDING, PENDING]
    assert rows[0]["organisation"] == "'@SUM(1+1) Acme"
    assert rows[0]["providers"] == "Colchester Institute | No Email Ltd"
