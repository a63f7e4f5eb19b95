"""GET /v1/courses: search the course catalogue; GET /courses/{ref}: a readable page for one course.

GET /v1/courses?subject=digital&level=3&near=Anytown&radius_miles=10&mode=part-time
-> {"courses": [{"type": "course", "title": ..., "distance_miles": 0.4, ...}], "total": 3, "filters": {...}}
"""

from __future__ import annotations

import asyncio
import html
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from api.errors import documented
from api.request_models import IsoDate
from connector.courses.catalogue import CourseCatalogue
from connector.courses.model import Course
from connector.courses.search import CourseQuery, search_courses
from connector.courses.subjects import subject_label
from connector.errors import ToolInputError

router = APIRouter(tags=["courses"])


class CourseCard(BaseModel):
    """One course offering as the chat and the widget show it."""

    type: str = Field(default="course", examples=["course"])
    id: str
    title: str
    provider: str
    town: str
    postcode_district: str
    level: str = Field(examples=["Level 3", "Entry level"])
    mode: str = Field(examples=["part-time, evening"])
    start: str = Field(description="Next start date (ISO), or the last known one", examples=["2027-01-12"])
    duration: str
    cost: str = Field(examples=["£1,150", "Free", "Free for eligible learners (otherwise £1,450)"])
    funding: str
    entry_requirements: str
    url: str
    sample: bool = Field(description="Demonstration data: the provider is fictional")
    distance_miles: float | None = Field(description="From the place searched near, if any")
    free_for_me: str | None = Field(default=None, description="Why it may be free for the learner described")


class CourseSearchRequest(BaseModel):
    """The course finder's filters: query parameters of GET /v1/courses, arguments of the MCP tool."""

    q: str = Field(default="", max_length=200, description="Free text, e.g. 'cyber security'")
    level: str | None = Field(default=None, max_length=20, description="'entry' or 1-8")
    subject: str | None = Field(default=None, max_length=60, description="e.g. digital, engineering")
    near: str | None = Field(default=None, max_length=60, description="A town or postcode district")
    radius_miles: float | None = Field(default=None, gt=0, le=100)
    mode: str | None = Field(default=None, max_length=30, description="full-time, part-time, online, ...")
    starts_after: IsoDate | None = Field(default=None, description="Only runs starting on or after this date")
    start_month: str | None = Field(default=None, max_length=7, description="YYYY-MM")
    free_only: bool = Field(default=False, description="Only courses the provider says are free")
    age: int | None = Field(default=None, description="With free_only: free for a learner of this age")
    annual_earnings: float | None = Field(default=None, description="With free_only and age: £ a year")
    highest_qualification_level: int | None = Field(default=None, description="With free_only and age: 0-8")
    employment_status: str | None = Field(
        default=None, max_length=20, description="employed, unemployed, ..."
    )
    limit: int = Field(default=10, ge=1, le=50)


class CourseSearchResponse(BaseModel):
    courses: list[CourseCard]
    total: int = Field(description="How many courses matched before the limit")
    filters: dict[str, Any] = Field(description="The filters as understood (normalised)")


def course_catalogue(request: Request) -> CourseCatalogue:
    """The app's catalogue: the one the services hold, else opened from the settings on first use."""
    services = getattr(request.app.state, "services", None)
    catalogue = getattr(services, "courses", None) or getattr(request.app.state, "course_catalogue", None)
    if catalogue is None:
        catalogue = CourseCatalogue.open(request.app.state.settings)
        request.app.state.course_catalogue = catalogue
    return catalogue


def absolute_url(url: str, request: Request) -> str:
    """Root-relative links (the sample catalogue's) made absolute, so they work from a widget elsewhere."""
    return (
        str(request.base_url).rstrip("/") + url if url.startswith("/") and not url.startswith("//") else url
    )


def field_error(error: ToolInputError) -> JSONResponse:
    """A 422 in FastAPI's own shape, naming the query parameter that was wrong."""
    detail = [{"loc": ["query", error.field], "msg": error.message, "type": "value_error"}]
    return JSONResponse(status_code=422, content={"detail": detail})


@router.get(
    "/v1/courses",
    response_model=CourseSearchResponse,
    responses={
        422: {"description": "A filter is invalid; `detail[0].loc` names it"},
        **documented(503),  # the catalogue cannot be read (e.g. its disk is full)
    },
)
async def get_courses(request: Request, params: Annotated[CourseSearchRequest, Query()]) -> Any:
    """Courses matching every filter given, best text match first, then nearest, then soonest. With
    free_only and the learner's age (and earnings, qualifications), "free" is checked against the learner
    funding rules: "free for me"."""
    try:
        query = CourseQuery.from_params(**params.model_dump())
        catalogue = course_catalogue(request)
        result = search_courses(await asyncio.to_thread(catalogue.searchable), query)
    except ToolInputError as error:
        return field_error(error)
    cards = [{**card, "url": absolute_url(card["url"], request)} for card in result.cards()]
    return {"courses": cards, "total": result.total, "filters": query.filters(result.place)}


@router.get("/courses/{ref}", response_class=HTMLResponse, include_in_schema=False)
async def course_page(ref: str, request: Request) -> HTMLResponse:
    """A plain page for a course whose link points here (the sample catalogue's courses)."""
    courses = await asyncio.to_thread(course_catalogue(request).courses)
    course = next((c for c in courses if c.url == f"/courses/{ref}" or c.id == ref), None)
    if course is None:
        raise HTTPException(status_code=404, detail="No such course in the catalogue")
    return HTMLResponse(render_course_page(course))


def render_course_page(course: Course) -> str:
    """The course as a small, escaped HTML page (all values come from feeds and are untrusted)."""
    e = html.escape
    start = ", ".join(d.strftime("%-d %B %Y") for d in course.start_dates) or "Ask the provider"
    rows = [
        ("Provider", course.provider),
        ("Level", course.level_name),
        ("Subject", subject_label(course.subject)),
        ("How it runs", ", ".join(course.modes)),
        ("Where", " ".join(part for part in (course.town, course.postcode_district) if part)),
        ("Starts", start),
        ("Duration", course.duration),
        ("Cost", course.cost_label()),
        ("Funding", course.funding),
        ("Entry requirements", course.entry_requirements),
    ]
    table = "".join(f"<tr><th scope='row'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows if v)
    banner = (
        "<p role='note'><strong>Sample data.</strong> This provider and course are fictional, shown to "
        "demonstrate the course finder.</p>"
        if course.sample
        else ""
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(course.title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head><body>"
        f"<main><h1>{e(course.title)}</h1>{banner}<p>{e(course.description)}</p><table>{table}</table></main>"
        "</body></html>"
    )
