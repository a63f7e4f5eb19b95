"""Read UK XCRI-CAP 1.2 course feeds (catalog > provider > course > presentation) into Courses.

    courses = parse_xcri(feed_bytes, source_url="https://college.example/xcri.xml")

Each presentation is an offering (mode, venue, start); offerings that differ only by start date are merged
into one Course with several start dates. Feeds are untrusted: no DTDs, entities or network access.
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree
from pydantic import ValidationError

from connector.courses.model import Course
from connector.courses.normalise import (
    XCRI_MODE_CODES,
    clean_text,
    level_from_text,
    modes_from_text,
    parse_date,
    price_from_text,
    says_free,
    schemes_from_text,
)
from connector.courses.places import Gazetteer, Place, UnknownPlaceError, district_of
from connector.courses.subjects import normalise_subject, subjects_in_text
from connector.errors import SourceError

log = logging.getLogger(__name__)

NS = {
    "x": "http://xcri.org/profiles/1.2/catalog",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "mlo": "http://purl.org/net/mlo",
    "credit": "http://purl.org/net/cm",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
CATALOG_TAG = f"{{{NS['x']}}}catalog"
MAX_FEED_BYTES = 20_000_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def is_xcri_feed(body: bytes) -> bool:
    """True when the document's root is an XCRI-CAP 1.2 `catalog` (checked by parsing, not by sniffing)."""
    try:
        return _parse(body, "").tag == CATALOG_TAG
    except SourceError:
        return False


def parse_xcri(body: bytes, source_url: str, gazetteer: Gazetteer | None = None) -> list[Course]:
    """Every course offering in the feed; bad entries are skipped and logged, a bad document raises."""
    root = _parse(body, source_url)
    if root.tag != CATALOG_TAG:
        raise SourceError(source_url, "xcri", f"root element is {etree.QName(root).localname!r}, not catalog")
    gazetteer = gazetteer or Gazetteer.load()
    courses: list[Course] = []
    for provider in root.findall("x:provider", NS):
        courses.extend(_provider_courses(provider, source_url, gazetteer))
    log.info("xcri feed parsed source=%s courses=%d", source_url, len(courses))
    return courses


def _parse(body: bytes, source_url: str) -> Any:
    if len(body) > MAX_FEED_BYTES:
        raise SourceError(source_url, "xcri", f"feed larger than {MAX_FEED_BYTES} bytes")
    try:
        return etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(source_url, "xcri", f"not well-formed XML: {exc}") from None


def _provider_courses(provider: Any, source_url: str, gazetteer: Gazetteer) -> list[Course]:
    name = clean_text(_text(provider, "dc:title"), 200)
    home = _location(provider.find("mlo:location", NS))
    provider_url = _text(provider, "mlo:url")
    courses: dict[tuple, Course] = {}
    for course in provider.findall("x:course", NS):
        base = _course_fields(course, name, provider_url or source_url, source_url)
        for presentation in course.findall("x:presentation", NS) or [None]:
            fields = {**base, **_presentation_fields(presentation, home, base)}
            _locate(fields, gazetteer)
            _add(courses, fields, source_url)
    return list(courses.values())


def _course_fields(course: Any, provider: str, fallback_url: str, source_url: str) -> dict[str, Any]:
    title = clean_text(_text(course, "dc:title"), 300)
    qualification = course.find("mlo:qualification", NS)
    qual_title = _text(qualification, "dc:title") if qualification is not None else ""
    qual_level = _text(qualification, "dcterms:educationLevel") if qualification is not None else ""
    subjects = [clean_text(s.text or "", 100) for s in course.findall("dc:subject", NS)]
    return {
        "provider": provider,
        "title": title,
        "level": level_from_text(qual_level, _text(course, "mlo:credit/credit:level"), qual_title, title),
        "subject": _subject(subjects, title),
        "description": clean_text(_untyped_description(course) or _text(course, "x:abstract")),
        "entry_requirements": clean_text(_text(course, "mlo:prerequisite") or _typed(course, "entryProfile")),
        "url": _text(course, "mlo:url") or fallback_url,
        "course_code": clean_text(_course_code(course), 100),
        "source_url": source_url,
        "sample": provider.lower().startswith("sample"),
    }


def _presentation_fields(presentation: Any, home: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    if presentation is None:
        return {**home, "modes": modes_from_text(base["title"])}
    cost = clean_text(_text(presentation, "mlo:cost"), 500)
    venue = presentation.find("x:venue/x:provider/mlo:location", NS)
    start = presentation.find("mlo:start", NS)
    start_date = parse_date(start.get("dtf", "") if start is not None else "")
    return {
        **(_location(venue) if venue is not None else home),
        "modes": _modes(presentation, base["title"]),
        "duration": clean_text(_text(presentation, "mlo:duration"), 100),
        "start_dates": [start_date] if start_date else [],
        "cost_gbp": price_from_text(cost),
        "free": says_free(cost),
        "funding": cost if len(cost) > 12 else "",
        "funding_schemes": schemes_from_text(cost, base["description"]),
    }


def _modes(presentation: Any, title: str) -> list[str]:
    modes: list[str] = []
    texts = [title]
    for tag in ("x:studyMode", "x:attendanceMode", "x:attendancePattern"):
        for element in presentation.findall(tag, NS):
            code = XCRI_MODE_CODES.get((element.get("identifier") or "").upper())
            if code and code not in modes:
                modes.append(code)
            texts.append(element.text or "")
    return modes + [m for m in modes_from_text(*texts) if m not in modes]


def _location(location: Any) -> dict[str, Any]:
    if location is None:
        return {}
    lat, lon = _float(_text(location, "geo:lat")), _float(_text(location, "geo:long"))
    return {
        "town": clean_text(_text(location, "mlo:town"), 100),
        "postcode_district": district_of(_text(location, "mlo:postcode")),
        "latitude": lat if lat is not None and lon is not None else None,
        "longitude": lon if lat is not None and lon is not None else None,
    }


def _locate(fields: dict[str, Any], gazetteer: Gazetteer) -> None:
    """Fill coordinates from the gazetteer when the feed gives a postcode or town but no geo point."""
    if fields.get("latitude") is not None:
        return
    for name in (fields.get("postcode_district"), fields.get("town")):
        if name and (place := _try_resolve(gazetteer, name)):
            fields["latitude"], fields["longitude"] = place.latitude, place.longitude
            return


def _add(courses: dict[tuple, Course], fields: dict[str, Any], source_url: str) -> None:
    key = (
        fields["course_code"] or fields["url"],
        fields["title"],
        fields.get("town"),
        tuple(fields["modes"]),
    )
    if key in courses:
        merged = courses[key].start_dates + fields.get("start_dates", [])
        courses[key] = courses[key].model_copy(update={"start_dates": sorted(set(merged))})
        return
    try:
        courses[key] = Course(**fields)
    except ValidationError as exc:
        log.warning(
            "xcri course skipped source=%s title=%s reason=%s",
            source_url,
            fields["title"][:80],
            str(exc).splitlines()[0],
        )


def _subject(subjects: list[str], title: str) -> str:
    for text in subjects:
        key = normalise_subject(text)
        if key:
            return key
    keys = subjects_in_text(title)
    return keys[0] if keys else ""


def _course_code(course: Any) -> str:
    for identifier in course.findall("dc:identifier", NS):
        value = (identifier.text or "").strip()
        if value and not value.startswith(("http://", "https://")):
            return value
    return ""


def _untyped_description(course: Any) -> str:
    for element in course.findall("dc:description", NS):
        if element.get(f"{{{NS['xsi']}}}type") is None:
            return " ".join(element.itertext())
    return ""


def _typed(course: Any, type_name: str) -> str:
    for element in course.findall("dc:description", NS):
        if (element.get(f"{{{NS['xsi']}}}type") or "").split(":")[-1] == type_name:
            return " ".join(element.itertext())
    return ""


def _text(element: Any, path: str) -> str:
    found = element.find(path, NS) if element is not None else None
    return " ".join(found.itertext()).strip() if found is not None else ""


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _try_resolve(gazetteer: Gazetteer, name: str) -> Place | None:
    try:
        return gazetteer.resolve(name)
    except UnknownPlaceError:
        return None  # a place outside the gazetteer: the course simply has no coordinates
