"""Nothing in the code names an area's town, Chamber or the area itself: those live in areas/<name>/.

A second Chamber runs the product by writing its own folder; a place or a Chamber written into the code
(even in a message or an example) would show up in its deployment as someone else's.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from connector.settings import PROJECT_ROOT

CODE_DIRS = ("connector", "api", "ingest", "bench", "prompts")
CODE_FILES = {".py", ".js", ".html", ".css", ".txt", ".md", ".mako", ".toml"}
# The one place the code may name an area: the default of CONNECTOR_AREA, which the public contract fixes.
ALLOWED = {("connector/settings.py", 'area: str = "essex"  # the default area')}
AREA = PROJECT_ROOT / "areas" / "essex"


def area_names() -> set[str]:
    """The Essex area's own names: area, regions, Chamber and lead bodies, every town and alias."""
    info = yaml.safe_load((AREA / "area.yaml").read_text(encoding="utf-8"))
    places = yaml.safe_load((AREA / "places.yaml").read_text(encoding="utf-8"))
    names = {
        info["name"],
        info["chamber"]["name"],
        *(body["name"] for body in info["chamber"]["lead_bodies"]),
    }
    names |= set(places.get("regions", []))
    for town, entry in places["towns"].items():
        names |= {town, *entry.get("aliases", [])}
    return names


def code_files() -> list[Path]:
    found = [PROJECT_ROOT / "Makefile", PROJECT_ROOT / "pyproject.toml"]
    for folder in CODE_DIRS:
        found += [p for p in (PROJECT_ROOT / folder).rglob("*") if p.suffix in CODE_FILES and p.is_file()]
    return found


def test_the_area_names_its_towns_and_chamber_so_the_check_below_means_something():
    names = area_names()
    assert {"Essex", "Essex Chambers of Commerce"} <= names and len(names) > 50


def test_no_code_names_a_town_a_chamber_or_the_area_outside_areas_and_tests():
    # Any case: a word list in code ("essex", "colchester") names the place as much as a message does.
    names = "|".join(map(re.escape, sorted(area_names(), key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w-])({names})(?![\w-])", re.IGNORECASE)
    hits = []
    for path in code_files():
        where = str(path.relative_to(PROJECT_ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (where, line.strip()) in ALLOWED:
                continue
            for match in pattern.finditer(line):
                hits.append(f"{where}:{number}: {match.group(1)!r}")
    assert not hits, "area names in code (move them to areas/<name>/):\n" + "\n".join(hits)


def test_no_shared_guide_names_a_town_a_chamber_or_the_area_in_its_text():
    # Shared guides are served in every area: "in Essex" there would tell Norfolk's visitors about Essex.
    # Their sources may be an area's college pages; the text itself must hold for any area.
    names = "|".join(map(re.escape, sorted(area_names(), key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w./-])({names})(?![\w-])", re.IGNORECASE)
    hits = []
    guides = sorted((PROJECT_ROOT / "corpus" / "docs").rglob("*.md"))
    assert len(guides) > 10
    for path in guides:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        hits += [f"{path.name}: {match.group(1)!r}" for match in pattern.finditer(body)]
    assert not hits, "area names in shared guides (move them to areas/<name>/guides/):\n" + "\n".join(hits)
