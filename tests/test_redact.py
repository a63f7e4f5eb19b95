"""What is stored of a message: names, contact details and card numbers out, postcodes cut to the district,
and everything else (places, course titles, sectors, figures, course codes) kept word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connector.redact import luhn_valid, pii_kinds, redact_personal_data, redact_pii

EVAL_DEV = Path(__file__).resolve().parent.parent / "eval" / "dev"

# Messages as employers and learners type them, each with what must be stored.
REALISTIC = [
    (
        "Hi, my name is Jane Smith and I run a small construction firm in Basildon. Can we get help "
        "with apprenticeship costs?",
        "Hi, my name is [name] and I run a small construction firm in Basildon. Can we get help "
        "with apprenticeship costs?",
    ),
    (
        "I'm Sarah from Acme Ltd, can you call me on 07700 900123?",
        "I'm [name] from Acme Ltd, can you call me on [phone]?",
    ),
    (
        "I’m called Priya Patel, I want to retrain as an electrician",
        "I’m called [name], I want to retrain as an electrician",
    ),
    ("my name is jane, any courses near SS14 3AB?", "my name is [name], any courses near SS14?"),
    (
        "Hello this is David Jones from Harlow, what level 3 courses are there?",
        "Hello this is [name] from Harlow, what level 3 courses are there?",
    ),
    ("Thanks, Jane", "Thanks, [name]"),
    (
        "Can we use our levy for a level 7 apprenticeship?\n\nRegards\nJohn Smith",
        "Can we use our levy for a level 7 apprenticeship?\n\nRegards\n[name]",
    ),
    ("Kind regards,\n\nMichael O'Brien\nHR Manager", "Kind regards,\n\n[name]\nHR Manager"),
    ("Do you have digital bootcamps? Many thanks, Tom", "Do you have digital bootcamps? Many thanks, [name]"),
    (
        "Is the Team Leader apprenticeship still funded? Cheers, Gary",
        "Is the Team Leader apprenticeship still funded? Cheers, [name]",
    ),
    (
        "What funding is there for care workers?\nBest wishes\nEmma Louise Taylor",
        "What funding is there for care workers?\nBest wishes\n[name]",
    ),
    (
        "Please contact John Smith at john.smith@example.com about Level 3 Team Leader",
        "Please contact [name] at [email] about Level 3 Team Leader",
    ),
    (
        "Sarah Jones 07700 900 123 - looking for welding courses in Grays",
        "[name] [phone] - looking for welding courses in Grays",
    ),
    (
        "email amir.hussain@acme-builders.co.uk or ring Amir Hussain on 01245 123456",
        "email [email] or ring [name] on [phone]",
    ),
    (
        "My NI number is QQ 12 34 56 C, am I eligible for free courses?",
        "My NI number is [ni_number], am I eligible for free courses?",
    ),
    (
        "ni: ab123456c - do I qualify for an advanced learner loan",
        "ni: [ni_number] - do I qualify for an advanced learner loan",
    ),
    ("I paid with 4111 1111 1111 1111 and want a refund", "I paid with [card] and want a refund"),
    (
        "card 5500-0000-0000-0004 was charged twice for the course",
        "card [card] was charged twice for the course",
    ),
    ("ring me on +44 7700 900123 about the bootcamp", "ring me on [phone] about the bootcamp"),
    ("my number is +44 (0)20 7946 0958", "my number is [phone]"),
    ("call 020-7946-0958 or (01206) 712345 please", "call [phone] or [phone] please"),
    ("mobile 07700900123, landline 01702 123456", "mobile [phone], landline [phone]"),
    ("we are at CM14 4AB, which colleges are close?", "we are at CM14, which colleges are close?"),
    (
        "postcode co4 3sq, any part-time accounting courses?",
        "postcode CO4, any part-time accounting courses?",
    ),
    (
        "I live in Chelmsford, CM1 1SQ. I'm 24 and have level 2.",
        "I live in Chelmsford, CM1. I'm 24 and have level 2.",
    ),
    (
        "Hi I'm Olivia, I'm 19 and want an apprenticeship in health and care. olivia99@gmail.com",
        "Hi I'm [name], I'm 19 and want an apprenticeship in health and care. [email]",
    ),
    (
        "It's Mohammed here, does the levy cover agency staff?",
        "It's [name] here, does the levy cover agency staff?",
    ),
    ("Regards,\nDr Karen Wells", "Regards,\n[name]"),
    ("Thank you\nRebecca", "Thank you\n[name]"),
    (
        "Contact Emily Clarke, emily.clarke@essexbuild.co.uk, 07123 456789, SS1 2AB",
        "Contact [name], [email], [phone], SS1",
    ),
    (
        "Speak to Liam Walsh 01376 551234 about logistics training",
        "Speak to [name] [phone] about logistics training",
    ),
    (
        "My name's Dawid Nowak and I have an HGV licence from Poland",
        "My name's [name] and I have an HGV licence from Poland",
    ),
    ("this is Chloe, is the digital bootcamp free?", "this is [name], is the digital bootcamp free?"),
]

# Capitalised words that follow the same cues, figures that look like numbers, must all come through.
BENIGN = [
    "this is Level 3 Team Leader in Construction, is it still funded?",
    "I'm 24 and Polish, living in Harlow",
    "I'm Level 2 qualified, can I do a Level 3?",
    "Is there anything in Basildon? Thanks",
    "Thanks for the help with Advanced Manufacturing",
    "our pay bill is 4200000000000, what is our levy?",
    "course code 1234567890123 at Basildon",
    "ST0116 level 3 standard costs £4,500",
    "Is Construction a priority sector for Essex?",
    "Who chairs the Essex Employer Representative Body?",
    "What did Electrical Installation Level 2 at Basildon cost in 2023-24?",
    "Call me back about Health and Social Care Level 3",
    "Regards the levy: can we transfer 50% to a supplier?",
    "It's Colchester Institute I want to ask about",
]


@pytest.mark.parametrize(("message", "stored"), REALISTIC)
def test_names_and_contact_details_are_taken_out_before_storing(message: str, stored: str) -> None:
    assert redact_personal_data(message) == stored


def test_the_realistic_list_is_long_enough_to_mean_something() -> None:
    assert len(REALISTIC) >= 30


@pytest.mark.parametrize("message", BENIGN)
def test_places_courses_sectors_and_figures_come_through_unchanged(message: str) -> None:
    assert redact_personal_data(message) == message


def _dev_questions() -> list[str]:
    items = [item for path in sorted(EVAL_DEV.glob("*.yaml")) for item in yaml.safe_load(path.read_text())]
    return [item["question"] for item in items if isinstance(item, dict) and item.get("question")]


def test_every_dev_question_keeps_its_words_except_a_postcodes_inward_code() -> None:
    questions = _dev_questions()
    assert len(questions) > 300
    changed = [(q, redact_personal_data(q)) for q in questions if redact_personal_data(q) != q]
    # The dev sets hold two full postcodes and nothing else personal: they become their districts.
    assert changed == [("SS14 3AB", "SS14"), ("CM1 1SQ", "CM1")]


def test_luhn_check_tells_card_numbers_from_other_long_numbers() -> None:
    assert luhn_valid("4111111111111111") and luhn_valid("5500000000000004")
    assert not luhn_valid("4111111111111112") and not luhn_valid("1234567890123")


def test_a_card_number_of_nineteen_digits_is_caught() -> None:
    assert redact_pii("card 6011 0000 0000 0000 001 thanks") == "card [card] thanks"
    assert luhn_valid("6011000000000000001")


def test_answer_path_markers_are_unchanged_and_a_postcode_is_marked_not_cut() -> None:
    # The guard and the focus check read these markers; only what is stored keeps the district.
    assert redact_pii("I live at CO1 1AA, call 07700 900123") == "I live at [postcode], call [phone]"
    assert pii_kinds("card 4111 1111 1111 1112 is not one") == []
