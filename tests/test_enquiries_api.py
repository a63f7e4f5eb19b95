"""POST /v1/enquiries end to end: the real API, model, catalogue and database, and a real SMTP server
(aiosmtpd) that receives the provider emails and the employer's confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from smtp_server import SmtpServer, body_of

from api.app import create_app
from connector.courses.catalogue import CourseCatalogue
from connector.db import Database
from connector.enquiries import EnquiryStore
from connector.outbox import Outbox
from connector.settings import PROJECT_ROOT, Settings
from ingest.courses import CourseIngest

BASILDON_EMAIL = "enquiries@basildon-engineering.example.org"
FORM: dict[str, Any] = {
    "need": "Two bricklayers to level 2 <script>alert('x')</script> & <b>soon</b>",
    "sector": "Construction",
    "level": "2",
    "people": 2,
    "postcode_district": "SS14 3AB",
    "organisation": "Pitsea Builders Ltd",
    "contact_name": "Sam Patel",
    "email": "sam@pitsea-builders.example.com",
    "phone": "01268 555 123",
    "consent": True,
}


def with_catalogue(settings: Settings) -> Settings:
    CourseIngest(CourseCatalogue.open(settings)).load_folder(PROJECT_ROOT / "areas" / "essex" / "courses")
    return settings


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailing_settings(db_settings: Settings, smtp: SmtpServer) -> Settings:
    return with_catalogue(
        db_settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": smtp.port,
                "smtp_tls": "none",
                "smtp_from": "skills@chamber.example.org",
                "outbox_poll_seconds": 0.2,
            }
        )
    )


def test_an_enquiry_reaches_the_matched_providers_and_the_employer_gets_the_reference(
    mailing_settings: Settings, smtp: SmtpServer
) -> None:
    with TestClient(create_app(mailing_settings)) as client:
        response = client.post("/v1/enquiries", json=FORM, headers={"Idempotency-Key": "form-0001-abc"})
        assert response.status_code == 201, response.text
        result = response.json()
        reference = result["reference"]
        assert reference.startswith("ENQ-") and result["status"] == "queued"
        assert (
            result["matched_providers"][0]["name"] == "Sample: Basildon Engineering and Construction Centre"
        )
        assert "email" not in result["matched_providers"][0]  # addresses are not handed to the browser
        expected = 1 + sum(1 for _ in result["matched_providers"])
        smtp.wait_for(expected)
    provider = smtp.to(BASILDON_EMAIL)
    assert reference in provider["Subject"] and provider["From"] == "skills@chamber.example.org"
    text = body_of(provider)
    # What the employer typed is shown as the characters they typed, in plain text.
    assert provider.get_content_type() == "text/plain" and FORM["need"] in text
    assert "sam@pitsea-builders.example.com" in text and "SS14" in text and "SS14 3AB" not in text
    confirmation = smtp.to("sam@pitsea-builders.example.com")
    assert reference in confirmation["Subject"] and reference in body_of(confirmation)
    outbox = Outbox(Database.open(mailing_settings))
    assert {e.state for e in outbox.for_enquiry(reference)} == {"sent"}


def test_a_double_submit_gives_one_enquiry_and_one_set_of_emails(mailing_settings: Settings) -> None:
    settings = mailing_settings.model_copy(update={"smtp_host": None})  # keep them in the outbox to count
    with TestClient(create_app(settings)) as client:
        first = client.post("/v1/enquiries", json={**FORM, "idempotency_key": "double-click-1"})
        again = client.post("/v1/enquiries", json={**FORM, "idempotency_key": "double-click-1"})
        header = client.post("/v1/enquiries", json=FORM, headers={"Idempotency-Key": "double-click-1"})
    assert (first.status_code, again.status_code, header.status_code) == (201, 200, 200)
    assert first.json()["reference"] == again.json()["reference"] == header.json()["reference"]
    database = Database.open(settings)
    assert len(EnquiryStore(database).recent()) == 1
    pending = Outbox(database).for_enquiry(first.json()["reference"])
    assert len(pending) == len(first.json()["matched_providers"]) + 1
    assert {e.state for e in pending} == {"pending"}  # no SMTP configured: waiting, visible, not lost


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "sam at pitsea"}, "email"),
        ({"email": ""}, "email"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"need": "x" * 2001}, "need"),
        ({"organisation": "O" * 201}, "organisation"),
        ({"organisation": "Evil\r\nBcc: everyone@example.com"}, "organisation"),
        ({"postcode_district": "not a postcode"}, "postcode_district"),
        ({"phone": "call me maybe"}, "phone"),
        ({"people": 0}, "people"),
        ({"admin": True}, "admin"),
    ],
)
def test_bad_input_is_refused_with_the_json_error_shape_and_nothing_stored(
    settings: Settings, change: dict[str, Any], field: str
) -> None:
    with TestClient(create_app(with_catalogue(settings))) as client:
        response = client.post("/v1/enquiries", json={**FORM, **change})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request" and field in body["message"]
    assert all("Evil" not in str(detail) for detail in body["detail"])  # the input is not echoed
    assert EnquiryStore(Database.open(settings)).recent() == []


def test_missing_fields_and_a_missing_consent_are_named(settings: Settings) -> None:
    with TestClient(create_app(with_catalogue(settings))) as client:
        response = client.post("/v1/enquiries", json={"need": "welders"})
    assert response.status_code == 422
    missing = {detail["loc"][-1] for detail in response.json()["detail"]}
    assert {"organisation", "contact_name", "email", "consent"} <= missing


def test_the_openapi_schema_describes_the_enquiry(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        schema = client.get("/openapi.json").json()
    assert "/v1/enquiries" in schema["paths"]
    assert schema["components"]["schemas"]["EnquiryIn"]["additionalProperties"] is False
