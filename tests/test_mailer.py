"""The outbox sender against a real SMTP server: down then up, refusing with 5xx, and a process killed
between storing an enquiry and sending it. Store parts run on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import make_settings
from pydantic import ValidationError
from smtp_server import SmtpServer, body_of, free_port

from connector.db import Database
from connector.db.types import utc_now
from connector.mailer import retry_time, send_due
from connector.outbox import Email, Outbox
from connector.settings import PROJECT_ROOT, Settings


def smtp_settings(settings: Settings, port: int, **more: object) -> Settings:
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "none",
        "smtp_from": "skills@chamber.example.org",
    }
    return settings.model_copy(update={**values, **more})


def test_backoff_doubles_up_to_the_cap_and_gives_up_after_the_last_attempt(settings: Settings) -> None:
    tuned = settings.model_copy(
        update={"outbox_backoff_seconds": 60, "outbox_backoff_max_seconds": 300, "outbox_max_attempts": 5}
    )
    now = utc_now()
    delays = [(retry_time(tuned, n, now) - now).total_seconds() for n in (1, 2, 3, 4)]  # type: ignore[operator]
    assert delays == [60, 120, 240, 300] and retry_time(tuned, 5, now) is None


def test_with_smtp_down_emails_wait_and_go_when_it_is_back(db_settings: Settings) -> None:
    port = free_port()  # nothing listens there yet
    settings = smtp_settings(db_settings, port, outbox_backoff_seconds=0.0)
    outbox = Outbox(Database.open(settings))
    outbox.add(Email("a@provider.example.org", "Training enquiry", "hello"))
    outbox.add(Email("b@provider.example.org", "Training enquiry", "hello"))
    down = send_due(settings, outbox)
    assert (down.sent, down.retrying) == (0, 1)  # the first failure stops the pass; nothing is lost
    assert outbox.counts() == {"pending": 2, "sent": 0, "failed": 0}
    waiting = [outbox.get(i) for i in (1, 2)]
    assert any(e is not None and e.last_error and "Connection" in e.last_error for e in waiting)
    server = SmtpServer(port).start()
    try:
        up = send_due(settings, outbox)
        assert up.sent == 2 and len(server.wait_for(2)) == 2
    finally:
        server.stop()
    assert outbox.counts() == {"pending": 0, "sent": 2, "failed": 0}


def test_a_refusing_server_is_retried_with_backoff_then_shown_as_failed(db_settings: Settings) -> None:
    server = SmtpServer().start()
    server.refuse = "554 5.7.1 Message refused"
    settings = smtp_settings(db_settings, server.port, outbox_backoff_seconds=30.0, outbox_max_attempts=2)
    outbox = Outbox(Database.open(settings))
    try:
        outbox.add(Email("a@provider.example.org", "Training enquiry", "hello"))
        first = send_due(settings, outbox)
        email = outbox.get(1)
        assert first.retrying == 1 and email is not None and email.state == "pending"
        assert "554" in (email.last_error or "") and email.next_attempt_at > utc_now() + timedelta(seconds=20)
        assert send_due(settings, outbox).retrying == 0  # not due yet: the backoff is respected
        outbox.resend(1)  # as if the wait were over (the same call staff use)
        second = send_due(settings, outbox)
        email = outbox.get(1)
        assert second.given_up == 1 and email is not None and (email.state, email.attempts) == ("failed", 2)
        assert server.refused == 2 and server.messages == []
        server.refuse = None
        outbox.resend(1)
        assert send_due(settings, outbox).sent == 1 and len(server.wait_for(1)) == 1
    finally:
        server.stop()


def test_without_smtp_settings_nothing_is_claimed(settings: Settings) -> None:
    outbox = Outbox(Database.open(settings))
    outbox.add(Email("a@provider.example.org", "Training enquiry", "hello"))
    assert send_due(settings, outbox).sent == 0
    email = outbox.get(1)
    assert email is not None and (email.state, email.attempts) == ("pending", 0)


KILLED_AFTER_STORING = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from fastapi.testclient import TestClient
    from api.app import create_app
    from connector.courses.catalogue import CourseCatalogue
    from connector.settings import Settings
    from ingest.courses import CourseIngest

    settings = Settings(_env_file=None, data_dir=Path({data!r}))
    CourseIngest(CourseCatalogue.open(settings)).load_folder(Path({courses!r}))
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/enquiries", json={{
            "need": "an apprentice bricklayer", "postcode_district": "SS14", "organisation": "Pitsea",
            "contact_name": "Sam Patel", "email": "sam@pitsea.example.com", "consent": True}})
        print(response.json()["reference"], flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # dies before any sender runs
    """
)


def test_a_kill_between_storing_and_sending_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "CONNECTOR_DATA_DIR": str(data)}
    for name in [k for k in env if k.startswith("CONNECTOR_SMTP")]:
        env.pop(name)
    script = KILLED_AFTER_STORING.format(
        tests=str(PROJECT_ROOT / "tests"),
        data=str(data),
        courses=str(PROJECT_ROOT / "areas" / "essex" / "courses"),
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    reference = killed.stdout.strip()
    assert reference.startswith("ENQ-")
    server = SmtpServer().start()
    try:
        smtp_env = {
            **env,
            "CONNECTOR_SMTP_HOST": "127.0.0.1",
            "CONNECTOR_SMTP_PORT": str(server.port),
            "CONNECTOR_SMTP_TLS": "none",
            "CONNECTOR_SMTP_FROM": "skills@chamber.example.org",
        }
        sender = subprocess.run(
            [str(Path(sys.executable).parent / "connector"), "outbox", "send", "--once"],
            env=smtp_env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sender.returncode == 0, sender.stderr[-2000:]
        messages = server.wait_for(2)
    finally:
        server.stop()
    confirmation = server.to("sam@pitsea.example.com")
    assert reference in body_of(confirmation)
    assert any("enquiries@basildon-engineering.example.org" in recipients for recipients, _ in messages)
    outbox = Outbox(Database.open(make_settings(data)))
    assert {e.state for e in outbox.for_enquiry(reference)} == {"sent"}


def test_an_smtp_host_without_a_from_address_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CONNECTOR_SMTP_FROM"):
        make_settings(tmp_path, smtp_host="mail.example.org")
    assert (
        make_settings(tmp_path, smtp_host="mail.example.org", smtp_from="a@example.org").smtp_port_or_default
        == 587
    )
    assert make_settings(tmp_path, smtp_tls="tls").smtp_port_or_default == 465
