"""Acronyms and their long forms (corpus/glossary/acronyms.yaml), so a question and a page that use
different forms still meet: "EV maintenance" finds "Electric vehicle maintenance", and a page that writes
"heavy goods vehicle" answers a question about an "HGV course".

    expanded("any EV courses?")            # 'any EV courses? (electric vehicle)'
    written_in("HGV", "Heavy goods vehicle driving, category C")   # True
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

GLOSSARY = PROJECT_ROOT / "corpus" / "glossary" / "acronyms.yaml"
# An acronym as typed: two to seven letters, capitals except perhaps one small letter ("DfE").
TYPED = re.compile(r"\b[A-Z][A-Za-z]{0,5}[A-Z]s?\b")


@cache
def glossary(path: Path = GLOSSARY) -> dict[str, tuple[str, ...]]:
    """Acronym (as typed, upper case) -> its long forms, read once."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the acronym glossary: {error}") from error
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise ConfigError(f"{path}: each acronym needs a list of long forms")
    return {str(key).upper(): tuple(str(form) for form in forms) for key, forms in raw.items()}


def typed_acronyms(text: str) -> list[str]:
    """The glossary's acronyms the text types, upper case, in order ("EVs" counts as "EV")."""
    known = glossary()
    found = (
        match.upper().removesuffix("S") if match.upper() not in known else match.upper()
        for match in TYPED.findall(text)
    )
    return list(dict.fromkeys(acronym for acronym in found if acronym in known))


def expanded(text: str) -> str:
    """The text with the long forms of the acronyms it types, and the acronyms of the long forms it
    writes, added in brackets: a search query that matches pages using either form."""
    lowered = text.lower()
    extra = [form for acronym in typed_acronyms(text) for form in glossary()[acronym]]
    extra += [
        acronym
        for acronym, forms in glossary().items()
        if any(_contains(lowered, form.lower()) for form in forms) and acronym.lower() not in lowered
    ]
    return f"{text} ({'; '.join(dict.fromkeys(extra))})" if extra else text


def written_in(acronym: str, text: str) -> bool:
    """The text writes the acronym's long form (any case): "Electric vehicle" for "EV"."""
    lowered = text.lower()
    return any(_contains(lowered, form.lower()) for form in glossary().get(acronym.upper(), ()))


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"\b" + re.escape(phrase) + r"\b", text) is not None
