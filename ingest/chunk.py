"""Split a Page into passages that fit the embedding model, along its headings.

    chunks = split_into_chunks(page, embedder.count_tokens, settings.chunk_max_tokens)

Each chunk's text is at most `max_tokens` word pieces, and its embedding text (page title > heading path,
newline, text) at most 254 (the model's 256 minus its two markers), counted by the model's own tokenizer.
Long sections are split at paragraph, then sentence, then word boundaries; no text is dropped. A chunk's id
is the hash of its text, so a paragraph repeated across pages is stored once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from connector.embedder import MODEL_MAX_TOKENS
from connector.types import Chunk, Page, Section, content_hash

TokenCounter = Callable[[str], int]

# Part of each page's fingerprint (ingest/documents.py): when the way pages are cut changes, the next run
# cuts every page again; only passages whose text changed are embedded again.
CHUNKING_VERSION = "4"
EMBED_BUDGET = MODEL_MAX_TOKENS - 2  # [CLS] and [SEP]
MAX_PREFIX_TOKENS = 48
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=\S)")
# The space after a sentence's end inside a printed line ("... in 2025/26. The achievement rate"): where
# a wrapped paragraph too long for one chunk may be cut.
_FULL_STOP = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(£])")


@dataclass
class _Piece:
    text: str
    tokens: int
    joiner: str  # how it attaches to the previous piece: "\n" between paragraphs, " " inside one


def _shorten(text: str, count: TokenCounter, limit: int) -> str:
    """Cut a title or heading (never body text) to `limit` word pieces, at a word boundary."""
    words = text.split()
    while words and count(" ".join(words)) > limit:
        words = words[: max(1, len(words) * 3 // 4)] if len(words) > 1 else [words[0][: len(words[0]) // 2]]
        if not words[0]:
            return ""
    return " ".join(words)


def fit_prefix(title: str, headings: list[str], count: TokenCounter) -> tuple[str, list[str]]:
    """Title and heading path whose joined trail fits MAX_PREFIX_TOKENS (deepest heading kept longest)."""
    title = _shorten(title, count, MAX_PREFIX_TOKENS // 2)
    path = [_shorten(h, count, MAX_PREFIX_TOKENS // 3) for h in headings]
    while len(path) > 1 and count(" > ".join([title, *path])) > MAX_PREFIX_TOKENS:
        path.pop(0)  # outer headings go first
    if count(" > ".join([title, *path])) > MAX_PREFIX_TOKENS:
        path = [_shorten(h, count, MAX_PREFIX_TOKENS // 4) for h in path]
    return title, path


def _split_words(text: str, count: TokenCounter, budget: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    for word in text.split():
        tokens = count(word)
        while tokens > budget:  # one absurdly long "word": cut it by characters
            head = word[: max(1, len(word) * budget // (tokens + 1))]
            pieces.append(_Piece(head, count(head), " "))
            word = word[len(head) :]
            tokens = count(word)
        pieces.append(_Piece(word, tokens, " "))
    return pieces


def _wrapped_paragraphs(text: str, count: TokenCounter, budget: int) -> list[str]:
    """The section's lines, with the lines of a wrapped sentence kept together (line breaks kept). A PDF
    report gives one line per printed line, so packing line by line cut a sentence in two at a chunk's end
    ("around 6,900 of today's construction" | "workers will have retired by 2031"), and neither half could
    answer. A line that ends a sentence (or a label's colon) ends a group; a group that would outgrow the
    budget ends at its last full stop, and the unfinished sentence opens the next one."""
    groups: list[list[str]] = []
    used = 0
    open_group = False
    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            open_group = False
            continue
        tokens = count(line)
        if open_group and used + tokens <= budget:
            groups[-1].append(line)
            used += tokens
        else:
            carried = _unfinished_sentence(groups[-1]) if open_group else []
            groups.append([*carried, line])
            used = sum(count(part) for part in carried) + tokens
        open_group = not line.endswith((".", "!", "?", ":"))
    return ["\n".join(group) for group in groups]


def _unfinished_sentence(group: list[str]) -> list[str]:
    """Take the sentence that runs on past a full group off its end (the lines after the group's last full
    stop, which may fall inside a printed line); nothing when the group has no full stop."""
    for index in range(len(group) - 1, -1, -1):
        stops = list(_FULL_STOP.finditer(group[index]))
        if stops:
            line = group[index]
            carried = [line[stops[-1].end() :], *group[index + 1 :]]
            del group[index:]
            group.append(line[: stops[-1].start()])
            return carried
    return []


def _pieces(section: Section, count: TokenCounter, budget: int) -> list[_Piece]:
    """Paragraph-sized pieces, each within budget."""
    pieces: list[_Piece] = []
    for paragraph in _wrapped_paragraphs(section.text, count, budget):
        tokens = count(paragraph)
        if tokens <= budget:
            pieces.append(_Piece(paragraph, tokens, "\n"))
            continue
        for number, sentence in enumerate(_SENTENCE_END.split(paragraph)):
            sentence_tokens = count(sentence)
            parts = [_Piece(sentence, sentence_tokens, " ")] if sentence_tokens <= budget else None
            parts = parts or _split_words(sentence, count, budget)
            parts[0].joiner = "\n" if number == 0 else " "
            pieces.extend(parts)
    return pieces


def _pack(pieces: list[_Piece], budget: int) -> list[str]:
    """Greedy packing; the tokenizer splits on whitespace first, so counts of pieces add up."""
    texts: list[str] = []
    current, used = "", 0
    for piece in pieces:
        if current and used + piece.tokens > budget:
            texts.append(current)
            current, used = "", 0
        current = f"{current}{piece.joiner}{piece.text}" if current else piece.text
        used += piece.tokens
    if current:
        texts.append(current)
    return texts


def _section_chunks(page: Page, section: Section, count: TokenCounter, max_tokens: int) -> list[Chunk]:
    title, path = fit_prefix(page.title, section.heading_path, count)
    trail = " > ".join([title, *path]) if title else " > ".join(path)
    budget = max(16, min(max_tokens, EMBED_BUDGET - count(trail)))
    chunks = []
    for text in _pack(_pieces(section, count, budget), budget):
        chunk = Chunk(
            id=content_hash(text),
            url=page.url,
            title=title,
            heading_path=path,
            text=text,
            doc_type=page.doc_type,
            audiences=list(page.audiences),
            page_number=section.page_number,
        )
        chunks.append(chunk)
    return chunks


def split_into_chunks(page: Page, count_tokens: TokenCounter, max_tokens: int) -> list[Chunk]:
    """All chunks of a page in reading order, each id once."""
    seen: set[str] = set()
    chunks: list[Chunk] = []
    for section in page.sections:
        for chunk in _section_chunks(page, section, count_tokens, max_tokens):
            if chunk.id not in seen:
                seen.add(chunk.id)
                chunks.append(chunk)
    return chunks
