"""The evaluation: every question in eval/*.yaml through the real pipeline, scored, hybrid and dense-only
side by side.

    connector eval                       # builds its own index under <data dir>/eval if it is empty
    connector eval --show-failures

Answer accuracy: the status matches and every fact appears in the answer (or its cards). Source hit@5 and
MRR: an expected source among the top 5 retrieved passages (a hit is a URL whose path starts with an
expected one). Abstention accuracy: questions that must get no_answer or refused do. Cited-source precision:
the share of the sources an answer cites that are expected ones (padding from unrelated pages lowers it).
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from connector.errors import ConfigError
from connector.pipeline import ask_sync
from connector.retrieve import Mode, Retriever
from connector.services import Services
from connector.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

EVAL_DIR = PROJECT_ROOT / "eval"
ABSTAIN = ("no_answer", "refused")
TOP_K = 5
INDEX_PAGE = re.compile(r"index\.html?$")


@dataclass
class Item:
    id: str
    question: str
    expect: str
    audience: str | None = None
    sources: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    follow_up_of: str | None = None
    file: str = ""


@dataclass
class Outcome:
    item: Item
    status: str
    correct: bool
    missing_facts: list[str]
    rank: int | None  # 1-based rank of the first expected source in the top 5; None when absent
    ms: float
    cited: list[str] = field(default_factory=list)  # the URLs the answer cites
    answer: str = ""


def load_items(paths: list[Path]) -> list[Item]:
    """The questions of the given files, in order; a bad entry stops with the file and id named."""
    items: list[Item] = []
    for path in paths:
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            try:
                items.append(Item(**raw, file=path.name))
            except TypeError as error:
                raise ConfigError(f"{path.name}: item {raw.get('id', '?')!r}: {error}") from error
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        raise ConfigError("eval ids must be unique across eval/*.yaml")
    return items


def path_of(url: str) -> str:
    return urlparse(url).path if "://" in url else url


def same_source(url: str, expected: str) -> bool:
    """The URL is the expected page: a page path matches itself and its sections ("/corpus/levy" matches
    "/corpus/levy#transfers"); a folder ("/courses/", "/courses/index.html") matches only itself."""
    found, wanted = (INDEX_PAGE.sub("", path_of(value)) for value in (url, expected))
    return found == wanted or (not wanted.endswith("/") and found.startswith(wanted))


def first_rank(urls: list[str], expected: list[str]) -> int | None:
    for rank, url in enumerate(urls[:TOP_K], start=1):
        if any(same_source(url, e) for e in expected):
            return rank
    return None


def score_item(item: Item, services: Services, sessions: dict[str, str]) -> Outcome:
    """Ask one question (in its session for a follow-up) and score it."""
    started = time.perf_counter()
    result = ask_sync(services, item.question, item.audience, sessions.get(item.follow_up_of or ""))
    ms = (time.perf_counter() - started) * 1000
    ctx = result.ctx
    sessions[item.id] = ctx.session_id
    shown = (ctx.answer + " " + json.dumps(ctx.cards, ensure_ascii=False)).lower()
    missing = [fact for fact in item.facts if fact.lower() not in shown]
    correct = str(ctx.status) == item.expect and not (item.expect == "answered" and missing)
    rank = None
    if item.sources:
        hits = services.retriever.search(ctx.query, audience=item.audience, k=TOP_K)
        rank = first_rank([hit.chunk.url for hit in hits], item.sources)
    cited = [source.url for source in ctx.sources]
    return Outcome(item, str(ctx.status), correct, missing, rank, ms, cited, ctx.answer)


def source_precision(outcome: Outcome) -> float | None:
    """Share of the sources an answer cites that are expected ones (None when it cites none): an answer
    padded with passages from unrelated pages scores low even when it holds the facts."""
    if not outcome.cited or not outcome.item.sources:
        return None
    expected = outcome.item.sources
    return sum(any(same_source(url, e) for e in expected) for url in outcome.cited) / len(outcome.cited)


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """The headline figures of one run."""
    retrieval = [o for o in outcomes if o.item.sources and o.item.expect == "answered"]
    abstain = [o for o in outcomes if o.item.expect in ABSTAIN]
    answerable = [o for o in outcomes if o.item.expect == "answered"]
    precisions = [p for p in map(source_precision, retrieval) if p is not None]
    return {
        "questions": len(outcomes),
        "answer_accuracy": _share(o.correct for o in outcomes),
        "hit_at_5": _share(o.rank is not None for o in retrieval),
        "mrr": statistics.fmean([1 / o.rank if o.rank else 0.0 for o in retrieval]) if retrieval else 0.0,
        "abstention_accuracy": _share(o.status in ABSTAIN for o in abstain),
        "source_precision": statistics.fmean(precisions) if precisions else 0.0,
        "false_abstentions": sum(o.status in ABSTAIN for o in answerable),
        "retrieval_questions": len(retrieval),
        "abstain_questions": len(abstain),
        "p50_ms": statistics.median(o.ms for o in outcomes) if outcomes else 0.0,
    }


def _share(flags: Any) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def with_mode(services: Services, mode: Mode) -> Services:
    """The same services with another retrieval mode (the index and model are shared)."""
    retriever = Retriever(
        services.settings, services.embedder, services.store, services.retriever.lexical, mode
    )
    return Services(
        settings=services.settings,
        embedder=services.embedder,
        store=services.store,
        retriever=retriever,
        courses=services.courses,
        llm=services.llm,
        sessions=services.sessions,
        questions=None,  # evaluation questions stay out of the demand report
    )


def run_eval(services: Services, items: list[Item], mode: Mode) -> list[Outcome]:
    run_services = with_mode(services, mode)
    sessions: dict[str, str] = {}
    return [score_item(item, run_services, sessions) for item in items]


def eval_settings(settings: Settings) -> Settings:
    """The evaluation's own data dir, so it never touches the served index."""
    return settings.model_copy(update={"data_dir": settings.data_dir / "eval", "llm": settings.llm})


def ensure_index(settings: Settings, sources: list[str]) -> None:
    """Bring the evaluation's own index up to date with the sources (incremental: unchanged files cost
    nothing, so an edited guide is always evaluated as it is now)."""
    from ingest.run import run_ingest

    log.info("updating the evaluation index sources=%s", ",".join(sources))
    run_ingest(settings, sources)
