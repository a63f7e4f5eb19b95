"""Check step: the answer may only cite sources that were retrieved (and are not blocked), must cite at
least one, and must not repeat instructions planted in a page. Otherwise it becomes `no_answer`.

Citations are renumbered in order of first use, and only cited sources are returned.
"""

from __future__ import annotations

import re

from connector.context import Context, Source
from connector.services import Services
from connector.steps.guard import looks_like_injection
from connector.steps.retrieve import no_answer_text
from connector.types import Status

CITATION = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
SENTENCE_END = re.compile(r"((?<=[.!?\]])\s+)")


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


def run(ctx: Context, services: Services) -> None:
    """Accept a supported answer (status answered) or replace it with no_answer."""
    answer = without_planted_instructions(ctx.answer)[: services.settings.max_answer_chars]
    answer, sources = renumber(answer, allowed_sources(ctx, services))
    if not sources or not answer.strip():
        ctx.notes.append("unsupported_answer")
        ctx.sources = []
        ctx.stop(Status.NO_ANSWER, no_answer_text(services))
        return
    ctx.answer = answer.strip()
    ctx.sources = sources
    ctx.status = Status.ANSWERED
