"""Read schema.org `Course` / `CourseInstance` JSON-LD (as found in a page's ld+json scripts) into Courses.

    courses = courses_from_jsonld(page.structured, page_url=page.url)

Each CourseInstance (an offering: mode, place, start) becomes one Course; a Course without instances
becomes one Course. Pages are untrusted: every value may be missing, of the wrong type or huge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import ValidationError

from connector.courses.model import Course
from connector.courses.normalise import (
    clean_text,
    level_from_text,
    modes_from_text,
    parse_date,
    price_from_text,
    says_free,
    schemes_from_text,
)
from connector.courses.places import Gazetteer, UnknownPlaceError, district_of
from connector.courses.subjects import normalise_subject, subjects_in_text

log = logging.getLogger(__name__)

MAX_OBJECTS = 500  # nodes walked per page; a page with more is cut short, not trusted to be finite


def courses_from_jsonld(
    objects: list[dict], page_url: str, gazetteer: Gazetteer | None = None
) -> list[Course]:
    """Every course offering described by the page's JSON-LD objects."""
    gazetteer = gazetteer or Gazetteer.load()
    courses: list[Course] = []
    for node in _typed_nodes(objects, "Course"):
        courses.extend(_course_offerings(node, page_url, gazetteer))
    for node in _typed_nodes(objects, "CourseInstance", top_level_only=True):
        courses.extend(
            _course_offerings({"name": node.get("name"), "hasCourseInstance": node}, page_url, gazetteer)
        )
    return courses


def has_course_nodes(objects: list[Any]) -> bool:
    """Whether any object (or @graph member) is a schema.org Course or CourseInstance."""
    return any(True for _ in _typed_nodes(objects, "Course")) or any(
        True for _ in _typed_nodes(objects, "CourseInstance", top_level_only=True)
    )


def _typed_nodes(objects: list[Any], type_name: str, top_level_only: bool = False) -> Iterator[dict]:
    """Nodes of a schema.org type, looking inside @graph (and nested values unless top-level only)."""
    stack, seen = list(objects or [])[:MAX_OBJECTS], 0
    while stack and seen < MAX_OBJECTS:
        node = stack.pop(0)
        seen += 1
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if type_name in _types(node):
            yield node
        stack.extend(_children(node, top_level_only))


def _children(node: dict, top_level_only: bool) -> list[Any]:
    graph = node.get("@graph")
    children = list(graph) if isinstance(graph, list) else []
    if not top_level_only and "Course" not in _types(node):
        children.extend(value for value in node.values() if isinstance(value, dict | list))
    return children


def _types(node: dict) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _course_offerings(node: dict, page_url: str, gazetteer: Gazetteer) -> list[Course]:
    base = _course_fields(node, page_url)
    instances = [i for i in _as_list(node.get("hasCourseInstance")) if isinstance(i, dict)][:50]
    offerings = []
    for instance in instances or [{}]:
        fields = {**base, **_instance_fields(instance, node, base)}
        _locate(fields, gazetteer)
        try:
            offerings.append(Course(**fields))
        except ValidationError as exc:
            log.warning("json-ld course skipped url=%s reason=%s", page_url, str(exc).splitlines()[0])
    return offerings


def _course_fields(node: dict, page_url: str) -> dict[str, Any]:
    title = clean_text(_text(node.get("name")), 300)
    provider = (
        clean_text(_text(node.get("provider")), 200) or urlsplit(page_url).hostname or "Unknown provider"
    )
    credential = node.get("educationalCredentialAwarded")
    subjects = [_text(v) for v in (*_as_list(node.get("about")), *_as_list(node.get("teaches")))]
    url = _text(node.get("url"))
    return {
        "provider": provider,
        "title": title,
        "level": level_from_text(
            _text(node.get("educationalLevel")), _credential_level(credential), _text(credential), title
        ),
        "subject": _subject([*subjects, _text(node.get("keywords"))], title),
        "description": clean_text(_text(node.get("description"))),
        "entry_requirements": clean_text(
            " ".join(_text(v) for v in _as_list(node.get("coursePrerequisites")))
        ),
        "url": urljoin(page_url, url) if url else page_url,
        "course_code": clean_text(_text(node.get("courseCode")), 100),
        "source_url": page_url,
        "sample": provider.lower().startswith("sample"),
    }


def _instance_fields(instance: dict, course: dict, base: dict[str, Any]) -> dict[str, Any]:
    offers = [
        o for o in (*_as_list(instance.get("offers")), *_as_list(course.get("offers"))) if isinstance(o, dict)
    ]
    cost_text = " ".join(_offer_text(o) for o in offers[:3])
    funding = clean_text(
        " ".join(
            [_text(course.get("financialAidEligible")), *(_text(o.get("description")) for o in offers[:3])]
        ),
        500,
    )
    start = parse_date(_text(instance.get("startDate")))
    mode_texts = [_text(m) for m in _as_list(instance.get("courseMode"))]
    price = _price(offers)
    return {
        **_place_fields(instance.get("location") or course.get("location")),
        "modes": modes_from_text(*mode_texts, base["title"]),
        "duration": clean_text(_text(instance.get("courseWorkload")) or _schedule_duration(instance), 100),
        "start_dates": [start] if start else [],
        "cost_gbp": price,
        "free": price == 0 or any(says_free(_offer_text(o)) for o in offers) or says_free(funding),
        "funding": funding,
        "funding_schemes": schemes_from_text(cost_text, funding),
    }


def _offer_text(offer: dict) -> str:
    return " ".join(_text(offer.get(key)) for key in ("category", "price", "description", "name"))


def _price(offers: list[dict]) -> float | None:
    for offer in offers:
        currency = _text(offer.get("priceCurrency")).upper()
        price = offer.get("price")
        if isinstance(price, int | float) and currency in ("", "GBP") and price >= 0:
            return float(price)
        if isinstance(price, str):
            found = price_from_text(price if "£" in price else f"£{price}")
            if found is not None and currency in ("", "GBP"):
                return found
    return None


def _place_fields(location: Any) -> dict[str, Any]:
    place: dict[str, Any] | None = next((p for p in _as_list(location) if isinstance(p, dict)), None)
    if place is None:
        return {"town": clean_text(_text(location), 100)} if isinstance(location, str) else {}
    address: dict[str, Any] = place["address"] if isinstance(place.get("address"), dict) else {}
    geo: dict[str, Any] = place["geo"] if isinstance(place.get("geo"), dict) else {}
    lat, lon = _float(geo.get("latitude")), _float(geo.get("longitude"))
    both = lat is not None and lon is not None
    return {
        "town": clean_text(_text(address.get("addressLocality")), 100),
        "postcode_district": district_of(_text(address.get("postalCode"))),
        "latitude": lat if both else None,
        "longitude": lon if both else None,
    }


def _locate(fields: dict[str, Any], gazetteer: Gazetteer) -> None:
    if fields.get("latitude") is not None:
        return
    for name in (fields.get("postcode_district"), fields.get("town")):
        if not name:
            continue
        try:
            place = gazetteer.resolve(name)
        except UnknownPlaceError:
            continue
        fields["latitude"], fields["longitude"] = place.latitude, place.longitude
        return


def _schedule_duration(instance: dict) -> str:
    schedule = instance.get("courseSchedule")
    return _text(schedule.get("duration")) if isinstance(schedule, dict) else ""


def _credential_level(credential: Any) -> str:
    if isinstance(credential, dict):
        return _text(credential.get("educationalLevel")) or _text(credential.get("credentialCategory"))
    return ""


def _subject(texts: list[str], title: str) -> str:
    for text in texts:
        key = normalise_subject(text) if text else None
        if key:
            return key
    keys = subjects_in_text(title)
    return keys[0] if keys else ""


def _text(value: Any) -> str:
    """A readable string from a JSON-LD value: text, a number, {"name": ...}, {"@value": ...} or a list."""
    if isinstance(value, str):
        return value[:5000]
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("termCode") or "")
    if isinstance(value, list):
        return " ".join(_text(v) for v in value[:10]).strip()
    return ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
