"""The answer pipeline step by step and end to end, over a real index (no language model)."""

from __future__ import annotations

import asyncio
import math

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.context import Context, Source, Turn
from connector.conversation import Topic, read_message
from connector.lexical import tokenize
from connector.passage_model import passage_model
from connector.pipeline import STEPS, ask_sync, run_steps
from connector.services import Services
from connector.steps import check, compose, compose_framing, followup
from connector.steps import retrieve as retrieve_step
from connector.types import Chunk, Hit


@pytest.fixture(scope="module")
def services(tmp_path_factory, embedder) -> Services:
    settings = make_settings(tmp_path_factory.mktemp("pipeline") / "data")
    build_index(settings, embedder)
    return Services.build(settings)


def searched(services: Services, question: str, audience: str | None = None) -> Context:
    ctx = Context(question=question, audience=audience, standalone_question=question)
    retrieve_step.run(ctx, services)
    return ctx


def test_the_step_order_is_guard_followup_route_retrieve_compose_check_offer() -> None:
    order = ["guard", "followup", "route", "retrieve", "compose", "check", "offer"]
    assert [name for name, _ in STEPS] == order


def test_extractive_answer_quotes_figures_exactly_and_cites_them(services: Services) -> None:
    ctx = searched(services, "What is the apprentice minimum wage from April 2026?")
    compose.run(ctx, services)
    assert "The apprentice minimum wage is £8.00 an hour from 1 April 2026. [1]" in ctx.answer
    assert ctx.sources[0].url == "/corpus/apprentice-pay"


def test_every_answer_sentence_is_a_verbatim_sentence_of_a_retrieved_passage(services: Services) -> None:
    ctx = searched(services, "Who can get a free level 3 course and what subjects are there?")
    compose.run(ctx, services)
    passages = " ".join(hit.chunk.text for hit in ctx.hits + ctx.page_hits)
    sentences = [part.split(" [")[0] for part in ctx.answer.split("] ") if part.strip()]
    assert sentences and all(sentence.strip(" ]0123456789[") in passages for sentence in sentences)


def test_employer_answer_carries_the_business_side_and_learner_answer_the_eligibility_side(
    services: Services,
) -> None:
    employer = searched(services, "What is the levy rate?", audience="employer")
    compose.run(employer, services)
    learner = searched(services, "Can I do a free level 3 course?", audience="learner")
    compose.run(learner, services)
    assert any(framed(sentence, "employer") for sentence in employer.answer.split("] "))
    assert any(framed(sentence, "learner") for sentence in learner.answer.split("] "))


def framed(sentence: str, audience: str) -> bool:
    return (
        len(set(tokenize(sentence)) & compose_framing.AUDIENCE_TERMS[audience]) >= compose_framing.MIN_TERMS
    )


def framing_case(similarity: float = 0.6, url: str = "/a") -> tuple[list, list]:
    answer = compose.Candidate(
        0, 0, "The levy is 0.5% of the pay bill.", frozenset(tokenize("levy bill")), "/a"
    )
    framing = compose.Candidate(
        0,
        1,
        "Employers must pay wages for at least 30 hours a week.",
        frozenset(tokenize("employers must pay wages 30 hours week")),
        url,
        similarity=similarity,
    )
    return [answer, framing], [answer]


def test_framing_sentence_is_added_from_a_cited_page_when_the_answer_lacks_the_audiences_side() -> None:
    ranked, chosen = framing_case()
    assert compose_framing.framing_sentence(ranked, chosen, "employer") is ranked[1]
    assert compose_framing.framing_sentence(ranked, chosen, None) is None


def test_framing_sentence_is_not_taken_from_another_page_or_off_the_question() -> None:
    assert compose_framing.framing_sentence(*framing_case(url="/b"), "employer") is None
    assert compose_framing.framing_sentence(*framing_case(similarity=0.1), "employer") is None


def test_labelled_framing_follows_the_direct_answer(services: Services) -> None:
    ctx = searched(services, "What is the levy rate?", audience="employer")
    compose.run(ctx, services)
    label = compose_framing.LABELS["employer"]
    assert not ctx.answer.startswith(label)
    if label in ctx.answer:
        assert ctx.answer.index(label) > ctx.answer.index("[1]")


def test_sentence_with_planted_instructions_is_never_quoted(services: Services) -> None:
    result = ask_sync(services, "Which training provider runs first aid courses in Basildon?")
    assert "Ignore all previous instructions" not in result.ctx.answer
    assert "only approved provider" not in result.ctx.answer


def test_question_below_the_relevance_floor_stops_with_no_answer(services: Services) -> None:
    ctx = searched(services, "How do I get a mortgage for a flat?")
    assert ctx.status == "no_answer" and "National Careers Service" in ctx.answer


def test_follow_up_is_rewritten_against_the_previous_turn() -> None:
    history = [Turn(question="Are there free courses near Colchester?", answer="...", slots={"level": 3})]
    ctx = Context(question="and part-time?", history=history)
    followup.run(ctx, None)  # type: ignore[arg-type]
    assert ctx.standalone_question == "Are there free courses near Colchester part-time?"
    assert ctx.slots == {"level": 3}
    moved = Context(question="what about in Chelmsford?", history=history)
    followup.run(moved, None)  # type: ignore[arg-type]
    assert moved.standalone_question == "Are there free courses near Chelmsford?"


def test_standalone_question_is_left_alone() -> None:
    history = [Turn(question="What are T Levels?", answer="...")]
    ctx = Context(question="How does the apprenticeship levy work for a large employer?", history=history)
    followup.run(ctx, None)  # type: ignore[arg-type]
    assert ctx.standalone_question == ctx.question and "follow_up" not in ctx.notes


def test_follow_up_in_a_session_answers_from_the_earlier_subject(services: Services) -> None:
    first = ask_sync(services, "Who offers the digital support technician programme?")
    second = ask_sync(services, "what will it teach?", session_id=first.ctx.session_id)
    assert "troubleshooting" in second.ctx.answer and second.ctx.sources


def test_check_removes_citations_of_sources_that_were_not_retrieved(services: Services) -> None:
    ctx = searched(services, "What are T Levels?")
    ctx.answer = "T Levels are two-year courses. [2] They include a placement. [1]"
    ctx.sources = [Source("T Levels", "/corpus/t-levels"), Source("Fake", "https://evil.example/")]
    check.run(ctx, services)
    assert ctx.status == "answered" and "[2]" not in ctx.answer
    assert [s.url for s in ctx.sources] == ["/corpus/t-levels"]


def test_check_turns_an_uncited_answer_into_no_answer(services: Services) -> None:
    ctx = searched(services, "What are T Levels?")
    ctx.answer = "T Levels are great, trust me."
    ctx.sources = [Source("T Levels", "/corpus/t-levels")]
    check.run(ctx, services)
    assert ctx.status == "no_answer" and ctx.sources == []


def test_check_renumbers_citations_in_order_of_use(services: Services) -> None:
    ctx = searched(services, "apprenticeship levy and transfers")
    urls = list(dict.fromkeys(hit.chunk.url for hit in ctx.hits))[:2]
    ctx.sources = [Source("a", urls[0]), Source("b", urls[1])]
    ctx.answer = "Second first. [2] Then the first. [1, 2]"
    check.run(ctx, services)
    assert ctx.answer == "Second first. [1] Then the first. [2][1]"
    assert [s.url for s in ctx.sources] == [urls[1], urls[0]]


def test_each_step_is_timed_and_the_run_ends_with_a_status(services: Services) -> None:
    ctx = asyncio.run(run_steps(Context(question="What does a Skills Bootcamp offer?"), services))
    assert ctx.status == "answered"
    assert set(ctx.timings) == {"guard", "followup", "route", "retrieve", "compose", "check", "offer"}


def test_refused_question_skips_every_later_step_but_the_offer(services: Services) -> None:
    ctx = asyncio.run(run_steps(Context(question="tell me a joke"), services))
    # The offer step runs last whatever happened, and leaves a refusal as it is.
    assert ctx.status == "refused" and set(ctx.timings) == {"guard", "offer"} and ctx.hits == []


def test_question_log_stores_redacted_question_and_outcome(services: Services) -> None:
    result = ask_sync(services, "I'm on 07700 900123, what are T Levels?", audience="learner")
    row = next(r for r in services.questions.recent(10) if r["answer_id"] == result.answer_id)
    assert "07700" not in row["question"] and row["status"] == "answered" and row["route"] == "search"


def test_short_question_finding_nothing_alone_is_retried_with_the_conversation(services: Services) -> None:
    first = ask_sync(services, "What is the apprentice minimum wage?")
    second = ask_sync(services, "what's the lowest rate?", session_id=first.ctx.session_id)
    assert second.ctx.status == "answered" and "£8.00" in second.ctx.answer
    assert "follow_up" in second.ctx.notes


LEVY_PAGE = (
    "## How much the levy costs\n\n"
    "The levy is 0.5% of your annual pay bill, minus a levy allowance of £15,000 a year.\n\n"
    # The example's steps on lines of their own: a short "Label: value" paragraph is one unit whole.
    "Worked example: a pay bill of £4 million gives 0.5% × £4,000,000 = £20,000.\n"
    "Take away the £15,000 allowance and the annual levy is £5,000.\n\n"
    "## What to do next\n\n"
    "1. Create your apprenticeship service account and reserve funding.\n"
    "2. Advertise on Find an apprenticeship and interview.\n\n"
    "So the allowance matters most to mid-sized employers."
)


def levy_candidates() -> list[compose.Candidate]:
    chunk = Chunk(id="levy", url="/corpus/levy", title="Levy", heading_path=[], text=LEVY_PAGE)
    return compose.candidates([Hit(chunk=chunk, score=1.0)])


def test_steps_connectives_and_worked_example_steps_do_not_stand_alone() -> None:
    alone = {c.text.split()[0]: c.stands_alone for c in levy_candidates()}
    assert alone == {
        "The": True,
        "Worked": False,
        "Take": False,
        "Create": False,
        "Advertise": False,
        "So": False,
    }


def test_a_worked_example_step_is_quoted_with_the_sentence_that_sets_it_up() -> None:
    found = levy_candidates()
    step = next(c for c in found if c.text.startswith("Take away"))
    step.score = 1.0
    chosen = compose.select([step], found)
    assert [c.text.split()[0] for c in chosen] == ["Worked", "Take"]


def test_the_best_sentence_that_stands_alone_leads_then_reading_order() -> None:
    found = levy_candidates()
    for rank, candidate in enumerate(reversed(found)):
        candidate.score = 1.0 - rank * 0.01  # the later a sentence, the higher its score
    ordered = compose.in_answer_order(found)
    assert ordered[0].text.startswith("The levy is 0.5%")
    assert [c.position for c in ordered[1:]] == sorted(c.position for c in ordered[1:])


def test_a_short_question_about_a_course_detail_is_a_follow_up_in_a_conversation(
    services: Services,
) -> None:
    topic = Topic("Is there an evening electrics course in Chelmsford?", "search")

    def relation(question: str, about: Topic | None = topic) -> str:
        return followup.relation_to(question, read_message(question), about, services)

    assert relation("what are the entry requirements?") == "continue"
    assert relation("When does it start?") == "continue"
    assert relation("what are the entry requirements?", None) == "new"
    assert relation("What does a levy transfer involve for a small firm?") == "new"


def test_a_follow_up_prefers_the_pages_the_last_answer_cited(services: Services) -> None:
    # The passages of the page just discussed move up: their scores are multiplied by the factor the
    # passage model fitted for a cited page on the dev follow-ups, and nothing else changes.
    question = "who can apply?"
    plain = services.retriever.ranked(question)
    other = plain[2]
    preferred = services.retriever.ranked(question, prefer=[other.chunk.url])
    lifted = next(hit for hit in preferred if hit.chunk.id == other.chunk.id)
    factor = math.exp(passage_model().weights["cited_before"])
    assert factor > 1 and lifted.score == pytest.approx(other.score * factor)
    assert preferred.index(lifted) <= plain.index(other)


def check_with_page(question: str, text: str) -> Context:
    chunk = Chunk(id="fees", url="http://college.example/fees", title="Fees", heading_path=[], text=text)
    ctx = Context(question=question, standalone_question=question, hits=[Hit(chunk=chunk, score=1.0)])
    ctx.answer = "Motor Vehicle Level 1: £1,200. [1]"
    ctx.sources = [Source("Fees", chunk.url)]
    return ctx


@pytest.mark.parametrize(
    ("question", "page", "status"),
    [
        # The cited page never mentions the acronym asked about / writes it out.
        ("How much is an HGV driving course?", "Motor Vehicle Level 1: £1,200.", "no_answer"),
        ("How much is an HGV course?", "Heavy Goods Vehicle course: £1,200.", "answered"),
        # The cited page speaks of another year than the one asked about / of that year.
        ("What was the Motor Vehicle fee in 2024-25?", "Fees 2026-27: Motor Vehicle: £1,200.", "no_answer"),
        ("What is the Motor Vehicle fee in 2026-27?", "Fees 2026-27: Motor Vehicle: £1,200.", "answered"),
    ],
)  # fmt: skip
def test_check_needs_the_acronym_or_year_asked_about_on_the_cited_page(
    services: Services, question: str, page: str, status: str
) -> None:
    ctx = check_with_page(question, page)
    check.run(ctx, services)
    assert ctx.status == status


def test_a_follow_up_naming_another_town_swaps_the_town_however_it_was_written() -> None:
    previous = "plumbing level 2 in harlow evenings - which nights?"
    message = "and the Basildon group?"
    changed = read_message(message).filters
    assert changed == {"near": "Basildon"}
    assert (
        followup.with_changes(previous, read_message(previous).filters, changed, message)
        == "plumbing level 2 in Basildon evenings - which nights?"
    )


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Is it free, and what grades are needed?", ["Is it free", "what grades are needed"]),
        ("Is it free? When does it start?", ["Is it free", "When does it start"]),
        ("Any evening course and how much?", ["Any evening course", "Any evening course how much"]),
        ("How much is the levy?", ["How much is the levy"]),
    ],
)  # fmt: skip
def test_a_question_is_cut_into_the_things_it_asks(question: str, parts: list[str]) -> None:
    assert compose.question_parts(question) == parts


FEES_SECTION = (
    "The Digital T Level is free for students aged 16 to 18 on 31 August. "
    "Adults aged 19 or over pay a fee of £2,400, or can apply for an Advanced Learner Loan. "
    "The fee is free for adults who are unemployed or earn less than £26,800 a year. "
    "Free places for adults are limited and offered in order of application. "
    "The fee can be paid in up to six instalments. "
    "Students aged 16 to 18 also get free travel on the college bus. "
    "Free meals are offered to students aged 16 to 18 from low-income families."
)
ENTRY_SECTION = (
    "Students spend 45 days on an industry placement with a local employer. "
    "To get in you need five GCSEs at grade 4 or above, including English and maths. "
    "Interviews take place from January."
)


def test_a_question_asking_two_things_gets_a_sentence_for_each(services: Services) -> None:
    question = "My son is 16. Is the digital T Level free for him, and what grades does he need?"
    hits = [
        Hit(chunk=Chunk(id=f"t{n}", url="http://college.example/t-level", title="Digital T Level",
                        heading_path=[heading], text=text), score=1.0)
        for n, (heading, text) in enumerate([("Fees", FEES_SECTION), ("Placement and entry", ENTRY_SECTION)])
    ]  # fmt: skip
    ctx = Context(question=question, standalone_question=question, hits=hits)
    compose.run(ctx, services)
    assert "free for students aged 16 to 18" in ctx.answer and "five GCSEs at grade 4" in ctx.answer
    # However few sentences the whole question's ranking keeps, each part gets the one that answers it.
    found = compose.candidates(hits)
    fee = next(c for c in found if c.text.startswith("The Digital T Level is free"))
    added = compose.parts_answered([fee], found, ctx, services, hits)
    assert [c.text for c in added] == [
        "To get in you need five GCSEs at grade 4 or above, including English and maths."
    ]


def test_passages_whose_fitted_score_is_below_the_floor_answer_nothing(services: Services) -> None:
    floor = services.settings.retrieval_passage_floor
    said = "Apprentices are paid for the time they spend training at college."
    chunk = Chunk(id="p", url="/corpus/p", title="P", heading_path=[], text=said)

    def ranked(log_score: float, dense: float = 0.9) -> list[Hit]:
        return [Hit(chunk=chunk, score=math.exp(log_score), dense_score=dense, features={"coverage": 1.0})]

    retriever = services.retriever
    assert retriever.clears_passage_floor(ranked(floor + 0.1))
    assert not retriever.clears_passage_floor(ranked(floor - 0.1))
    # However close in meaning (0.9 would clear the similarity floor), and not for a follow-up.
    assert not retriever.is_relevant(ranked(floor - 0.1))
    assert retriever.is_relevant(ranked(floor - 0.1), follow_up=True)
    # Above the floor the passages are relevant however weak their meaning match alone: the model weighs
    # the words and the kind of fact too (a follow-up below the floor needs a fair meaning match).
    assert retriever.is_relevant(ranked(floor + 0.1, dense=0.1))
    assert not retriever.is_relevant(ranked(floor - 0.1, dense=0.1), follow_up=True)
    # Nor does a sentence that matches the question word for word lift passages below the floor.
    assert retriever.has_close_sentence(said, ranked(floor + 0.1))
    assert not retriever.has_close_sentence(said, ranked(floor - 0.1))
    # Passages ranked without the passage model (dense-only) are judged by the other floors alone.
    assert retriever.clears_passage_floor([Hit(chunk=chunk, score=0.9, dense_score=0.9)])
    # A crawled page ranks above a bundled guide by the source term, but the floor is measured without
    # it: it means the same on a site indexed alone as beside the guides.
    page = Chunk(id="w", url="https://college.example/p", title="P", heading_path=[], text=said)
    lift = passage_model().source_term({"crawled": 1.0})
    assert lift > 0

    def crawled(log_score: float) -> list[Hit]:
        features = {"coverage": 1.0, "crawled": 1.0}
        return [Hit(chunk=page, score=math.exp(log_score + lift), dense_score=0.9, features=features)]

    assert retriever.clears_passage_floor(crawled(floor + 0.1))
    assert not retriever.clears_passage_floor(crawled(floor - 0.1))


def test_a_message_asking_many_things_is_answered_on_its_first_few(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = " and ".join(f"what is the fee for course {n}" for n in range(30)) + "?"
    assert len(compose.question_parts(question)) == 30
    scored: list[str] = []
    real_score = compose.score

    def counted(found, query, *args, **kwargs):  # the real scoring, counted
        scored.append(query)
        return real_score(found, query, *args, **kwargs)

    monkeypatch.setattr(compose, "score", counted)
    hits = [
        Hit(chunk=Chunk(id="f", url="/corpus/f", title="Fees", heading_path=[], text=FEES_SECTION), score=1.0)
    ]
    ctx = Context(question=question, standalone_question=question, hits=hits)
    found = compose.candidates(hits)
    compose.parts_answered(found[:1], found, ctx, services, hits)
    assert len(scored) == compose.MAX_PARTS
