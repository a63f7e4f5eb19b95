"""Which question sets there are, which site each is about, and which ones a run selects.

eval/dev/<file>.yaml               dev sets: <site>.yaml or <site>-<more>.yaml run against
                                   eval/sites/<site>/, the others against the bundled corpus alone
eval/sealed/<name>/questions.yaml  sealed sets, each with its own site in eval/sealed/<name>/site/
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connector.errors import ConfigError
from connector.evaluation.items import Item, check_unique, load_items
from connector.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "eval"
DEV_DIR = EVAL_DIR / "dev"
SEALED_DIR = EVAL_DIR / "sealed"
SITES_DIR = EVAL_DIR / "sites"
QUESTIONS = "questions.yaml"
SEALED_SITE = "site"


@dataclass
class EvalSet:
    name: str  # the dev file's name, or the sealed set's folder name
    items: list[Item]
    sealed: bool
    site: Path | None  # the folder served and crawled with the bundled corpus; None: the corpus alone


def site_of(file_name: str, sites: Path = SITES_DIR) -> str | None:
    """The fixture site a dev file is about (the longest matching site name), or None for the corpus."""
    stem = file_name.removesuffix(".yaml")
    folders = [p.name for p in sites.iterdir() if p.is_dir()] if sites.is_dir() else []
    names = sorted(folders, key=len, reverse=True)
    return next((name for name in names if stem == name or stem.startswith(f"{name}-")), None)


def dev_set(path: Path, sites: Path = SITES_DIR) -> EvalSet:
    site = site_of(path.name, sites)
    return EvalSet(path.name, load_items(path), sealed=False, site=sites / site if site else None)


def sealed_set(folder: Path) -> EvalSet:
    """A sealed set: its questions and its site (read only to ask and score, never shown)."""
    questions = folder / QUESTIONS
    if not questions.is_file():
        raise ConfigError(f"sealed set {folder.name}: no {QUESTIONS}")
    site = folder / SEALED_SITE
    items = load_items(questions, label=folder.name, sealed=True)
    return EvalSet(folder.name, items, sealed=True, site=site if site.is_dir() else None)


def select_sets(files: list[str], *, dev: bool = True, sealed: bool = True) -> list[EvalSet]:
    """The sets to run: the given files and sealed folders, or every dev file and sealed set; dev first."""
    chosen = [_from_argument(Path(f)) for f in files] if files else _all_sets(dev, sealed)
    chosen = [s for s in chosen if (s.sealed and sealed) or (not s.sealed and dev)]
    chosen.sort(key=lambda s: s.sealed)
    check_unique([item for s in chosen for item in s.items])
    return chosen


def _all_sets(dev: bool, sealed: bool) -> list[EvalSet]:
    sets = [dev_set(path) for path in sorted(DEV_DIR.glob("*.yaml"))] if dev else []
    if sealed and SEALED_DIR.is_dir():
        folders = sorted(p for p in SEALED_DIR.iterdir() if (p / QUESTIONS).is_file())
        sets += [sealed_set(folder) for folder in folders]
    return sets


def _from_argument(path: Path) -> EvalSet:
    """A file argument: a sealed set's folder or its questions.yaml (anything under eval/sealed/ is
    sealed), or a dev file."""
    resolved = path.resolve()
    if resolved.is_relative_to(SEALED_DIR.resolve()) and resolved != SEALED_DIR.resolve():
        return sealed_set(SEALED_DIR / resolved.relative_to(SEALED_DIR.resolve()).parts[0])
    if path.is_dir():
        return sealed_set(path)
    if path.name == QUESTIONS:
        return sealed_set(path.parent)
    if not path.is_file():
        raise ConfigError(f"{path}: no such eval file or sealed set")
    return dev_set(path)
