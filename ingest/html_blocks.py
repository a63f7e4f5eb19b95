"""Walk cleaned HTML content and yield readable blocks: headings, paragraphs, list items, table rows.

    for level, text in content_blocks(main):   # level 1-6 for a heading, 0 for text
        ...

Tables become "Header: value; Header: value" rows (or "a | b | c" rows without a header row); list items
become "- item". Deeply nested markup is read as plain text below a depth limit, never recursed into.
"""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from ingest.decode import clean_text
from ingest.tables import readable_rows

HEADINGS = {f"h{n}": n for n in range(1, 7)}
LEAF_BLOCKS = {"p", "pre", "dt", "dd", "figcaption", "address", "caption", "summary", "td", "th"}
BLOCKS = {
    *HEADINGS, *LEAF_BLOCKS, "div", "section", "article", "main", "blockquote", "ul", "ol", "li", "dl",
    "table", "figure", "details", "header", "footer", "body", "fieldset", "hr", "br",
}  # fmt: skip
MAX_DEPTH = 60
MAX_CELLS = 20


def inline_text(tag: Tag) -> str:
    """The visible text of an element on one line, whitespace collapsed."""
    return " ".join(clean_text(tag.get_text("")).split())


def _direct_text(tag: Tag) -> str:
    """Text of an element without its nested lists (for list items)."""
    parts = []
    for child in tag.children:
        if isinstance(child, Tag) and child.name not in ("ul", "ol"):
            parts.append(child.get_text(""))
        elif isinstance(child, NavigableString) and not isinstance(
            child, Comment | Doctype | ProcessingInstruction
        ):
            parts.append(str(child))
    return " ".join(clean_text("".join(parts)).split())


def table_rows(table: Tag) -> list[str]:
    """Readable rows: 'Header: value; ...' when the table has a header row, else 'a | b | c'."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [
        [inline_text(c) for c in row.find_all(["th", "td"], recursive=False)][:MAX_CELLS] for row in rows
    ]
    cells = [row for row in cells if any(row)]
    if not cells:
        return []
    first = rows[0].find_all(["th", "td"], recursive=False)
    has_header = table.find("thead") is not None or all(c.name == "th" for c in first)
    return readable_rows(cells, has_header)


def _list_items(tag: Tag, depth: int) -> Iterator[tuple[int, str]]:
    indent = "  " * min(depth, 4)
    for item in tag.find_all("li", recursive=False):
        text = _direct_text(item)
        if text:
            yield 0, f"{indent}- {text}"
        for nested in item.find_all(["ul", "ol"], recursive=False):
            yield from _list_items(nested, depth + 1)


def content_blocks(root: Tag, depth: int = 0) -> Iterator[tuple[int, str]]:
    """(heading level or 0, text) in document order."""
    inline: list[str] = []
    for child in root.children:
        if isinstance(child, Tag) and child.name in BLOCKS:
            if inline and (text := " ".join(clean_text("".join(inline)).split())):
                yield 0, text
            inline.clear()
            yield from _block(child, depth)
        elif isinstance(child, Tag):
            inline.append(child.get_text(""))
        elif isinstance(child, NavigableString) and not isinstance(
            child, Comment | Doctype | ProcessingInstruction
        ):
            inline.append(str(child))
    if inline and (text := " ".join(clean_text("".join(inline)).split())):
        yield 0, text


def _block(tag: Tag, depth: int) -> Iterator[tuple[int, str]]:
    if tag.name in HEADINGS:
        if text := inline_text(tag):
            yield HEADINGS[tag.name], text[:200]
    elif tag.name == "table":
        for row in table_rows(tag):
            yield 0, row
    elif tag.name in ("ul", "ol"):
        yield from _list_items(tag, 0)
    elif tag.name in LEAF_BLOCKS or depth >= MAX_DEPTH:
        if text := inline_text(tag):
            yield 0, text
    else:
        yield from content_blocks(tag, depth + 1)
