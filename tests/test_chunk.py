"""Chunking: passages fit the model's 256 word pieces with their prefix, and no text is lost."""

from __future__ import annotations

import random

import pytest

from connector.embedder import MODEL_MAX_TOKENS
from connector.types import Page, Section, content_hash
from ingest.chunk import split_into_chunks

VOCABULARY = (
    "apprenticeship levy employer funding training provider Basildon Colchester engineering digital "
    "qualification level three bootcamp co-investment transfer allowance £15,000 10% 95% Chelmsford "
    "hydraulics maintenance technician electrical installation pneumatics supercalifragilistic"
)
WORDS = VOCABULARY.split()


def prose(words: int, seed: int) -> str:
    rng = random.Random(seed)
    sentences, current = [], []
    for _ in range(words):
        current.append(rng.choice(WORDS))
        if len(current) >= rng.randint(6, 30):
            sentences.append(" ".join(current).capitalize() + ".")
            current = []
    sentences.append(" ".join(current) + ".")
    return " ".join(sentences)


def page(*sections: Section, title: str = "Engineering apprenticeships | Thameside Skills Academy") -> Page:
    return Page(url="http://college.test/p", title=title, sections=list(sections), doc_type="course")


def words_of(chunks) -> list[str]:
    return " ".join(c.text for c in chunks).split()


def test_every_chunk_with_its_prefix_fits_the_model(embedder):
    sections = [Section(["Courses", f"Course {n}"], prose(40 + n * 97, seed=n)) for n in range(8)]
    chunks = split_into_chunks(page(*sections), embedder.count_tokens, 200)
    assert len(chunks) > len(sections)  # long sections were split
    for chunk in chunks:
        assert embedder.count_tokens(chunk.embed_text) <= MODEL_MAX_TOKENS - 2
        assert embedder.count_tokens(chunk.text) <= 200


def test_long_section_is_split_at_sentences_without_losing_text(embedder):
    text = prose(900, seed=7)
    chunks = split_into_chunks(page(Section(["Fees"], text)), embedder.count_tokens, 120)
    assert words_of(chunks) == text.split()
    assert all(c.text.rstrip().endswith(".") for c in chunks[:-1])  # cut after a sentence, not inside one


def test_a_sentence_longer_than_a_chunk_is_split_between_words(embedder):
    rng = random.Random(5)
    text = " ".join(rng.choice(WORDS) for _ in range(700))  # one "sentence" far over the limit
    chunks = split_into_chunks(page(Section([], text)), embedder.count_tokens, 100)
    assert words_of(chunks) == text.split()
    assert all(embedder.count_tokens(c.embed_text) <= MODEL_MAX_TOKENS - 2 for c in chunks)


def test_a_word_longer_than_a_chunk_is_split_without_loss(embedder):
    blob = "x7Q" * 900  # no spaces at all, as base64 blobs and hostile pages have
    chunks = split_into_chunks(page(Section([], blob)), embedder.count_tokens, 64)
    assert "".join(c.text for c in chunks) == blob
    assert all(embedder.count_tokens(c.embed_text) <= MODEL_MAX_TOKENS - 2 for c in chunks)


def test_paragraphs_stay_whole_when_they_fit(embedder):
    paragraphs = [prose(30, seed=n) for n in range(6)]
    chunks = split_into_chunks(page(Section(["About"], "\n".join(paragraphs))), embedder.count_tokens, 200)
    for chunk in chunks:
        assert all(p in paragraphs for p in chunk.text.split("\n"))


def test_a_sentence_wrapped_over_lines_is_not_cut_at_a_chunk_end(embedder):
    # A PDF report gives a line per printed line: a chunk may end only where a sentence does.
    text = prose(600, seed=11)
    lines, line = [], []
    for word in text.split():
        line.append(word)
        if len(" ".join(line)) > 70:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    chunks = split_into_chunks(page(Section(["Findings"], "\n".join(lines))), embedder.count_tokens, 120)
    assert len(chunks) > 3
    assert words_of(chunks) == text.split()
    assert all(c.text.rstrip().endswith(".") for c in chunks)  # each cut is at a full stop
    assert all(embedder.count_tokens(c.text) <= 120 for c in chunks)


def test_lines_without_a_full_stop_still_fill_chunks_within_budget(embedder):
    rows = [f"District {n} vacancies {n * 37}" for n in range(300)]  # a table: no line ends a sentence
    chunks = split_into_chunks(page(Section(["Vacancies"], "\n".join(rows))), embedder.count_tokens, 100)
    assert len(chunks) > 5
    assert [row for c in chunks for row in c.text.split("\n")] == rows
    assert all(embedder.count_tokens(c.text) <= 100 for c in chunks)


def test_chunks_carry_title_heading_path_and_page_number(embedder):
    chunks = split_into_chunks(
        page(Section(["Apprenticeships", "Fees"], "Apprentices pay nothing.", page_number=3)),
        embedder.count_tokens,
        200,
    )
    (chunk,) = chunks
    trail = "Engineering apprenticeships | Thameside Skills Academy > Apprenticeships > Fees"
    assert chunk.embed_text == trail + "\nApprentices pay nothing."
    assert (chunk.page_number, chunk.doc_type, chunk.url) == (3, "course", "http://college.test/p")


def test_chunk_id_is_the_hash_of_its_text_and_repeats_are_stored_once(embedder):
    boilerplate = "Call our admissions team on 01268 000 000."
    chunks = split_into_chunks(
        page(Section(["A"], boilerplate), Section(["B"], "Different."), Section(["C"], boilerplate)),
        embedder.count_tokens,
        200,
    )
    assert [c.id for c in chunks] == [content_hash(boilerplate), content_hash("Different.")]


def test_hostile_titles_and_headings_still_leave_room_for_text(embedder):
    long_heading = "Heading " * 300
    chunks = split_into_chunks(
        page(Section([long_heading] * 5, prose(400, seed=3)), title="Title " * 400),
        embedder.count_tokens,
        200,
    )
    assert words_of(chunks) == prose(400, seed=3).split()
    for chunk in chunks:
        assert embedder.count_tokens(chunk.embed_text) <= MODEL_MAX_TOKENS - 2


@pytest.mark.parametrize("text", ["", "   \n \n  "])
def test_empty_sections_make_no_chunks(embedder, text):
    assert split_into_chunks(page(Section(["Empty"], text)), embedder.count_tokens, 200) == []


def test_a_new_way_of_cutting_pages_changes_every_pages_fingerprint(monkeypatch):
    # So the next ingest cuts unchanged pages again instead of keeping passages cut the old way.
    import ingest.documents as documents

    one = page(Section(["Fees"], "Apprentices pay nothing."))
    before = documents.page_fingerprint(one)
    assert documents.page_fingerprint(one) == before
    monkeypatch.setattr(documents, "CHUNKING_VERSION", "next")
    assert documents.page_fingerprint(one) != before
