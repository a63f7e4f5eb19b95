"""The product's tables: questions, feedback, sessions, enquiries, outbox.

An install from before this storage layer has `questions` and `feedback` tables of its own in
data/connector.sqlite (made by the stores without migrations); their rows are carried into the new tables
here, so upgrading keeps the question log and the votes.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from connector.db.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEGACY = {"questions": "legacy_questions", "feedback": "legacy_feedback"}


def upgrade() -> None:
    adopted = _set_legacy_tables_aside()
    questions = op.create_table(
        "questions",
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("asked_at", UtcDateTime, nullable=False),
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("audience", sa.String(32)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("route", sa.String(64), nullable=False),
        sa.Column("hit_count", sa.Integer, nullable=False),
        sa.Column("top_source", sa.Text),
        sa.Column("timings", sa.JSON, nullable=False),
        sa.Column("topic", sa.String(64)),
        sa.Column("sector", sa.String(64)),
        sa.Column("level", sa.String(32)),
        sa.PrimaryKeyConstraint("answer_id", name="pk_questions"),
    )
    op.create_index("ix_questions_asked_at", "questions", ["asked_at"])
    feedback = op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.CheckConstraint("length(comment) <= 1000", name="ck_feedback_comment_length"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.UniqueConstraint("answer_id", name="uq_feedback_answer_id"),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("turns", sa.JSON, nullable=False),
        sa.Column("topic", sa.JSON),
        sa.Column("touched", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_index("ix_sessions_touched", "sessions", ["touched"])
    _create_enquiries_and_outbox()
    if adopted:
        _copy_legacy_rows(questions, feedback, adopted)


def _create_enquiries_and_outbox() -> None:
    op.create_table(
        "enquiries",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("need", sa.Text, nullable=False),
        sa.Column("sector", sa.String(128)),
        sa.Column("level", sa.String(32)),
        sa.Column("people", sa.Integer),
        sa.Column("postcode_district", sa.String(8)),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("providers", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_enquiries"),
        sa.UniqueConstraint("reference", name="uq_enquiries_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_enquiries_idempotency_key"),
    )
    op.create_index("ix_enquiries_created_at", "enquiries", ["created_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("enquiry_reference", sa.String(32)),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime),
        sa.CheckConstraint("state IN ('pending', 'sent', 'failed')", name="ck_outbox_state"),
        sa.ForeignKeyConstraint(
            ["enquiry_reference"],
            ["enquiries.reference"],
            name="fk_outbox_enquiry_reference_enquiries",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_enquiry_reference", "outbox", ["enquiry_reference"])
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_at"])


def _set_legacy_tables_aside() -> dict[str, str]:
    """Rename the pre-migration tables of an older SQLite install out of the way; returns what moved."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    moved = {}
    for table, legacy in LEGACY.items():
        if table in existing:
            op.rename_table(table, legacy)
            moved[table] = legacy
    return moved


def _copy_legacy_rows(questions: sa.Table, feedback: sa.Table, moved: dict[str, str]) -> None:
    bind = op.get_bind()
    if "questions" in moved:
        rows = bind.execute(sa.text(f"SELECT * FROM {moved['questions']}")).mappings().all()
        op.bulk_insert(questions, [_question(row) for row in rows])
        op.drop_table(moved["questions"])
    if "feedback" in moved:
        rows = bind.execute(sa.text(f"SELECT * FROM {moved['feedback']}")).mappings().all()
        op.bulk_insert(feedback, [_vote(row) for row in rows])
        op.drop_table(moved["feedback"])


def _question(row: Any) -> dict[str, Any]:
    # The old log kept the time as epoch seconds and the timings as a JSON string.
    return {
        "answer_id": row["answer_id"],
        "asked_at": datetime.fromtimestamp(float(row["asked_at"]), UTC),
        "session_hash": row["session_hash"] or "",
        "audience": row["audience"],
        "question": row["question"],
        "status": row["status"],
        "route": row["route"],
        "hit_count": int(row["hit_count"] or 0),
        "top_source": row["top_source"],
        "timings": json.loads(row["timings"] or "{}"),
    }


def _vote(row: Any) -> dict[str, Any]:
    # The old table kept an ISO time with its offset.
    created = datetime.fromisoformat(row["created_at"])
    return {
        "answer_id": row["answer_id"],
        "helpful": bool(row["helpful"]),
        "comment": row["comment"] or "",
        "created_at": created if created.tzinfo else created.replace(tzinfo=UTC),
    }


def downgrade() -> None:
    for table in ("outbox", "enquiries", "sessions", "feedback", "questions"):
        op.drop_table(table)
