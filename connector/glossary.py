"""The words a question and a page use for the same thing, from corpus/glossary/:

- `acronyms.yaml`: acronyms and their long forms, both ways: "EV maintenance" finds "Electric vehicle
  maintenance", and a page that writes "heavy goods vehicle" answers a question about an "HGV course";
- `everyday.yaml`: everyday words and the words provider pages use, one way: "fixing cars" also
  searches for "motor vehicle", "the apprentice's salary" for "wages".

    expanded("any EV courses for fixing cars?")
    # 'any EV courses for fixing cars? (electric vehicle; vehicle; motor vehicle)'
    written_in("HGV", "Heavy goods vehicle driving, category C")   # True
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

GLOSSARY_DIR = PROJECT_ROOT / "corpus" / "glossary"
ACRONYMS = GLOSSARY_DIR / "acronyms.yaml"
EVERYDAY = GLOSSARY_DIR / "everyday.yaml"
# An acronym as typed: two to seven letters, capitals except perhaps small ones inside ("DfE").
TYPED = re.compile(r"\b[A-Z][A-Za-z]{0,5}[A-Z]s?\b")


@cache
def _read(path: Path) -> dict[str, tuple[str, ...]]:
    """A glossary file: each term with a list of other forms, read once. A missing file is an empty
    glossary (a deployment may remove one); an unreadable or malformed one is a configuration error."""
    if not path.exists():
        log.warning("glossary file missing, not used path=%s", path)
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the glossary: {error}") from error
    if not isinstance(raw, dict) or not all(isinstance(forms, list) for forms in raw.values()):
        raise ConfigError(f"{path}: each term needs a list of other forms")
    return {str(term): tuple(str(form) for form in forms) for term, forms in raw.items()}


@cache
def glossary(path: Path = ACRONYMS) -> dict[str, tuple[str, ...]]:
    """Acronym (upper case) -> its long forms (built once: the focus check asks for each word)."""
    return {term.upper(): forms for term, forms in _read(path).items()}


@cache
def everyday(path: Path = EVERYDAY) -> dict[str, tuple[str, ...]]:
    """Everyday word or phrase (lower case) -> the words pages use for it."""
    return {term.lower(): forms for term, forms in _read(path).items()}


def typed_acronyms(text: str) -> list[str]:
    """The glossary's acronyms the text types, upper case, in order ("EVs" counts as "EV")."""
    known = glossary()
    found = (
        word.upper() if word.upper() in known else word.upper().removesuffix("S")
        for word in TYPED.findall(text)
    )
    return list(dict.fromkeys(acronym for acronym in found if acronym in known))


def expanded(text: str, everyday_words: bool = True) -> str:
    """The text with other forms of its words added in brackets, for searching: the long forms of the
    acronyms it types, the acronyms of the long forms it writes, and (unless everyday_words is False)
    the page words for its everyday words."""
    lowered = text.lower()
    extra = [form for acronym in typed_acronyms(text) for form in glossary()[acronym]]
    extra += [
        acronym
        for acronym, forms in glossary().items()
        if any(_contains(lowered, form.lower()) for form in forms) and acronym.lower() not in lowered
    ]
    if everyday_words:
        extra += [form for forms in everyday_in(text).values() for form in forms]
    extra = [form for form in dict.fromkeys(extra) if not _contains(lowered, form.lower())]
    return f"{text} ({'; '.join(extra)})" if extra else text


def everyday_in(text: str) -> dict[str, tuple[str, ...]]:
    """The everyday words and phrases the text uses, each with the words pages use for it."""
    lowered = text.lower()
    return {term: forms for term, forms in everyday().items() if _contains(lowered, term, plural=True)}


def written_in(acronym: str, text: str) -> bool:
    """The text writes the acronym's long form (any case): "Electric vehicle" for "EV"."""
    lowered = text.lower()
    return any(_contains(lowered, form.lower()) for form in glossary().get(acronym.upper(), ()))


def _contains(text: str, phrase: str, plural: bool = False) -> bool:
    """The phrase as whole words; with `plural`, also its plural ("welders" for "welder")."""
    return _whole(phrase, plural).search(text) is not None


@lru_cache(maxsize=8192)
def _whole(phrase: str, plural: bool) -> re.Pattern[str]:
    """Compiled once per glossary phrase: every question looks for each of them."""
    ending = r"(?:s|es)?" if plural else ""
    return re.compile(r"\b" + re.escape(phrase) + ending + r"\b")
