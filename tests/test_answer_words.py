"""The answer path's word lists live in corpus/answering/words.yaml, each with a reason, and a broken file
stops start-up with its path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connector.answer_words import WORDS_FILE, anywhere, opening, word_tokens, words
from connector.errors import ConfigError
from connector.focus import specific_terms

GOOD = {"lists": {"openers": {"why": "because", "words": ["for example", "so"]}}}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "words.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_every_shipped_list_has_a_reason_and_words() -> None:
    lists = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))["lists"]
    assert {"not_the_focus", "synonyms", "leans_back", "worked_example", "course_words"} <= set(lists)
    for name, entry in lists.items():
        assert len(entry["why"]) > 40, name
        assert words(name), name


def test_an_opening_matches_whole_words_or_phrases_in_any_case(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    pattern = opening("openers", path)
    assert pattern.match("For example, a pay bill of £4 million")
    assert pattern.match("So the employer pays 5%.")
    assert not pattern.match("Some employers pay nothing.")  # "so" only as a whole word
    assert not pattern.match("The example below")  # only at the opening


def test_anywhere_finds_a_word_or_phrase_inside_a_text_whole(tmp_path: Path) -> None:
    pattern = anywhere("openers", write(tmp_path, GOOD))
    assert pattern.search("Costs vary: for example, the adult rate.")
    assert pattern.search("It is free, so apply now")
    assert not pattern.search("Some also apply")  # "so" only as a whole word


def test_the_course_finder_reads_its_words_from_the_file() -> None:
    from connector.courses.understand import COURSE_WORDS, FILLER, MONTHS

    assert COURSE_WORDS.search("any evening Classes in Harlow?")
    assert not COURSE_WORDS.search("any evening coursework help?")
    assert {"i'm", "part-time", "near"} <= FILLER
    assert MONTHS[0] == "january" and len(MONTHS) == 12


def test_the_shipped_openings_keep_what_the_composer_relies_on() -> None:
    assert opening("leans_back").match("They pay the rest.")
    assert opening("connective").match("However, small firms pay 5%.")
    assert opening("worked_example").match("Worked example: a pay bill of £4 million")
    assert not opening("cross_reference").match("Seeing a careers adviser is free.")


def test_words_are_stemmed_as_the_index_spells_them() -> None:
    # "Wales" and "Government" are broad places, as written or stemmed ("wale", "govern")
    assert {"wale", "govern"} <= word_tokens("broad_places")
    assert specific_terms("Is the levy the same in Wales? What does the Government pay?") == []


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ("lists: [unclosed", "cannot read"),
        ({"words": "a b"}, "needs a `lists` map"),
        ({"lists": {"openers": {"words": "so then"}}}, "'openers' needs a one-line `why`"),
        ({"lists": {"openers": {"why": "because", "words": []}}}, "'openers' needs `words`"),
        ({"lists": {"openers": {"why": "because", "words": [3]}}}, "'openers' needs `words`"),
    ],
)
def test_a_broken_file_is_a_configuration_error_naming_it(
    tmp_path: Path, data: object, complaint: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ConfigError, match=complaint) as raised:
        words("openers", path)
    assert str(path) in str(raised.value)


def test_an_unknown_list_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no word list named 'closers'"):
        words("closers", write(tmp_path, GOOD))
