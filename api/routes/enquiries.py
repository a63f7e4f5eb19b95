"""POST /v1/enquiries: an employer asks to be put in touch with providers who can train their people.

POST /v1/enquiries {"need": "two bricklayers", "postcode_district": "SS14", "organisation": "...",
                    "contact_name": "...", "email": "...", "consent": true}      Idempotency-Key: <uuid>
-> 201 {"reference": "ENQ-7K3M-Q9TZ", "matched_providers": [{"name": ...}], "status": "queued"}
The same key again -> 200 with the same reference; nothing more is stored or sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from api.errors import BODY_ERRORS, APIError, documented
from api.rate_limits import limited
from api.request_models import RequestModel
from connector.courses.places import district_of
from connector.enquiries import EnquiryForm
from connector.enquiry_service import EnquiryService
from connector.providers import email_problem

router = APIRouter(tags=["enquiries"], responses={**BODY_ERRORS, **documented(429, 503)})

# No control characters in one-line fields: they end up in email headers and CSV cells.
OneLine = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Key = Annotated[str, StringConstraints(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


class EnquiryIn(RequestModel):
    """The enquiry form; anything else in the body is refused. Limits match the enquiries table."""

    model_config = ConfigDict(extra="forbid")

    need: str = Field(min_length=3, max_length=2000, description="What training they need, in their words")
    sector: Annotated[OneLine, Field(max_length=128)] | None = None
    level: Annotated[OneLine, Field(max_length=32)] | None = None
    people: int | None = Field(default=None, ge=1, le=10_000, description="How many people to train")
    postcode_district: Annotated[OneLine, Field(max_length=10)] | None = None
    organisation: Annotated[OneLine, Field(max_length=200)]
    contact_name: Annotated[OneLine, Field(max_length=200)]
    email: Annotated[OneLine, Field(max_length=320)]
    phone: Annotated[OneLine, Field(max_length=40, pattern=r"^\+?[0-9 ()-]{6,40}$")] | None = None
    consent: bool = Field(strict=True, description="Consent to share these details with the providers")
    session_id: Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")] | None = None
    answer_id: Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")] | None = None
    idempotency_key: Key | None = None

    @field_validator("need")
    @classmethod
    def _need_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("describe the training you need")
        return value.strip()

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        problem = email_problem(value)
        if problem:
            raise ValueError(f"email {problem}")
        return value

    @field_validator("consent")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("consent is needed to share your details with providers")
        return value

    @field_validator("postcode_district")
    @classmethod
    def _district(cls, value: str | None) -> str | None:
        # A full postcode is cut to its district: the providers need the area, not the street.
        if value is None:
            return None
        district = district_of(value)
        if not district:
            raise ValueError(
                "postcode_district must be a postcode district such as SS14 (or a full postcode)"
            )
        return district

    def form(self) -> EnquiryForm:
        details = {k: v for k, v in (("session_id", self.session_id), ("answer_id", self.answer_id)) if v}
        return EnquiryForm(
            need=self.need,
            organisation=self.organisation,
            contact_name=self.contact_name,
            email=self.email,
            consent=self.consent,
            sector=self.sector,
            level=self.level,
            people=self.people,
            postcode_district=self.postcode_district,
            phone=self.phone,
            details=details,
        )


class MatchedProvider(BaseModel):
    id: str
    name: str
    courses: list[str]
    distance_miles: float | None
    sample: bool


class EnquiryOut(BaseModel):
    reference: str
    matched_providers: list[MatchedProvider]
    status: str = Field(description="'queued': stored, emails waiting to be sent or being sent")
    message: str


def enquiry_service(request: Request) -> EnquiryService:
    """One service per app, built on first use from the answer services' model and catalogue."""
    service = getattr(request.app.state, "enquiry_service", None)
    if service is None:
        services = getattr(request.app.state, "services", None)
        if services is None:
            raise APIError(503, "not_ready", "Enquiries cannot be taken just now. Please try again later.")
        service = EnquiryService.build(request.app.state.settings, services.embedder, services.courses)
        request.app.state.enquiry_service = service
    return service


@router.post(
    "/v1/enquiries",
    status_code=201,
    response_model=EnquiryOut,
    responses={
        200: {"description": "The same enquiry, already received (same idempotency key)"},
        429: {"description": "Too many enquiries from this client; wait the seconds Retry-After gives"},
    },
    dependencies=[Depends(limited("enquiry"))],
)
async def post_enquiry(
    body: EnquiryIn,
    request: Request,
    response: Response,
    idempotency_key: Annotated[Key | None, Header(alias="Idempotency-Key")] = None,
) -> EnquiryOut:
    """Match providers, store the enquiry and queue its emails in one commit, then wake the sender."""
    service = enquiry_service(request)
    key = idempotency_key or body.idempotency_key or secrets.token_hex(16)
    key = hashlib.sha256(key.encode()).hexdigest()[:64]  # fixed length, whatever the client sent
    enquiry, created, _ = await asyncio.to_thread(service.submit, body.form(), key)
    if not created:
        response.status_code = 200
    wake = getattr(request.app.state, "outbox_wake", None)
    if wake is not None:
        wake.set()
    providers = [
        MatchedProvider.model_validate({k: p.get(k) for k in MatchedProvider.model_fields})
        for p in enquiry.providers
    ]
    names = ", ".join(p.name for p in providers) or request.app.state.settings.chamber_name
    return EnquiryOut(
        reference=enquiry.reference,
        matched_providers=providers,
        status="queued",
        message=f"Your enquiry {enquiry.reference} is on its way to {names}. A confirmation email follows.",
    )
