"""Retrieval signals beyond the fused ranking, on a real index (bundled passages plus crawled-style college
pages) and the real model: the level a question names, and one strongly matching sentence inside a long
passage."""

from __future__ import annotations

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.pipeline import ask_sync
from connector.retrieve import Retriever
from connector.services import Services
from connector.types import Chunk, content_hash
from ingest.index import embed_sentences

SITE = "http://college.example"
PAGES = [
    (
        "/courses/plumbing-l1.html",
        "Plumbing Level 1 Certificate | Example College",
        "Plumbing Level 1 for beginners in our Harlow workshop, taught in the daytime.\n"
        "Days and times: Monday, Tuesday and Thursday, 9:15am to 3:45pm\n"
        "Next step: Plumbing Level 2 at Basildon or Harlow, with a Harlow evening group on weeknights.",
    ),
    (
        "/courses/plumbing-l2.html",
        "Plumbing Level 2 Diploma | Example College",
        "Choose the Basildon daytime group or the Harlow evening group.\n"
        "Harlow evening group: Monday and Thursday, 5:30pm to 9:00pm\n"
        "Basildon daytime group: Tuesday and Wednesday, 9:00am to 4:00pm",
    ),
    (
        "/employers/bootcamps.html",
        "Skills Bootcamps | Example College",
        "Bootcamp: Electric vehicle maintenance (Level 3); Campus: Harlow; Starts: 1 February 2027\n"
        "Bootcamp: Software testing (Level 3); Campus: Chelmsford; Starts: 8 March 2027",
    ),
    (
        "/courses/motor-vehicle-l2.html",
        "Vehicle Maintenance Level 2 | Example College",
        "Servicing, brakes, tyres and engine maintenance on cars and vans.\n"
        "Start dates: 8 September 2026, 12 January 2027",
    ),
    (
        "/learners/enrolling.html",
        "Enrolling at Example College | Example College",
        "Fees can be paid in up to six monthly instalments by direct debit. The fee for each course is "
        "on its course page and in the printed prospectus. Enrolment opens in June and closes a week "
        "before each course starts. Bring photo ID and proof of your address when you enrol. Exam entry "
        "fees are included in the course fee, but a resit costs extra. Lockers can be hired from "
        "reception for a small deposit. If your household income is below £30,000 a year, our learner "
        "support fund can pay towards childcare while you study, up to £2,000 a year with a registered "
        "childminder or nursery. Refunds are given in full if you withdraw before the second week. "
        "Certificates are posted to your home address about twelve weeks after results day.",
    ),
]


@pytest.fixture(scope="module")
def services(tmp_path_factory, embedder) -> Services:
    settings = make_settings(tmp_path_factory.mktemp("retrieve-signals") / "data")
    store = build_index(settings, embedder)
    chunks = [
        Chunk(
            id=content_hash(text),
            url=SITE + path,
            title=title,
            heading_path=[title.split(" | ")[0]],
            text=text,
            doc_type="course",
        )
        for path, title, text in PAGES
    ]
    store.upsert_sentences(chunks, embed_sentences(embedder, chunks))
    store.upsert(chunks, embedder.embed_texts([chunk.embed_text for chunk in chunks]))
    store.mark_updated()
    return Services.build(settings)


def test_the_page_titled_with_the_level_asked_for_comes_first(services: Services) -> None:
    hits = services.retriever.search("plumbing level 2 in harlow evenings - which nights?")
    assert hits[0].chunk.url.endswith("plumbing-l2.html")
    hits = services.retriever.search("plumbing level 1 in harlow - which days?")
    assert hits[0].chunk.url.endswith("plumbing-l1.html")


def test_a_typed_acronym_finds_the_page_that_writes_it_out(services: Services) -> None:
    hits = services.retriever.search("EV courses")
    assert hits[0].chunk.url.endswith("bootcamps.html") and hits[0].lexical_rank == 0


def test_one_close_sentence_in_a_long_passage_is_found(services: Services) -> None:
    retriever: Retriever = services.retriever
    question = "Will the college help pay for childcare while I study? I'm a single mum."
    hits = retriever.search(question)
    assert hits[0].chunk.url.endswith("enrolling.html")
    assert retriever.has_close_sentence(question, hits[:1])
    assert not retriever.has_close_sentence("Is there a gym on the Harlow campus?", hits[:1])
    ctx = ask_sync(services, question, "learner").ctx
    assert ctx.status == "answered" and "£2,000" in ctx.answer


def test_a_close_sentence_does_not_answer_what_the_passages_never_mention(services: Services) -> None:
    ctx = ask_sync(services, "Will the college pay for my bus pass to the Harlow campus?", "learner").ctx
    assert ctx.status == "no_answer"
