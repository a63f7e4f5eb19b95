"""Employers' enquiries, stored once per idempotency key, with the emails they cause in the same commit.

    store = EnquiryStore(database)
    enquiry, created = store.create(form, idempotency_key="...", providers=[...], emails=[Email(...)])
    store.get(enquiry.reference)

Storing the enquiry and queueing its emails in one transaction means a crash after the employer is given a
reference loses nothing: the outbox (connector/outbox.py) still holds every email to send.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, select
from sqlalchemy.exc import IntegrityError

from connector.db import Database
from connector.db.tables import enquiries
from connector.db.types import utc_now
from connector.outbox import Email, queue_emails

# No 0/O or 1/I/L: a reference is read out over the phone.
_REFERENCE_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class EnquiryForm:
    """What the employer sent, with their consent to share it with the matched providers."""

    need: str
    organisation: str
    contact_name: str
    email: str
    consent: bool
    sector: str | None = None
    level: str | None = None
    people: int | None = None
    postcode_district: str | None = None
    phone: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # anything else the form carried


@dataclass(frozen=True)
class Enquiry:
    reference: str
    created_at: datetime
    idempotency_key: str
    form: EnquiryForm
    providers: list[dict[str, Any]]


def new_reference() -> str:
    """A short random reference such as 'ENQ-7K3M-Q9TZ'."""
    letters = "".join(secrets.choice(_REFERENCE_LETTERS) for _ in range(8))
    return f"ENQ-{letters[:4]}-{letters[4:]}"


class EnquiryStore:
    """The enquiries table; a second submit with the same idempotency key returns the first enquiry."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(
        self,
        form: EnquiryForm,
        idempotency_key: str,
        providers: Sequence[dict[str, Any]] = (),
        emails: Sequence[Email] = (),
        reference: str | None = None,
    ) -> tuple[Enquiry, bool]:
        """Store the enquiry and queue its emails atomically; (enquiry, False) if the key was seen before.
        `reference` lets a caller write it into the emails first (default: a new one)."""
        existing = self.by_idempotency_key(idempotency_key)
        if existing is not None:
            return existing, False
        enquiry = Enquiry(reference or new_reference(), utc_now(), idempotency_key, form, list(providers))
        try:
            with self.database.begin() as conn:
                conn.execute(enquiries.insert().values(**_row(enquiry)))
                queue_emails(conn, emails, enquiry.reference)
        except IntegrityError:
            # The same key submitted twice at once: the other request stored it first.
            existing = self.by_idempotency_key(idempotency_key)
            if existing is None:
                raise
            return existing, False
        return enquiry, True

    def get(self, reference: str) -> Enquiry | None:
        """One enquiry by its reference."""
        return self._one(enquiries.c.reference == reference)

    def by_idempotency_key(self, key: str) -> Enquiry | None:
        return self._one(enquiries.c.idempotency_key == key)

    def recent(self, limit: int = 100) -> list[Enquiry]:
        """The latest enquiries, newest first."""
        query = select(enquiries).order_by(enquiries.c.created_at.desc(), enquiries.c.id.desc()).limit(limit)
        with self.database.begin() as conn:
            return [_enquiry(row) for row in conn.execute(query).mappings()]

    def since(self, moment: datetime) -> list[Enquiry]:
        """Every enquiry made at or after `moment`, oldest first (for the demand report)."""
        query = select(enquiries).where(enquiries.c.created_at >= moment).order_by(enquiries.c.created_at)
        with self.database.begin() as conn:
            return [_enquiry(row) for row in conn.execute(query).mappings()]

    def _one(self, condition: Any) -> Enquiry | None:
        with self.database.begin() as conn:
            return _first(conn, condition)


def _first(conn: Connection, condition: Any) -> Enquiry | None:
    row = conn.execute(select(enquiries).where(condition)).mappings().first()
    return _enquiry(row) if row is not None else None


def _row(enquiry: Enquiry) -> dict[str, Any]:
    form = enquiry.form
    return {
        "reference": enquiry.reference,
        "created_at": enquiry.created_at,
        "idempotency_key": enquiry.idempotency_key,
        "need": form.need,
        "sector": form.sector,
        "level": form.level,
        "people": form.people,
        "postcode_district": form.postcode_district,
        "organisation": form.organisation,
        "contact_name": form.contact_name,
        "email": form.email,
        "phone": form.phone,
        "consent": form.consent,
        "details": form.details,
        "providers": enquiry.providers,
    }


def _enquiry(row: RowMapping) -> Enquiry:
    form = EnquiryForm(
        need=row["need"],
        organisation=row["organisation"],
        contact_name=row["contact_name"],
        email=row["email"],
        consent=bool(row["consent"]),
        sector=row["sector"],
        level=row["level"],
        people=row["people"],
        postcode_district=row["postcode_district"],
        phone=row["phone"],
        details=dict(row["details"]),
    )
    return Enquiry(row["reference"], row["created_at"], row["idempotency_key"], form, list(row["providers"]))
