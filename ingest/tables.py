"""Tables as readable rows, whatever they came from, so each row carries its column headers.

A row cut out of its table ("Construction and the built environment 1,420 -3%") says nothing about what
its figures count; "Sector: Construction and the built environment; Postings Jul-Sep 2026: 1,420; Change
on a year earlier: -3%" does, to the search, the passage model and the composer alike.

    readable_rows([["Sector", "Postings"], ["Education", "1,610"]], has_header=True)
    # ["Sector: Education; Postings: 1,610"]
    spaced_tables(["Sector       Postings", "Education       1,610", "Retail          2,140", "A sentence."])
    # [SpacedTable(start=0, end=3, rows=["Sector: Education; Postings: 1,610", "Sector: Retail; ..."])]

A PDF's text laid out as printed (pypdf's layout mode) gives a table as lines whose cells are set apart by
runs of two spaces or more; a cell holds single spaces ("Health and social care"). A block of such lines
is read as a table only when its columns line up and its rows give figures (see `_cells`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line with two cells or more: text, a run of two spaces or more, text.
SPACED_CELLS = re.compile(r"\S {2,}\S")
# A cell that is only a figure ("1,420", "-3%", "£640,000", "2025/26"): a header row has none.
FIGURE_CELL = re.compile(r"^[-+]?[£$€]?\d[\d,./]*(?:%|k|m|bn)?$")
# One cell: text with single spaces inside ("Health and social care").
CELL = re.compile(r"\S+(?: \S+)*")
# How far a column's cells may stray from flush (a hand-set table is often a space out).
ALIGN_SLACK = 2
# A header and two rows at least: two lines with double spaces at the same places may be prose.
MIN_TABLE_LINES = 3


def readable_rows(cells: list[list[str]], has_header: bool) -> list[str]:
    """ "Header: value; ..." rows when the first row is a header, else "label: value" for two columns
    and "a | b | c" for more."""
    cells = [row for row in cells if any(row)]
    if has_header and len(cells) > 1 and len(cells[0]) > 1:
        header, body = cells[0], cells[1:]
        return [
            "; ".join(f"{h}: {v}" if h else v for h, v in zip(header, row, strict=False) if v) for row in body
        ]
    if cells and all(len(row) == 2 for row in cells):
        return [f"{a}: {b}" if a and b else a or b for a, b in cells]
    return [" | ".join(row) for row in cells]


@dataclass(frozen=True)
class SpacedTable:
    start: int  # the first and one past the last of its lines, in the lines it was found in
    end: int
    rows: list[str]  # readable rows


def spaced_tables(lines: list[str]) -> list[SpacedTable]:
    """The blocks of space-set lines that read as tables, each with its readable rows."""
    found: list[SpacedTable] = []
    start = 0
    for index, line in enumerate([*lines, ""]):
        if SPACED_CELLS.search(line.strip()):
            continue
        if index - start >= MIN_TABLE_LINES and (rows := _table(lines[start:index])):
            found.append(SpacedTable(start, index, rows))
        start = index + 1
    return found


def _table(block: list[str]) -> list[str]:
    """The block's readable rows, or nothing when its lines do not line up in columns."""
    cells = _cells([line.rstrip() for line in block])
    if cells is None:
        return []
    has_header = not any(FIGURE_CELL.match(cell) for cell in cells[0])
    return readable_rows(cells, has_header)


def _cells(block: list[str]) -> list[list[str]] | None:
    """Each line's cells when the block reads as a table: every line has the same number of cells, every
    row below the first gives a figure after its label, and each column after the first is set flush left
    or flush right in those rows (a contents list, whose page numbers just follow their titles, is not a
    table; nor is a page of two columns of prose that the PDF's text runs side by side)."""
    rows = [[(m.start(), m.group()) for m in CELL.finditer(line)] for line in block]
    width = len(rows[0])
    if width < 2 or any(len(row) != width for row in rows):
        return None
    if not all(any(FIGURE_CELL.match(text) for _, text in row[1:]) for row in rows[1:]):
        return None  # every row of a report's table gives a figure; two columns of prose do not
    for column in range(1, width):
        starts = {row[column][0] for row in rows[1:]}
        ends = {row[column][0] + len(row[column][1]) for row in rows[1:]}
        if max(starts) - min(starts) > ALIGN_SLACK and max(ends) - min(ends) > ALIGN_SLACK:
            return None
    return [[text for _, text in row] for row in rows]
