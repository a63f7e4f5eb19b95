"""Count the module-level word-list and pattern constants of the answer path's routing modules.

    .venv/bin/python -m bench.word_lists [FILE ...]

A constant counts when a module-level name in capitals is bound to a compiled regular expression (or a
tuple of them) or a pattern's source string, or to a set, tuple or list of plain words, or to a string of
words that is split into a set. Messages, the code's field names (*_FIELDS) and numbers do not count.
The decision record quotes these figures.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTING_MODULES = (
    "connector/steps/route.py",
    "connector/steps/tools_route.py",
    "connector/steps/courses_route.py",
    "connector/tools/intents.py",
    "connector/courses/understand.py",
)


def _is_pattern(node: ast.AST) -> bool:
    """A compiled pattern, or the source of one (a string holding a word boundary)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "\\b" in node.value
    return "re.compile(" in ast.unparse(node)


def _is_word_list(name: str, node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("frozenset", "set"):
        return True
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        items = node.elts
        return bool(items) and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items)
    return False


def _counts(target: ast.expr, value: ast.expr) -> bool:
    # Names of fields (MONEY_FIELDS, ANSWER_FIELDS) are the code's own words, not the user's.
    if not isinstance(target, ast.Name) or not target.id.lstrip("_").isupper():
        return False
    if target.id.endswith("_FIELDS"):
        return False
    return _is_pattern(value) or _is_word_list(target.id, value)


def word_list_constants(path: Path) -> list[str]:
    """Names of the module-level word-list and pattern constants in one file."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if _counts(target, node.value):
                found.append(target.id)
    return found


def main(argv: list[str] | None = None) -> None:
    files = argv or list(ROUTING_MODULES)
    total = 0
    for name in files:
        path = ROOT / name
        names = word_list_constants(path) if path.exists() else []
        total += len(names)
        print(f"{name}: {len(names)} {' '.join(names)}")
    print(f"total: {total}")


if __name__ == "__main__":
    main(sys.argv[1:])
