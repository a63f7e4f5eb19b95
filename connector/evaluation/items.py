"""The question format shared by the dev and the sealed sets, and its loader.

    - id: college-01                 # unique across all sets
      question: "..."
      audience: employer             # optional: employer | learner | provider
      follow_up_of: college-00       # optional: asked in the same session right after that item
      expect: answered               # answered | no_answer | refused
      sources: ["/path/page.html"]   # optional: expected page paths
      facts: ["£1,250", "March"]     # all must appear in the answer
      any: ["Tuesday", "Tuesdays"]   # optional: at least one must appear
      forbid: ["secret phrase"]      # optional: must never appear in the answer or its sources

A bad entry stops the run with a ConfigError naming the file and the id; in a sealed set it names the
item's position instead, so the error does not show the set's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connector.errors import ConfigError

EXPECT = ("answered", "no_answer", "refused")
AUDIENCES = ("employer", "learner", "provider")
TEXT_FIELDS = ("id", "question")
LIST_FIELDS = ("sources", "facts", "any", "forbid")
FIELDS = (*TEXT_FIELDS, "audience", "follow_up_of", "expect", *LIST_FIELDS)


@dataclass
class Item:
    id: str
    question: str
    expect: str
    audience: str | None = None
    sources: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    any: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    follow_up_of: str | None = None
    file: str = ""  # the dev file's name, or the sealed set's name
    sealed: bool = False


def load_items(path: Path, *, label: str | None = None, sealed: bool = False) -> list[Item]:
    """The questions of one file, in order, checked field by field."""
    name = label or path.name
    try:
        raw_items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        where = "" if sealed else f": {error}"
        raise ConfigError(f"{name}: not valid YAML{where}") from None
    if not isinstance(raw_items, list):
        raise ConfigError(f"{name}: must be a list of questions")
    items = [_item(raw, name, sealed, number) for number, raw in enumerate(raw_items, start=1)]
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if item.follow_up_of is not None and item.follow_up_of not in seen:
            raise ConfigError(f"{_where(name, item, sealed, number)}: follow_up_of must name an earlier item")
        seen.add(item.id)
    return items


def check_unique(items: list[Item]) -> None:
    """Ids are unique across every set (a follow-up names the item it follows by id)."""
    first: dict[str, Item] = {}
    for item in items:
        other = first.setdefault(item.id, item)
        if other is item:
            continue
        which = "one" if item.sealed or other.sealed else repr(item.id)  # never print an id of a sealed set
        raise ConfigError(f"eval ids must be unique across sets: {other.file} and {item.file} share {which}")


def _item(raw: Any, name: str, sealed: bool, number: int) -> Item:
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: item {number}: must be a mapping of fields")
    where = f"{name}: item {number}" if sealed else f"{name}: item {raw.get('id', '?')!r}"
    unknown = sorted(str(key) for key in raw if key not in FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    for key in (*TEXT_FIELDS, "expect"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: {key} is required and must be text")
    if raw["expect"] not in EXPECT:
        raise ConfigError(f"{where}: expect must be one of {', '.join(EXPECT)}")
    if raw.get("audience") not in (None, *AUDIENCES):
        raise ConfigError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    if raw.get("follow_up_of") is not None and not isinstance(raw["follow_up_of"], str):
        raise ConfigError(f"{where}: follow_up_of must be an id")
    for key in LIST_FIELDS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
    if "any" in raw and not raw["any"]:
        raise ConfigError(f"{where}: any, when given, must name at least one string")
    return Item(**raw, file=name, sealed=sealed)


def _where(name: str, item: Item, sealed: bool, number: int) -> str:
    return f"{name}: item {number}" if sealed else f"{name}: item {item.id!r}"
