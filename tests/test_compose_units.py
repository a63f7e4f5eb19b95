"""The extractive composer's sentence rules on a web page's shapes: details lists, titles, stock text
repeated across pages, and questions asking for a kind of fact (no model needed)."""

from __future__ import annotations

from connector.answer_types import asked_types, holds
from connector.retrieve import _mark_repeated
from connector.sentences import split_sentences
from connector.steps import compose
from connector.types import Chunk, Hit

COURSE_PAGE = (
    "Plumbing for beginners at our Harlow campus.\n"
    "Course code: PL1-HAR-2627\n"
    "Adult fee 2026-27: £1,150\n"
    "Days and times: Monday and Thursday, 5:30pm to 9:00pm\n"
    "Plumbing and Domestic Heating Level 2 Diploma\n"
    "Building, plumbing and carpentry courses taught in real workshops across three campuses."
)
OTHER_PAGE = "Building, plumbing and carpentry courses taught in real workshops across three campuses."


def page(text: str, url: str, title: str = "Plumbing Level 1 | Rivermead College") -> Hit:
    return Hit(chunk=Chunk(id=url, url=url, title=title, heading_path=[], text=text), score=1.0)


def test_each_label_and_value_line_of_a_details_list_is_its_own_sentence() -> None:
    sentences = split_sentences(COURSE_PAGE)
    assert "Adult fee 2026-27: £1,150" in sentences
    assert "Days and times: Monday and Thursday, 5:30pm to 9:00pm" in sentences


def test_wrapped_lines_of_a_paragraph_still_join() -> None:
    assert split_sentences("A guide line that wraps\nonto the next line.") == [
        "A guide line that wraps onto the next line."
    ]


def test_titles_and_link_texts_are_never_quoted_as_answers() -> None:
    texts = [c.text for c in compose.candidates([page(COURSE_PAGE, "http://x/pl1")])]
    assert "Plumbing and Domestic Heating Level 2 Diploma" not in texts
    assert compose.is_title("Electrical Installation Level 3 Advanced Diploma")
    assert not compose.is_title("The course runs on Monday evenings.")


def test_sentences_repeated_word_for_word_on_other_pages_are_marked_as_stock_text() -> None:
    found = compose.candidates([page(COURSE_PAGE, "http://x/pl1"), page(OTHER_PAGE, "http://x/pl2")])
    shared = {c.text for c in found if c.shared}
    assert shared == {OTHER_PAGE}


def test_questions_name_the_kind_of_fact_they_want_and_sentences_hold_it() -> None:
    assert asked_types("which evening is the plumbing class and how much is it?") == {"day_or_time", "money"}
    assert asked_types("when does the next intake start?") == {"date", "year"}
    assert asked_types("what share of employers report a skills gap?") == {"share"}
    assert asked_types("who leads the plan?") == {"name"}
    assert asked_types("how many apprentices started last year?") == {"count"}
    assert holds({"share"}, "About 38% of firms reported a gap.")
    assert holds({"name"}, "The plan is led by Anytown Chamber of Commerce.")
    assert not holds({"name"}, "The plan is led by the local chamber.")
    assert holds({"year"}, "It was published in May 2024.")
    assert asked_types("what will I learn?") == set()
    assert asked_types("Is it funded? When does it start?") == {"date", "year"}
    assert holds({"money"}, "Adult fee 2026-27: £1,150")
    assert holds({"day_or_time"}, "Days and times: Monday and Thursday, 5:30pm to 9:00pm")
    assert not holds({"date"}, "Days and times: Monday and Thursday, 5:30pm to 9:00pm")


def test_sentences_whose_scores_differ_only_in_the_last_bits_go_in_reading_order() -> None:
    found = compose.candidates([page(COURSE_PAGE, "http://x/pl1")])
    first, second = found[0], found[1]
    first.score, second.score = 0.5, 0.5 + 1e-12  # the same score, computed in another order
    assert sorted([second, first], key=compose.ranking) == [first, second]
    second.score = 0.51
    assert sorted([first, second], key=compose.ranking) == [second, first]


def test_a_second_kind_of_fact_asked_for_is_added_from_the_main_page() -> None:
    found = compose.candidates([page(COURSE_PAGE, "http://x/pl1")])
    lead = next(c for c in found if c.text.startswith("Plumbing for beginners"))
    fee = next(c for c in found if c.text.startswith("Adult fee"))
    days = next(c for c in found if c.text.startswith("Days and times"))
    lead.score, fee.score, days.score = 1.0, 0.9, 0.1  # the day line is below the score floor
    chosen = compose.select([lead, fee, days], found, {"money", "day_or_time"})
    assert days in chosen and fee in chosen


def test_an_answer_from_a_web_page_is_prefixed_with_the_page_name_unless_it_says_it() -> None:
    hits = [page(COURSE_PAGE, "http://x/pl1")]
    found = compose.candidates(hits)
    lead = next(c for c in found if c.text.startswith("Days and times"))
    assert compose.named(lead, hits) == "Plumbing Level 1: "
    guide = [page(COURSE_PAGE, "/corpus/plumbing")]
    assert compose.named(compose.candidates(guide)[0], guide) == ""


def test_a_short_label_and_value_line_is_kept_but_a_short_fragment_is_not() -> None:
    sentences = split_sentences("Course code: PL1-HAR-2627\nCampus: Harlow\nStairs and kitchens\n")
    assert sentences == ["Course code: PL1-HAR-2627", "Campus: Harlow"]


def test_asking_for_a_course_a_discount_or_a_time_to_fit_around_names_those_kinds() -> None:
    assert asked_types("Is there an evening course in Chelmsford?") == {"course", "day_or_time"}
    assert asked_types("Which course should I start with?") == {"course"}
    assert asked_types("price and any discount for a group?") == {"money", "discount"}
    assert asked_types("does it fit round the school run?") == {"day_or_time"}
    assert asked_types("who's the apprenticeship adviser for engineering firms?") == {"contact", "name"}
    assert asked_types("who are apprentices?") == set()
    assert holds({"course"}, "Course code: PL1-HAR-2627")
    assert not holds({"course"}, "Plumbing for beginners at our Harlow campus.")
    assert holds({"discount"}, "Book five or more places and we take 10% off.")


def test_the_code_line_is_added_when_the_question_asks_which_course_though_it_was_not_shortlisted() -> None:
    found = compose.candidates([page(COURSE_PAGE, "http://x/pl1")])
    lead = next(c for c in found if c.text.startswith("Plumbing for beginners"))
    lead.score = 1.0
    chosen = compose.select([lead], found, {"course"})
    # The best-scored sentence leads; the line that holds what was asked for joins it.
    assert [c.text for c in chosen] == [
        "Plumbing for beginners at our Harlow campus.",
        "Course code: PL1-HAR-2627",
    ]


def test_a_label_line_that_only_repeats_the_question_is_marked_down() -> None:
    assert compose._echoes("Campus: Harlow", {"harlow"})
    assert not compose._echoes("Campus: Harlow", {"chelmsford"})
    assert not compose._echoes("The Harlow campus has a cafe.", {"harlow"})


def test_a_kind_of_fact_missing_from_the_main_page_comes_from_another_page_already_quoted() -> None:
    listing = page("Course: Plumbing Level 1; Code: PL1-HAR-2627; Adult fee: £1,150", "http://x/plumbing/")
    course = page(COURSE_PAGE, "http://x/pl1")
    found = compose.candidates([listing, course])
    row = next(c for c in found if c.url.endswith("/plumbing/"))
    lead = next(c for c in found if c.text.startswith("Plumbing for beginners"))
    row.score, lead.score = 1.0, 0.9
    chosen = compose.select([row, lead], found, {"day_or_time"})
    assert any(c.text.startswith("Days and times") for c in chosen)
    assert {c.url for c in chosen} == {"http://x/plumbing/", "http://x/pl1"}


def test_a_long_sentence_listing_many_names_is_still_quotable() -> None:
    names = ", ".join(f"Standard Number {n} (level 3)" for n in range(22))
    sentence = f"From September 2026, funding is withdrawn from {names}."
    assert 650 < len(sentence) < 800 and split_sentences(sentence) == [sentence]


def test_stock_text_that_other_candidate_pages_repeat_is_marked_though_they_are_not_quoted() -> None:
    quoted = page(COURSE_PAGE, "http://x/pl1")
    siblings = [
        page(f"{name} for beginners.\n{OTHER_PAGE}", f"http://x/{name}") for name in ("Brick", "Wood")
    ]
    _mark_repeated([quoted, *siblings])
    assert quoted.repeated == frozenset({OTHER_PAGE})
    found = compose.candidates([quoted])  # the sibling pages are candidates, not quoted passages
    assert {c.text for c in found if c.shared} == {OTHER_PAGE}


def test_text_two_pages_share_is_not_stock_text_nor_is_a_short_line() -> None:
    entry = "GCSE maths and English at grade 3 or above, or Functional Skills Level 1 in both."
    twins = [page(f"Aged 19 or over.\n{entry}", url) for url in ("http://x/el2-bas", "http://x/el2-che")]
    short = page("Aged 19 or over.", "http://x/other")
    _mark_repeated([*twins, short])
    assert all(hit.repeated == frozenset() for hit in [*twins, short])
