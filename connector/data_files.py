"""The product's own YAML data files (route examples, language replies, word lists): read one and get the
named mapping inside it, or a configuration error that names the file and what is wrong. These files
ship with the product, so a missing or malformed one stops start-up rather than quietly changing answers.

    routes = data_mapping(ROUTES_FILE, "the route examples", "routes", "needs a `routes` map")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from connector.errors import ConfigError


def data_mapping(path: Path, what: str, key: str, needs: str) -> tuple[dict[str, Any], dict[Any, Any]]:
    """The whole file and its mapping under `key`; `what` names the file's content and `needs` says what a
    good one holds, for the error."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read {what}: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get(key), dict):
        raise ConfigError(f"{path}: {needs}")
    return raw, raw[key]
