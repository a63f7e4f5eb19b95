"""Every table of the product's own database, declared once; migrations/versions/ creates them.

Times are UtcDateTime (aware UTC); structured values are JSON. Column limits mirror the API's validation,
so a value the API accepts always fits.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from connector.db.types import UtcDateTime

# Named constraints, so later migrations can alter them by name on both backends.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# What was asked (redacted), how it ended. The demand tags are filled when a question is tagged.
questions = Table(
    "questions",
    metadata,
    Column("answer_id", String(64), primary_key=True),
    Column("asked_at", UtcDateTime, nullable=False, index=True),
    Column("session_hash", String(64), nullable=False),
    Column("audience", String(32)),
    Column("question", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("route", String(64), nullable=False),
    Column("hit_count", Integer, nullable=False),
    Column("top_source", Text),
    Column("timings", JSON, nullable=False),
    Column("topic", String(64)),
    Column("sector", String(64)),
    Column("level", String(32)),
)

# One "was this helpful?" vote per answer; a second vote replaces the first.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), nullable=False, unique=True),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    CheckConstraint("length(comment) <= 1000", name="comment_length"),
)

# Conversation memory shared by every API process. `touched` is seconds on the store's clock.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("turns", JSON, nullable=False),
    Column("topic", JSON),
    Column("touched", Float, nullable=False, index=True),
)

# An employer's enquiry: the form as they sent it (with consent) and the providers it was matched to.
enquiries = Table(
    "enquiries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("need", Text, nullable=False),
    Column("sector", String(128)),
    Column("level", String(32)),
    Column("people", Integer),
    Column("postcode_district", String(8)),
    Column("organisation", String(200), nullable=False),
    Column("contact_name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("phone", String(40)),
    Column("consent", Boolean, nullable=False),
    Column("details", JSON, nullable=False),
    Column("providers", JSON, nullable=False),
)

# One email per row, sent (and retried) by a worker; pending rows are never dropped.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("enquiry_reference", String(32), ForeignKey("enquiries.reference"), index=True),
    Column("to_address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    CheckConstraint("state IN ('pending', 'sent', 'failed')", name="state"),
    Index("ix_outbox_due", "state", "next_attempt_at"),
)

# When each configured source was last ingested, for `connector ingest --due` (its `refresh` in
# sources.yaml counts from the last success). Shared, so any machine's scheduler sees every worker's runs.
source_ingests = Table(
    "source_ingests",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("last_started_at", UtcDateTime),
    Column("last_success_at", UtcDateTime),
    Column("last_error", Text),
)
