"""The glossary (corpus/glossary/): acronyms and everyday words, so a question and a page that use different
forms still meet, in the search, the focus check and the answer check."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector.courses.places import Gazetteer
from connector.courses.understand import filters_from_text
from connector.errors import ConfigError
from connector.focus import off_focus
from connector.glossary import everyday_in, expanded, glossary, typed_acronyms, written_in
from connector.steps.check import _spelled_out
from connector.types import Chunk, Hit


def test_a_typed_acronym_adds_its_long_form_and_a_long_form_adds_its_acronym() -> None:
    assert expanded("any EV maintenance courses?") == "any EV maintenance courses? (electric vehicle)"
    assert expanded("a job in human resources") == "a job in human resources (HR)"
    assert expanded("Is it free? It is.") == "Is it free? It is."


def test_plural_and_mixed_case_acronyms_are_recognised() -> None:
    assert typed_acronyms("Do SMEs pay less? The DfE says so.") == ["SME", "DFE"]


def test_a_page_writing_the_long_form_in_any_case_answers_the_acronym() -> None:
    assert written_in("HGV", "Heavy goods vehicle driving, category C")
    assert not written_in("HGV", "Light vehicle maintenance")
    assert _spelled_out("EV", "Electric vehicle maintenance (Level 3), two evenings a week")


def test_the_focus_check_accepts_the_long_form_for_an_acronym() -> None:
    text = "Electric vehicle maintenance bootcamp, free for adults."
    page = Hit(chunk=Chunk(id="b", url="/b", title="Bootcamps", heading_path=[], text=text), score=1.0)
    assert not off_focus("Is there an EV bootcamp?", [page])
    assert off_focus("Is there an HGV bootcamp?", [page])


def test_a_malformed_glossary_is_a_clear_configuration_error(tmp_path: Path) -> None:
    bad = tmp_path / "acronyms.yaml"
    bad.write_text("EV: electric vehicle\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="list of other forms"):
        glossary(bad)


def test_everyday_words_add_the_words_pages_use_but_only_for_the_lexical_search() -> None:
    question = "Can we use our levy pot to pay the apprentice's salary?"
    assert expanded(question) == f"{question} (wages; levy funds)"
    assert expanded(question, everyday_words=False) == question
    assert everyday_in("fixing cars")["cars"] == ("vehicle", "motor vehicle")


def test_an_everyday_word_is_found_in_the_plural_and_names_a_course_subject() -> None:
    assert everyday_in("which college near me trains welders?") == {"welder": ("welding",)}
    assert everyday_in("we need plumbers") == {"plumber": ("plumbing",)}
    assert everyday_in("welded joints") == {}
    filters = filters_from_text("which college near me trains welders?", Gazetteer.load())
    assert filters["subject"] == "engineering"


def test_the_focus_check_accepts_the_page_words_for_an_everyday_phrase() -> None:
    text = "The qualification you need to become an early years educator. Adult fee: £2,400."
    page = Hit(chunk=Chunk(id="e", url="/e", title="Early years", heading_path=[], text=text), score=1.0)
    # The thing asked about is there when the page uses the page words for its everyday name.
    assert not off_focus("do you do nursery nurse training?", [page])
    assert off_focus("do you do dental nurse training?", [page])


def test_a_missing_glossary_file_is_an_empty_glossary(tmp_path: Path) -> None:
    assert glossary(tmp_path / "absent.yaml") == {}
