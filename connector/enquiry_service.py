"""An employer's enquiry from form to outbox: match providers, store the enquiry and its emails at once.

    service = EnquiryService.build(settings, embedder, catalogue)
    enquiry, created, matches = service.submit(form, idempotency_key)

The emails are only queued here; connector/mailer.py sends them. A crash after submit() loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from connector.courses.search import parse_level
from connector.db import Database
from connector.enquiries import Enquiry, EnquiryForm, EnquiryStore, new_reference
from connector.enquiry_emails import enquiry_emails
from connector.enquiry_matching import Need, ProviderMatch, ProviderMatcher
from connector.errors import ToolInputError
from connector.providers import ProviderDirectory
from connector.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class EnquiryService:
    settings: Settings
    store: EnquiryStore
    matcher: ProviderMatcher
    directory: ProviderDirectory
    catalogue: Any | None  # the course catalogue (connector/courses/catalogue.py), when there is one

    @classmethod
    def build(cls, settings: Settings, embedder: Any, catalogue: Any | None) -> EnquiryService:
        directory = ProviderDirectory.load(settings.providers_file)
        for warning in directory.warnings:
            log.warning("provider directory: %s", warning)
        store = EnquiryStore(Database.open(settings))
        return cls(settings, store, ProviderMatcher(embedder, settings), directory, catalogue)

    def match(self, form: EnquiryForm) -> list[ProviderMatch]:
        courses = self.catalogue.courses() if self.catalogue is not None else []
        providers = self.directory.with_courses(courses)
        need = Need(form.need, form.sector, _level(form.level), form.postcode_district)
        return self.matcher.match(need, providers)

    def submit(self, form: EnquiryForm, idempotency_key: str) -> tuple[Enquiry, bool, list[ProviderMatch]]:
        """(enquiry, created, matches); a repeated key returns the first enquiry and queues nothing."""
        existing = self.store.by_idempotency_key(idempotency_key)
        if existing is not None:
            return existing, False, []
        matches = self.match(form)
        reference = new_reference()
        emails = enquiry_emails(reference, form, matches, self.settings)
        records = [m.record() for m in matches]
        enquiry, created = self.store.create(form, idempotency_key, records, emails, reference=reference)
        log.info("enquiry stored created=%s providers=%d", created, len(matches))
        return enquiry, created, matches


def _level(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return parse_level(value)
    except ToolInputError:
        return None
