"""`connector areas`: list the LSIP areas and check each one a Chamber has written.

    report = await check_area("norfolk-suffolk", settings, network=True)
    report.failed, report.findings    # [Finding("error", "contact", "no public email ...")]

Errors (the area fails): a malformed or missing file, no public contact email, a sector a guide names
that the area does not have, a source whose robots.txt disallows our crawler. Warnings: a missing phone
or contact page, a source that could not be checked (network errors are reported, never fatal).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from connector.areas import Area, AreaError, load_area
from connector.corpus_check import FRONT_MATTER
from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT, Settings

Level = Literal["error", "warning"]


@dataclass
class Finding:
    level: Level
    kind: str  # "file", "contact", "sector", "source"
    message: str


@dataclass
class AreaReport:
    key: str
    name: str = ""
    chamber: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.level == "error" for f in self.findings)

    def add(self, level: Level, kind: str, message: str) -> None:
        self.findings.append(Finding(level, kind, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.key,
            "name": self.name,
            "chamber": self.chamber,
            "ok": not self.failed,
            "findings": [f.__dict__ for f in self.findings],
        }


def contact_problems(area: Area) -> list[Finding]:
    """What is missing from the area's human route; an area with no email cannot take over an enquiry."""
    contact, where = area.info.contact, area.folder / "area.yaml"
    found = []
    if contact.email is None:
        found.append(Finding("error", "contact", f"{where}: contact.email: no public email with a source"))
    if contact.phone is None:
        found.append(Finding("warning", "contact", f"{where}: contact.phone: no public phone with a source"))
    if contact.page is None:
        found.append(Finding("warning", "contact", f"{where}: contact.page: no contact page with a source"))
    return found


def guide_sector_problems(area: Area) -> list[Finding]:
    """Sectors a guide's front matter names (`sectors: [...]`) that are not the area's."""
    known, found = set(area.sector_ids), []
    for path in sorted(area.guides_dir.rglob("*.md")) if area.guides_dir.is_dir() else []:
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(match.group(1)) if match else None
        named = meta.get("sectors") if isinstance(meta, dict) else None
        for sector in named if isinstance(named, list) else []:
            if str(sector) not in known:
                found.append(Finding("error", "sector", f"{path}: sectors: unknown sector {sector!r}"))
    return found


async def source_problems(area: Area, settings: Settings, network: bool) -> list[Finding]:
    """Each source: its file valid, local paths present, and web sources allowed by their robots.txt."""
    from ingest.sources import load_sources

    try:
        sources = load_sources(area.sources_file)
    except ConfigError as exc:
        return [Finding("error", "file", str(exc))]
    found = [
        Finding("error", "source", f"{area.sources_file}: {s.name}: path {s.path} does not exist")
        for s in sources
        if s.path and not (PROJECT_ROOT / s.path).exists()
    ]
    web = [s for s in sources if s.url]
    if web and not network:
        return found + [Finding("warning", "source", f"{len(web)} web source(s) not checked (--offline)")]
    return found + await _robots_findings(web, settings)


async def _robots_findings(sources: list[Any], settings: Settings) -> list[Finding]:
    from ingest.fetch import Fetcher
    from ingest.robots import Robots

    found = []
    async with Fetcher(settings) as fetcher:
        for source in sources:
            if source.allow_private:
                fetcher.trust(source.url)
        robots = Robots(fetcher)
        for source in sources:
            rules = await robots.rules_for(source.url)
            if rules.allows(source.url, robots.agent):
                continue
            if rules.disallow_all:
                # Unreachable (network error, 5xx) or refused host: for a person to look at, not a failure.
                found.append(Finding("warning", "source", f"{source.name}: not checked: {rules.reason}"))
            else:
                found.append(Finding("error", "source", f"{source.name}: robots.txt disallows {source.url}"))
    return found


async def check_area(key: str, settings: Settings, network: bool = True) -> AreaReport:
    """Every check on one area."""
    report = AreaReport(key)
    try:
        area = load_area(key, settings.areas_dir)
    except AreaError as exc:
        report.add("error", "file", str(exc))
        return report
    report.name, report.chamber = area.info.name, area.info.chamber.name
    report.findings += contact_problems(area)
    report.findings += guide_sector_problems(area)
    report.findings += await source_problems(area, settings, network)
    return report


def check_areas(keys: list[str], settings: Settings, network: bool = True) -> list[AreaReport]:
    async def run() -> list[AreaReport]:
        return [await check_area(key, settings, network) for key in keys]

    return asyncio.run(run())


def describe(reports: list[AreaReport], active: str) -> str:
    """The terminal listing: one block per area, the served one marked."""
    lines = []
    for report in reports:
        mark = "*" if report.key == active else " "
        state = "FAILED" if report.failed else "ok"
        lines.append(f"{mark} {report.key}: {report.name or '?'} ({report.chamber or '?'}) {state}")
        lines += [f"    {f.level}: {f.message}" for f in report.findings]
    return "\n".join(lines)
