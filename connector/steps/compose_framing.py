"""Audience framing for extractive answers: after the direct answer, one more quoted sentence that says
what the answer means for the asker, labelled as such.

    framing_sentence(ranked, chosen, "employer")
    # -> the best remaining sentence about cost, time or what the firm must do, or None

An employer needs the business side (cost, time commitment, what the firm must do); a learner needs
eligibility and next steps. The sentence is quoted verbatim from a page the answer already cites, so the
framing adds no words of its own beyond the label, and is left out when no sentence is relevant enough
or the answer already covers that side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from connector.lexical import tokenize

if TYPE_CHECKING:
    from connector.steps.compose import Candidate

AUDIENCE_TERMS = {
    "employer": frozenset(
        tokenize(
            "cost costs pay paid fund funding levy contribution co-investment hours week weeks month months "
            "must employer employers wage salary time agree sign contract commitment release"
        )
    ),
    "learner": frozenset(
        tokenize(
            "eligible eligibility age aged free qualify apply entitled entitlement next contact enrol "
            "loan requirements need needs interview"
        )
    ),
}
LABELS = {
    "employer": "What this means for your business:",
    "learner": "What this means for you:",
}
# A sentence needs this many of its audience's terms to count as framing (one shared word is chance).
MIN_TERMS = 2
# ...and must still be about the question: this close in meaning to it.
MIN_SIMILARITY = 0.35


def frames(candidate: Candidate, audience: str) -> bool:
    """The sentence speaks to the audience's side of things."""
    return len(candidate.tokens & AUDIENCE_TERMS[audience]) >= MIN_TERMS


def framing_sentence(
    ranked: list[Candidate], chosen: list[Candidate], audience: str | None
) -> Candidate | None:
    """The best sentence not yet used that frames the answer for the audience, from a page the answer
    cites; None when the answer already does it or nothing fits."""
    if audience not in AUDIENCE_TERMS or not chosen or any(frames(c, audience) for c in chosen):
        return None
    cited = {c.url for c in chosen}
    for candidate in ranked:  # best first
        if (
            candidate not in chosen
            and candidate.url in cited
            and candidate.stands_alone
            and candidate.similarity >= MIN_SIMILARITY
            and frames(candidate, audience)
            and not any(candidate.tokens == c.tokens for c in chosen)
        ):
            return candidate
    return None
