"""Demand tags with the real embedding model and the bundled examples (accuracy is printed by
bench/demand_tags.py; these check the behaviour)."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector.embedder import Embedder
from connector.errors import ConfigError
from connector.tags import TOPICS, Tagger, load_family, tag_question


@pytest.fixture(scope="module")
def tagger(embedder: Embedder) -> Tagger:
    return Tagger.build(embedder)


def test_a_clear_question_gets_its_topic_sector_and_stated_level(tagger: Tagger) -> None:
    tags = tag_question(
        "We're a building firm in Harlow, how do we take on a level 3 bricklaying apprentice?", tagger
    )
    assert (tags.topic, tags.sector, tags.level) == ("apprenticeships", "construction", "3")
    course = tag_question("part-time CNC machining courses near Braintree", tagger)
    assert (course.topic, course.sector, course.level) == (
        "course_search",
        "advanced_manufacturing_and_engineering",
        None,
    )


def test_a_question_with_no_sector_or_level_gets_none(tagger: Tagger) -> None:
    tags = tag_question("how much levy do we pay on a £6m pay bill?", tagger)
    assert tags.topic == "levy" and tags.sector is None and tags.level is None


def test_off_topic_questions_fall_back_to_other(tagger: Tagger) -> None:
    assert tag_question("what's the best pizza in Southend?", tagger).topic == "other"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I have my GCSEs, what next?", "2"),
        ("can I do A levels at 30", "3"),
        ("a L4 data course", "4"),
        ("HND in engineering", "5"),
        ("I already have a degree", "6"),
        ("entry level maths", "entry"),
        ("is there a level of funding for that", None),
    ],
)
def test_level_is_read_from_what_the_question_states(tagger: Tagger, text: str, level: str | None) -> None:
    assert tagger.level(text) == level


def test_many_questions_are_tagged_in_one_batch_with_known_topics(tagger: Tagger) -> None:
    tagged = tagger.tag_many(["free courses for adults", "how do I become a nurse", "hello"])
    assert len(tagged) == 3 and all(tags.topic in TOPICS for tags in tagged)


def test_a_malformed_examples_file_stops_naming_the_file(embedder: Embedder, tmp_path: Path) -> None:
    bad = tmp_path / "topics.yaml"
    bad.write_text(
        "k: 2\nmin_similarity: 0.3\nmin_margin: 0\nfallback: other\nlabels:\n  levy: {examples: [a]}\n"
    )
    with pytest.raises(ConfigError, match="topics.yaml"):
        load_family(embedder, bad)
