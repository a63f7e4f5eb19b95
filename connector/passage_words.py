"""The words of a passage that the focus check compares in meaning with a question's words: its page title,
headings, the words of its address and its text; letters only, three or more, without the commonest words
of English. Ingest embeds them (connector/store.py keeps their vectors), so answering seldom has to.

    words_of(chunk)   # {"welding", "fabrication", "evenings", ...}
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from bm25s.stopwords import STOPWORDS_EN

from connector.types import Chunk

# What separates the words of an address's path ("/a/b_c" -> a b c); hyphens stay, as in "ex-offenders".
ADDRESS_PART = re.compile(r"[/_+.]+")
# Words worth comparing in meaning: letters only, three or more; the commonest words of English (bm25s's
# list) say nothing of a subject.
PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
STOPWORDS = frozenset(STOPWORDS_EN)


def passage_text(chunk: Chunk) -> str:
    """What a passage says, with its page title, headings and the words of its address (which say what
    it is about: a page titled "people with convictions" may live at /ex-offenders)."""
    return " ".join([chunk.title, *chunk.heading_path, address_words(chunk.url), chunk.text])


def address_words(url: str) -> str:
    """The words of a page address's path ("/toolkits/ex-offenders.html" -> "toolkits ex-offenders"),
    without the host, the query or a file extension."""
    path = unquote(urlsplit(url).path)
    if "." in path.rsplit("/", 1)[-1]:
        path = path.rsplit(".", 1)[0]
    return " ".join(part for part in ADDRESS_PART.split(path) if part)


def words_of(chunk: Chunk) -> set[str]:
    """The passage's words as written, lower-cased, without the commonest words of English."""
    return {word.lower() for word in PLAIN_WORD.findall(passage_text(chunk))} - STOPWORDS
