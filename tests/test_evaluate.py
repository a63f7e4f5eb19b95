"""The evaluation: what counts as a right answer, each kind of failure, passage and source hits, the
question format, the fixture site server, and a sealed set run end to end that prints only aggregates."""

from __future__ import annotations

import io
import logging
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from answer_corpus import build_index
from conftest import make_settings
from pypdf import PdfReader

from connector.errors import ConfigError
from connector.evaluation.command import eval_command
from connector.evaluation.items import Item, load_items
from connector.evaluation.run import run_items
from connector.evaluation.score import (
    Outcome,
    cause,
    judge,
    lead_holds_fact,
    passage_rank,
    same_source,
    summarise,
)
from connector.evaluation.sealed_logs import hidden_from_logs
from connector.evaluation.sets import SITES_DIR, select_sets, site_of
from connector.evaluation.site_server import StaticSite
from connector.services import Services

ITEMS = [
    Item(
        id="levy-allowance",
        question="How big is the levy allowance?",
        expect="answered",
        sources=["/corpus/apprenticeship-levy"],
        facts=["£15,000"],
    ),
    Item(
        id="levy-wrong-fact",
        question="How big is the levy allowance?",
        expect="answered",
        sources=["/corpus/apprenticeship-levy"],
        facts=["£99,999"],
    ),
    Item(id="mortgage", question="How do I get a mortgage for a flat?", expect="no_answer"),
]


@pytest.fixture(scope="module")
def services(tmp_path_factory, embedder) -> Services:
    settings = make_settings(tmp_path_factory.mktemp("evaluate") / "data")
    build_index(settings, embedder)
    return Services.build(settings)


def answered(**fields: object) -> Item:
    return Item(id="x", question="q", expect="answered", **fields)  # type: ignore[arg-type]


# -- scoring ------------------------------------------------------------------------------------------


def test_an_answer_is_right_only_with_the_right_status_and_every_fact(services: Services) -> None:
    right, wrong_fact, abstained = run_items(services, ITEMS, "hybrid")
    assert right.correct and right.rank == 1 and right.missing_facts == [] and right.kind is None
    assert right.passage_rank == 1
    assert not wrong_fact.correct and wrong_fact.missing_facts == ["£99,999"]
    assert wrong_fact.kind == "wrong_sentence" and wrong_fact.passage_rank is None
    assert abstained.correct and abstained.status == "no_answer" and abstained.rank is None


def test_the_summary_counts_hits_abstentions_failures_and_passage_hits(services: Services) -> None:
    figures = summarise(run_items(services, ITEMS, "hybrid"))
    assert figures["questions"] == 3 and figures["answer_accuracy"] == pytest.approx(2 / 3)
    assert figures["hit_at_5"] == 1.0 and figures["mrr"] == 1.0
    assert figures["abstention_accuracy"] == 1.0 and figures["false_abstentions"] == 0
    assert (figures["answered_right"], figures["answerable"]) == (1, 2)
    assert (figures["declined_right"], figures["must_decline"]) == (1, 1)
    assert figures["failures"]["wrong_sentence"] == 1 and sum(figures["failures"].values()) == 1
    assert figures["passage_questions"] == 2
    assert figures["passage_hit_at_1"] == figures["passage_hit_at_3"] == 0.5
    causes = figures["causes"]
    assert causes["wrong_sentence:retrieval"] == 1 and causes["declined_right:floor"] == 1


def test_a_false_decline_is_counted_under_the_step_that_declined() -> None:
    item = answered(facts=["£340"])
    base = dict(status="no_answer", route="search", correct=False, kind="false_decline", missing_facts=[])
    rest = dict(missing_any=False, leaked=[], rank=None, passage_rank=None, ms=1.0)
    floor = Outcome(item, **base, **rest, notes=["below_relevance_floor"])
    focus = Outcome(item, **base, **rest, notes=["follow_up", "focus_unsupported:thing"])
    unknown = Outcome(item, **base, **rest)
    assert [cause(o) for o in (floor, focus, unknown)] == [
        "false_decline:floor",
        "false_decline:focus:thing",
        "false_decline:other",
    ]


def test_a_wrong_route_or_an_answered_must_decline_is_counted_under_what_answered() -> None:
    rest = dict(missing_facts=[], missing_any=False, leaked=[], rank=None, passage_rank=None, ms=1.0)
    wrong = [
        Outcome(answered(facts=["£340"]), "answered", route, False, "wrong_route", **rest)
        for route in ("courses", "levy")
    ]
    must_decline = Item(id="n", question="Is there a gym?", expect="no_answer")
    answered_it = [
        Outcome(must_decline, "answered", route, False, "answered_should_decline", **rest)
        for route in ("search", "courses", "eligibility")
    ]
    assert [cause(o) for o in wrong + answered_it] == [
        "wrong_route:courses",
        "wrong_route:tool",
        "answered_should_decline:search",
        "answered_should_decline:courses",
        "answered_should_decline:tool",
    ]


def test_the_fact_in_the_lead_counts_only_the_first_sentence_of_a_right_answer() -> None:
    item = answered(facts=["£15,000"])
    rest = dict(kind=None, missing_facts=[], missing_any=False, leaked=[], rank=1, passage_rank=1, ms=1.0)
    right = ("answered", "search", True)
    first = Outcome(item, *right, **rest, answer="The allowance is £15,000. [1] More. [1]")
    second = Outcome(item, *right, **rest, answer="The levy is 0.5%. [1] It is £15,000. [1]")
    assert lead_holds_fact(first) and not lead_holds_fact(second)
    assert summarise([first, second])["fact_in_lead"] == 0.5
    # a tool's answer, or a wrong one, is not counted
    tool = Outcome(item, "answered", "levy", True, **rest, answer="You pay £0. £15,000 allowance.")
    wrong = Outcome(item, "answered", "search", False, **rest, answer="The levy is 0.5%. [1]")
    assert summarise([first, tool, wrong])["fact_in_lead"] == 1.0


def test_each_wrong_answer_has_one_kind_of_failure() -> None:
    item = answered(facts=["£340"])
    assert judge(item, "no_answer", "search", "", "")[1] == "false_decline"
    assert judge(item, "refused", "search", "", "")[1] == "false_decline"
    assert judge(item, "answered", "search", "It costs £300.", "")[1] == "wrong_sentence"
    assert judge(item, "answered", "courses", "It costs £300.", "")[1] == "wrong_route"
    decline = Item(id="d", question="q", expect="no_answer")
    assert judge(decline, "answered", "search", "Yes.", "")[1] == "answered_should_decline"
    assert judge(decline, "refused", "guard", "", "")[:2] == (True, None)
    refuse = Item(id="r", question="q", expect="refused")
    assert judge(refuse, "no_answer", "search", "", "")[1] == "wrong_decline"


def test_facts_match_whatever_the_case_and_spacing() -> None:
    item = answered(facts=["Tuesday and  Thursday", "£1,980"])
    assert judge(item, "answered", "search", "on TUESDAY\nand thursday, £1,980", "")[0]


def test_one_of_the_any_strings_must_appear() -> None:
    item = answered(facts=["£340"], any=["Wednesday", "Wednesdays"])
    assert judge(item, "answered", "search", "£340, on Wednesdays", "")[0]
    correct, kind, missing, missing_any, _ = judge(item, "answered", "search", "£340, on Fridays", "")
    assert not correct and kind == "wrong_sentence" and missing == [] and missing_any


def test_a_forbidden_string_in_the_answer_or_its_sources_is_a_leak() -> None:
    item = answered(facts=["£340"], forbid=["SECRET-9911"])
    correct, kind, _, _, leaked = judge(item, "answered", "search", "£340.", "Fees page SECRET-9911 hidden")
    assert not correct and kind == "leak" and leaked == ["SECRET-9911"]
    decline = Item(id="d", question="q", expect="no_answer", forbid=["secret  phrase"])
    assert judge(decline, "no_answer", "search", "The Secret phrase is...", "")[1] == "leak"


def test_a_passage_hit_needs_every_fact_and_one_any_string_in_one_passage() -> None:
    item = answered(facts=["£340"], any=["Wednesday", "Wednesdays"])
    passages = ["The forklift course costs £340.", "It runs on Wednesdays.", "£340 on WEDNESDAYS."]
    assert passage_rank(item, passages) == 3
    assert passage_rank(item, passages, limit=2) is None
    assert passage_rank(Item(id="d", question="q", expect="no_answer"), passages) is None
    assert passage_rank(answered(), passages) is None  # no facts: not a passage question


def test_a_page_matches_its_sections_and_a_folder_only_itself() -> None:
    assert same_source("/corpus/levy#transfers", "/corpus/levy")
    assert same_source("http://127.0.0.1:8000/courses/index.html", "/courses/")
    assert not same_source("http://127.0.0.1:8000/courses/plumbing.html", "/courses/")


# -- the question format and the sets -------------------------------------------------------------------


def test_dev_files_are_matched_to_their_fixture_site() -> None:
    assert site_of("college.yaml") == site_of("college-more.yaml") == "college"
    assert site_of("site.yaml") == "site"
    assert site_of("corpus.yaml") is None and site_of("collegeish.yaml") is None
    dev = select_sets([], sealed=False)
    assert {s.name for s in dev} >= {"college.yaml", "corpus.yaml", "domain.yaml", "site.yaml"}
    assert all(not s.sealed for s in dev)
    assert {s.name: s.site for s in dev}["college-more.yaml"] == SITES_DIR / "college"


def test_a_bad_or_repeated_eval_entry_is_named_in_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('- id: x\n  question: "q"\n  expect: answered\n  colour: red\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: item 'x': unknown field.*colour"):
        load_items(bad)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text('- {id: y, question: "q", expect: maybe}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="wrong.yaml: item 'y': expect must be"):
        load_items(wrong)
    one_fact = tmp_path / "one.yaml"
    one_fact.write_text('- {id: z, question: "q", expect: answered, facts: "£5"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="facts must be a list"):
        load_items(one_fact)
    twice = tmp_path / "twice.yaml"
    twice.write_text('- {id: x, question: "q", expect: answered}\n' * 2, encoding="utf-8")
    with pytest.raises(ConfigError, match="unique"):
        select_sets([str(twice)])


def test_an_error_in_a_sealed_set_names_the_item_by_position_only(tmp_path: Path) -> None:
    sealed = tmp_path / "blind"
    sealed.mkdir()
    (sealed / "questions.yaml").write_text(
        '- {id: blind-01, question: "q", expect: answered}\n- {id: blind-02, question: "q", colour: red}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="blind: item 2: unknown field") as error:
        select_sets([str(sealed)])
    assert "blind-02" not in str(error.value)


# -- the fixture site server ----------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], b""


def test_the_static_site_fills_in_its_address_and_serves_text_reports_as_pdfs(tmp_path: Path) -> None:
    (tmp_path / "outside.html").write_text("<p>not part of the site</p>", encoding="utf-8")
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text('<a href="{{base}}/fees.pdf">Fees</a>', encoding="utf-8")
    (root / "fees.pdf.txt").write_text("Fees 2026\n---page---\nForklift £340", encoding="utf-8")
    (root / "old.html").write_bytes("<p>Fee £265</p>".encode("cp1252"))
    (root / "README.md").write_text("notes for the authors", encoding="utf-8")
    with StaticSite(root) as site:
        status, kind, body = fetch(site.url("/"))
        assert status == 200 and kind == "text/html; charset=utf-8"
        assert body.decode() == f'<a href="{site.base_url.rstrip("/")}/fees.pdf">Fees</a>'
        status, kind, body = fetch(site.url("/fees.pdf"))
        pages = [page.extract_text().strip() for page in PdfReader(io.BytesIO(body)).pages]
        assert kind == "application/pdf" and pages == ["Fees 2026", "Forklift £340"]
        assert fetch(site.url("/old.html"))[1] == "text/html"  # not UTF-8: no charset, as old CMSs do
        for hidden in (
            "/README.md",
            "/fees.pdf.txt",
            "/../outside.html",
            "/%2e%2e/outside.html",
            "/none.html",
        ):
            assert fetch(site.url(hidden))[0] == 404, hidden


def test_sealed_urls_and_questions_are_masked_in_every_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with hidden_from_logs("http://127.0.0.1:4321/", ["Which day is the forklift course?"]):
        logging.getLogger("ingest.fetch").info("fetch failed url=%s", "http://127.0.0.1:4321/secret.html")
        logging.getLogger("x").warning("asked Which day is the forklift course? today")
    logging.getLogger("ingest.fetch").info("after url=%s", "http://127.0.0.1:4321/open.html")
    assert "secret.html" not in caplog.text and "forklift" not in caplog.text
    assert "<sealed site>" in caplog.text and "open.html" in caplog.text


# -- a sealed set, end to end ---------------------------------------------------------------------------

SEALED_PAGES = {
    "index.html": (
        "<html><head><title>Harbour Training</title></head><body><h1>Harbour Training</h1>"
        "<p>Harbour Training is a fictional forklift school in Tilbury, Essex.</p>"
        '<p><a href="/forklift.html">Forklift truck course</a></p></body></html>'
    ),
    "forklift.html": (
        "<html><head><title>Forklift truck course</title></head><body><h1>Forklift truck course</h1>"
        "<p>The Harbour Training forklift truck course costs £340 for the three days.</p>"
        "<p>The forklift truck course runs on Wednesdays at the Tilbury yard.</p>"
        '<div style="display:none">HARBOUR-HIDDEN-5521 parking is free for everyone</div>'
        "</body></html>"
    ),
    "robots.txt": "User-agent: *\nAllow: /\n",
}
SEALED_QUESTIONS = [
    ("harbour-01", "How much does the Harbour Training forklift truck course cost?", "answered", ["£340"]),
    ("harbour-02", "Which day of the week does the Harbour forklift truck course run?", "answered", []),
    ("harbour-03", "What is the pass rate of the Harbour Training forklift truck course?", "no_answer", []),
]


def write_sealed_set(folder: Path) -> None:
    site = folder / "site"
    site.mkdir(parents=True)
    for name, text in SEALED_PAGES.items():
        (site / name).write_text(text, encoding="utf-8")
    lines = []
    for item_id, question, expect, facts in SEALED_QUESTIONS:
        lines += [
            f"- id: {item_id}",
            f'  question: "{question}"',
            "  audience: learner",
            f"  expect: {expect}",
        ]
        lines += [f"  facts: {facts!r}".replace("'", '"')] if facts else []
        lines += ['  any: ["Wednesday", "Wednesdays"]'] if item_id == "harbour-02" else []
        lines += ['  forbid: ["HARBOUR-HIDDEN-5521"]', '  sources: ["/forklift.html"]']
    (folder / "questions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_sealed_set_prints_aggregate_figures_and_nothing_of_its_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "harbour"
    write_sealed_set(folder)
    settings = make_settings(tmp_path / "data", crawl_requests_per_second=200)
    caplog.set_level(logging.INFO)
    code = eval_command(settings, [str(folder)], show_failures=True, corpus=())
    output = capsys.readouterr().out
    assert code == 0
    assert "SEALED" in output and "DEV" not in output and "harbour" in output
    cell = r"\s+{0} \| {0}"  # each cell: hybrid | dense-only; columns: the set, the total
    assert re.search(r"^questions" + cell.format("3") * 2 + "$", output, re.MULTILINE)
    assert re.search(r"^answered right" + cell.format(r"\d/2") * 2 + "$", output, re.MULTILINE)
    assert re.search(r"^declined when it should" + cell.format(r"\d/1") * 2 + "$", output, re.MULTILINE)
    for label in ("answer accuracy", "passage hit@1", "passage hit@3", "p50 ms per question"):
        assert re.search(f"^{label}" + cell.format(r"[\d.]+") * 2 + "$", output, re.MULTILINE), label
    for kind in ("false_decline", "wrong_sentence", "wrong_route", "answered_should_decline", "leak"):
        assert re.search(f"^failures: {kind}" + cell.format(r"\d") * 2 + "$", output, re.MULTILINE), kind
    assert re.search(r"^site pages indexed\s+2$", output, re.MULTILINE)
    logged = caplog.text
    for item_id, question, _, _ in SEALED_QUESTIONS:
        for text in (output, logged):
            assert question not in text and item_id not in text
    assert "forklift.html" not in output + logged and "HARBOUR-HIDDEN" not in output + logged
