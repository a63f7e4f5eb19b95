"""The English word lists the answer path still uses, read from corpus/answering/words.yaml.

Each list there carries one line on why it stays (what it does, and what the sealed sets and the gauge
showed when it was taken out), so a list can be reviewed, adapted or retired without reading the code.

    word_tokens("not_the_focus")       # frozenset({'tell', 'know', ...}), stemmed as the index spells them
    opening("leans_back").match("They pay the rest.")   # a match: the sentence leans on the one before
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from connector.data_files import data_mapping
from connector.errors import ConfigError
from connector.lexical import tokenize
from connector.settings import PROJECT_ROOT

WORDS_FILE = PROJECT_ROOT / "corpus" / "answering" / "words.yaml"


@cache
def _lists(path: Path = WORDS_FILE) -> dict[str, tuple[str, ...]]:
    """Every list in the file, checked once: a name, a `why` and its words (a string of single words, or a
    list of words and phrases). The file ships with the product, so a missing or malformed one stops
    start-up with its path rather than answering with rules quietly gone."""
    _, named = data_mapping(
        path, "the answer path's word lists", "lists", "needs a `lists` map of named word lists"
    )
    lists: dict[str, tuple[str, ...]] = {}
    for name, entry in named.items():
        if not isinstance(entry, dict) or not str(entry.get("why") or "").strip():
            raise ConfigError(f"{path}: list {name!r} needs a one-line `why`")
        words = entry.get("words")
        if isinstance(words, str):
            lists[str(name)] = tuple(words.split())
        elif isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words):
            lists[str(name)] = tuple(w.strip() for w in words)
        else:
            raise ConfigError(f"{path}: list {name!r} needs `words`: a string of words or a list of phrases")
    return lists


def words(name: str, path: Path = WORDS_FILE) -> tuple[str, ...]:
    """One list's words and phrases, in the file's order."""
    lists = _lists(path)
    if name not in lists:
        raise ConfigError(f"{path}: no word list named {name!r}")
    return lists[name]


def word_set(name: str, path: Path = WORDS_FILE) -> frozenset[str]:
    """One list's words, lower-cased, as a set."""
    return frozenset(word.lower() for word in words(name, path))


def word_tokens(name: str, path: Path = WORDS_FILE) -> frozenset[str]:
    """One list's words as the lexical index spells them (stems: "requirements" -> "requir")."""
    return frozenset(token for word in words(name, path) for token in tokenize(word))


def _alternatives(name: str, path: Path) -> str:
    return "|".join(re.escape(phrase) for phrase in words(name, path))


@cache
def opening(name: str, path: Path = WORDS_FILE) -> re.Pattern[str]:
    """A pattern matching a sentence that opens with one of the list's words or phrases, whole, in any
    case ("However, ..." but not "Howevers")."""
    return re.compile(rf"^(?:{_alternatives(name, path)})\b", re.IGNORECASE)


@cache
def anywhere(name: str, path: Path = WORDS_FILE) -> re.Pattern[str]:
    """A pattern finding one of the list's words or phrases anywhere in a text, whole, in any case."""
    return re.compile(rf"\b(?:{_alternatives(name, path)})\b", re.IGNORECASE)
