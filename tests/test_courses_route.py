"""The chat's course finder: recognising course searches, reading filters, follow-ups, and what it says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connector.context import Context, Turn
from connector.courses.catalogue import CourseCatalogue
from connector.services import Services
from connector.steps import route
from connector.steps.courses_route import handle_courses
from connector.types import Status
from ingest.courses import CourseIngest

SAMPLE_FEEDS = Path(__file__).parent.parent / "areas" / "essex" / "courses"
TODAY = date(2026, 11, 25)


@pytest.fixture
def services(settings, embedder) -> Services:
    catalogue = CourseCatalogue.open(settings)
    CourseIngest(catalogue).load_folder(SAMPLE_FEEDS)
    # The course finder uses the settings and the catalogue; the route step the embedder. No index.
    return Services(settings=settings, embedder=embedder, store=None, retriever=None, courses=catalogue)  # type: ignore[arg-type]


def ask(services: Services, question: str, history: list[Turn] | None = None) -> tuple[bool, Context]:
    """The course finder, once the route step has chosen it."""
    ctx = Context(question=question, history=history or [])
    return handle_courses(ctx, services, today=TODAY), ctx


def routed(services: Services, question: str, history: list[Turn] | None = None) -> Context:
    """The route step's decision for a question (the course finder is one of its routes)."""
    ctx = Context(question=question, history=history or [])
    route.run(ctx, services)
    return ctx


def turn_of(ctx: Context) -> Turn:
    return Turn(question=ctx.query, answer=ctx.answer, route=ctx.route, slots=dict(ctx.slots))


def test_level_3_part_time_digital_near_colchester_is_answered_with_cards(services):
    handled, ctx = ask(services, "level 3 digital courses near Colchester, part-time")
    assert handled and ctx.status == Status.ANSWERED and ctx.route == "courses"
    assert ctx.answer.startswith(
        "I found 3 level 3 digital courses (part-time) within 10 miles of Colchester"
    )
    assert "Level 3 Diploma in Digital Support Services" in ctx.answer
    assert "sample catalogue" in ctx.answer and "fictional" in ctx.answer
    assert len(ctx.cards) == 3 and all(card["type"] == "course" and card["sample"] for card in ctx.cards)
    assert {"title", "provider", "town", "level", "mode", "start", "cost", "funding", "url"} <= ctx.cards[
        0
    ].keys()
    assert ctx.cards[0]["level"] == "Level 3" and ctx.cards[0]["distance_miles"] < 1
    assert [s.url for s in ctx.sources] == [card["url"] for card in ctx.cards]
    assert ctx.slots["course_filters"] == {
        "level": 3,
        "subject": "digital",
        "mode": "part-time",
        "near": "Colchester",
    }


def test_free_courses_in_basildon(services):
    handled, ctx = ask(services, "free courses in Basildon")
    assert handled and ctx.slots["course_filters"] == {"near": "Basildon", "free_only": True}
    assert all(card["cost"] != "Ask the provider" and not card["cost"].startswith("£") for card in ctx.cards)
    assert "free only to eligible learners" in ctx.answer


def test_evening_accounting_in_chelmsford(services):
    handled, ctx = ask(services, "any evening accounting course in Chelmsford?")
    assert handled
    assert {card["title"] for card in ctx.cards} == {
        "AAT Level 2 Certificate in Accounting",
        "AAT Level 3 Diploma in Accounting",
    }
    assert all("evening" in card["mode"] for card in ctx.cards)


def test_follow_up_changes_one_filter_and_keeps_the_rest(services):
    _, first = ask(services, "level 3 digital courses near Colchester, part-time")
    handled, second = ask(services, "and full-time?", [turn_of(first)])
    assert handled
    assert second.slots["course_filters"] == {
        "level": 3,
        "subject": "digital",
        "mode": "full-time",
        "near": "Colchester",
    }
    assert {card["title"] for card in second.cards} == {
        "Level 3 Certificate in Software Development",
        "Level 3 Diploma in IT Networking",
    }


def test_follow_up_with_a_new_town_moves_the_search(services):
    _, first = ask(services, "engineering courses in Basildon")
    handled, second = ask(services, "what about Chelmsford?", [turn_of(first)])
    assert handled and second.slots["course_filters"]["near"] == "Chelmsford"
    assert second.slots["course_filters"]["subject"] == "engineering"
    assert all(card["town"] == "Chelmsford" for card in second.cards) and second.cards


def test_nothing_found_says_so_and_suggests_widening(services):
    handled, ctx = ask(services, "level 4 construction courses in Harlow")
    assert handled and ctx.status == Status.ANSWERED and ctx.cards == []
    assert ctx.answer.startswith(
        "I could not find any level 4 construction courses within 10 miles of Harlow"
    )
    assert "To widen the search" in ctx.answer


def test_nothing_nearby_counts_what_a_wider_radius_would_find(services):
    handled, ctx = ask(services, "full-time level 3 digital courses near Chelmsford")
    assert handled and ctx.cards == []
    assert "there are 2 within 25 miles" in ctx.answer
    handled, wider = ask(services, "within 25 miles?", [turn_of(ctx)])
    assert handled and len(wider.cards) == 2


def test_unknown_town_is_asked_about_not_guessed(services):
    handled, ctx = ask(services, "courses in Narnia")
    assert handled and ctx.cards == []
    assert "I don't know where Narnia is" in ctx.answer and "Colchester" in ctx.answer


def test_a_provider_named_where_a_town_would_be_leaves_the_question_to_the_documents(services):
    handled, ctx = ask(services, "What was last year's pass rate for the plumbing course at Narnia College?")
    assert not handled and ctx.route == "search" and ctx.cards == []


@pytest.mark.parametrize(
    "question",
    [
        "What is a Skills Bootcamp?",
        "How much is the apprenticeship levy for a £4m pay bill?",
        "What are Free Courses for Jobs?",
        "How do I take on an apprentice?",
        "Who runs the Essex LSIP?",
        "What training does my apprentice need?",
        "How long is the course for a T Level?",
        "Which colleges offer T Levels?",
        "What qualifications do I need for an apprenticeship?",
        "Can my apprenticeship be part-time?",
        "Can I do a free level 3 course?",
    ],
)
def test_questions_that_are_not_course_searches_are_not_routed_to_the_course_finder(services, question):
    ctx = routed(services, question)
    assert ctx.route != "courses" and all(card["type"] != "course" for card in ctx.cards)


def test_a_new_full_question_after_a_course_search_is_not_merged_with_it(services):
    _, first = ask(services, "level 3 digital courses near Colchester, part-time")
    handled, second = ask(services, "free courses in Basildon", [turn_of(first)])
    assert handled and second.slots["course_filters"] == {"near": "Basildon", "free_only": True}


def test_explanations_after_a_course_search_leave_the_course_finder(services):
    _, first = ask(services, "level 3 digital courses near Colchester")
    assert routed(services, "How much is the apprenticeship levy?", [turn_of(first)]).route != "courses"


def test_a_follow_up_rewritten_by_the_follow_up_step_is_understood(services):
    ctx = Context(question="and in Southend?", standalone_question="care courses in Southend?")
    assert handle_courses(ctx, services, today=TODAY)
    assert ctx.slots["course_filters"] == {"subject": "health-and-care", "near": "Southend-on-Sea"}


def test_the_catalogue_is_opened_from_the_settings_when_services_hold_none(services):
    bare = Services(settings=services.settings, embedder=None, store=None, retriever=None)  # type: ignore[arg-type]
    handled, ctx = ask(bare, "level 3 digital courses near Colchester, part-time")
    assert handled and len(ctx.cards) == 3
    assert isinstance(bare.courses, CourseCatalogue)


def test_free_for_me_uses_what_the_learner_says_and_explains_why(services):
    handled, ctx = ask(
        services, "free digital courses near Colchester for me, I'm 20, I have a level 2 and earn £40,000"
    )
    assert handled
    filters = ctx.slots["course_filters"]
    assert filters["age"] == 20 and filters["highest_qualification_level"] == 2 and "level" not in filters
    assert "that may be free for you" in ctx.answer and "Why it may be free for you" in ctx.answer
    assert all(card.get("free_for_me") for card in ctx.cards)
    assert "Level 3 Certificate in Software Development" in {card["title"] for card in ctx.cards}


def test_learner_details_given_as_a_follow_up_narrow_a_free_search(services):
    _, first = ask(services, "free courses in Colchester")
    assert "Tell me your age" in first.answer
    handled, second = ask(services, "I am 24 and earn £30,000", [turn_of(first)])
    assert handled and second.cards and second.cards != first.cards
    assert second.slots["course_filters"]["age"] == 24
    assert "Level 3 Diploma in Digital Support Services" not in {card["title"] for card in second.cards}


def test_an_impossible_age_is_explained_and_not_kept(services):
    handled, ctx = ask(services, "I'm 12, any free courses in Harlow?")
    assert handled and "age must be" in ctx.answer and ctx.cards == []
    assert "age" not in ctx.slots["course_filters"]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        (
            "any welding courses in Basildon?",
            "Level 2 Certificate in Engineering Operations (Welding and Fabrication)",
        ),
        ("bricklaying course in Basildon", "Level 2 Diploma in Bricklaying"),
        ("Where can I study AAT near Chelmsford?", "AAT Level 2 Certificate in Accounting"),
        (
            "Can you recommend an online course in cyber security?",
            "Skills Bootcamp in Cyber Security Foundations (Level 3)",
        ),
    ],
)
def test_the_specific_words_of_a_question_lift_the_matching_course_to_the_top(services, question, first):
    handled, ctx = ask(services, question)
    assert handled and ctx.cards[0]["title"] == first
    assert len(ctx.cards) > 1  # the rest of the subject is still offered


def test_a_town_with_only_online_options_says_so(services):
    handled, ctx = ask(services, "What courses are there in Saffron Walden?")
    assert handled and ctx.cards
    assert ctx.answer.startswith("I found nothing on site within 10 miles of Saffron Walden, but")
    assert all("online" in card["mode"] for card in ctx.cards)


@pytest.mark.parametrize(
    "question",
    ["Which training provider runs first aid courses in Basildon?", "any pottery courses in Colchester?"],
)
def test_a_kind_of_course_the_catalogue_does_not_have_is_left_to_the_documents(services, question):
    handled, ctx = ask(services, question)
    assert handled is False and ctx.status is None and ctx.cards == []


def test_an_empty_catalogue_leaves_course_questions_to_the_documents(settings):
    empty = Services(settings=settings, embedder=None, store=None, retriever=None)  # type: ignore[arg-type]
    handled, ctx = ask(empty, "level 3 digital courses near Colchester")
    assert handled is False and ctx.status is None


def test_a_postcode_outside_essex_is_asked_about_not_ignored(services):
    handled, ctx = ask(services, "digital courses near M1 1AA")
    assert handled and ctx.cards == [] and "I don't know where M1 is" in ctx.answer
    handled, known = ask(services, "digital courses near CO4 3SQ")
    assert handled and known.cards and known.slots["course_filters"]["near"] == "CO4"


def test_a_level_that_does_not_exist_is_explained(services):
    handled, ctx = ask(services, "level 9 courses in Colchester")
    assert handled and ctx.cards == []
    assert "level must be 'entry' or a number from 1 to 8" in ctx.answer
    assert "level" not in ctx.slots["course_filters"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Where can I learn to code in Essex?", {"subject": "digital"}),
        ("Can I do a level 3 course in Colchester?", {"level": 3, "near": "Colchester"}),
        ("Are there courses for adults in Southend?", {"near": "Southend-on-Sea"}),
        ("Is there a plumbing course near Chelmsford?", {"subject": "construction", "near": "Chelmsford"}),
    ],
)
def test_everyday_ways_of_asking_for_courses_are_recognised(services, question, expected):
    ctx = routed(services, question)
    assert ctx.status == Status.ANSWERED and ctx.route == "courses"
    filters = ctx.slots["course_filters"]
    assert {k: filters[k] for k in expected} == expected
