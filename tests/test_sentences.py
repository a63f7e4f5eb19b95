"""Sentence boundaries inside a paragraph: abbreviations, decimals and numbers do not end a sentence."""

from __future__ import annotations

import pytest

from connector.sentences import paragraph_sentences, split_sentences, split_units


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Contact Dr. Smith at St. Albans campus. He is nice and will help.",
            ["Contact Dr. Smith at St. Albans campus.", "He is nice and will help."],
        ),
        (
            "Some courses, e.g. Level 3 plumbing, are free. Others cost money.",
            ["Some courses, e.g. Level 3 plumbing, are free.", "Others cost money."],
        ),
        (
            "The fund is worth £1.5 million this year. It opened in 2025.",
            ["The fund is worth £1.5 million this year.", "It opened in 2025."],
        ),
        (
            "See form No. 5 for the details. Then apply online.",
            ["See form No. 5 for the details.", "Then apply online."],
        ),
        (
            "It takes approx. 20 hours a week. Most learners finish in a year.",
            ["It takes approx. 20 hours a week.", "Most learners finish in a year."],
        ),
        (
            "The levy is 0.5% of your pay bill. Is it free? Yes, for adults aged 19+!",
            ["The levy is 0.5% of your pay bill.", "Is it free?", "Yes, for adults aged 19+!"],
        ),
    ],
)
def test_abbreviations_and_decimals_do_not_end_a_sentence(text: str, sentences: list[str]) -> None:
    assert paragraph_sentences(text) == sentences


def test_the_examples_come_out_of_split_sentences_whole() -> None:
    # The regex splitter cut this into pieces too short to keep, so the passage gave no sentence at all.
    assert split_sentences("Contact Dr. Smith at St. Albans campus. He is nice.") == [
        "Contact Dr. Smith at St. Albans campus."
    ]
    assert split_sentences("Some courses, e.g. Level 3 plumbing, are free. Others cost a little.") == [
        "Some courses, e.g. Level 3 plumbing, are free.",
        "Others cost a little.",
    ]


def test_a_closing_bracket_or_quote_stays_with_its_sentence() -> None:
    text = '(The cap was 25% until April 2024.) Ask: "Am I eligible for this course?" They will check.'
    assert paragraph_sentences(text) == [
        "(The cap was 25% until April 2024.)",
        'Ask: "Am I eligible for this course?"',
        "They will check.",
    ]


def test_markdown_lists_fields_and_steps_are_still_units() -> None:
    text = (
        "## How to apply\n\n"
        "You can **apply** online in [three steps](https://example.org/apply):\n"
        "- fill in the form, e.g. your name;\n"
        "- send it by 5 p.m. on Friday.\n\n"
        "Then follow these steps, approx. 20 minutes each.\n\n"
        "1. Register on the apprenticeship service today.\n"
        "Course code: EL3-BAS-2627\n"
    )
    assert split_units(text) == [
        (
            "You can apply online in three steps: fill in the form, e.g. your name; "
            "send it by 5 p.m. on Friday.",
            False,
        ),
        ("Then follow these steps, approx. 20 minutes each.", False),
        ("Register on the apprenticeship service today.", True),
        ("Course code: EL3-BAS-2627", False),
    ]


def test_units_are_cached_per_passage_but_callers_get_their_own_list() -> None:
    text = "Bands run from **£1,500** to **£27,000**. Skills England sets the bands."
    first = split_units(text)
    first.append(("changed by a caller", False))
    assert split_units(text) == [
        ("Bands run from £1,500 to £27,000.", False),
        ("Skills England sets the bands.", False),
    ]


def test_a_short_labelled_item_stays_whole_so_its_later_sentences_keep_their_label() -> None:
    text = (
        "No appointment is needed at our drop-in clinics.\n\n"
        "- **Northgate**: Town Library, Room 2. The second Thursday of each month, 1pm to 4pm.\n"
        "- **Harbour**: Enterprise Hub, Quayside. The last Friday of each month, 10am to 1pm.\n\n"
        "Parking is free for visitors. Bring your levy statement if you have one.\n"
    )
    assert split_sentences(text)[1:] == [
        "Northgate: Town Library, Room 2. The second Thursday of each month, 1pm to 4pm.",
        "Harbour: Enterprise Hub, Quayside. The last Friday of each month, 10am to 1pm.",
        "Parking is free for visitors.",  # a paragraph with no label is still cut into its sentences
        "Bring your levy statement if you have one.",
    ]
    long_item = "Fees: " + "The course fee is £300 for members and more for others. " * 5
    assert len(split_sentences(long_item)) == 5  # a long one is cut as before
