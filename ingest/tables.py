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
is read as a table only when its columns line up and its rows give figures (see `_body_cells`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line with two cells or more: text, a run of two spaces or more, text.
SPACED_CELLS = re.compile(r"\S {2,}\S")
# A cell that is only a figure ("1,420", "-3%", "£640,000", "2025/26"): a header row has none.
FIGURE_CELL = re.compile(r"^[-+]?[£$€]?\d[\d,./]*(?:%|k|m|bn)?$")
# A year or a year's span ("2026", "2025/26", "2024-2025"), as a column header names one.
YEAR_CELL = re.compile(r"^(?:19|20)\d\d(?:[/-](?:\d\d|(?:19|20)\d\d))?$")
# One cell: text with single spaces inside ("Health and social care").
CELL = re.compile(r"\S+(?: \S+)*")
# How far a column's cells may stray from flush (a hand-set table is often a space out).
ALIGN_SLACK = 2
# A header and two rows at least: two lines with double spaces at the same places may be prose.
MIN_TABLE_LINES = 3
# Lines of column headers above the first row that gives a figure.
MAX_HEADER_LINES = 3
# Rows that must give a figure after their label: a row may say "Not eligible" or "n/a" throughout.
FIGURE_ROW_SHARE = 2 / 3
# How much nearer to its column's cells than to any other's a header cell must stand, in character
# places of the printed layout (a header over a group of columns stands as near to two).
HEADER_MARGIN = 3


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
    """The blocks of space-set lines that read as tables, each with its readable rows.

    A block may hold one blank line between two of its lines: a table whose rows are padded prints a
    blank line between them. (A header cell wrapped onto a line of its own, a single cell, ends the
    block: taking it in was measured and not kept, docs/decisions/answering.md step 24.)"""
    found: list[SpacedTable] = []
    block: list[int] = []  # the block's lines (indexes), blank ones left out
    for index, line in enumerate([*lines, ""]):
        if block and _continues(lines, block, index, line):
            if line.strip():
                block.append(index)
            continue
        if len(block) >= MIN_TABLE_LINES and (table := _table([lines[i] for i in block])):
            skipped, rows = table
            found.append(SpacedTable(block[skipped], block[-1] + 1, rows))
        block = [index] if SPACED_CELLS.search(line.strip()) else []
    return found


def _continues(lines: list[str], block: list[int], index: int, line: str) -> bool:
    """Whether the line belongs to the block that has run up to it: a space-set line, or the first blank
    line after one (a second, or the end of the page, closes the block)."""
    if SPACED_CELLS.search(line.strip()):
        return True
    return not line.strip() and index < len(lines) and block[-1] == index - 1


def _cells_at(line: str) -> list[tuple[int, str]]:
    """The line's cells, each with the column it starts at."""
    return [(m.start(), m.group()) for m in CELL.finditer(line)]  # a cell never ends in a space


def _table(block: list[str]) -> tuple[int, list[str]] | None:
    """How many of the block's first lines are not the table's, and the table's readable rows; None when
    the lines are no table. Lines above the first row of figures are its header, from the nearest
    MAX_HEADER_LINES up as far as they read as one (a line of justified prose above a table may be set
    with wide spaces too; a header over groups of columns is left out, see _header)."""
    rows = [_cells_at(line) for line in block]
    # A header may name years ("2024/25  2025/26"); the rows below give the counts.
    first_body = next((i for i, row in enumerate(rows) if _has_figure(row, years=False)), None)
    if first_body is None:
        first_body = next((i for i, row in enumerate(rows) if _has_figure(row)), None)
    if first_body is None:
        return None
    body = _body_cells(rows[first_body:])
    if body is None:
        return None
    for skipped in range(max(0, first_body - MAX_HEADER_LINES), first_body + 1):
        if len(block) - skipped < MIN_TABLE_LINES:
            return None
        header = _header(rows[skipped:first_body], rows[first_body:])
        if header is None:
            continue
        if not header and _contents_list(body):
            return None
        return skipped, readable_rows([header, *body] if header else body, has_header=bool(header))
    return None


def _contents_list(body: list[list[str]]) -> bool:
    """Titles, each with a page number rising down the list: a contents page, not a table."""
    pages = [row[-1] for row in body]
    if len(body[0]) != 2 or not all(page.isdigit() for page in pages):
        return False
    numbers = [int(page) for page in pages]
    return numbers == sorted(numbers)


def _has_figure(row: list[tuple[int, str]], years: bool = True) -> bool:
    """Whether a cell after the row's label is a figure (with `years` False, one that is not a year)."""
    figures = [text for _, text in row[1:] if FIGURE_CELL.match(text)]
    return len(row) >= 2 and any(years or not YEAR_CELL.match(text) for text in figures)


def _body_cells(rows: list[list[tuple[int, str]]]) -> list[list[str]] | None:
    """Each body row's cells when the rows read as a table: every row has the same number of cells, most
    rows give a figure after their label, and each column after the first is set flush left or flush
    right (a contents list, whose page numbers just follow their titles, is not a table; nor is a page
    of two columns of prose that the PDF's text runs side by side, whose lines give no figures)."""
    width = len(rows[0])
    if width < 2 or len(rows) < 2 or any(len(row) != width for row in rows):
        return None
    with_figures = sum(_has_figure(row) for row in rows)
    if with_figures < 2 or with_figures < FIGURE_ROW_SHARE * len(rows):
        return None
    for column in range(1, width):
        starts = {row[column][0] for row in rows}
        ends = {row[column][0] + len(row[column][1]) for row in rows}
        if max(starts) - min(starts) > ALIGN_SLACK and max(ends) - min(ends) > ALIGN_SLACK:
            return None
    return [[text for _, text in row] for row in rows]


def _header(lines: list[list[tuple[int, str]]], body: list[list[tuple[int, str]]]) -> list[str] | None:
    """The column headers of up to MAX_HEADER_LINES lines above the body; [] when there are none.

    One line with a cell for each column is the header as it stands. Otherwise each header cell goes to
    the column whose cells it stands nearest, clearly nearer than to any other (a header wrapped over two
    lines joins up again, and the label column's header may be missing); a cell as near two columns is
    centred over them and heads the group, which rows of "header: value" cannot say, so these lines are
    no header (None)."""
    if not lines:
        return []
    width = len(body[0])
    if len(lines) == 1 and len(lines[0]) == width:
        return [text for _, text in lines[0]]
    spans = [
        (min(row[c][0] for row in body), max(row[c][0] + len(row[c][1]) for row in body))
        for c in range(width)
    ]
    header: list[list[str]] = [[] for _ in range(width)]
    for line in lines:
        for start, text in line:
            end = start + len(text)
            # How far the cell stands from each column's cells (0 when it reaches over them).
            apart = sorted((max(0, left - end, start - right), c) for c, (left, right) in enumerate(spans))
            if len(apart) > 1 and apart[1][0] - apart[0][0] < HEADER_MARGIN:
                return None
            header[apart[0][1]].append(text)
    return [" ".join(parts) for parts in header]
