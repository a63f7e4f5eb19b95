"""The focus check: passages that match a question's names but not what it asks about do not answer it."""

from __future__ import annotations

from connector.focus import (
    WORD_SIMILARITY,
    focus_gap,
    focus_terms,
    off_focus,
    priced_thing,
    specific_terms,
    unsupported_focus,
)
from connector.lexical import stem
from connector.passage_words import address_words
from connector.types import Chunk, Hit
from connector.word_meaning import WordMeanings


def hit(text: str, title: str = "Thameside Skills Academy") -> Hit:
    return Hit(chunk=Chunk(id=text[:20], url="/about", title=title, heading_path=[], text=text), score=1.0)


ABOUT = [
    hit("Thameside Skills Academy has campuses in Basildon and Grays. There is free parking on site."),
    hit("Our welding course runs on Tuesday evenings and costs £1,150.", title="Welding and fabrication"),
]


def test_focus_leaves_out_names_numbers_and_words_of_asking() -> None:
    question = "What grade did Thameside Skills Academy get at its last Ofsted inspection in 2025?"
    assert focus_terms(question) == ["grade", stem("inspection")]


def test_acronyms_and_codes_stay_in_the_focus() -> None:
    assert "htq" in focus_terms("Is an HTQ the same as a degree?")
    assert "st0116" in focus_terms("Who delivers ST0116 in Essex?")


def test_question_about_something_no_passage_mentions_is_off_focus() -> None:
    assert off_focus("What grade did Thameside Skills Academy get at its last Ofsted inspection?", ABOUT)
    assert off_focus("Is there a gym at the Basildon campus?", ABOUT)


def test_paraphrased_question_with_stemmed_and_synonym_words_is_supported() -> None:
    assert unsupported_focus("Is it free to park at the Basildon site?", ABOUT) == []
    assert not off_focus("What is the price of the Thameside welding class?", ABOUT)
    assert not off_focus("Which day does the welding course run?", ABOUT)


def test_the_words_of_a_page_address_support_the_focus() -> None:
    assert (
        address_words("https://a.example/toolkits/hiring_ex-offenders.html?id=3")
        == "toolkits hiring ex-offenders"
    )
    assert address_words("https://a.example/") == ""
    page = Hit(
        chunk=Chunk(
            id="nfn",
            url="https://a.example/toolkits/ex-offenders",
            title="Recruiting people with convictions",
            heading_path=[],
            text="New Futures Network helps employers recruit prison leavers.",
        ),
        score=1.0,
    )
    question = "We employ ex-offenders, any help for that?"
    assert unsupported_focus(question, [page]) == []
    assert unsupported_focus(question, [hit(page.chunk.text, title=page.chunk.title)]) != []


def test_question_with_only_names_and_asking_words_is_never_off_focus() -> None:
    assert focus_terms("Tell me about Thameside Skills Academy") == []
    assert not off_focus("Tell me about Thameside Skills Academy", ABOUT)


def test_a_name_or_year_no_passage_mentions_is_off_focus() -> None:
    question = "What Ofsted grade did Rivermead College get?"
    assert specific_terms(question) == [stem("ofsted"), "rivermead", stem("college")]
    assert off_focus("Does Thameside Skills Academy have an Ofsted report?", ABOUT)
    assert off_focus("What did the Thameside welding course cost in 2019?", ABOUT)
    assert not off_focus(
        "What does the Thameside welding course cost in 2026?", [*ABOUT, hit("Fees for 2026.")]
    )


def test_towns_months_and_sentence_openers_are_not_names_that_must_match() -> None:
    assert specific_terms("Hi. Is the welding course in Chelmsford in January? GCSEs needed?") == []
    assert not off_focus("Is the welding course at Chelmsford on a Tuesday in January?", ABOUT)


def test_contact_details_and_links_are_not_part_of_the_focus() -> None:
    question = "I'm jo@example.com on 07700 900123, what is https://example.org/page about? [email]"
    assert focus_terms(question) == []


def test_a_yes_no_question_about_a_sum_no_passage_states_is_off_focus() -> None:
    assert off_focus("Does Thameside pay learners a £500 bonus for enrolling?", ABOUT)
    assert not off_focus("Does the Thameside welding course cost £1,150?", ABOUT)


def test_what_the_question_asks_about_at_a_named_town_must_be_said_of_that_town() -> None:
    campuses = [
        hit("Our Basildon campus has a cafe and a library.", title="Basildon campus"),
        hit("Our Grays campus has a library and free parking.", title="Grays campus"),
    ]
    assert off_focus("Is there a cafe at the Grays campus?", campuses)
    assert not off_focus("Is there a cafe at the Basildon campus?", campuses)
    assert not off_focus("Is there parking at the Grays campus?", campuses)


def test_a_language_someone_speaks_is_not_a_name_the_passages_must_carry() -> None:
    assert specific_terms("English lessons for my husband, his first language is Polish. Which days?") == []


def test_a_yes_no_question_about_a_sum_needs_every_focus_word_in_the_passages() -> None:
    fees = [hit("A bursary of up to £500 helps with travel and equipment.", title="Fees")]
    assert off_focus("Does Thameside pay learners a £500 bonus for enrolling?", fees)
    assert not off_focus("Is there a £500 bursary for equipment?", fees)


def test_asking_whether_something_still_runs_keeps_the_focus_on_the_thing() -> None:
    ended = [hit("The Multiply numeracy programme ended on 31 March 2025.", title="Multiply")]
    assert focus_terms("Is the Multiply programme still running?") == [stem("programme")]
    assert not off_focus("Is the Multiply programme still running?", ended)


def test_an_age_written_as_n_year_old_is_a_figure_and_pass_means_achieve() -> None:
    question = "Does a 30-year-old apprentice still have to pass English and maths?"
    assert focus_terms(question) == [stem("apprentice"), "pass", "math"]
    rule = [hit("Apprentices aged 19 or over no longer have to achieve English and maths.", title="Rules")]
    assert not off_focus(question, rule)


def test_the_thing_an_is_there_question_asks_about_must_be_in_the_passages() -> None:
    campus = [hit("Chelmsford Campus: a library, a cafe and a health and care suite for students.")]
    assert off_focus("Is there a gym students can use at the Chelmsford campus?", campus)
    assert not off_focus("Is there a cafe students can use at the Chelmsford campus?", campus)
    fees = [hit("The same list of adult fees is in the fees PDF.", title="Fees")]
    assert not off_focus("Is there a downloadable list of adult fees?", fees)


def test_asking_whether_a_provider_runs_something_keeps_the_focus_on_the_thing() -> None:
    courses = [
        hit("Construction courses at our Anytown campus: bricklaying, carpentry and plumbing, levels 1 to 3.")
    ]
    assert off_focus("Do you run a plastering course at the Anytown campus?", courses)
    assert off_focus("do you do roofing courses for adults at the Anytown campus?", courses)
    assert not off_focus("Do you offer carpentry courses at the Anytown campus?", courses)


def test_chatty_words_are_not_the_focus() -> None:
    question = "need 6 of our lads trained as first aiders, cost per person?"
    assert focus_terms(question) == ["train", "first", "aider", "cost"]


def test_the_price_of_a_thing_no_priced_passage_names_is_not_answered_from_other_prices() -> None:
    pages = [
        hit("A 2-day requalification course before your certificate expires.", title="First aid"),
        hit("First Aid at Work course, 3 days: £265 per delegate.", title="Prices"),
        hit("Emergency First Aid at Work course, 1 day: £110 per delegate.", title="Prices"),
    ]
    assert off_focus("How much is the 2-day first aid requalification course?", pages)
    assert not off_focus("How much is the emergency first aid course?", pages)


def test_a_price_question_about_a_thing_no_passage_names_at_all_is_not_answered() -> None:
    pages = [
        hit("Room hire for members costs £40 an hour.", title="Our rooms"),
        hit("The Skills Voucher pays 70% of a short course fee, up to £800.", title="Vouchers"),
    ]
    assert focus_gap("How much is the annual subscription to join?", pages) == "price"
    assert focus_gap("What's the cost of the room hire for an evening?", pages) is None
    # The asker's own case names no thing: the other rules judge it.
    assert priced_thing("How much do we pay for a voucher?") == []
    assert priced_thing("What is the price of a day of room hire?") == ["day", "room", "hire"]
    assert priced_thing("How much does it cost to join the chamber?") == ["join", "chamber"]


def test_a_focus_word_the_page_says_in_other_words_is_supported_by_meaning(embedder) -> None:
    meanings = WordMeanings(embedder)
    campus = [hit("Students can use the gym every weekday evening.", title="Campus life")]
    question = "Is there a fitness room?"
    assert focus_gap(question, campus) == "thing"  # word for word, "fitness" is absent
    assert focus_gap(question, campus, meanings) is None  # "gym" says the same in other words
    assert focus_gap("Is there a wifi password?", campus, meanings) == "thing"


def test_the_thing_a_what_or_who_question_asks_about_must_be_in_the_passages() -> None:
    assert focus_gap("What's the pass rate for the welding course?", ABOUT) == "thing"
    assert focus_gap("Who is the principal at Thameside?", ABOUT) == "thing"
    # The thing is there, in the page's own word for it ("costs" for "price"): the rest need not be.
    assert focus_gap("What's the price of the welding evenings for a beginner?", ABOUT) is None


def test_missing_everyday_words_alone_do_not_decline() -> None:
    # Most of the question's words are not in the passage, but none carries a constraint (a name, a year,
    # a sum, a thing asked to exist or priced, a town): on unseen sites such words were other wording.
    levy = [hit("Funds in your apprenticeship service account expire after 12 months.", title="The levy")]
    assert focus_gap("if we don't get round to spending our levy pot, how long till it's gone?", levy) is None


def test_word_meanings_rank_a_synonym_above_an_unrelated_word(embedder) -> None:
    meanings = WordMeanings(embedder)
    word, score = meanings.closest("salary", ["wage", "campus", "Salary"])
    assert word == "wage" and score >= WORD_SIMILARITY
    assert meanings.closest("gym", []) == ("", -1.0)
    assert set(meanings.vectors(["Wage", "wage"])) == {"wage"}
