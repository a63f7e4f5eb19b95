"""`connector corpus check`: the bundled guides and rules pass offline; a past review date or a malformed rule
fails it; unanswered sources and figures no rule holds are warnings only.

The first test runs on the real corpus with today's date, on purpose: once a guide or rules file passes its
review date, the suite (and CI) fails until someone checks it against its sources.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from connector.cli import app

GUIDE = """---
title: {title}
slug: {slug}
audience: [learner]
doc_type: guidance
sources:
  - https://www.gov.uk/example
last_reviewed: {reviewed}
{extra}
---

## A heading about loan repayments

Plan 5 borrowers repay 9% of income above £25,000 a year; a made-up fee of £123 is in no rule.

## What to do next about this test

1. Nothing.
"""

RULES = """last_reviewed: 2026-06-01
rules:
  - id: loan.plan5_repayment
    title: Plan 5 repayment threshold and rate
    value: {{threshold: 25000, rate: 0.09}}
    effective_from: 2026-04-06
    source: {source}
    summary: Plan 5 borrowers repay 9% of their income above £25,000 a year.
{more}"""

MALFORMED = """  - id: loan.plan2_repayment
    title: A rule with no source
    value: {threshold: 29385, rate: 0.09}
    effective_from: 2026-04-06
    summary: This entry has no source address, so it cannot be checked.
"""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, ["corpus", "check", *args], env=env)


def write_corpus(root: Path, review_by: str = "", rules: str = "") -> tuple[Path, Path]:
    docs, rules_dir = root / "docs", root / "rules"
    docs.mkdir(parents=True)
    rules_dir.mkdir()
    (docs / "current.md").write_text(
        GUIDE.format(title="A current test guide", slug="current-guide", reviewed="2026-11-01", extra=""),
        encoding="utf-8",
    )
    (docs / "overdue.md").write_text(
        GUIDE.format(
            title="An overdue test guide", slug="overdue-guide", reviewed="2026-01-01", extra=review_by
        ),
        encoding="utf-8",
    )
    (rules_dir / "loans.yaml").write_text(rules or RULES.format(source="https://www.gov.uk/x", more=""))
    return docs, rules_dir


def test_bundled_corpus_passes_the_offline_check_today():
    result = run("--offline")
    assert result.exit_code == 0, result.output
    assert "offline" in result.output and result.output.rstrip().splitlines()[-1].startswith("OK")


def test_ci_true_checks_offline_without_being_told():
    report = json.loads(run("--json", env={"CI": "true"}).output)
    assert report["online"] is False and report["errors"] == [] and report["guides"] >= 20


def test_past_review_date_and_malformed_rule_fail_the_check(tmp_path: Path):
    rules = RULES.format(source="https://www.gov.uk/x", more=MALFORMED)
    docs, rules_dir = write_corpus(tmp_path, review_by="review_by: 2026-06-30", rules=rules)
    result = run("--offline", "--docs", str(docs), "--rules", str(rules_dir), "--today", "2026-12-05")
    assert result.exit_code == 1, result.output
    assert "overdue.md: review was due on 30 June 2026" in result.output
    assert "rule #2 (loan.plan2_repayment) is invalid: source" in result.output
    assert "current.md: review" not in result.output  # reviewed 1 November 2026: due a year later
    figure_lines = [line for line in result.output.splitlines() if "[figure]" in line]
    assert figure_lines and all("£123" in line and "£25,000" not in line for line in figure_lines)
    assert "FAILED: 2 error(s)" in result.output


def test_warnings_alone_do_not_fail_the_check(tmp_path: Path):
    docs, rules_dir = write_corpus(tmp_path)
    result = run(
        "--offline", "--json", "--docs", str(docs), "--rules", str(rules_dir), "--today", "2026-12-01"
    )
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["errors"] == []
    figures = [w["message"] for w in report["warnings"] if w["kind"] == "figure"]
    assert figures and all("£123" in m and "£25,000" not in m and "9%" not in m for m in figures)


def test_a_guide_a_year_past_its_last_review_is_overdue(tmp_path: Path):
    docs, rules_dir = write_corpus(tmp_path)  # overdue.md: reviewed 1 January 2026, no review_by
    result = run("--offline", "--docs", str(docs), "--rules", str(rules_dir), "--today", "2027-01-02")
    assert result.exit_code == 1 and "overdue.md: review was due on 1 January 2027" in result.output
    assert "current.md: review" not in result.output


class _Sources(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 - the http.server naming
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def source_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sources)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_rule_sources_that_do_not_answer_are_listed_as_warnings(tmp_path: Path, source_site: str):
    gone = RULES.format(source=f"{source_site}/gone", more="").split("rules:\n")[1]
    gone = gone.replace("loan.plan5_repayment", "loan.plan2_repayment")
    rules = RULES.format(source=f"{source_site}/ok", more=gone)
    docs, rules_dir = write_corpus(tmp_path, rules=rules)
    args = ("--json", "--docs", str(docs), "--rules", str(rules_dir), "--today", "2026-12-01")
    result = run(*args, env={"CI": "false"})
    report = json.loads(result.output)
    sources = [w for w in report["warnings"] if w["kind"] == "source"]
    assert result.exit_code == 0 and report["online"] is True
    assert [w["where"] for w in sources] == [f"{source_site}/gone"] and "HTTP 404" in sources[0]["message"]
