"""The tokenizer behind BM25 and the word-overlap checks: Snowball stems, stopwords, codes and figures."""

from __future__ import annotations

import threading

import pytest

from connector.lexical import stem, tokenize


@pytest.mark.parametrize(
    ("word", "same_as"),
    [
        ("caring", "care"),
        ("classes", "class"),
        ("nursing", "nurse"),
        ("nurses", "nurse"),
        ("courses", "course"),
        ("funding", "funded"),
        ("apprenticeships", "apprenticeship"),
        ("fees", "fee"),
        ("jobs", "job"),
        ("levies", "levy"),
        ("qualifications", "qualification"),
    ],
)
def test_inflected_forms_share_a_stem(word: str, same_as: str) -> None:
    assert stem(word) == stem(same_as)


def test_the_light_stemmers_mistakes_are_gone() -> None:
    # The hand-written stemmer made "caring" "car", "classes" "classe", and "nursing" and "nurse" differ.
    assert stem("caring") == "care" and stem("caring") != stem("car")
    assert stem("classes") == "class"
    assert stem("nursing") == stem("nurse")
    assert tokenize("caring for cars") == ["care", "car"]


def test_codes_and_figures_are_not_stemmed() -> None:
    assert [stem(token) for token in ("st0116", "£3m", "0.5%", "el3", "2026")] == [
        "st0116",
        "£3m",
        "0.5%",
        "el3",
        "2026",
    ]


def test_stopwords_are_dropped_and_figures_and_codes_kept() -> None:
    assert tokenize("What is the levy for a £3m pay bill?") == [stem("levy"), "£3m", "pay", "bill"]
    tokens = tokenize("Course code EL3-BAS-2627 costs £2,150")
    assert "el3-bas-2627" in tokens and "el3" in tokens and "£2" in tokens


def test_a_word_that_stems_to_a_stopword_is_dropped_too() -> None:
    assert tokenize("having doing gets") == []


def test_typographic_apostrophe_and_possessive() -> None:
    assert tokenize("the college’s nursing courses") == [stem("college"), stem("nurse"), stem("course")]


def test_stems_are_the_same_from_many_threads() -> None:
    words = ["caring", "classes", "nursing", "apprenticeships", "qualifications"] * 200
    expected = [stem(word) for word in words]
    stem.cache_clear()
    results: list[list[str]] = []

    def work() -> None:
        results.append([stem(word) for word in words])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
