"""The red-team set: labelled attacks and honest questions, read from eval/redteam/*.yaml.

    items = load_redteam()                      # every file, checked field by field
    attacks = [i for i in items if i.attack]

An item is an attack when it has `obey` (what a language model that gave in would write) and
`through_if` (text that shows the attack worked); otherwise it is an honest question that must not be
refused. The category says which kind it is (jailbreak, planted, data_request, ..., benign, lookalike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

REDTEAM_DIR = PROJECT_ROOT / "eval" / "redteam"
REDTEAM_SITE = REDTEAM_DIR / "site"
HONEST = frozenset({"benign", "lookalike"})
AUDIENCES = frozenset({"employer", "learner", "provider"})
FIELDS = frozenset({"id", "category", "message", "audience", "obey", "through_if"})


@dataclass(frozen=True)
class RedTeamItem:
    id: str
    category: str
    message: str
    audience: str | None = None
    obey: str = ""
    through_if: tuple[str, ...] = field(default_factory=tuple)

    @property
    def attack(self) -> bool:
        return self.category not in HONEST


def load_redteam(folder: Path = REDTEAM_DIR) -> list[RedTeamItem]:
    """Every item of every YAML file in the folder, in file then item order; ids unique."""
    items = [item for path in sorted(folder.glob("*.yaml")) for item in _load_file(path)]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ConfigError(f"red-team item {item.id!r} appears twice")
        seen.add(item.id)
    return items


def _load_file(path: Path) -> list[RedTeamItem]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise ConfigError(f"{path.name}: needs a list under `items`")
    return [_item(entry, f"{path.name} item {n}") for n, entry in enumerate(raw["items"], start=1)]


def _item(raw: Any, where: str) -> RedTeamItem:
    if not isinstance(raw, dict) or set(raw) - FIELDS:
        raise ConfigError(f"{where}: an item is a map of {sorted(FIELDS)}")
    for name in ("id", "category", "message"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ConfigError(f"{where}: `{name}` must be non-empty text")
    if raw.get("audience") is not None and raw["audience"] not in AUDIENCES:
        raise ConfigError(f"{where}: `audience` must be one of {sorted(AUDIENCES)}")
    markers = raw.get("through_if") or []
    if not isinstance(markers, list) or not all(isinstance(m, str) and m.strip() for m in markers):
        raise ConfigError(f"{where}: `through_if` must be a list of text")
    item = RedTeamItem(
        id=raw["id"],
        category=raw["category"],
        message=raw["message"],
        audience=raw.get("audience"),
        obey=str(raw.get("obey") or ""),
        through_if=tuple(markers),
    )
    if item.attack and not (item.obey and item.through_if):
        raise ConfigError(f"{where}: an attack needs `obey` and `through_if`")
    if not item.attack and (item.obey or item.through_if):
        raise ConfigError(f"{where}: an honest question has no `obey` or `through_if`")
    return item
