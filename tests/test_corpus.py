"""The bundled guides (corpus/docs), their HTML pages (/corpus) and the domain evaluation set."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import make_settings
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.corpus import CORPUS_DOCS_DIR, SLUG, split_front_matter
from connector.types import AUDIENCES, DOC_TYPES

ROOT = Path(__file__).resolve().parent.parent
DOC_PATHS = sorted(CORPUS_DOCS_DIR.rglob("*.md")) + sorted((ROOT / "areas").glob("*/guides/*.md"))
EVAL_FILE = ROOT / "eval" / "dev" / "domain.yaml"
# Questions answered by the levy/cost tools or the course finder: their facts are computed figures or
# course details, not sentences of a guide.
COMPUTED_PREFIXES = ("calc-", "course-")


def _front_matter(path: Path) -> tuple[dict, str]:
    return split_front_matter(path.read_text(encoding="utf-8"))


def _documents() -> dict[str, str]:
    """Slug -> the guide's text (title and body) as a reader sees it: no bold marks, one space, lower case."""
    found = {}
    for path in DOC_PATHS:
        meta, body = _front_matter(path)
        text = f"{meta['title']}\n{body}".replace("**", "")
        found[meta["slug"]] = " ".join(text.split()).lower()
    return found


def _eval_items() -> list[dict]:
    return yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))


def _client(settings, docs_dir: Path | None = None) -> TestClient:
    app = create_app(settings)
    if docs_dir is not None:
        app.state.corpus_docs_dir = docs_dir
    return TestClient(app)


def _write_doc(
    folder: Path, name: str, front: str, body: str = "## A heading about something\n\nText.\n"
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")


GOOD_FRONT = """title: A test guide
slug: test-guide
audience: [learner]
doc_type: guidance
sources:
  - https://www.gov.uk/example
last_reviewed: 2026-11-25"""


# --- the guides themselves -------------------------------------------------------------------------


def test_corpus_has_the_guides_the_product_needs() -> None:
    slugs = set(_documents())
    needed = {
        "apprenticeship-levy", "levy-transfers", "levy-funds-and-expiry", "co-investment",
        "apprenticeship-incentive-payments", "apprenticeship-funding-bands", "foundation-apprenticeships",
        "level-7-apprenticeships", "apprenticeship-units", "growth-and-skills-levy",
        "taking-on-an-apprentice", "t-levels", "skills-bootcamps", "free-courses-for-jobs",
        "advanced-learner-loans", "16-19-bursary",
        "htqs-and-lifelong-learning-entitlement", "careers-help", "disability-and-neurodiversity-at-work",
        "older-workers-and-ex-offenders", "essex-lsip", "finding-a-training-provider",
        "becoming-an-apprentice",
    }  # fmt: skip
    assert needed <= slugs, needed - slugs


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.stem)
def test_every_guide_has_complete_front_matter(path: Path) -> None:
    meta, _ = _front_matter(path)
    assert isinstance(meta.get("title"), str) and len(meta["title"]) >= 10
    assert SLUG.match(str(meta.get("slug", ""))), meta.get("slug")
    assert meta.get("audience") and set(meta["audience"]) <= set(AUDIENCES), meta.get("audience")
    assert meta.get("doc_type") in DOC_TYPES
    assert isinstance(meta.get("last_reviewed"), date)
    assert meta["last_reviewed"] >= date(2025, 1, 1)


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.stem)
def test_every_guide_cites_public_https_sources(path: Path) -> None:
    sources = _front_matter(path)[0].get("sources")
    assert isinstance(sources, list) and len(sources) >= 1
    for url in sources:
        assert re.match(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", url), url
    assert len(set(sources)) == len(sources), "a source is listed twice"


def test_slugs_are_unique_across_the_corpus() -> None:
    slugs = [_front_matter(p)[0]["slug"] for p in DOC_PATHS]
    assert len(slugs) == len(set(slugs)), [s for s in slugs if slugs.count(s) > 1]


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.stem)
def test_every_guide_is_one_focused_topic_of_readable_length(path: Path) -> None:
    body = _front_matter(path)[1]
    words = len(body.split())
    assert 300 <= words <= 900, f"{words} words"


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.stem)
def test_every_section_heading_names_its_subject(path: Path) -> None:
    # Chunks are cut along headings, so "Costs" alone would give a chunk that makes no sense on its own.
    body = _front_matter(path)[1]
    headings = re.findall(r"^#{2,3} (.+)$", body, re.MULTILINE)
    assert len(headings) >= 3
    assert not re.search(r"^# ", body, re.MULTILINE), "the title comes from the front matter"
    for heading in headings:
        assert len(heading.split()) >= 3, heading


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.stem)
def test_every_guide_ends_with_next_steps(path: Path) -> None:
    headings = re.findall(r"^## (.+)$", _front_matter(path)[1], re.MULTILINE)
    assert headings[-1].lower().startswith("what to do next"), headings[-1]


def test_no_guide_repeats_superseded_figures_as_current() -> None:
    # Old figures still common online (domain facts, section 6); a guide may mention them only as out of date.
    stale = [
        r"transfer up to 25%",
        r"20% off-the-job",
        r"co-investment (rate )?is 10%",
        r"expire after 18 months",
    ]
    for slug, text in _documents().items():
        for pattern in stale:
            assert not re.search(pattern, text), f"{slug}: {pattern}"


# --- the HTML pages --------------------------------------------------------------------------------


def test_guide_page_shows_title_review_date_body_and_sources(settings) -> None:
    response = _client(settings).get("/corpus/apprenticeship-levy")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>The apprenticeship levy - who pays and how much</h1>" in page
    assert '<time datetime="2026-11-25">25 November 2026</time>' in page
    assert "<h2>How much the apprenticeship levy costs</h2>" in page
    assert "<strong>0.5%</strong>" in page
    assert '<h2 id="sources">Sources</h2>' in page
    assert '<a href="https://www.gov.uk/guidance/pay-apprenticeship-levy" rel="noopener noreferrer">' in page
    assert '<html lang="en-GB">' in page and 'id="content"' in page
    assert "script-src" not in response.headers["content-security-policy"]


def _area_of(path: Path) -> str | None:
    """The area whose own guide this is (areas/<name>/guides/...), None for a shared guide."""
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "areas" else None


def test_every_bundled_guide_opens_at_its_corpus_url(tmp_path: Path) -> None:
    """Shared guides open in every area; an area's own guides open where that area is served, only."""
    areas = sorted({_area_of(p) for p in DOC_PATHS} - {None})
    assert areas == ["essex", "norfolk-suffolk"]
    for area in areas:
        client = _client(make_settings(tmp_path / area, area=area))
        for path in DOC_PATHS:
            slug = _front_matter(path)[0]["slug"]
            response = client.get(f"/corpus/{slug}")
            if _area_of(path) in (None, area):
                assert response.status_code == 200 and "Sources</h2>" in response.text, (area, slug)
            else:
                assert response.status_code == 404, (area, slug)


def test_guide_page_escapes_hostile_markup(settings, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    front = GOOD_FRONT.replace("A test guide", "<script>alert('t')</script> & friends").replace(
        "https://www.gov.uk/example", 'https://evil.example/"><script>alert(1)</script>'
    )
    body = (
        "## A heading <img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n\n"
        "[click me](javascript:alert(3)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        '<a href="https://x.example" onclick="alert(4)">raw link</a>\n'
    )
    _write_doc(docs, "hostile.md", front, body)
    page = _client(settings, docs).get("/corpus/test-guide").text
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert "onclick=" not in page.replace("onclick=&quot;", "")
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; friends" in page
    assert 'href="https://evil.example/&quot;&gt;&lt;script&gt;' in page


def test_unknown_or_malformed_slug_gets_404_json(settings) -> None:
    client = _client(settings)
    for path in ["/corpus/no-such-guide", "/corpus/APPRENTICESHIP-LEVY", "/corpus/levy%3Cscript%3E"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/json")
        assert "No guide" in response.json()["detail"] and "<" not in response.text
    traversal = client.get("/corpus/..%2F..%2Fcorpus%2Fdocs%2Flevy%2Fapprenticeship-levy")
    assert traversal.status_code == 404 and "apprenticeship levy" not in traversal.text.lower()


def test_corpus_index_lists_every_guide(settings) -> None:
    client = _client(settings)
    page = client.get("/corpus")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for path in DOC_PATHS:  # the shared guides and the served area's own
        if _area_of(path) in (None, settings.area):
            assert f'href="/corpus/{_front_matter(path)[0]["slug"]}"' in page.text
    listing = client.get("/corpus", headers={"Accept": "application/json"}).json()["documents"]
    served = {_front_matter(p)[0]["slug"] for p in DOC_PATHS if _area_of(p) in (None, settings.area)}
    assert {row["slug"] for row in listing} == served
    levy = next(row for row in listing if row["slug"] == "apprenticeship-levy")
    assert levy["url"] == "/corpus/apprenticeship-levy" and levy["last_reviewed"] == "2026-11-25"


def test_broken_and_duplicate_guides_are_skipped_not_fatal(settings, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write_doc(docs, "a-good.md", GOOD_FRONT)
    _write_doc(docs, "b-duplicate.md", GOOD_FRONT.replace("A test guide", "A second guide"))
    _write_doc(docs, "c-bad-yaml.md", "title: [unclosed\nslug: bad-yaml")
    _write_doc(docs, "d-no-slug.md", "title: No slug here")
    (docs / "e-not-utf8.md").write_bytes(b"---\ntitle: x\nslug: latin\n---\n\xff\xfe bad")
    client = _client(settings, docs)
    assert "A test guide" in client.get("/corpus/test-guide").text
    listing = client.get("/corpus", headers={"Accept": "application/json"}).json()["documents"]
    assert [row["slug"] for row in listing] == ["test-guide"]


def test_a_new_or_edited_guide_is_served_without_a_restart(settings, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write_doc(docs, "a.md", GOOD_FRONT)
    client = _client(settings, docs)
    assert client.get("/corpus/second").status_code == 404
    _write_doc(
        docs, "b.md", GOOD_FRONT.replace("test-guide", "second").replace("A test guide", "Added later")
    )
    response = client.get("/corpus/second")
    assert response.status_code == 200 and "Added later" in response.text


# --- the domain evaluation set ---------------------------------------------------------------------


def test_domain_eval_set_is_well_formed() -> None:
    items = _eval_items()
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "ids must be unique"
    seen: set[str] = set()
    for item in items:
        assert set(item) <= {"id", "question", "audience", "expect", "sources", "facts", "follow_up_of"}, item
        assert item["expect"] in ("answered", "no_answer", "refused"), item["id"]
        assert isinstance(item["question"], str) and item["question"].strip()
        assert item.get("audience") in (None, *AUDIENCES), item["id"]
        if "follow_up_of" in item:
            assert item["follow_up_of"] in seen, f"{item['id']} follows a question asked before it"
        if item["expect"] == "answered":
            assert item.get("facts"), item["id"]
        seen.add(item["id"])
    counts = {kind: sum(i["expect"] == kind for i in items) for kind in ("answered", "no_answer", "refused")}
    assert counts["answered"] >= 35 and counts["no_answer"] >= 5 and counts["refused"] >= 5, counts
    assert sum("follow_up_of" in i for i in items) >= 3


def test_domain_eval_sources_are_real_guides() -> None:
    slugs = set(_documents())
    for item in _eval_items():
        if item["expect"] == "answered" and not item["id"].startswith(COMPUTED_PREFIXES):
            assert item.get("sources"), f"{item['id']} names no guide"
        for url in item.get("sources", []):
            assert url.startswith("/corpus/") and url.removeprefix("/corpus/") in slugs, (item["id"], url)


def test_domain_eval_facts_are_written_in_the_expected_guides() -> None:
    # A question can only be answered with a fact if a guide it should cite actually states it.
    documents = _documents()
    for item in _eval_items():
        if item["expect"] != "answered" or item["id"].startswith(COMPUTED_PREFIXES):
            continue
        texts = [documents[url.removeprefix("/corpus/")] for url in item["sources"]]
        assert texts, f"{item['id']} names no guide"
        for fact in item["facts"]:
            assert any(fact.lower() in text for text in texts), (item["id"], fact)
