"""The evaluation's scoring, on a small real index: what counts as a right answer, a hit and an abstention,
and which eval file is about which fixture site."""

from __future__ import annotations

from pathlib import Path

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.answer_cli import site_of
from connector.errors import ConfigError
from connector.evaluate import Item, load_items, run_eval, same_source, summarise
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


def test_an_answer_is_right_only_with_the_right_status_and_every_fact(services: Services) -> None:
    right, wrong_fact, abstained = run_eval(services, ITEMS, "hybrid")
    assert right.correct and right.rank == 1 and right.missing_facts == []
    assert not wrong_fact.correct and wrong_fact.missing_facts == ["£99,999"]
    assert abstained.correct and abstained.status == "no_answer" and abstained.rank is None


def test_the_summary_counts_hits_abstentions_and_accuracy(services: Services) -> None:
    figures = summarise(run_eval(services, ITEMS, "hybrid"))
    assert figures["questions"] == 3 and figures["answer_accuracy"] == pytest.approx(2 / 3)
    assert figures["hit_at_5"] == 1.0 and figures["mrr"] == 1.0
    assert figures["abstention_accuracy"] == 1.0 and figures["false_abstentions"] == 0


def test_a_page_matches_its_sections_and_a_folder_only_itself() -> None:
    assert same_source("/corpus/levy#transfers", "/corpus/levy")
    assert same_source("http://127.0.0.1:8000/courses/index.html", "/courses/")
    assert not same_source("http://127.0.0.1:8000/courses/plumbing.html", "/courses/")


def test_eval_files_are_matched_to_their_fixture_site() -> None:
    assert site_of("college.yaml") == site_of("college-more.yaml") == "college"
    assert site_of("site.yaml") == "site"
    assert site_of("corpus.yaml") is None and site_of("collegeish.yaml") is None


def test_a_bad_or_repeated_eval_entry_is_named_in_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('- id: x\n  question: "q"\n  expect: answered\n  colour: red\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: item 'x'"):
        load_items([bad])
    twice = tmp_path / "twice.yaml"
    twice.write_text('- {id: x, question: "q", expect: answered}\n' * 2, encoding="utf-8")
    with pytest.raises(ConfigError, match="unique"):
        load_items([twice])
