"""The route step decides once: a tool that could only ask for an input, for a question naming a course,
is weighed against a crawled provider page with one search, which the retrieve step reuses; nothing is
answered and then undone. For any other question, the tool's question follows the pages' answer.
Real index (bundled passages plus one crawled college page), real model."""

from __future__ import annotations

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.pipeline import ask_sync
from connector.services import Services
from connector.types import Chunk, content_hash
from ingest.index import embed_sentences

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
    store.upsert_sentences([page], embed_sentences(embedder, [page]))
    store.upsert([page], embedder.embed_texts([page.embed_text]))
    store.mark_updated()
    return Services.build(settings)


def test_a_tool_that_could_only_ask_gives_way_to_the_course_page_with_one_search(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches: list[str] = []
    real_search = services.retriever.search_with_pages

    def counted(query: str, *args: object, **kwargs: object):  # the real search, counted
        searches.append(query)
        return real_search(query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.retriever, "search_with_pages", counted)
    ctx = ask_sync(services, "Can I get a free place on AAT level 4?", "learner").ctx
    assert ctx.route == "search" and "no free place" in ctx.answer
    assert ctx.sources[0].url.endswith("aat-accounting-l4.html")
    assert searches == ["Can I get a free place on AAT level 4?"]


def test_a_question_about_the_college_course_itself_is_answered_by_its_page(services: Services) -> None:
    ctx = ask_sync(services, "How much is the AAT Level 4 diploma for adults?", "learner").ctx
    assert ctx.route == "search" and "£1,950" in ctx.answer
    assert ctx.sources[0].url.endswith("aat-accounting-l4.html")


def test_a_funding_question_naming_no_course_gets_the_pages_answer_then_the_tools_question(
    services: Services,
) -> None:
    ctx = ask_sync(services, "Is a level 3 course free for me?", "learner").ctx
    answer, question = ctx.answer.rsplit("\n\n", 1)
    assert ctx.route == "search" and ctx.sources and "[1]" in answer and "level 3" in answer
    assert "How old are you" in question and "[" not in question
    assert ctx.slots["tool"] == "eligibility" and ctx.slots["tool_missing"] == ["age"]


def test_the_reply_to_the_offered_question_goes_to_the_tool(services: Services) -> None:
    first = ask_sync(services, "How much levy do we pay?", "employer").ctx
    assert first.route == "search" and "0.5%" in first.answer and first.answer.endswith("£4.2m)?")
    second = ask_sync(services, "£3.5m", "employer", first.session_id).ctx
    # 0.5% × £3,500,000 − £15,000 = £2,500 a year.
    assert second.route == "levy" and "£2,500 a year" in second.answer and second.cards


def test_a_tools_working_for_a_course_the_page_describes_follows_the_pages_answer(services: Services) -> None:
    # The age gives the eligibility tool all it needs, but the fee and the loan are on the college's page.
    ctx = ask_sync(services, "I'm 27. Is the AAT level 4 free for me?", "learner").ctx
    page_answer, tool_answer = ctx.answer.split("\n\n", 1)
    assert ctx.route == "search" and "offer_after_pages=eligibility" in ctx.notes
    assert "£1,950" in page_answer or "no free place" in page_answer
    assert ctx.sources[0].url.endswith("aat-accounting-l4.html") and "[1]" in page_answer
    assert "27" in tool_answer and ctx.cards  # the tool's working and its card follow, for the asker's age
    assert [s.url for s in ctx.sources].count(ctx.sources[0].url) == 1


def test_a_tools_working_for_a_question_naming_no_course_stands_alone(services: Services) -> None:
    ctx = ask_sync(services, "I'm 27. Is a level 3 course free for me?", "learner").ctx
    assert ctx.route == "eligibility" and ctx.cards and "offer_after_pages" not in " ".join(ctx.notes)
