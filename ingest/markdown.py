"""Markdown to sections along its headings, as plain readable text.

    sections = markdown_sections(body)

Links keep their text, emphasis marks go, wrapped lines of a paragraph are joined; list items and table
rows stay one per line (table separator rows are dropped).
"""

from __future__ import annotations

import re

from connector.types import Section

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def inline_markdown(text: str) -> str:
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    return " ".join(_EMPHASIS.sub("", text).split())


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs joined, list items and table rows kept as lines."""
    blocks: list[str] = []
    paragraph: list[str] = []
    for line in lines:
        if not line.strip() or _LIST_ITEM.match(line) or line.lstrip().startswith("|"):
            if paragraph:
                blocks.append(inline_markdown(" ".join(paragraph)))
                paragraph = []
            if line.strip() and not _TABLE_SEPARATOR.match(line):
                stripped = line.strip().strip("|") if line.lstrip().startswith("|") else line.rstrip()
                blocks.append(inline_markdown(stripped) if not _LIST_ITEM.match(line) else _list_line(line))
        else:
            paragraph.append(line.strip())
    if paragraph:
        blocks.append(inline_markdown(" ".join(paragraph)))
    return [b for b in blocks if b]


def _list_line(line: str) -> str:
    indent = (len(line) - len(line.lstrip())) // 2
    return "  " * min(indent, 4) + "- " + inline_markdown(_LIST_ITEM.sub("", line, count=1))


def markdown_sections(body: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(_blocks(lines))
        if text:
            sections.append(Section(heading_path=[t for _, t in stack], text=text))
        lines.clear()

    for line in _HTML_COMMENT.sub("", body).splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, inline_markdown(heading.group(2))))
        else:
            lines.append(line)
    flush()
    return sections
