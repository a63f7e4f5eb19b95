"""The human route: who a person can talk to when the product cannot (or should not) answer.

contact = human_contact(settings)      # {"name", "email", "phone", "url", "careers_url"}
human_route_text(settings)             # one sentence for no_answer / refused answers
"""

from __future__ import annotations

from connector.settings import Settings

# The National Careers Service: free, impartial careers advice in England (domain-facts C01).
CAREERS_NAME = "National Careers Service"
CAREERS_URL = "https://nationalcareers.service.gov.uk/"
CAREERS_PHONE = "0800 100 900"


def human_contact(settings: Settings) -> dict[str, str]:
    """The contact block every chat response carries."""
    return {
        "name": f"{settings.chamber_name} skills team",
        "email": settings.chamber_contact_email,
        "phone": settings.chamber_contact_phone,
        "url": settings.chamber_contact_url,
        "careers_url": CAREERS_URL,
    }


def human_route_text(settings: Settings) -> str:
    """A sentence pointing to the Chamber's skills team and, for careers, the National Careers Service."""
    team = f"the {settings.chamber_name} skills team"
    # An area may publish only a contact page; with nothing at all the team is named without a route
    # (`connector areas` and /readyz report that), never with a placeholder.
    reach = [settings.chamber_contact_email, settings.chamber_contact_phone]
    how = " or ".join(part for part in reach if part) or settings.chamber_contact_url
    team_line = f"{team} ({how})" if how else team
    return (
        f"You can ask {team_line}. For careers advice, the {CAREERS_NAME} is free: "
        f"{CAREERS_URL} or {CAREERS_PHONE}."
    )
