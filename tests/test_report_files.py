"""The demand report files, built from a question log and feedback seeded through the real stores, with the
real embedding model tagging and grouping the questions."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from connector.cli import app
from connector.context import Context
from connector.demand import demand_figures, enquiries_by_sector_and_provider
from connector.embedder import Embedder
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog
from connector.report_files import safe_cell, write_csv, write_demand_report
from connector.tags import Tagger
from connector.types import Status


def today():
    """Today in UTC when the test runs (not when the module was collected: a run may cross midnight)."""
    return datetime.now(UTC).date()


@pytest.fixture(scope="module")
def tagger(embedder: Embedder) -> Tagger:
    return Tagger.build(embedder)


def _ask(log: QuestionLog, answer_id: str, question: str, status: Status, audience: str) -> None:
    ctx = Context(question=question, audience=audience, session_id="s1", route="search")
    ctx.status = status
    log.record(ctx, answer_id=answer_id)


def _seed(settings) -> None:
    log = QuestionLog(settings.app_db_path)
    _ask(log, "a1", "How much apprenticeship levy do we pay on a £5m pay bill?", Status.ANSWERED, "employer")
    _ask(log, "a2", "Is there a welding course in Grays?", Status.NO_ANSWER, "learner")
    _ask(log, "a3", "any welding courses near Grays", Status.NO_ANSWER, "learner")
    _ask(log, "a4", "Is there a welding course in Grays", Status.NO_ANSWER, "learner")
    _ask(
        log,
        "a5",
        "Can I get funding for care worker training? I'm Jane, 07700 900123",
        Status.ANSWERED,
        "learner",
    )
    _ask(
        log,
        "a6",
        '=HYPERLINK("http://evil.example","click") bricklaying courses',
        Status.NO_ANSWER,
        "learner",
    )
    _ask(log, "a7", "how do I become an electrician", Status.ANSWERED, "learner")
    feedback = FeedbackStore(settings.app_db_path)
    feedback.record("a5", helpful=False, comment="Nothing about Basildon")
    feedback.record("a7", helpful=True)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_report_files_hold_the_seeded_figures(settings, tagger: Tagger, tmp_path: Path) -> None:
    _seed(settings)
    paths = write_demand_report(settings, today(), tmp_path / "out", tagger=tagger)
    assert sorted(p.name for p in paths) == [
        "demand-report.html",
        "enquiries-by-sector-and-provider.csv",
        "questions-by-week.csv",
        "unmet-needs.csv",
    ]
    volumes = _read_csv(tmp_path / "out" / "questions-by-week.csv")
    assert sum(int(r["questions"]) for r in volumes) == 7
    by_outcome: dict[str, int] = {}
    for row in volumes:
        by_outcome[row["outcome"]] = by_outcome.get(row["outcome"], 0) + int(row["questions"])
    # The answer voted not helpful counts as unmet, not as answered.
    assert by_outcome == {"answered": 2, "no_answer": 4, "not_helpful": 1}
    levy = [r for r in volumes if r["topic"] == "levy"]
    assert levy and levy[0]["audience"] == "employer" and levy[0]["outcome"] == "answered"
    welding = [r for r in volumes if r["outcome"] == "no_answer" and r["topic"] == "course_search"]
    assert sum(int(r["questions"]) for r in welding) >= 3

    unmet = _read_csv(tmp_path / "out" / "unmet-needs.csv")
    top = unmet[0]
    assert top["question"] == "is there a welding course in grays" and top["times_asked"] == "3"
    assert top["other_wordings"] == "any welding courses near grays"
    assert top["sector"] == "advanced_manufacturing_and_engineering"
    care = next(r for r in unmet if "care worker" in r["question"])
    assert care["not_helpful"] == "1" and care["no_answer"] == "0"
    assert "jane" not in care["question"].lower() and "07700" not in care["question"]  # stored redacted
    formula = next(r for r in unmet if "HYPERLINK" in r["question"].upper())
    assert formula["question"].startswith("'=")
    assert _read_csv(tmp_path / "out" / "enquiries-by-sector-and-provider.csv") == []


def test_html_report_is_self_contained_accessible_and_shows_the_figures(settings, tagger, tmp_path) -> None:
    _seed(settings)
    write_demand_report(settings, today(), tmp_path, tagger=tagger)
    page = lxml_html.fromstring((tmp_path / "demand-report.html").read_bytes())
    assert page.xpath("//script") == [] and page.xpath("//link") == [] and page.xpath("//img") == []
    assert not [src for src in page.xpath("//@src | //@href") if src]
    assert page.xpath("//h1") and len(page.xpath("//h2")) >= 4
    svgs = page.xpath("//*[local-name()='svg']")
    assert len(svgs) >= 6
    for svg in svgs:
        assert svg.get("role") == "img"
        assert svg.xpath("./*[local-name()='title']")[0].text
        assert svg.xpath("./*[local-name()='desc']")[0].text
    outcome_rows = page.xpath("//table[caption='Questions by outcome']/tbody/tr")
    outcomes = {row.xpath("./th")[0].text: int(row.xpath("./td")[0].text) for row in outcome_rows}
    assert outcomes == {"no_answer": 4, "answered": 2, "not_helpful": 1}
    unmet_first = page.xpath("//table[@id='unmet-table']/tbody/tr")[0]
    assert unmet_first.xpath("./th")[0].text == "is there a welding course in grays"
    assert unmet_first.xpath("./td")[0].text == "3"
    text = page.text_content()
    assert "0 helpful" not in text and "07700" not in text
    # A question typed as markup is shown as text, never as markup.
    assert 'hyperlink("http://evil.example"' in text.lower() and not page.xpath("//a")


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(tmp_path: Path) -> None:
    for bad in ("=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert safe_cell(bad) == "'" + bad
    assert safe_cell("welding in Grays") == "welding in Grays" and safe_cell(3) == 3 and safe_cell(None) == ""
    path = write_csv(tmp_path / "t.csv", ("question", "n"), [{"question": "=cmd|' /C calc'!A0", "n": 2}])
    assert _read_csv(path) == [{"question": "'=cmd|' /C calc'!A0", "n": "2"}]


def test_figures_over_plain_rows_count_weeks_and_enquiries(tagger: Tagger) -> None:
    monday, next_week = datetime(2026, 11, 23, 9, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC)
    rows = [
        {"answer_id": "1", "asked_at": monday.timestamp(), "audience": "employer", "status": "answered",
         "question": "levy transfer", "topic": "levy", "sector": None},
        {"answer_id": "2", "asked_at": next_week.timestamp(), "audience": "employer", "status": "answered",
         "question": "levy transfer", "topic": "levy", "sector": None},
    ]  # fmt: skip
    enquiries = [
        {"sector": "construction", "providers": ["Harlow College", "South Essex College"]},
        {"sector": "construction", "providers": ["Harlow College"]},
        {"sector": "digital", "providers": []},
    ]
    figures = demand_figures(rows, [], enquiries, tagger, date(2026, 11, 23))
    assert [r["week"] for r in figures.volumes] == ["2026-11-23", "2026-11-30"]
    assert figures.weekly("topic") == [("2026-11-23", {"levy": 1}), ("2026-11-30", {"levy": 1})]
    assert figures.enquiries == [
        {"sector": "construction", "provider": "Harlow College", "enquiries": 2},
        {"sector": "construction", "provider": "South Essex College", "enquiries": 1},
        {"sector": "digital", "provider": "(no provider matched)", "enquiries": 1},
    ]
    assert enquiries_by_sector_and_provider([]) == [] and figures.unmet == []


def test_report_command_writes_files_and_keeps_text_output(settings, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CONNECTOR_DATA_DIR", str(settings.data_root))
    from connector.settings import get_settings

    get_settings.cache_clear()
    _seed(settings)
    out = tmp_path / "report"
    written = CliRunner().invoke(app, ["report", "--since", today().isoformat(), "--out", str(out)])
    text = CliRunner().invoke(app, ["report", "--since", today().isoformat()])
    get_settings.cache_clear()
    assert written.exit_code == 0, written.output
    assert (out / "demand-report.html").exists() and (out / "unmet-needs.csv").exists()
    assert text.exit_code == 0 and "Questions in the last 1 days: 7" in text.output


def test_stored_enquiries_are_counted_by_sector_and_provider_in_the_report(
    settings, tagger, tmp_path
) -> None:
    from connector.db import Database
    from connector.enquiries import EnquiryForm, EnquiryStore

    store = EnquiryStore(Database.open(settings))
    form = EnquiryForm(
        "Two bricklayers trained to level 2",
        "Firm Ltd",
        "A Person",
        "a@example.org",
        True,
        sector="Construction",
    )
    store.create(form, "key-1", providers=[{"name": "Sample: Basildon Centre", "email": "b@example.org"}])
    store.create(form, "key-2", providers=[{"name": "Sample: Basildon Centre", "email": "b@example.org"}])
    store.create(
        form, "key-1", providers=[{"name": "Sample: Basildon Centre", "email": "b@example.org"}]
    )  # repeat
    write_demand_report(settings, today(), tmp_path / "out", tagger)
    rows = _read_csv(tmp_path / "out" / "enquiries-by-sector-and-provider.csv")
    assert rows == [{"sector": "Construction", "provider": "Sample: Basildon Centre", "enquiries": "2"}]
