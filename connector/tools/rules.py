"""Funding rules kept as data: load `corpus/rules/*.yaml`, validate them, pick the rule in force on a date.

    book = load_rulebook()
    rule = book.rule_on("levy.top_up", date(2026, 11, 25))  # Rule(value=0.0, effective_from=2026-08-01)

A rule change is a data change: add an entry with a new `effective_from` and close the old one with
`effective_to`. The tools never hard-code a rate, threshold or age band.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from connector.errors import ConfigError, ToolInputError
from connector.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

DEFAULT_RULES_DIR = PROJECT_ROOT / "corpus" / "rules"


class Rule(BaseModel):
    """One rule for one period: a value, the dates it holds, where it comes from and what it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    title: str = Field(min_length=3)
    value: Any
    effective_from: date
    effective_to: date | None = None
    source: str = Field(pattern=r"^https?://\S+$")
    summary: str = Field(min_length=10)
    caveat: str | None = None
    fact: str | None = None
    review_by: date | None = None  # a known date by which the value must be checked again

    @model_validator(mode="after")
    def _dates_in_order(self) -> Rule:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.id}: effective_to is before effective_from")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def describe_period(self) -> str:
        """ "from 1 August 2026" or "1 April 2019 to 31 July 2026"."""
        if self.effective_to is None:
            return f"from {format_date(self.effective_from)}"
        return f"{format_date(self.effective_from)} to {format_date(self.effective_to)}"

    def get(self, key: str) -> Any:
        """A named part of a mapping value (ages, amounts)."""
        return self.value[key]


class RuleBook:
    """All rules, grouped by id and sorted by start date; periods of one id never overlap."""

    def __init__(self, rules: list[Rule]) -> None:
        self._by_id: dict[str, list[Rule]] = {}
        for rule in sorted(rules, key=lambda r: r.effective_from):
            self._by_id.setdefault(rule.id, []).append(rule)
        for rule_id, periods in self._by_id.items():
            _check_no_overlap(rule_id, periods)

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def periods(self, rule_id: str) -> list[Rule]:
        """Every period held for a rule, oldest first."""
        if rule_id not in self._by_id:
            raise KeyError(rule_id)
        return list(self._by_id[rule_id])

    def find(self, rule_id: str, day: date) -> Rule | None:
        """The rule in force on `day`, or None when no period covers it."""
        return next((r for r in self.periods(rule_id) if r.in_force_on(day)), None)

    def rule_on(self, rule_id: str, day: date, field: str = "date") -> Rule:
        """The rule in force on `day`; a ToolInputError naming `field` when the day is not covered."""
        rule = self.find(rule_id, day)
        if rule is None:
            earliest = self.periods(rule_id)[0].effective_from
            raise ToolInputError(
                field,
                f"the rules held here start on {format_date(earliest)}; {format_date(day)} is not covered",
            )
        return rule


def _check_no_overlap(rule_id: str, periods: list[Rule]) -> None:
    for earlier, later in zip(periods, periods[1:], strict=False):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise ConfigError(
                f"rule {rule_id}: periods starting {earlier.effective_from} and {later.effective_from} "
                "overlap"
            )


FILE_KEYS = {"rules", "last_reviewed", "review_by"}


def read_rules_file(path: Path) -> list[Rule]:
    """The rules in one YAML file; ConfigError naming the file and the entry when one is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a top-level 'rules:' list")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {', '.join(map(str, unknown))}")
    rules = []
    for index, entry in enumerate(entries):
        try:
            rules.append(Rule.model_validate(entry))
        except ValidationError as exc:
            raise ConfigError(f"{path}: rule #{index + 1} is invalid: {exc.errors()[0]['msg']}") from exc
    return rules


def load_rulebook_from(rules_dir: Path) -> RuleBook:
    """Read every *.yaml in a folder into one RuleBook."""
    files = sorted(rules_dir.glob("*.yaml"))
    if not files:
        raise ConfigError(f"no rule files in {rules_dir}")
    rules = [rule for path in files for rule in read_rules_file(path)]
    logger.info("rules loaded files=%d rules=%d", len(files), len(rules))
    return RuleBook(rules)


@lru_cache(maxsize=4)
def load_rulebook(rules_dir: Path = DEFAULT_RULES_DIR) -> RuleBook:
    """The bundled rules, read once per process."""
    return load_rulebook_from(rules_dir)


def format_date(day: date) -> str:
    """25 November 2026."""
    return f"{day.day} {day:%B %Y}"


def format_money(amount: float | Decimal) -> str:
    """£6,000 or £312.50: pence only when there are some."""
    rounded = round(float(amount), 2)
    if rounded == int(rounded):
        return f"£{int(rounded):,}"
    return f"£{rounded:,.2f}"


def format_percent(share: float | Decimal) -> str:
    """0.5% / 25% / 12.5%."""
    text = f"{float(share) * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


class RuleUsed(BaseModel):
    """What a result tells the reader about a rule it applied."""

    id: str
    title: str
    summary: str
    period: str
    effective_from: date
    effective_to: date | None
    source: str
    caveat: str | None = None

    @classmethod
    def of(cls, rule: Rule) -> RuleUsed:
        return cls(
            id=rule.id,
            title=rule.title,
            summary=rule.summary,
            period=rule.describe_period(),
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
            source=rule.source,
            caveat=rule.caveat,
        )


def rules_used(rules: list[Rule]) -> list[RuleUsed]:
    """Each distinct rule once, in the order first applied."""
    seen: dict[tuple[str, date], RuleUsed] = {}
    for rule in rules:
        seen.setdefault((rule.id, rule.effective_from), RuleUsed.of(rule))
    return list(seen.values())
