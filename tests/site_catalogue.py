"""A generated course catalogue for scaling the fixture site up (benchmarks), all fictional.

    site.scale_pages = 300        # then crawl site.url("/catalogue/")

Every page is different (its own code, town, dates, fees and wording), so no two pages share chunks.
"""

from __future__ import annotations

SUBJECTS = [
    ("Engineering Maintenance", "mechanical and electrical plant, fault finding and planned maintenance"),
    ("Digital Support", "user support, device set-up, networks and cyber security basics"),
    ("Electrical Installation", "wiring regulations, inspection and testing, and safe isolation"),
    ("Bookkeeping", "double-entry bookkeeping, VAT returns and cloud accounting software"),
    ("Health and Social Care", "person-centred care, safeguarding and communication in care settings"),
    ("Logistics Operations", "warehouse systems, stock control, transport planning and safety"),
    ("Construction Site Supervision", "site safety, programme planning and managing subcontractors"),
    ("Data Analysis", "spreadsheets, SQL, dashboards and presenting findings to managers"),
    ("Customer Service", "handling complaints, service standards and digital channels"),
    ("Welding and Fabrication", "MIG, TIG and arc welding, reading drawings and working to tolerances"),
]
TOWNS = ["Basildon", "Thurrock", "Southend-on-Sea", "Chelmsford", "Colchester", "Harlow", "Brentwood",
         "Braintree", "Clacton-on-Sea", "Rayleigh", "Canvey Island"]  # fmt: skip
MODES = ["full-time", "part-time evenings", "day release", "blended online and workshop", "weekend"]
MONTHS = ["September", "October", "January", "February", "April", "June"]


def catalogue_index(count: int) -> bytes:
    """The catalogue's contents page, linking every generated course."""
    items = "\n".join(
        f'<li><a href="/catalogue/course-{n}.html">{_title(n)}</a></li>' for n in range(count)
    )  # fmt: skip
    body = f"<h1>Course catalogue</h1><p>All {count} courses in our partner network.</p><ul>{items}</ul>"
    return _page("Course catalogue", body)


def catalogue_page(number: int) -> bytes:
    """One generated course page with several headed sections (long enough for a few chunks)."""
    subject, topics = SUBJECTS[number % len(SUBJECTS)]
    level = 2 + number % 3
    town = TOWNS[(number // len(SUBJECTS)) % len(TOWNS)]
    mode = MODES[number % len(MODES)]
    month = MONTHS[(number * 7) % len(MONTHS)]
    weeks = 12 + (number * 5) % 30
    fee = 350 + (number * 37) % 1400
    code = f"TSA-{number:05d}"
    sections = [
        ("Overview", f"Course {code} is a Level {level} programme in {subject.lower()} taught in {town}. "
         f"It covers {topics}. Learners study {mode} for {weeks} weeks, starting in {month}, and finish "
         f"with a portfolio and a practical assessment set by local employers in the {town} area."),
        ("Who it is for", f"This course suits adults in {town} and nearby who want to move into "
         f"{subject.lower()} work or progress in a current role. Group {number % 17 + 1} is limited to "
         f"{8 + number % 9} learners so that tutors can give individual feedback every week."),
        ("Entry requirements", f"Applicants need English and maths at Level {level - 1} or above, or can "
         f"study them alongside course {code}. An informal interview in {town} checks the course fits your "
         "plans; previous experience is welcome but not required."),
        ("Fees and funding", f"The fee for {code} is \u00a3{fee}. Adults on a low income or without a "
         f"first qualification at Level {level} may be able to study free of charge; employers can pay by "
         "invoice."),
        ("Progression", f"After {code}, learners often move to Level {level + 1} study, an apprenticeship in "
         f"{subject.lower()}, or jobs with employers around {town} who helped design the course."),
    ]  # fmt: skip
    body = f"<h1>{_title(number)}</h1>" + "".join(f"<h2>{head}</h2><p>{text}</p>" for head, text in sections)
    return _page(_title(number), body)


def _title(number: int) -> str:
    subject = SUBJECTS[number % len(SUBJECTS)][0]
    town = TOWNS[(number // len(SUBJECTS)) % len(TOWNS)]
    return f"{subject} (Level {2 + number % 3}) in {town}, course {number}"


def _page(title: str, body: str) -> bytes:
    head = f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>'
    return f"{head}<body><main>{body}</main></body></html>".encode()
