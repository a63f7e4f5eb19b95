"""Patterns kept as data under corpus/guard/, each with a line on why it is there.

    planted_patterns()     # corpus/guard/planted.yaml: text written for a machine reader, or active code
    deception_patterns()   # corpus/guard/deception.yaml: requests for help to deceive

A file that is missing, malformed or holds a pattern that does not compile stops start-up, naming it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

GUARD_DIR = PROJECT_ROOT / "corpus" / "guard"


@cache
def load_patterns(path: Path) -> tuple[re.Pattern[str], ...]:
    """The file's patterns, compiled without case; each entry needs `pattern` and `why`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the patterns: {error}") from error
    entries = raw.get("patterns") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: needs a list under `patterns`")
    compiled = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("pattern") or not entry.get("why"):
            raise ConfigError(f"{path}: pattern {number} needs `pattern` and `why`")
        try:
            compiled.append(re.compile(str(entry["pattern"]), re.IGNORECASE))
        except re.error as error:
            raise ConfigError(f"{path}: pattern {number} does not compile: {error}") from error
    return tuple(compiled)


def planted_patterns() -> tuple[re.Pattern[str], ...]:
    return load_patterns(GUARD_DIR / "planted.yaml")


def deception_patterns() -> tuple[re.Pattern[str], ...]:
    return load_patterns(GUARD_DIR / "deception.yaml")
