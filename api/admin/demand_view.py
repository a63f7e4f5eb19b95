"""The overview's figures and the unmet-demand lists, from the same reads as `connector report`.

figures = overview_figures(settings, since, tagger)       # DemandFigures, as the report files use
lists = unmet_lists(settings, since, tagger)               # unanswered / not helpful, grouped
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from connector.demand import NOT_HELPFUL, outcome_of, unmet_needs, with_tags
from connector.report import build_report
from connector.settings import Settings
from connector.tags import Tagger

Row = dict[str, Any]


@dataclass
class UnmetLists:
    unanswered: list[Row] = field(default_factory=list)  # grouped by meaning, most asked first
    not_helpful: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)  # question and comment of each unhelpful vote


def unmet_lists(settings: Settings, since: date, tagger: Tagger) -> UnmetLists:
    """Declined questions and answers voted not helpful, each list grouped by similar question."""
    report = build_report(settings, since=datetime.combine(since, time(), UTC).timestamp())
    helpful = {str(r["answer_id"]): bool(r["helpful"]) for r in report.feedback_rows if r.get("answer_id")}
    rows = with_tags([dict(r) for r in report.question_rows], tagger)
    declined = [r for r in rows if r["status"] == "no_answer"]
    unhelpful = [r for r in rows if outcome_of(r, helpful) == NOT_HELPFUL]
    comments = [
        {"question": r["question"] or "(question no longer logged)", "comment": r["comment"]}
        for r in report.feedback_rows
        if not r["helpful"] and r.get("comment")
    ]
    return UnmetLists(
        unanswered=unmet_needs(declined, helpful, tagger),
        not_helpful=unmet_needs(unhelpful, helpful, tagger),
        comments=comments,
    )
