"""Where a person's name shows in a message: after an introduction, in a sign-off, beside contact details.

    find_names("Hi, I'm Jane Smith from Acme. Thanks, Jane")  # -> [(8, 18), (38, 42)]

The cue words and the first names are data (corpus/privacy/). A name is only taken where the message
itself says it is one (an introduction, a sign-off) or where a known first name and a capitalised
surname stand beside an email or phone number, so places, course titles and sectors ("Anytown",
"Level 3 Team Leader", "Construction") come through: they are capitalised but never introduced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from connector.courses.places import Gazetteer
from connector.settings import PROJECT_ROOT

PRIVACY_DIR = PROJECT_ROOT / "corpus" / "privacy"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SURNAMES_AFTER_FIRST = 2  # "Mary Ann Smith-Jones": a first name and up to two more capitalised words
NEAR_CONTACT_CHARS = 40  # a name "beside" contact details: on the same line, within this many characters

Span = tuple[int, int]


@dataclass(frozen=True)
class NameCues:
    strong: re.Pattern[str]  # a name follows, capitalised or a known first name
    weak: re.Pattern[str]  # a name follows only if it is a capitalised known first name
    sign_off: re.Pattern[str]  # closing words; the name is what ends the line
    first_names: frozenset[str]
    not_names: frozenset[str]  # lower case: cue-following words that name things, and places


def _phrases(phrases: list[str]) -> str:
    """An alternation of cue phrases, longest first, matching either apostrophe and any spacing."""
    ordered = sorted({p.strip().lower() for p in phrases}, key=len, reverse=True)
    escaped = (re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+") for p in ordered)
    return "|".join(escaped)


@lru_cache(maxsize=2)
def load_cues(folder: Path = PRIVACY_DIR) -> NameCues:
    """The cue phrases and first names (read once per folder)."""
    data = yaml.safe_load((folder / "name_cues.yaml").read_text(encoding="utf-8"))
    lines = (folder / "first_names.txt").read_text(encoding="utf-8").splitlines()
    first = frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))
    places = frozenset(word for town in Gazetteer.load().towns for word in town.split())
    intro = data["introductions"]
    return NameCues(
        strong=re.compile(rf"(?<![\w'’])(?:{_phrases(intro['strong'])})[\s:,-]+", re.IGNORECASE),
        weak=re.compile(rf"(?<![\w'’])(?:{_phrases(intro['weak'])})[\s:,-]+", re.IGNORECASE),
        sign_off=re.compile(
            rf"(?:^|(?<=[\n.!?,;]))[ \t]*(?:{_phrases(data['sign_offs'])})"
            r"[ \t]*[,.!:;-]*[ \t]*(?:\n[ \t]*){0,2}",
            re.IGNORECASE,
        ),
        first_names=first,
        not_names=frozenset(w.lower() for w in data["not_names"]) | places,
    )


def find_names(text: str, contact_spans: list[Span] | None = None) -> list[Span]:
    """Character spans of the names in `text`, merged and in order; `contact_spans` are where emails or
    phone numbers were found (a first and last name beside one is taken)."""
    cues = load_cues()
    spans = [
        *_introduced(text, cues),
        *_signed(text, cues),
        *_beside_contacts(text, cues, contact_spans or []),
    ]
    return _merged(spans)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()  # "Jane", "McKay"; not "I", "GCSE" or "NHS"


def _name_from(text: str, start: int, cues: NameCues, strong: bool) -> Span | None:
    """The name starting at `start` (a first name and following capitalised words), if there is one."""
    first = WORD.match(text, start)
    if first is None or first.group().lower() in cues.not_names:
        return None
    word = first.group()
    known = word.lower().strip("'’") in cues.first_names
    if not (known and _is_capitalised(word) or strong and (known or _is_capitalised(word))):
        return None
    end = first.end()
    for _ in range(SURNAMES_AFTER_FIRST):
        following = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        if following is None or not _is_capitalised(following.group()):
            break
        if following.group().lower() in cues.not_names or len(following.group()) < 2:
            break
        end = following.end()
    return (first.start(), end)


def _introduced(text: str, cues: NameCues) -> Iterator[Span]:
    for pattern, strong in ((cues.strong, True), (cues.weak, False)):
        for cue in pattern.finditer(text):
            span = _name_from(text, cue.end(), cues, strong)
            if span:
                yield span


def _signed(text: str, cues: NameCues) -> Iterator[Span]:
    """A capitalised name that ends its line (or the message) right after closing words."""
    for cue in cues.sign_off.finditer(text):
        span = _name_from(text, cue.end(), cues, strong=True)
        if span and re.match(r"[ \t.!]*(?:\n|$)", text[span[1] :]):
            yield span


def _beside_contacts(text: str, cues: NameCues, contacts: list[Span]) -> Iterator[Span]:
    """A known first name with a capitalised surname on the same line as, and close to, contact details."""
    for match in WORD.finditer(text):
        span = _name_from(text, match.start(), cues, strong=False)
        if span is None or span[1] == match.end():  # a first name alone is too weak a signal here
            continue
        if any(_close(text, span, contact) for contact in contacts):
            yield span


def _close(text: str, span: Span, contact: Span) -> bool:
    left, right = (span[1], contact[0]) if span[1] <= contact[0] else (contact[1], span[0])
    gap = text[left:right] if left <= right else ""
    return len(gap) <= NEAR_CONTACT_CHARS and "\n" not in gap


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
