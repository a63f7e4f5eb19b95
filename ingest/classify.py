"""Infer a document type and audiences from a page's URL, JSON-LD types and headings.

Rules are data (ordered; the first match wins). A `doc_type` or `audiences` set in sources.yaml wins over
all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# schema.org types seen in JSON-LD, by document type.
JSONLD_TYPES: dict[str, str] = {
    "course": "course",
    "courseinstance": "course",
    "educationaloccupationalprogram": "course",
    "newsarticle": "news",
    "blogposting": "news",
    "reportagenewsarticle": "news",
    "howto": "guidance",
    "faqpage": "guidance",
    "jobposting": "careers",
    "occupation": "careers",
}

# URL path patterns, then title/heading patterns.
URL_RULES: tuple[tuple[str, str], ...] = (
    ("news", r"/(news|blog|press|press-releases|events?)(/|$)"),
    ("toolkit", r"/(toolkits?|resources?/toolkit)(/|$)|toolkit"),
    ("course", r"/(courses?|course-search|apprenticeships?/(?!employers?)[\w-]+|study|prospectus)(/|$)"),
    ("careers", r"/(careers?|career-advice|jobs?|job-profiles?|vacancies)(/|$)"),
    ("guidance", r"/(guidance|guides?|help|advice|faqs?|how-to|funding|employers?)(/|$)"),
)
TEXT_RULES: tuple[tuple[str, str], ...] = (
    ("toolkit", r"\btoolkit\b"),
    (
        "course",
        r"\b(course|qualification|diploma|apprenticeship standard|level [1-7]\b.*\b(certificate|award))",
    ),
    ("careers", r"\b(career|job profile|vacanc)"),
    ("guidance", r"\b(guidance|guide|how to|what you need to know)\b"),
    ("news", r"\b(press release|news)\b"),
)
AUDIENCE_RULES: tuple[tuple[str, str], ...] = (
    ("employer", r"\b(employers?|business(es)?|levy|recruit\w*|workforce|hr)\b"),
    ("learner", r"\b(learners?|students?|courses?|careers?|adult learning|apply)\b"),
    ("provider", r"\b(providers?|colleges? staff|partners?|training providers?)\b"),
)
DEFAULT_AUDIENCES_BY_TYPE = {"course": ["learner"], "careers": ["learner"], "toolkit": ["employer"]}


def _jsonld_types(structured: Iterable[dict]) -> list[str]:
    types: list[str] = []
    for item in structured:
        value = item.get("@type", [])
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str):
                types.append(name.rsplit("/", 1)[-1].lower())
    return types


def infer_doc_type(path: str, structured: Iterable[dict], headings: Iterable[str]) -> str:
    """course | toolkit | guidance | careers | news | other."""
    for name in _jsonld_types(structured):
        if name in JSONLD_TYPES:
            return JSONLD_TYPES[name]
    lowered = path.lower()
    for doc_type, pattern in URL_RULES:
        if re.search(pattern, lowered):
            return doc_type
    text = " ".join(headings).lower()[:2000]
    for doc_type, pattern in TEXT_RULES:
        if re.search(pattern, text):
            return doc_type
    return "other"


def infer_audiences(doc_type: str, path: str, headings: Iterable[str]) -> list[str]:
    """Audience tags (employer, learner, provider), possibly empty."""
    text = (path.replace("-", " ").replace("/", " ") + " " + " ".join(headings)).lower()[:2000]
    found = [audience for audience, pattern in AUDIENCE_RULES if re.search(pattern, text)]
    return found or list(DEFAULT_AUDIENCES_BY_TYPE.get(doc_type, []))
