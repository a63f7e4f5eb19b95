"""Check step: the answer may only cite sources that were retrieved (and are not blocked), must cite at
least one, must not repeat instructions planted in a page, and may give a contact detail or a site only
when its passages do (connector/grounding.py). Otherwise it becomes `no_answer`.

Citations are renumbered in order of first use, and only cited sources are returned.
"""

from __future__ import annotations

import re

from connector.contact import human_contact, human_route_text
from connector.context import Context, Source
from connector.focus import acronym_terms, passage_vocabulary, unsupported_focus, year_terms
from connector.glossary import written_in
from connector.grounding import SENTENCE_END, without_unsourced_details
from connector.services import Services
from connector.steps.guard import looks_like_injection
from connector.steps.retrieve import no_answer_text
from connector.types import Status

CITATION = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


def allowed_sources(ctx: Context, services: Services) -> dict[int, Source]:
    """Source number -> source, for sources that were retrieved and are not blocked."""
    retrieved = {hit.chunk.url for hit in ctx.hits}
    return {
        number: source
        for number, source in enumerate(ctx.sources, start=1)
        if source.url in retrieved and not services.retriever.is_blocked(source.url)
    }


def renumber(answer: str, allowed: dict[int, Source]) -> tuple[str, list[Source]]:
    """Citations to allowed sources renumbered 1..n in order of use; any other citation removed."""
    order: list[int] = []

    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in match.group(1).split(",")]
        kept = []
        for number in numbers:
            if number in allowed:
                if number not in order:
                    order.append(number)
                kept.append(order.index(number) + 1)
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))

    text = CITATION.sub(replace, answer)
    return text, [allowed[number] for number in order]


def without_planted_instructions(answer: str) -> str:
    """The answer without sentences that read like instructions (the separators between them kept)."""
    pieces = SENTENCE_END.split(answer)  # sentence, separator, sentence, ...
    kept = [piece for i, piece in enumerate(pieces) if i % 2 or not looks_like_injection(piece)]
    return "".join(kept)


def _misses_the_focus(ctx: Context, sources: list[Source]) -> bool:
    """The pages the answer cites do not speak of an acronym the question asks about ("an HGV course"),
    or of the year it asks about ("the fee in 2024-25"), though other retrieved pages did: the answer is
    about something else, or another period. Follow-ups lean on the conversation and are not judged on
    their own words."""
    if "follow_up" in ctx.notes:
        return False
    cited = {source.url for source in sources}
    passages = [hit for hit in ctx.hits + ctx.page_hits if hit.chunk.url in cited]
    if year_terms(ctx.question) - passage_vocabulary(passages, depth=None):
        return True
    missing = acronym_terms(ctx.question) & set(unsupported_focus(ctx.question, passages, depth=None))
    text = " ".join(hit.chunk.text for hit in passages)
    return any(not _spelled_out(acronym, text) for acronym in missing)


def _spelled_out(acronym: str, text: str) -> bool:
    """The text writes the acronym out: its glossary long form ("HGV": "heavy goods vehicle"), or
    capitalised words with its letters ("NI": "National Insurance")."""
    if written_in(acronym, text):
        return True
    letters = [letter for letter in acronym.upper() if letter.isalpha()]
    if len(letters) < 2 or len(letters) != len(acronym):
        return False
    return re.search(r"\b" + r"\s+".join(f"{letter}[a-z]+" for letter in letters) + r"\b", text) is not None


def run(ctx: Context, services: Services) -> None:
    """Accept a supported answer (status answered) or replace it with no_answer."""
    passages = "\n".join(hit.chunk.text for hit in ctx.hits + ctx.page_hits)
    answer = without_planted_instructions(ctx.answer)[: services.settings.max_answer_chars]
    # Sources as links are added by the API from ctx.sources, so their addresses count as given too.
    # So do the product's own contacts, which an answer may point to.
    own = human_route_text(services.settings) + " " + " ".join(human_contact(services.settings).values())
    given = "\n".join([passages, own, *(source.url for source in ctx.sources)])
    answer = without_unsourced_details(answer, given)
    answer, sources = renumber(answer, allowed_sources(ctx, services))
    if not sources or not answer.strip() or _misses_the_focus(ctx, sources):
        ctx.notes.append("unsupported_answer")
        ctx.sources = []
        ctx.stop(Status.NO_ANSWER, no_answer_text(services))
        return
    ctx.answer = answer.strip()
    ctx.sources = sources
    ctx.status = Status.ANSWERED
