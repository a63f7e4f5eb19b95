"""The outbox: one email per row, claimed by a sender, retried until sent or given up.

    outbox = Outbox(database)
    email = outbox.claim_next_due()            # None when nothing is due
    ... send it ...
    outbox.mark_sent(email.id)   or   outbox.mark_failed(email.id, "timeout", retry_at=later)

A claim pushes the row's next attempt a lease ahead and counts the attempt, in one transaction, so two
senders never take the same email, and an email whose sender died is taken again once the lease runs out.
PostgreSQL claims with SELECT ... FOR UPDATE SKIP LOCKED; SQLite, which has one writer at a time, with a
transaction and an update that only succeeds if nobody changed the row since it was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select, update

from connector.db import Database
from connector.db.tables import outbox
from connector.db.types import utc_now

PENDING, SENT, FAILED = "pending", "sent", "failed"
ERROR_MAX_CHARS = 2000


@dataclass(frozen=True)
class Email:
    """A message to send."""

    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class OutboxEmail:
    """A row of the outbox."""

    id: int
    email: Email
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    enquiry_reference: str | None
    created_at: datetime
    sent_at: datetime | None


def queue_emails(conn: Connection, emails: Sequence[Email], enquiry_reference: str | None = None) -> None:
    """Add emails inside a caller's transaction (so they commit with what caused them)."""
    now = utc_now()
    for email in emails:
        conn.execute(
            outbox.insert().values(
                enquiry_reference=enquiry_reference,
                to_address=email.to,
                subject=email.subject,
                body=email.body,
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )


class Outbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, email: Email, enquiry_reference: str | None = None) -> None:
        """Queue one email, due now."""
        with self.database.begin() as conn:
            queue_emails(conn, [email], enquiry_reference)

    def claim_next_due(self, now: datetime | None = None, lease_seconds: float = 300) -> OutboxEmail | None:
        """Take the pending email due longest ago, or None; it is due again after the lease unless marked."""
        now = now or utc_now()
        due = (
            select(outbox)
            .where(outbox.c.state == PENDING, outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        with self.database.begin() as conn:
            row = conn.execute(due).mappings().first()
            if row is None:
                return None
            lease_end = now + timedelta(seconds=lease_seconds)
            claimed = conn.execute(
                update(outbox)
                .where(outbox.c.id == row["id"], outbox.c.attempts == row["attempts"])
                .values(attempts=row["attempts"] + 1, next_attempt_at=lease_end)
            )
            if claimed.rowcount != 1:
                return None  # another sender took it between the read and the update
        return _email({**row, "attempts": row["attempts"] + 1, "next_attempt_at": lease_end})

    def mark_sent(self, email_id: int) -> None:
        """The email went: it is never sent again."""
        self._set(email_id, state=SENT, sent_at=utc_now(), last_error=None)

    def mark_failed(self, email_id: int, error: str, retry_at: datetime | None = None) -> None:
        """A failed attempt: pending again at retry_at, or given up (failed) when there is none."""
        if retry_at is not None:
            self._set(email_id, state=PENDING, next_attempt_at=retry_at, last_error=error[:ERROR_MAX_CHARS])
        else:
            self._set(email_id, state=FAILED, last_error=error[:ERROR_MAX_CHARS])

    def resend(self, email_id: int) -> None:
        """Send again now (a failed email after its cause was fixed, or a sent one on request)."""
        self._set(email_id, state=PENDING, next_attempt_at=utc_now())

    def get(self, email_id: int) -> OutboxEmail | None:
        with self.database.begin() as conn:
            row = conn.execute(select(outbox).where(outbox.c.id == email_id)).mappings().first()
        return _email(row) if row is not None else None

    def for_enquiry(self, reference: str) -> list[OutboxEmail]:
        """The emails an enquiry caused, oldest first."""
        query = select(outbox).where(outbox.c.enquiry_reference == reference).order_by(outbox.c.id)
        with self.database.begin() as conn:
            return [_email(row) for row in conn.execute(query).mappings()]

    def counts(self) -> dict[str, int]:
        """How many emails are pending, sent and failed."""
        query = select(outbox.c.state, func.count()).group_by(outbox.c.state)
        with self.database.begin() as conn:
            found = dict(conn.execute(query).tuples().all())
        return {state: int(found.get(state, 0)) for state in (PENDING, SENT, FAILED)}

    def last_send_error(self) -> str | None:
        """Why the latest failed attempt of an email still waiting failed (None: none is failing)."""
        query = (
            select(outbox.c.last_error)
            .where(outbox.c.state == PENDING, outbox.c.last_error.is_not(None))
            .order_by(outbox.c.next_attempt_at.desc(), outbox.c.id.desc())
            .limit(1)
        )
        with self.database.begin() as conn:
            return conn.execute(query).scalar()

    def _set(self, email_id: int, **values: Any) -> None:
        with self.database.begin() as conn:
            changed = conn.execute(update(outbox).where(outbox.c.id == email_id).values(**values))
        if changed.rowcount != 1:
            raise KeyError(f"no email {email_id} in the outbox")


def _email(row: RowMapping | dict[str, Any]) -> OutboxEmail:
    return OutboxEmail(
        id=row["id"],
        email=Email(row["to_address"], row["subject"], row["body"]),
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        enquiry_reference=row["enquiry_reference"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
    )
