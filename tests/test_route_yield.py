"""The route step hands a question to a crawled provider page when that page answers it better than a
deterministic handler: a course finder listing sample courses, or a funding tool that could only ask
for a missing input. Real index (bundled passages plus one crawled college page), real model."""

from __future__ import annotations

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.pipeline import ask_sync
from connector.services import Services
from connector.types import Chunk, content_hash

AAT_PAGE = (
    "There is no free place on the AAT Level 4 Diploma in Professional Accounting for adults.\n"
    "Adult fee 2026-27: £1,950\n"
    "An Advanced Learner Loan can pay the whole fee, straight to the college."
)


@pytest.fixture(scope="module")
def services(tmp_path_factory, embedder) -> Services:
    settings = make_settings(tmp_path_factory.mktemp("route-yield") / "data")
    store = build_index(settings, embedder)
    page = Chunk(
        id=content_hash(AAT_PAGE),
        url="http://college.example/courses/aat-accounting-l4.html",
        title="AAT Level 4 Diploma in Professional Accounting | Example College",
        heading_path=["AAT Level 4 Diploma in Professional Accounting", "Fees and funding"],
        text=AAT_PAGE,
        doc_type="course",
        audiences=["learner", "employer"],  # as a sources.yaml entry for a college tags its pages
    )
    store.upsert([page], embedder.embed_texts([page.embed_text]))
    store.mark_updated()
    return Services.build(settings)


def test_a_funding_tool_that_would_only_ask_gives_way_to_the_course_page(services: Services) -> None:
    ctx = ask_sync(services, "Can I get a free place on AAT level 4?", "learner").ctx
    assert ctx.route == "search" and "no free place" in ctx.answer
    assert ctx.sources[0].url.endswith("aat-accounting-l4.html")


def test_a_funding_question_naming_no_course_stays_with_the_tool(services: Services) -> None:
    ctx = ask_sync(services, "Is a level 3 course free for me?", "learner").ctx
    assert ctx.route == "eligibility"
