"""Enquiries and their outbox, on SQLite and on PostgreSQL: one enquiry per idempotency key, emails
queued in the same commit, claims that never hand one email to two senders."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from connector.db import Database
from connector.db.types import utc_now
from connector.enquiries import EnquiryForm, EnquiryStore
from connector.outbox import Email, Outbox

FORM = EnquiryForm(
    need="Two welders to level 3 <script>alert(1)</script>",
    organisation="Grays Fabrication Ltd",
    contact_name="Sam Patel",
    email="sam@grays-fab.example",
    consent=True,
    sector="Construction",
    level="3",
    people=2,
    postcode_district="RM17",
    details={"question": "welding courses near Grays"},
)
PROVIDERS = [{"id": "south-essex", "name": "South Essex College", "email": "enquiries@south.example"}]


def emails() -> list[Email]:
    return [
        Email("enquiries@south.example", "Training enquiry: welding", "Two welders..."),
        Email("sam@grays-fab.example", "Your enquiry", "Reference ..."),
    ]


def test_an_enquiry_is_stored_as_sent_with_its_emails(database: Database) -> None:
    enquiries, outbox = EnquiryStore(database), Outbox(database)
    enquiry, created = enquiries.create(FORM, "key-1", PROVIDERS, emails())
    assert created and enquiry.reference.startswith("ENQ-")
    stored = enquiries.get(enquiry.reference)
    assert stored is not None and stored.form == FORM and stored.providers == PROVIDERS
    assert stored.created_at.tzinfo is not None
    queued = outbox.for_enquiry(enquiry.reference)
    assert [(e.email.to, e.state, e.attempts) for e in queued] == [
        ("enquiries@south.example", "pending", 0),
        ("sam@grays-fab.example", "pending", 0),
    ]


def test_an_enquiry_whose_emails_cannot_be_queued_is_not_stored_either(database: Database) -> None:
    broken = Email(None, "no address", "...")  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        EnquiryStore(database).create(FORM, "key-1", PROVIDERS, [*emails(), broken])
    assert EnquiryStore(database).recent() == [] and Outbox(database).counts()["pending"] == 0


def test_a_double_submit_returns_the_first_enquiry_and_queues_nothing_more(database: Database) -> None:
    enquiries, outbox = EnquiryStore(database), Outbox(database)
    first, _ = enquiries.create(FORM, "same-key", PROVIDERS, emails())
    again, created = enquiries.create(FORM, "same-key", PROVIDERS, emails())
    assert not created and again.reference == first.reference
    assert len(enquiries.recent()) == 1 and outbox.counts()["pending"] == 2


def test_simultaneous_submits_with_one_key_make_one_enquiry(database: Database) -> None:
    enquiries = EnquiryStore(database)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: enquiries.create(FORM, "race", PROVIDERS, emails()), range(6)))
    assert len({enquiry.reference for enquiry, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Outbox(database).counts()["pending"] == 2


def test_claim_takes_the_email_due_longest_ago_and_hides_it_for_the_lease(database: Database) -> None:
    outbox = Outbox(database)
    outbox.add(Email("a@example.com", "first", "..."))
    outbox.add(Email("b@example.com", "second", "..."))
    now = utc_now() + timedelta(seconds=1)
    first = outbox.claim_next_due(now, lease_seconds=60)
    second = outbox.claim_next_due(now, lease_seconds=60)
    assert first is not None and second is not None
    assert (first.email.subject, second.email.subject, first.attempts) == ("first", "second", 1)
    assert outbox.claim_next_due(now) is None
    again = outbox.claim_next_due(now + timedelta(seconds=61))  # the sender died: due again after the lease
    assert again is not None and again.id == first.id and again.attempts == 2


def test_failed_attempt_waits_for_its_retry_and_giving_up_is_kept_visible(database: Database) -> None:
    outbox = Outbox(database)
    outbox.add(Email("a@example.com", "hello", "..."))
    now = utc_now() + timedelta(seconds=1)
    claimed = outbox.claim_next_due(now)
    assert claimed is not None
    outbox.mark_failed(claimed.id, "SMTP timed out", retry_at=now + timedelta(minutes=5))
    assert outbox.claim_next_due(now + timedelta(minutes=4)) is None
    retried = outbox.claim_next_due(now + timedelta(minutes=5))
    assert retried is not None and retried.last_error == "SMTP timed out"
    outbox.mark_failed(retried.id, "550 mailbox unavailable")
    stored = outbox.get(retried.id)
    assert stored is not None and (stored.state, stored.attempts) == ("failed", 2)
    outbox.resend(retried.id)
    assert outbox.claim_next_due(utc_now() + timedelta(seconds=1)) is not None


def test_a_sent_email_is_never_claimed_again(database: Database) -> None:
    outbox = Outbox(database)
    outbox.add(Email("a@example.com", "hello", "..."))
    claimed = outbox.claim_next_due(utc_now() + timedelta(seconds=1), lease_seconds=0)
    assert claimed is not None
    outbox.mark_sent(claimed.id)
    assert outbox.claim_next_due(utc_now() + timedelta(days=1)) is None
    stored = outbox.get(claimed.id)
    assert stored is not None and stored.state == "sent" and stored.sent_at is not None
    assert outbox.counts() == {"pending": 0, "sent": 1, "failed": 0}


def test_concurrent_senders_never_take_the_same_email(database: Database) -> None:
    outbox = Outbox(database)
    for n in range(12):
        outbox.add(Email(f"p{n}@example.com", f"enquiry {n}", "..."))
    due = utc_now() + timedelta(seconds=1)

    def drain(_: int) -> list[int]:
        taken = []
        for _ in range(30):
            email = outbox.claim_next_due(due)
            if email is not None:
                taken.append(email.id)
                outbox.mark_sent(email.id)
        return taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = [email_id for ids in pool.map(drain, range(4)) for email_id in ids]
    assert len(taken) == len(set(taken))
    assert outbox.counts()["sent"] == len(taken)


def test_marking_an_unknown_email_is_an_error(database: Database) -> None:
    with pytest.raises(KeyError):
        Outbox(database).mark_sent(999)
