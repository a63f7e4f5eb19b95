"""Ask a set's questions through the real pipeline, on an index built for it, and score each answer.

outcomes = evaluate_corpus(settings, items, modes=("hybrid", "dense"))
outcomes, pages = evaluate_site(settings, Path("eval/sites/college"), items, modes=("hybrid",))
"""

from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from connector.areas import bundled_sources, load_area
from connector.evaluation.items import Item
from connector.evaluation.score import TOP_K, Outcome, first_rank, judge, passage_rank
from connector.evaluation.sealed_logs import hidden_from_logs
from connector.evaluation.site_server import StaticSite
from connector.pipeline import ask_sync
from connector.retrieve import Mode, Retriever
from connector.services import Services
from connector.settings import Settings

if TYPE_CHECKING:
    from ingest.report import RunReport

log = logging.getLogger(__name__)

# The evaluation sets are written for the default area's bundled guides and sample courses, whichever
# area the process serves.
EVAL_AREA = str(Settings.model_fields["area"].default)
CORPUS_SOURCES = bundled_sources(load_area(EVAL_AREA))
Results = dict[str, list[Outcome]]  # per retrieval mode, in item order


def ask_item(item: Item, services: Services, sessions: dict[str, str]) -> Outcome:
    """Ask one question (in its session for a follow-up) and score it."""
    started = time.perf_counter()
    result = ask_sync(services, item.question, item.audience, sessions.get(item.follow_up_of or ""))
    ms = (time.perf_counter() - started) * 1000
    ctx = result.ctx
    sessions[item.id] = ctx.session_id
    shown = ctx.answer + " " + json.dumps(ctx.cards, ensure_ascii=False)
    cited = " ".join(f"{s.title} {s.url} {s.snippet}" for s in ctx.sources)
    correct, kind, missing, missing_any, leaked = judge(item, str(ctx.status), ctx.route, shown, cited)
    rank = None
    if item.sources:
        hits = services.retriever.search(ctx.query, audience=item.audience, k=TOP_K)
        rank = first_rank([hit.chunk.url for hit in hits], item.sources)
    passages = passage_rank(item, [hit.chunk.text for hit in ctx.hits])
    urls = [source.url for source in ctx.sources]
    return Outcome(
        item, str(ctx.status), ctx.route, correct, kind, missing, missing_any, leaked, rank, passages, ms,
        urls, ctx.answer, list(ctx.notes),
    )  # fmt: skip


def with_mode(services: Services, mode: Mode) -> Services:
    """The same services with another retrieval mode (the index and model are shared); evaluation
    questions stay out of the demand report."""
    retriever = Retriever(
        services.settings, services.embedder, services.store, services.retriever.lexical, mode
    )
    return dataclasses.replace(services, retriever=retriever, questions=None, extras={})


def run_items(services: Services, items: list[Item], mode: Mode) -> list[Outcome]:
    run_services = with_mode(services, mode)
    sessions: dict[str, str] = {}
    return [ask_item(item, run_services, sessions) for item in items]


def eval_settings(settings: Settings) -> Settings:
    """The evaluation's own data dir for the bundled corpus, so it never touches the served index."""
    return settings.model_copy(update={"data_dir": settings.data_dir / "eval"})


def ensure_index(settings: Settings, sources: list[str]) -> RunReport:
    """Bring an index up to date with the sources (incremental: unchanged files cost nothing, so an
    edited guide is always evaluated as it is now)."""
    from ingest.run import run_ingest

    log.info("updating the evaluation index sources=%d", len(sources))
    return run_ingest(settings, sources)


def run_modes(services: Services, items: list[Item], modes: Sequence[Mode]) -> Results:
    """Ask every item in each retrieval mode."""
    return {mode: run_items(services, items, mode) for mode in modes}


def evaluate_corpus(settings: Settings, items: list[Item], modes: Sequence[Mode]) -> Results:
    """The bundled corpus alone, in the evaluation's own (kept, incremental) index."""
    with indexed_services(settings, None) as (services, _):
        return run_modes(services, items, modes)


def evaluate_site(
    settings: Settings,
    root: Path,
    items: list[Item],
    modes: Sequence[Mode],
    *,
    sealed: bool = False,
    corpus: Sequence[str] = tuple(CORPUS_SOURCES),
) -> tuple[Results, int]:
    """A fixture website, served on 127.0.0.1 and crawled with the bundled corpus into a fresh index, as a
    Chamber's deployment holds both; returns the outcomes and how many of the site's pages were indexed.
    A sealed set's URLs and questions are masked in the logs while it runs."""
    secrets = [item.question for item in items] if sealed else None
    with indexed_services(settings, root, corpus=corpus, secrets=secrets) as (services, pages):
        return run_modes(services, items, modes), pages


@contextmanager
def indexed_services(
    settings: Settings,
    root: Path | None,
    *,
    corpus: Sequence[str] = tuple(CORPUS_SOURCES),
    secrets: list[str] | None = None,
) -> Iterator[tuple[Services, int]]:
    """Services over an index of the bundled corpus (the evaluation's own, kept and incremental) or, given
    a fixture site's folder, of the corpus and the site, served on 127.0.0.1 and crawled into a fresh
    index while the services are in use; with how many new pages came from the site. With `secrets` (a
    sealed set's questions) the site's URL and the questions are masked in the logs meanwhile."""
    if root is None:
        corpus_settings = eval_settings(settings)
        ensure_index(corpus_settings, list(corpus))
        yield Services.build(corpus_settings), 0
        return
    with (
        StaticSite(root) as site,
        tempfile.TemporaryDirectory(prefix="connector-eval-site-") as data_dir,
        hidden_from_logs(site.base_url, secrets) if secrets is not None else nullcontext(),
    ):
        # Served locally, so crawled without the polite delay.
        fast = {"data_dir": Path(data_dir), "crawl_requests_per_second": 50.0}
        site_settings = settings.model_copy(update=fast)
        report = ensure_index(site_settings, [*corpus, site.base_url])
        pages = sum(tally["new"] for name, tally in report.per_source.items() if name not in corpus)
        yield Services.build(site_settings), pages
