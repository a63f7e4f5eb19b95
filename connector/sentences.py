"""Splitting retrieved passages into clean sentences, keeping their words, numbers and dates exactly.

split_sentences("Bands run from **£1,500** to **£27,000**. Skills England sets them.")
# -> ["Bands run from £1,500 to £27,000.", "Skills England sets them."]

Within a paragraph, sentences end where Punkt (Kiss & Strunk's sentence splitter, English model, with
its list of abbreviations that never end a sentence) says: "Contact Dr. Smith at St. Albans campus.",
"e.g. Level 3", "No. 5", "approx. 20" and "£1.5 million" stay whole. Lists, table rows, "Label: value"
lines and titles are found from the Markdown and the line breaks first, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

import punkt

from connector.links import MARKDOWN_LINK

EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|`)")
BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")
# Sentence boundaries inside a paragraph; the model is loaded once, here (about 30 ms). Splitting costs
# some 15 µs of CPU a paragraph on average (most have no full stop inside and skip it): on the corpus and
# the college site, 1.3 ms more than the old regex for a question's 30 passages, and none for a passage
# already split (the cache below).
SENTENCE_SPLITTER = punkt.tokenizer_for("english", prefixes=True)
# The space after a full stop, ! or ?: a rough split of a short text (a question, a paragraph to check)
# where an abbreviation cutting it in two does no harm.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
# A full stop, ! or ? (perhaps closing a quote or bracket) with more text after it: a paragraph without one
# is a single sentence, and most paragraphs of a web page (field lines, list items) are.
INNER_STOP = re.compile(r"[.!?][\"')\]]*\s+\S")
# Passages whose units are kept: the same passages come back question after question.
UNIT_CACHE_SIZE = 4096
# A "Label: value" line from a web page's details list or table ("Adult fee 2026-27: £2,150",
# "Course code: PL2-HAR-2627; Campus: Anytown; ..."): a unit of its own, never a wrapped line.
FIELD_LINE = re.compile(r"^[A-Z][\w ()'/&,.-]{0,40}:\s+\S")
# The longest "Label: value" paragraph kept as one unit however many sentences it holds.
FIELD_MAX_CHARS = 240
TITLE_MAX_WORDS = 12
TITLE_CASE_SHARE = 0.6
MIN_WORDS = 4
MAX_CHARS = 800


def plain(text: str) -> str:
    """Markdown emphasis and link syntax removed; the words themselves untouched."""
    text = MARKDOWN_LINK.sub(r"\2", text)  # a link becomes its text
    return EMPHASIS.sub("", text)


def _table_row(line: str) -> str | None:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if all(set(cell) <= set("-: ") for cell in cells):
        return None  # the |---|---| separator
    return " – ".join(cell for cell in cells if cell)


def capitalised_share(text: str) -> float:
    """Share of the words that start with a capital or a digit (a title's words mostly do)."""
    words = text.split()
    return sum(1 for word in words if word[:1].isupper() or word[:1].isdigit()) / len(words) if words else 0.0


def _title_like(line: str) -> bool:
    """A short line, mostly capitalised words, with no sentence punctuation: a heading or a link."""
    words = line.split()
    if not words or len(words) > TITLE_MAX_WORDS or re.search(r"[.!?:;,]$", line.strip()):
        return False
    return capitalised_share(line) >= TITLE_CASE_SHARE


def _lines(text: str) -> list[tuple[str, bool, bool, bool]]:
    """Non-empty lines as (text, starts a new block, is a list item, is a numbered item)."""
    lines: list[tuple[str, bool, bool, bool]] = []
    new_block = True
    for raw in text.splitlines():
        if not raw.strip() or HEADING.match(raw):
            new_block = True
            continue
        if raw.lstrip().startswith("|"):
            row = _table_row(raw)
            if row:
                lines.append((row, True, False, False))
            new_block = True
            continue
        is_item = bool(BULLET.match(raw))
        numbered = bool(NUMBERED.match(raw))
        field = bool(FIELD_LINE.match(raw.strip()))
        lines.append((BULLET.sub("", raw).strip(), new_block or is_item or field, is_item, numbered))
        # The line after a field, a finished sentence or a title-like line is not its continuation: web
        # pages give each block its own line, and a wrapped line of a guide ends mid-sentence.
        new_block = field or raw.rstrip().endswith((".", "!", "?", ":")) or _title_like(raw)
    return lines


def _paragraphs(lines: list[tuple[str, bool, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """(paragraph, is a list item, is numbered): a line that does not start a block continues a wrapped
    paragraph."""
    merged: list[tuple[str, bool, bool]] = []
    for line, starts_block, is_item, numbered in lines:
        if merged and not starts_block:
            merged[-1] = (f"{merged[-1][0]} {line}", *merged[-1][1:])
        else:
            merged.append((line, is_item, numbered))
    return merged


def split_sentences(text: str) -> list[str]:
    """Readable sentences of a passage, in order, without markdown markup.

    A list stays with the line that introduces it ("You can: - transfer ...; - start ..."), so an item
    keeps the words that say what it is about.
    """
    return [sentence for sentence, _ in split_units(text)]


def split_units(text: str) -> list[tuple[str, bool]]:
    """Like split_sentences, each with whether it is a numbered item standing without its lead-in line (a
    step of a procedure: "3. Advertise on Find an apprenticeship and interview.")."""
    return list(_units(text))


def paragraph_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, each exactly as written (an abbreviation's full stop, a decimal
    point or a closing quote or bracket does not cut a sentence)."""
    if not INNER_STOP.search(paragraph):
        return [paragraph.strip()]  # one sentence at most: no need to ask the splitter
    spans = SENTENCE_SPLITTER.span_tokenize(paragraph)
    return [piece for start, end in spans if (piece := paragraph[start:end].strip())]


@lru_cache(maxsize=UNIT_CACHE_SIZE)
def _units(text: str) -> tuple[tuple[str, bool], ...]:
    units: list[tuple[str, bool]] = []
    in_list = False
    for paragraph, is_item, numbered in _paragraphs(_lines(plain(text))):
        joins_list = is_item and units and (in_list or units[-1][0].endswith(":"))
        if joins_list and len(units[-1][0]) + len(paragraph) < MAX_CHARS:
            units[-1] = (f"{units[-1][0]} {paragraph}", False)
            in_list = True
            continue
        in_list = False
        # A short "Label: value" paragraph is about its label throughout ("Dunholme: Dunholme Library.
        # The second Thursday of each month."): cut apart, its later sentences would lose what they are of.
        whole = bool(FIELD_LINE.match(paragraph)) and len(paragraph) <= FIELD_MAX_CHARS
        pieces = [paragraph.strip()] if whole else paragraph_sentences(paragraph)
        units.extend((piece, numbered and i == 0) for i, piece in enumerate(pieces))
    return tuple((unit, step) for unit, step in units if _long_enough(unit) and len(unit) <= MAX_CHARS)


def _long_enough(unit: str) -> bool:
    """A sentence of at least MIN_WORDS words, or a "Label: value" line ("Course code: IT3-CHE-2627",
    "Campus: Anytown"), which says in two words what a sentence needs more for."""
    return len(unit.split()) >= MIN_WORDS or bool(FIELD_LINE.match(unit))
