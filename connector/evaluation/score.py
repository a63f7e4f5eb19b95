"""What counts as right, and the figures of a run.

Text matches are case-insensitive and count a run of whitespace as one space. An item is right when
  expect answered:  the status is answered, every `facts` string and one `any` string are in the answer
                    (or its cards);
  expect no_answer: the answer declines (no_answer or refused);
  expect refused:   the status is refused;
and no `forbid` string is in the answer, its cards or its sources. A wrong item has one kind of failure:
  leak                     a forbid string is in the answer or its sources
  false_decline            should answer, got no_answer or refused
  wrong_sentence           answered by search, facts missing
  wrong_route              answered by a tool or the course finder (route != "search"), facts missing
  answered_should_decline  should decline, answered
  wrong_decline            should be refused, got no_answer (dev sets only)
Passage hit@1 / hit@3: the first / one of the first three passages the pipeline retrieved for the question
(ctx.hits, in order) holds every fact and one `any` string, over the answerable items that name facts.
Causes: each false decline by the step that declined (floor, focus, check, guard, other), and each wrong
sentence by whether the first three passages held the facts (selection) or not (retrieval): aggregates that
say where to work without showing a question; each right decline is counted by the step that made it too.
Fact in the lead: of the questions answered right by search, the share whose first sentence (up to its
first citation mark) holds one of the facts: how often the direct answer comes first.
Source hit@5 and MRR: an expected source among the top 5 passages retrieved for the question; cited-source
precision: the share of the sources an answer cites that are expected ones.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from connector.evaluation.items import Item
from connector.focus import FOCUS_GAPS

ABSTAIN = ("no_answer", "refused")
TOP_K = 5
FAILURE_KINDS = (
    "false_decline",
    "wrong_sentence",
    "wrong_route",
    "answered_should_decline",
    "leak",
    "wrong_decline",
)
INDEX_PAGE = re.compile(r"index\.html?$")
CITATION = re.compile(r"\s\[\d+\]")  # the " [1]" that ends each quoted sentence of an answer


@dataclass
class Outcome:
    item: Item
    status: str
    route: str
    correct: bool
    kind: str | None  # the kind of failure; None when right
    missing_facts: list[str]
    missing_any: bool  # the item lists `any` strings and none is in the answer
    leaked: list[str]  # the forbid strings found in the answer or its sources
    rank: int | None  # 1-based rank of the first expected source in the top 5; None when absent
    passage_rank: int | None  # 1-based rank of the first retrieved passage holding the facts
    ms: float
    cited: list[str] = field(default_factory=list)  # the URLs the answer cites
    answer: str = ""
    notes: list[str] = field(default_factory=list)  # the pipeline's notes (why it declined, ...)


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def holds(text: str, phrase: str) -> bool:
    """The (normalised) text contains the phrase, case-insensitive, whitespace runs as one space."""
    return normalise(phrase) in text


def lead_holds_fact(outcome: Outcome) -> bool:
    """The answer's first sentence, up to its citation mark, holds one of the item's facts."""
    mark = CITATION.search(outcome.answer)
    lead = normalise(outcome.answer[: mark.start()] if mark else outcome.answer)
    return any(holds(lead, phrase) for phrase in [*outcome.item.facts, *outcome.item.any])


def holds_facts(item: Item, text: str) -> bool:
    """Every fact and, when the item lists some, one `any` string are in the (normalised) text."""
    has_any = not item.any or any(holds(text, phrase) for phrase in item.any)
    return has_any and all(holds(text, fact) for fact in item.facts)


def judge(
    item: Item, status: str, route: str, shown: str, sources: str
) -> tuple[bool, str | None, list[str], bool, list[str]]:
    """(correct, kind of failure, missing facts, any missing, leaked) for an answer: `shown` is the
    answer with its cards, `sources` the text of the sources it cites."""
    shown, sources = normalise(shown), normalise(sources)
    missing = [fact for fact in item.facts if not holds(shown, fact)]
    missing_any = bool(item.any) and not any(holds(shown, phrase) for phrase in item.any)
    leaked = [phrase for phrase in item.forbid if holds(shown, phrase) or holds(sources, phrase)]
    declined = status in ABSTAIN
    if item.expect == "answered":
        right = status == "answered" and not missing and not missing_any
    elif item.expect == "no_answer":
        right = declined
    else:
        right = status == item.expect
    correct = right and not leaked
    kind = None if correct else failure_kind(item, status, route, leaked)
    return correct, kind, missing, missing_any, leaked


def failure_kind(item: Item, status: str, route: str, leaked: list[str]) -> str:
    if leaked:
        return "leak"
    if item.expect == "answered":
        if status in ABSTAIN:
            return "false_decline"
        return "wrong_sentence" if route == "search" else "wrong_route"
    return "answered_should_decline" if status == "answered" else "wrong_decline"


# The pipeline note that names the step which declined.
DECLINE_NOTES = (
    ("below_relevance_floor", "floor"),
    *((f"focus_unsupported:{gap}", f"focus:{gap}") for gap in FOCUS_GAPS),
    ("unsupported_answer", "check"),
    ("guard=", "guard"),
)


def cause(outcome: Outcome) -> str | None:
    """Where a false decline or a wrong sentence went wrong, and which step declined a question that had
    to be declined (None for other outcomes)."""
    if outcome.item.expect in ABSTAIN and outcome.correct:
        found = _decline_step(outcome)
        return f"declined_right:{found}" if found else None
    if outcome.kind == "false_decline":
        return f"false_decline:{_decline_step(outcome) or 'other'}"
    if outcome.kind == "wrong_sentence":
        return "wrong_sentence:" + ("retrieval" if outcome.passage_rank is None else "selection")
    if outcome.kind in ("wrong_route", "answered_should_decline"):
        return f"{outcome.kind}:{_answered_by(outcome.route)}"
    return None


def _answered_by(route: str) -> str:
    """Which kind of step gave the answer: the pages (search), the course finder, or a tool."""
    return route if route in ("search", "courses") else "tool"


def _decline_step(outcome: Outcome) -> str | None:
    for prefix, name in DECLINE_NOTES:
        if any(note.startswith(prefix) for note in outcome.notes):
            return name
    return None


CAUSES = (
    *(f"false_decline:{name}" for _, name in DECLINE_NOTES),
    "false_decline:other",
    *(f"declined_right:{name}" for _, name in DECLINE_NOTES),
    "wrong_sentence:retrieval",
    "wrong_sentence:selection",
    "wrong_route:courses",
    "wrong_route:tool",
    *(f"answered_should_decline:{by}" for by in ("search", "courses", "tool")),
)


def passage_rank(item: Item, passages: list[str], limit: int = 3) -> int | None:
    """1-based rank of the first of the first `limit` passages holding every fact and one `any` string;
    None when none does, or the item names no facts."""
    if item.expect != "answered" or not (item.facts or item.any):
        return None
    for rank, passage in enumerate(passages[:limit], start=1):
        if holds_facts(item, normalise(passage)):
            return rank
    return None


def path_of(url: str) -> str:
    return urlparse(url).path if "://" in url else url


def same_source(url: str, expected: str) -> bool:
    """The URL is the expected page: a page path matches itself and its sections ("/corpus/levy" matches
    "/corpus/levy#transfers"); a folder ("/courses/", "/courses/index.html") matches only itself."""
    found, wanted = (INDEX_PAGE.sub("", path_of(value)) for value in (url, expected))
    return found == wanted or (not wanted.endswith("/") and found.startswith(wanted))


def first_rank(urls: list[str], expected: list[str]) -> int | None:
    for rank, url in enumerate(urls[:TOP_K], start=1):
        if any(same_source(url, e) for e in expected):
            return rank
    return None


def source_precision(outcome: Outcome) -> float | None:
    """Share of the sources an answer cites that are expected ones (None when it cites none): an answer
    padded with passages from unrelated pages scores low even when it holds the facts."""
    if not outcome.cited or not outcome.item.sources:
        return None
    expected = outcome.item.sources
    return sum(any(same_source(url, e) for e in expected) for url in outcome.cited) / len(outcome.cited)


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """The figures of one run (aggregates only: no question, answer, id or page)."""
    answerable = [o for o in outcomes if o.item.expect == "answered"]
    must_decline = [o for o in outcomes if o.item.expect in ABSTAIN]
    retrieval = [o for o in answerable if o.item.sources]
    passages = [o for o in answerable if o.item.facts or o.item.any]
    precisions = [p for p in map(source_precision, retrieval) if p is not None]
    led = [o for o in passages if o.correct and o.route == "search"]
    return {
        "questions": len(outcomes),
        "answer_accuracy": _share(o.correct for o in outcomes),
        "answered_right": sum(o.correct for o in answerable),
        "answerable": len(answerable),
        "declined_right": sum(o.status in ABSTAIN for o in must_decline),
        "must_decline": len(must_decline),
        "failures": {kind: sum(o.kind == kind for o in outcomes) for kind in FAILURE_KINDS},
        "causes": {name: sum(cause(o) == name for o in outcomes) for name in CAUSES},
        "passage_hit_at_1": _share(o.passage_rank == 1 for o in passages),
        "passage_hit_at_3": _share(o.passage_rank is not None for o in passages),
        "passage_questions": len(passages),
        "fact_in_lead": _share(lead_holds_fact(o) for o in led),
        "hit_at_5": _share(o.rank is not None for o in retrieval),
        "mrr": statistics.fmean([1 / o.rank if o.rank else 0.0 for o in retrieval]) if retrieval else 0.0,
        "abstention_accuracy": _share(o.status in ABSTAIN for o in must_decline),
        "source_precision": statistics.fmean(precisions) if precisions else 0.0,
        "false_abstentions": sum(o.status in ABSTAIN for o in answerable),
        "retrieval_questions": len(retrieval),
        "abstain_questions": len(must_decline),
        "p50_ms": statistics.median(o.ms for o in outcomes) if outcomes else 0.0,
    }


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0
