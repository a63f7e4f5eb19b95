"""The tool card the chat and the widget show under a tool's answer (format agreed in INTERFACES.md)."""

from __future__ import annotations

from typing import Any

from connector.tools.rules import RuleUsed


def tool_card(
    tool: str,
    title: str,
    rows: list[tuple[str, str]],
    working: list[str],
    date_basis: str,
    used: list[RuleUsed],
) -> dict[str, Any]:
    """{"type": "tool", "tool", "title", "rows", "working", "date_basis", "sources"}; one source per URL."""
    sources: dict[str, dict[str, str]] = {}
    for rule in used:
        sources.setdefault(rule.source, {"title": rule.title, "url": rule.source})
    return {
        "type": "tool",
        "tool": tool,
        "title": title,
        "rows": [{"label": label, "value": value} for label, value in rows],
        "working": list(working),
        "date_basis": date_basis,
        "sources": list(sources.values()),
    }
