"""The emails an enquiry causes: one per matched provider, one to the Chamber when a provider cannot be
emailed (or none matched), and the employer's confirmation with the reference. Plain text only: whatever
the employer typed (HTML or script included) is shown as the characters they typed.

    emails = enquiry_emails(reference, form, matches, settings)
"""

from __future__ import annotations

from connector.enquiries import EnquiryForm
from connector.enquiry_matching import ProviderMatch
from connector.outbox import Email
from connector.settings import Settings

SUBJECT_NEED_CHARS = 60


def enquiry_emails(
    reference: str, form: EnquiryForm, matches: list[ProviderMatch], settings: Settings
) -> list[Email]:
    """Every email to queue for this enquiry, providers first, the employer's confirmation last."""
    details = _details(reference, form)
    emails = [
        Email(
            match.provider.email,
            f"Training enquiry {reference}: {_short(form.need)}",
            _provider_body(match, details),
        )
        for match in matches
        if match.provider.email
    ]
    unreachable = [match.provider.name for match in matches if not match.provider.email]
    # Without a public Chamber address (`connector areas` fails the area) the enquiry stays stored for
    # staff in /admin rather than going to an address nobody reads.
    if (unreachable or not matches) and settings.chamber_contact_email:
        emails.append(
            Email(
                settings.chamber_contact_email,
                f"Enquiry {reference} needs a person: {_short(form.need)}",
                _chamber_body(unreachable, details),
            )
        )
    emails.append(
        Email(
            form.email,
            f"Your training enquiry {reference}",
            _confirmation(reference, form, matches, settings),
        )
    )
    return emails


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_NEED_CHARS else line[: SUBJECT_NEED_CHARS - 1].rstrip() + "…"


def _details(reference: str, form: EnquiryForm) -> str:
    rows = [
        ("Reference", reference),
        ("Organisation", form.organisation),
        ("Contact", form.contact_name),
        ("Email", form.email),
        ("Phone", form.phone or ""),
        ("Sector", form.sector or ""),
        ("Level", form.level or ""),
        ("People to train", str(form.people) if form.people else ""),
        ("Postcode district", form.postcode_district or ""),
    ]
    lines = [f"{label}: {value}" for label, value in rows if value]
    return "\n".join([*lines, "", "What they need, in their words:", form.need])


def _provider_body(match: ProviderMatch, details: str) -> str:
    why = ", ".join(match.courses) or "the subjects you offer"
    return (
        f"Hello {match.provider.name},\n\n"
        "An employer has asked, through the Skills Connector, to be put in touch with providers who can\n"
        f"help with the training below. You were matched on: {why}.\n"
        "They consented to their details being shared with you. Please reply to them directly.\n\n"
        f"{details}\n"
    )


def _chamber_body(unreachable: list[str], details: str) -> str:
    reason = (
        f"These matched providers have no enquiry email in the directory: {', '.join(unreachable)}."
        if unreachable
        else "No provider in the directory matched this need."
    )
    return f"{reason}\nPlease pass the enquiry on by hand.\n\n{details}\n"


def _confirmation(reference: str, form: EnquiryForm, matches: list[ProviderMatch], settings: Settings) -> str:
    names = [f"- {match.provider.name}" for match in matches] or [f"- {settings.chamber_name}"]
    return (
        f"Dear {form.contact_name},\n\n"
        f"Thank you. Your enquiry reference is {reference}.\n\n"
        "We have sent your enquiry to:\n" + "\n".join(names) + "\n\n"
        "They will reply to you directly. If you hear nothing within a week, contact "
        f"{settings.chamber_name}{_reach(settings)} quoting your reference.\n\n"
        "What you asked for:\n" + form.need + "\n"
    )


def _reach(settings: Settings) -> str:
    how = settings.chamber_contact_email or settings.chamber_contact_phone or settings.chamber_contact_url
    return f" ({how})" if how else ""
