"""Count the hand-written word lists and patterns in the answer path (connector/, without the evaluation).

    .venv/bin/python bench/answer_rules.py          # prints the totals and the count per module

A module-level constant counts as a pattern when it compiles a regular expression, and as a word list when
it is a collection of three or more strings, or a string of words made into a set or tokenized. The decision
record (docs/decisions/answering.md) quotes these figures before and after a change to the answer path.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "connector"
SKIP = {"evaluation"}
COLLECTIONS = (ast.Set, ast.List, ast.Tuple)


def _strings(node: ast.AST) -> int:
    return sum(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(node))


def _calls(node: ast.AST, name: str) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            func = n.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == name:
                return True
    return False


def kind(value: ast.AST) -> str | None:
    """ "pattern", "words" or None for a module-level constant's value."""
    if _calls(value, "compile"):
        return "pattern"
    if isinstance(value, COLLECTIONS) and _strings(value) >= 3:
        return "words"
    if isinstance(value, ast.Dict) and _strings(value) >= 3:
        return "words"
    if (_calls(value, "frozenset") or _calls(value, "tokenize") or _calls(value, "split")) and _strings(
        value
    ):
        return "words"
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and len(value.value.split()) >= 8:
        return "words"
    return None


def count(path: Path) -> dict[str, int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {"pattern": 0, "words": 0}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            found_kind = kind(node.value)
            if found_kind:
                found[found_kind] += 1
    return found


def main() -> int:
    totals = {"pattern": 0, "words": 0}
    rows = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        found = count(path)
        if any(found.values()):
            rows.append((str(path.relative_to(ROOT.parent)), found))
            for key in totals:
                totals[key] += found[key]
    for name, found in rows:
        print(f"{name:48} patterns {found['pattern']:>3}   word lists {found['words']:>3}")
    label = f"total ({len(rows)} modules)"
    print(f"{label:48} patterns {totals['pattern']:>3}   word lists {totals['words']:>3}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
