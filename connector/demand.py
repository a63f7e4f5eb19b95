"""The demand figures a report or the admin overview shows, from plain rows of the question log.

    figures = demand_figures(question_rows, feedback_rows, enquiry_rows=[], tagger=Tagger.build(embedder))
    figures.volumes  # [{"week": "2026-11-23", "audience", "topic", "sector", "outcome", "questions": 3}]
    figures.unmet        # similar unanswered or unhelpful questions grouped, most asked first

Rows are dicts (as the stores read them), so this works whatever holds them. A question row has
answer_id, asked_at (seconds since the epoch), audience, question, status and, once tagged when logged,
topic, sector and level; rows without tags are tagged here. An answer marked "not helpful" counts as unmet
demand like one that was declined: either way the person did not get what they needed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from connector.tags import Tagger

SAME_NEED = 0.75  # cosine similarity at which two unmet questions are counted as one need (MiniLM)
NOT_HELPFUL = "not_helpful"
UNMET_OUTCOMES = ("no_answer", NOT_HELPFUL)

Row = dict[str, Any]


@dataclass
class DemandFigures:
    since: date
    questions: int = 0
    volumes: list[Row] = field(default_factory=list)  # week x audience x topic x sector x outcome counts
    unmet: list[Row] = field(default_factory=list)  # grouped needs, most asked first
    enquiries: list[Row] = field(default_factory=list)  # sector x provider counts

    def totals(self, key: str, rows: str = "volumes") -> list[tuple[str, int]]:
        """Counts summed by one column (e.g. "topic"), largest first."""
        counts: Counter[str] = Counter()
        for row in getattr(self, rows):
            counts[str(row[key] or "not stated")] += int(
                row["questions" if rows == "volumes" else "enquiries"]
            )
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def weekly(self, key: str) -> list[tuple[str, dict[str, int]]]:
        """Per week (oldest first), the questions by one column: the series of a chart over time."""
        weeks: dict[str, Counter[str]] = {}
        for row in self.volumes:
            weeks.setdefault(row["week"], Counter())[str(row[key] or "not stated")] += int(row["questions"])
        return [(week, dict(weeks[week])) for week in sorted(weeks)]


def outcome_of(row: Row, helpful: dict[str, bool]) -> str:
    """The status, except that an answer voted not helpful is unmet demand."""
    if row["status"] == "answered" and helpful.get(row["answer_id"]) is False:
        return NOT_HELPFUL
    return str(row["status"] or "unknown")


def week_of(asked_at: float) -> str:
    """The Monday of the week the question was asked (UTC), as an ISO date."""
    day = datetime.fromtimestamp(asked_at, UTC).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def with_tags(rows: list[Row], tagger: Tagger) -> list[Row]:
    """The rows with topic, sector and level; rows logged before tagging get them now, in one batch."""
    untagged = [row for row in rows if not row.get("topic")]
    for row, tags in zip(untagged, tagger.tag_many([r["question"] for r in untagged]), strict=True):
        row.update(topic=tags.topic, sector=tags.sector, level=tags.level)
    return rows


def volumes(rows: list[Row], helpful: dict[str, bool]) -> list[Row]:
    counts = Counter(
        (week_of(r["asked_at"]), r["audience"] or "", r["topic"], r["sector"] or "", outcome_of(r, helpful))
        for r in rows
    )
    keys = ("week", "audience", "topic", "sector", "outcome")
    return [dict(zip(keys, key, strict=True), questions=n) for key, n in sorted(counts.items())]


def _normalise(question: str) -> str:
    return " ".join(question.lower().split()).rstrip("?!. ")


def group_similar(rows: list[Row], tagger: Tagger, threshold: float = SAME_NEED) -> list[list[Row]]:
    """Rows grouped by meaning: each joins the first group whose first question it is close to."""
    if not rows:
        return []
    vectors = np.asarray(tagger.embedder.embed_texts([_normalise(r["question"]) for r in rows]))
    groups: list[list[Row]] = []
    leaders: list[int] = []
    for n, row in enumerate(rows):
        sims = vectors[leaders] @ vectors[n] if leaders else np.array([])
        best = int(np.argmax(sims)) if sims.size else -1
        if best >= 0 and sims[best] >= threshold:
            groups[best].append(row)
        else:
            groups.append([row])
            leaders.append(n)
    return groups


def unmet_needs(rows: list[Row], helpful: dict[str, bool], tagger: Tagger) -> list[Row]:
    """Declined and not-helpful questions, grouped by similar meaning, most asked first."""
    unmet = [r for r in rows if outcome_of(r, helpful) in UNMET_OUTCOMES]
    needs = []
    for group in group_similar(unmet, tagger):
        wordings = Counter(_normalise(r["question"]) for r in group)
        outcomes = Counter(outcome_of(r, helpful) for r in group)
        needs.append(
            {
                "question": wordings.most_common(1)[0][0],
                "times_asked": len(group),
                "no_answer": outcomes["no_answer"],
                "not_helpful": outcomes[NOT_HELPFUL],
                "topic": Counter(r["topic"] for r in group).most_common(1)[0][0],
                "sector": Counter(r["sector"] or "" for r in group).most_common(1)[0][0],
                "other_wordings": " | ".join(w for w, _ in wordings.most_common()[1:]),
            }
        )
    return sorted(needs, key=lambda need: (-need["times_asked"], need["question"]))


def enquiries_by_sector_and_provider(enquiry_rows: Iterable[Row]) -> list[Row]:
    """Enquiries counted by sector and matched provider (an enquiry sent to two providers counts for each)."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in enquiry_rows:
        providers = row.get("providers") or ["(no provider matched)"]
        for provider in providers:
            counts[(row.get("sector") or "", str(provider))] += 1
    return [{"sector": s, "provider": p, "enquiries": n} for (s, p), n in sorted(counts.items())]


def demand_figures(
    question_rows: list[Row],
    feedback_rows: list[Row],
    enquiry_rows: Iterable[Row],
    tagger: Tagger,
    since: date,
) -> DemandFigures:
    """All the figures of the demand report over these rows."""
    helpful = {str(r["answer_id"]): bool(r["helpful"]) for r in feedback_rows if r.get("answer_id")}
    rows = with_tags([dict(r) for r in question_rows], tagger)
    return DemandFigures(
        since=since,
        questions=len(rows),
        volumes=volumes(rows, helpful),
        unmet=unmet_needs(rows, helpful, tagger),
        enquiries=enquiries_by_sector_and_provider(enquiry_rows),
    )
