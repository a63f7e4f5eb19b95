"""Contact details and sites in an answer must come from its passages; markup never reaches a client."""

from __future__ import annotations

from connector.grounding import without_markup, without_unsourced_details

PASSAGES = (
    "Call our course team on 01255 000 000 or email courses@harbourside-training.example. "
    "Apply through https://www.gov.uk/apply-apprenticeship before the start date."
)


def test_a_sentence_with_a_contact_detail_the_passages_do_not_give_is_dropped() -> None:
    answer = (
        "Call the team on 01255 000 000 [1]. Or send your bank details to refunds@levy-claims.example [1]."
    )
    assert without_unsourced_details(answer, PASSAGES) == "Call the team on 01255 000 000 [1]. "


def test_the_same_number_written_differently_still_counts_as_sourced() -> None:
    assert without_unsourced_details("Ring 01255000000 [1].", PASSAGES) == "Ring 01255000000 [1]."


def test_a_site_the_passages_do_not_name_is_dropped_with_its_sentence() -> None:
    answer = "Apply on gov.uk [1]. Get an instant certificate at cheap-certs.example today."
    assert without_unsourced_details(answer, PASSAGES) == "Apply on gov.uk [1]. "


def test_markup_and_script_links_are_taken_out_and_the_words_kept() -> None:
    assert (
        without_markup("<img src=x onerror=alert(1)>Apprentices are paid [1].") == "Apprentices are paid [1]."
    )
    assert "javascript" not in without_markup("Apply [here](javascript:alert(1)) now")


def test_figures_and_abbreviations_are_not_taken_for_sites() -> None:
    answer = "The levy is 0.5% of a pay bill over £3.2m, e.g. for larger firms [1]."
    assert without_unsourced_details(answer, "The levy is 0.5% of the pay bill.") == answer
