"""Sends what is due in the outbox through SMTP (stdlib smtplib), retrying with exponential backoff.

    result = send_due(settings, Outbox(database))        # one pass: every email due now
    await run_sender(settings, outbox, wake)              # the API's background task

With no SMTP host configured nothing is claimed: emails wait in the outbox, visible, until one is set.
A failure (refused, 5xx, timeout, connection down) puts the email back with its next attempt
outbox_backoff_seconds * 2**(attempt-1) later, capped; after outbox_max_attempts it is given up
(state "failed", with the last error) and staff can resend it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from connector.db.types import utc_now
from connector.outbox import Email, Outbox, OutboxEmail
from connector.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def build_message(email: Email, sender: str) -> EmailMessage:
    """A plain-text message; the headers refuse line breaks, so no field can add a header."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = " ".join(email.subject.split())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(email.body)
    return message


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """A logged-in SMTP connection as the settings say (none, starttls or tls)."""
    host, port, timeout = (
        settings.smtp_host or "",
        settings.smtp_port_or_default,
        settings.smtp_timeout_seconds,
    )
    if settings.smtp_tls == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
        smtp.login(settings.smtp_user, password)
    return smtp


def retry_time(settings: Settings, attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts, or None to give up."""
    if attempts >= settings.outbox_max_attempts:
        return None
    delay = min(settings.outbox_backoff_seconds * 2 ** (attempts - 1), settings.outbox_backoff_max_seconds)
    return now + timedelta(seconds=delay)


def send_due(settings: Settings, outbox: Outbox, limit: int = 200) -> SendResult:
    """Send every email due now, one connection per pass; failures are rescheduled, never lost."""
    result = SendResult()
    if not settings.smtp_configured or settings.smtp_from is None:
        return result
    smtp: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            claimed = outbox.claim_next_due(lease_seconds=max(60.0, settings.smtp_timeout_seconds * 3))
            if claimed is None:
                break
            try:
                smtp = smtp or open_smtp(settings)
                smtp.send_message(build_message(claimed.email, settings.smtp_from))
            except (smtplib.SMTPException, OSError) as error:
                _failed(settings, outbox, claimed, error, result)
                _drop(smtp)
                smtp = None
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    break  # the server is down or refusing: the rest waits for their next attempt
                continue
            outbox.mark_sent(claimed.id)
            result.sent += 1
    finally:
        _drop(smtp)
    if result.sent or result.retrying or result.given_up:
        log.info("outbox pass sent=%d retrying=%d given_up=%d", result.sent, result.retrying, result.given_up)
    return result


def _failed(
    settings: Settings, outbox: Outbox, claimed: OutboxEmail, error: Exception, result: SendResult
) -> None:
    reason = f"{type(error).__name__}: {error}"[:500]
    retry_at = retry_time(settings, claimed.attempts, utc_now())
    outbox.mark_failed(claimed.id, reason, retry_at=retry_at)
    if retry_at is None:
        result.given_up += 1
        log.warning("email given up id=%d attempts=%d reason=%s", claimed.id, claimed.attempts, reason)
    else:
        result.retrying += 1
        log.info("email send failed id=%d attempts=%d retry_at=%s", claimed.id, claimed.attempts, retry_at)


def _drop(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


async def run_sender(settings: Settings, outbox: Outbox, wake: asyncio.Event) -> None:
    """Forever: send what is due, then sleep until woken (a new enquiry) or the poll interval passes."""
    while True:
        try:
            await asyncio.to_thread(send_due, settings, outbox)
        except Exception:  # the database may be briefly unreachable: keep the sender alive
            log.exception("outbox pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=settings.outbox_poll_seconds)
        wake.clear()
