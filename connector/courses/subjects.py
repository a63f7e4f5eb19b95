"""Subject areas the finder understands, with the words people and providers use for them.

Data, not logic: to teach the finder a new word, add it to a list here (and a test).
"""

from __future__ import annotations

from connector.courses.places import standalone

# key -> (label, words that signal it in a course title, a feed's subject or a question)
SUBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "digital": (
        "Digital and IT",
        (
            "digital",
            "it",
            "ict",
            "computing",
            "computer",
            "software",
            "code",
            "coding",
            "programming",
            "cyber",
            "data",
            "web",
            "network",
            "networking",
            "cloud",
            "tech",
            "technology",
        ),
    ),
    "engineering": (
        "Engineering and manufacturing",
        (
            "engineering",
            "engineer",
            "manufacturing",
            "mechanical",
            "electrical",
            "electronics",
            "welding",
            "fabrication",
            "maintenance",
            "cnc",
            "mechatronics",
        ),
    ),
    "health-and-care": (
        "Health and social care",
        ("health", "care", "social care", "healthcare", "nursing", "carer", "adult care", "care worker"),
    ),
    "construction": (
        "Construction and the built environment",
        (
            "construction",
            "building",
            "bricklaying",
            "brickwork",
            "carpentry",
            "joinery",
            "plumbing",
            "plastering",
            "electrical installation",
            "electrician",
            "plumber",
            "carpenter",
            "joiner",
            "bricklayer",
            "site",
            "cscs",
            "built environment",
        ),
    ),
    "accounting": (
        "Accounting and finance",
        ("accounting", "accountancy", "accounts", "bookkeeping", "finance", "payroll", "aat"),
    ),
    "business": (
        "Business and management",
        (
            "business",
            "management",
            "leadership",
            "team leader",
            "administration",
            "customer service",
            "project management",
        ),
    ),
    "education": (
        "Education and childcare",
        ("teaching", "teacher", "education", "childcare", "early years", "teaching assistant"),
    ),
    "logistics": (
        "Transport and logistics",
        ("logistics", "warehousing", "warehouse", "transport", "hgv", "driving", "supply chain"),
    ),
    "hospitality": ("Hospitality and catering", ("hospitality", "catering", "chef", "cookery", "culinary")),
    "english-and-maths": (
        "English, maths and ESOL",
        ("english", "maths", "mathematics", "functional skills", "gcse", "esol", "numeracy"),
    ),
    "green": ("Green skills", ("green", "renewable", "retrofit", "solar", "heat pump", "sustainability")),
}


def subject_label(key: str) -> str:
    return SUBJECTS[key][0] if key in SUBJECTS else key


def subjects_in_text(text: str) -> list[str]:
    """Subject keys whose words appear in the text, strongest (longest word) first. A two-letter word
    counts only in capitals: "IT" is the subject, "it" the pronoun ("how do I pay it back?")."""
    lowered = text.lower()
    found: list[tuple[int, str]] = []
    for key, (label, words) in SUBJECTS.items():
        hits = [
            w
            for w in (*words, label.lower(), key.replace("-", " "))
            if _has_word(lowered, w) and (len(w) > 2 or _has_word(text, w.upper()))
        ]
        if hits:
            found.append((max(len(w) for w in hits), key))
    return [key for _, key in sorted(found, key=lambda item: -item[0])]


def normalise_subject(text: str) -> str | None:
    """A subject key from a key, a label or a word ("IT" -> "digital"); None when nothing matches."""
    cleaned = text.strip().lower()
    if cleaned in SUBJECTS:
        return cleaned
    whole = [key for key, (_, words) in SUBJECTS.items() if cleaned in words]  # a feed's "it" or "IT"
    if whole:
        return whole[0]
    keys = subjects_in_text(text.strip())
    return keys[0] if keys else None


def _has_word(text: str, word: str) -> bool:
    return standalone(word).search(text) is not None
