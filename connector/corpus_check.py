"""Keep the bundled guides and funding rules current: structure, review dates, sources, unchecked figures.

    report = check_corpus(DOCS_DIR, RULES_DIR, today=date.today())  # offline: no source is fetched
    report.errors    # malformed guides or rules, and anything past its review date: the check fails
    report.warnings  # sources that do not answer, figures no rule holds, rules no longer in force

A guide is due for review `review_by` (front matter) or, without one, a year after `last_reviewed`. A rules
file is due `review_by` (top level) or a year after its `last_reviewed`; a rule may carry its own
`review_by`. Errors fail `connector corpus check` (and so CI); warnings are for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT
from connector.tools.rules import DEFAULT_RULES_DIR, FILE_KEYS, Rule, RuleBook, format_date
from connector.types import AUDIENCES, DOC_TYPES

DOCS_DIR = PROJECT_ROOT / "corpus" / "docs"
AREAS_DIR = PROJECT_ROOT / "areas"
REVIEW_EVERY = timedelta(days=365)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
HTTPS = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MONEY = re.compile(r"£\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?(?:\s?(k|m|bn|million|billion)\b)?", re.I)
PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?%")
MULTIPLIERS = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    level: Level
    kind: str  # structure, review, gap, figure, source
    where: str
    message: str


@dataclass
class CorpusReport:
    today: date
    online: bool
    guides: int = 0
    rule_files: int = 0
    rules: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "online": self.online,
            "guides": self.guides,
            "rule_files": self.rule_files,
            "rules": self.rules,
            "errors": [f.__dict__ for f in self.errors],
            "warnings": [f.__dict__ for f in self.warnings],
        }


def guide_dirs() -> list[Path]:
    """The shared guides and every area's own (areas/<name>/guides)."""
    return [DOCS_DIR, *sorted(p for p in AREAS_DIR.glob("*/guides") if p.is_dir())]


def check_corpus(
    docs_dir: Path | None = None,
    rules_dir: Path = DEFAULT_RULES_DIR,
    today: date | None = None,
    source_problem: Callable[[str], str | None] | None = None,
) -> CorpusReport:
    """Every check (of `docs_dir`, or every guide folder); `source_problem(url)` (None offline) says why
    a rule's source does not answer."""
    report = CorpusReport(today=today or date.today(), online=source_problem is not None)
    bodies = _check_guides([docs_dir] if docs_dir else guide_dirs(), report)
    rules = _check_rules(rules_dir, report)
    _check_gaps(rules, report)
    _check_figures(bodies, rules, report)
    if source_problem is not None:
        _check_sources(rules, source_problem, report)
    return report


def _where(path: Path, detail: str = "") -> str:
    shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
    return f"{shown}{f' ({detail})' if detail else ''}"


def _add(report: CorpusReport, level: Level, kind: str, where: str, message: str) -> None:
    report.findings.append(Finding(level, kind, where, message))


# --- guides --------------------------------------------------------------------------------------------


def _check_guides(docs_dirs: list[Path], report: CorpusReport) -> dict[str, str]:
    """Front matter and review dates of every guide; returns where -> body for the figure check."""
    bodies: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for path in [p for folder in docs_dirs for p in sorted(folder.rglob("*.md"))]:
        report.guides += 1
        where = _where(path)
        try:
            meta, body = front_matter(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            _add(report, "error", "structure", where, str(exc))
            continue
        problems = _guide_problems(meta)
        for problem in problems:
            _add(report, "error", "structure", where, problem)
        slug = str(meta.get("slug"))
        if slug in slugs:
            _add(report, "error", "structure", where, f"slug {slug!r} is also used by {slugs[slug]}")
        slugs.setdefault(slug, where)
        if not problems:
            _review_due(meta["last_reviewed"], meta.get("review_by"), where, report)
        bodies[where] = body
    return bodies


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        raise ValueError("no front matter (a --- block at the top)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[match.end() :]


def _guide_problems(meta: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(meta.get("title"), str) or len(meta["title"].strip()) < 10:
        problems.append("title is missing or shorter than 10 characters")
    if not SLUG.match(str(meta.get("slug") or "")):
        problems.append("slug is missing or not lower-case letters, digits and hyphens")
    audience = meta.get("audience")
    if not isinstance(audience, list) or not audience or not set(audience) <= set(AUDIENCES):
        problems.append(f"audience must be a list drawn from {', '.join(AUDIENCES)}")
    if meta.get("doc_type") not in DOC_TYPES:
        problems.append(f"doc_type must be one of {', '.join(DOC_TYPES)}")
    sources = meta.get("sources")
    if not isinstance(sources, list) or not sources or not all(HTTPS.match(str(s)) for s in sources):
        problems.append("sources must be a list of https addresses")
    problems += _date_problems(meta, "last_reviewed")
    return problems


def _date_problems(meta: dict[str, Any], reviewed_key: str) -> list[str]:
    reviewed, review_by = meta.get(reviewed_key), meta.get("review_by")
    if not isinstance(reviewed, date):
        return [f"{reviewed_key} must be a date (YYYY-MM-DD)"]
    if review_by is not None and not isinstance(review_by, date):
        return ["review_by must be a date (YYYY-MM-DD)"]
    if isinstance(review_by, date) and review_by < reviewed:
        return [f"review_by ({review_by}) is before {reviewed_key} ({reviewed})"]
    return []


def _review_due(reviewed: date, review_by: date | None, where: str, report: CorpusReport) -> None:
    if reviewed > report.today:
        _add(report, "error", "structure", where, f"last_reviewed ({reviewed}) is in the future")
        return
    due = review_by or reviewed + REVIEW_EVERY
    if due < report.today:
        message = f"review was due on {format_date(due)} (last reviewed {format_date(reviewed)})"
        _add(report, "error", "review", where, message)


# --- rules ---------------------------------------------------------------------------------------------


def _check_rules(rules_dir: Path, report: CorpusReport) -> list[Rule]:
    """Each rules file: its shape, every entry, overlapping periods and review dates; the valid rules."""
    rules: list[Rule] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        report.rule_files += 1
        rules += _check_rules_file(path, report)
    if report.rule_files == 0:
        _add(report, "error", "structure", _where(rules_dir), "no rule files (*.yaml)")
    report.rules = len(rules)
    try:
        RuleBook(rules)
    except ConfigError as exc:
        _add(report, "error", "structure", _where(rules_dir), str(exc))
    return rules


def _check_rules_file(path: Path, report: CorpusReport) -> list[Rule]:
    where = _where(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        _add(report, "error", "structure", where, f"not valid YAML: {str(exc).splitlines()[0]}")
        return []
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        _add(report, "error", "structure", where, "expected a mapping with a top-level 'rules:' list")
        return []
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        _add(report, "error", "structure", where, f"unknown top-level key(s): {', '.join(map(str, unknown))}")
    problems = _date_problems(data, "last_reviewed")
    for problem in problems:
        _add(report, "error", "structure", where, problem)
    if not problems:
        _review_due(data["last_reviewed"], data.get("review_by"), where, report)
    rules = list(_valid_rules(data["rules"], where, report))
    for rule in rules:
        if rule.review_by is not None and rule.review_by < report.today:
            due = format_date(rule.review_by)
            message = f"rule {rule.id} ({rule.describe_period()}) was due for review on {due}"
            _add(report, "error", "review", where, message)
    return rules


def _valid_rules(entries: list[Any], where: str, report: CorpusReport) -> Iterable[Rule]:
    for index, entry in enumerate(entries, 1):
        try:
            yield Rule.model_validate(entry)
        except ValidationError as exc:
            rule_id = entry.get("id") if isinstance(entry, dict) else None
            first = exc.errors()[0]
            field_name = ".".join(str(part) for part in first["loc"]) or "entry"
            message = (
                f"rule #{index}{f' ({rule_id})' if rule_id else ''} is invalid: {field_name}: {first['msg']}"
            )
            _add(report, "error", "structure", where, message)


def _check_gaps(rules: list[Rule], report: CorpusReport) -> None:
    """A rule whose latest period has ended, with nothing after it, answers no question about today."""
    latest: dict[str, Rule] = {}
    for rule in sorted(rules, key=lambda r: r.effective_from):
        latest[rule.id] = rule
    for rule_id, rule in sorted(latest.items()):
        if rule.effective_to is not None and rule.effective_to < report.today:
            message = (
                f"no period in force today (the last ended on "
                f"{format_date(rule.effective_to)}); add the current value with its source"
            )
            _add(report, "warning", "gap", rule_id, message)


# --- figures and sources -------------------------------------------------------------------------------


def _check_figures(bodies: dict[str, str], rules: list[Rule], report: CorpusReport) -> None:
    """Money amounts and percentages a guide states that no rule holds: the tools cannot check them."""
    held = set(_numbers(rule.value for rule in rules))
    for where, body in bodies.items():
        loose = [text for text, value, share in _figures(body) if not _is_held(value, share, held)]
        if loose:
            message = "figures no rule holds (check them by hand): " + ", ".join(dict.fromkeys(loose))
            _add(report, "warning", "figure", where, message)


def _figures(body: str) -> Iterable[tuple[str, float, bool]]:
    """(as written, value, is a percentage) for every money amount and percentage in a text."""
    for m in MONEY.finditer(body):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        yield m.group(0).strip(), value * MULTIPLIERS.get((m.group(3) or "").lower(), 1), False
    for m in PERCENT.finditer(body):
        yield m.group(0).replace(" ", ""), float(m.group(1)), True


def _is_held(value: float, share: bool, held: set[float]) -> bool:
    candidates = (value / 100, value) if share else (value,)
    return any(abs(candidate - number) < 1e-6 for candidate in candidates for number in held)


def _numbers(values: Iterable[Any]) -> Iterable[float]:
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            yield float(value)
        elif isinstance(value, dict):
            yield from _numbers(value.values())
        elif isinstance(value, list):
            yield from _numbers(value)


def _check_sources(
    rules: list[Rule], source_problem: Callable[[str], str | None], report: CorpusReport
) -> None:
    by_url: dict[str, list[str]] = {}
    for rule in rules:
        by_url.setdefault(rule.source, [])
        if rule.id not in by_url[rule.source]:
            by_url[rule.source].append(rule.id)
    for url, problem in _map_sources(list(by_url), source_problem):
        if problem:
            message = f"source does not answer ({problem}): {url} (rules {', '.join(by_url[url])})"
            _add(report, "warning", "source", url, message)


def _map_sources(
    urls: list[str], source_problem: Callable[[str], str | None]
) -> list[tuple[str, str | None]]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(zip(urls, pool.map(source_problem, urls), strict=True))


def http_source_problem(user_agent: str, timeout: float = 10.0) -> Callable[[str], str | None]:
    """A checker that asks each address (HEAD, then GET when HEAD is refused) and names what went wrong."""
    import httpx

    headers = {"User-Agent": user_agent}

    def problem(url: str) -> str | None:
        try:
            with httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client:
                response = client.head(url)
                if response.status_code >= 400:
                    with client.stream("GET", url) as streamed:
                        response = streamed
            return None if response.status_code < 400 else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {str(exc)[:80] or 'no answer'}"

    return problem
