"""Course extraction: XCRI-CAP feeds and schema.org JSON-LD pages into Courses, and `connector ingest`
keeping the catalogue in step with feeds that change or disappear."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import make_settings

from connector.courses.catalogue import CourseCatalogue
from connector.courses.xcri import is_xcri_feed, parse_xcri
from connector.errors import SourceError
from connector.types import FetchResult
from ingest.courses import courses_from_feed, courses_from_page
from ingest.parse_html import parse_html
from ingest.run import FEED_HANDLERS, PAGE_OBSERVERS, run_ingest

COURSES = Path(__file__).parent / "fixtures" / "courses"
FEED_URL = "https://riverside-test.example/xcri.xml"


def page_from(name: str, url: str):
    body = (COURSES / name).read_bytes()
    return parse_html(FetchResult(url=url, final_url=url, status=200, content_type="text/html", body=body))


def feed_courses():
    return {
        (c.title, tuple(c.modes)): c for c in parse_xcri((COURSES / "xcri-feed.xml").read_bytes(), FEED_URL)
    }


def test_xcri_feed_is_read_by_namespace_whatever_the_prefixes():
    courses = feed_courses()
    web = courses[("Level 3 Certificate in Web Development", ("part-time", "evening"))]
    assert web.provider == "Riverside Test College"
    assert web.level == 3
    assert web.subject == "digital"
    assert web.town == "Colchester" and web.postcode_district == "CO2"
    assert web.url == "https://riverside-test.example/courses/web-dev"
    assert web.course_code == "RTC-WEB3"
    assert web.entry_requirements == "GCSE English and maths at grade 4."
    assert "HTML" in web.description and "<b>" not in web.description
    assert web.source_url == FEED_URL and web.sample is False


def test_presentations_differing_only_by_start_are_merged_and_other_offerings_kept_apart():
    courses = feed_courses()
    evening = courses[("Level 3 Certificate in Web Development", ("part-time", "evening"))]
    online = courses[("Level 3 Certificate in Web Development", ("part-time", "online"))]
    assert evening.start_dates == [date(2027, 1, 11), date(2027, 4, 19)]
    assert online.start_dates == [date(2027, 2, 1)]
    assert online.cost_gbp == 950 and online.free is False


def test_cost_text_gives_price_free_flag_and_funding_scheme():
    evening = feed_courses()[("Level 3 Certificate in Web Development", ("part-time", "evening"))]
    assert evening.free is True
    assert evening.cost_gbp == 1200
    assert evening.funding_schemes == ["free-courses-for-jobs"]
    assert evening.cost_label() == "Free for eligible learners (otherwise £1,200)"


def test_coordinates_come_from_the_feed_or_else_from_the_gazetteer():
    courses = feed_courses()
    welding = courses[("Welding Skills", ("full-time",))]
    assert (welding.latitude, welding.longitude) == (51.95, 1.28)
    assert welding.level == 2 and welding.subject == "engineering"
    evening = courses[("Level 3 Certificate in Web Development", ("part-time", "evening"))]
    assert evening.latitude == pytest.approx(51.873) and evening.longitude == pytest.approx(0.890)


def test_a_course_without_a_title_is_skipped_not_fatal():
    titles = {title for title, _ in feed_courses()}
    assert titles == {"Level 3 Certificate in Web Development", "Welding Skills"}


def test_external_entities_in_a_feed_are_never_resolved():
    courses = parse_xcri((COURSES / "xcri-entity.xml").read_bytes(), "https://entity-test.example/feed.xml")
    secret = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\x00"
    for course in courses:
        assert secret not in course.title and secret not in course.description


def test_documents_that_are_not_xcri_are_left_for_other_readers():
    assert is_xcri_feed((COURSES / "rss.xml").read_bytes()) is False
    assert courses_from_feed((COURSES / "rss.xml").read_bytes(), "https://x.example/rss.xml") is None
    assert is_xcri_feed(b"not xml at all <<<") is False


def test_malformed_feed_and_wrong_root_raise_a_source_error_naming_the_url():
    with pytest.raises(SourceError) as bad:
        parse_xcri(b"<catalog xmlns='http://xcri.org/profiles/1.2/catalog'><provider>", FEED_URL)
    assert bad.value.url == FEED_URL and "well-formed" in bad.value.reason
    with pytest.raises(SourceError):
        parse_xcri((COURSES / "rss.xml").read_bytes(), FEED_URL)


def test_a_json_ld_course_list_is_read_as_a_feed_and_other_json_is_not():
    courses = courses_from_feed(
        (COURSES / "courses.jsonld").read_bytes(), "https://greenway-test.example/c.jsonld"
    )
    by_code = {c.course_code: c for c in courses}
    bookkeeping, bootcamp = by_code["GT-BK2"], by_code["GT-BC-DATA"]
    assert bookkeeping.cost_gbp == 425 and bookkeeping.modes == ["part-time", "evening"]
    assert (
        bookkeeping.town == "Witham"
        and bookkeeping.postcode_district == "CM8"
        and bookkeeping.subject == "accounting"
    )
    assert bootcamp.level == 3 and bootcamp.free and bootcamp.funding_schemes == ["skills-bootcamp"]
    plain = Path(__file__).parent.parent / "eval" / "sites" / "site" / "data" / "courses.json"
    assert courses_from_feed(plain.read_bytes(), "https://x.example/courses.json") is None
    assert courses_from_feed(b'{"@type": "Course", "name": ', "https://x.example/broken.json") is None


def test_json_ld_course_with_instances_becomes_one_course_per_offering():
    page = page_from("course-page.html", "https://marsh-test.example/courses/adult-care-l3")
    courses = {tuple(c.modes): c for c in courses_from_page(page)}
    onsite, online = courses[("part-time",)], courses[("online",)]
    assert onsite.title == "Level 3 Diploma in Adult Care" and onsite.level == 3
    assert onsite.provider == "Marsh Test Academy" and onsite.subject == "health-and-care"
    assert onsite.town == "Southend-on-Sea" and onsite.postcode_district == "SS1"
    assert onsite.latitude is not None
    assert onsite.start_dates == [date(2027, 2, 8)] and onsite.duration == "One day a week for 40 weeks"
    assert onsite.cost_gbp == 1800 and onsite.free is False
    assert onsite.entry_requirements == "Working in adult care An interview"
    assert onsite.url == "https://marsh-test.example/courses/adult-care-l3"
    assert online.free is True and online.cost_gbp == 0 and "free-courses-for-jobs" in online.funding_schemes


def test_json_ld_in_a_graph_with_a_list_type_is_found():
    page = page_from("course-graph.html", "https://builders-test.example/bricklaying")
    [course] = courses_from_page(page)
    assert course.title == "Bricklaying Level 2" and course.level == 2
    assert course.provider == "Test Builders Training"
    assert course.subject == "construction" and course.modes == ["full-time"]
    assert course.postcode_district == "SS14" and course.latitude is not None


def test_hostile_json_ld_yields_only_valid_courses_and_never_raises():
    page = page_from("hostile-jsonld.html", "https://odd-test.example/page")
    courses = courses_from_page(page)
    assert all(c.title and c.provider for c in courses)
    maths = next(c for c in courses if c.title == "Level 2 Maths")
    assert maths.start_dates == [] and maths.latitude is None and maths.level == 2
    odd = next(c for c in courses if "Level 9" in c.title)
    assert odd.level is None and odd.provider == "42" and odd.cost_gbp is None


def test_ingest_registers_its_course_hooks():
    import ingest.courses as hooks

    assert hooks.observe_page in PAGE_OBSERVERS
    assert hooks.take_feed in FEED_HANDLERS


@pytest.mark.slow
def test_connector_ingest_replaces_changed_feeds_and_drops_deleted_ones(tmp_path, settings, embedder):
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(COURSES / "xcri-feed.xml", folder / "riverside.xml")
    shutil.copy(COURSES / "rss.xml", folder / "news.xml")
    shutil.copy(COURSES / "course-page.html", folder / "adult-care.html")
    run_ingest(settings, [str(folder)], embedder=embedder)
    catalogue = CourseCatalogue.open(settings)
    titles = sorted(c.title for c in catalogue.courses())
    assert titles.count("Level 3 Certificate in Web Development") == 2
    assert "Welding Skills" in titles and titles.count("Level 3 Diploma in Adult Care") == 2

    changed = (folder / "riverside.xml").read_text().replace("Welding Skills", "Fabrication Skills")
    (folder / "riverside.xml").write_text(changed)
    run_ingest(settings, [str(folder)], embedder=embedder)
    titles = [c.title for c in catalogue.courses()]
    assert "Fabrication Skills" in titles and "Welding Skills" not in titles

    (folder / "riverside.xml").unlink()
    (folder / "news.xml").unlink()  # no feed left in the folder: the deleted one must still drop out
    run_ingest(settings, [str(folder)], embedder=embedder)
    titles = [c.title for c in catalogue.courses()]
    assert "Fabrication Skills" not in titles and "Level 3 Certificate in Web Development" not in titles
    assert titles.count("Level 3 Diploma in Adult Care") == 2


@pytest.mark.slow
def test_crawling_a_provider_page_with_json_ld_fills_the_catalogue(fixture_site, settings, embedder):
    url = fixture_site.url("courses/engineering-maintenance-technician-l3.html")
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    [course] = CourseCatalogue.open(settings).courses()
    assert course.provider == "Thameside Skills Academy"
    assert course.level == 3 and course.town == "Basildon" and course.postcode_district == "SS14"
    assert "apprenticeship" in course.modes and course.cost_label() == "No fee for the apprentice"
    assert course.source_url == url


@pytest.mark.slow
def test_a_provider_page_that_disappears_takes_its_courses_with_it(fresh_site, settings, embedder):
    path = "courses/engineering-maintenance-technician-l3.html"
    url = fresh_site.url(path)
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    catalogue = CourseCatalogue.open(settings)
    assert catalogue.source_urls() == [url]
    fresh_site.remove_page("/" + path)
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    assert catalogue.courses() == []


@pytest.mark.slow
def test_a_crawled_xcri_feed_fills_the_catalogue_and_a_changed_one_replaces_it(
    fresh_site, settings, embedder
):
    feed = (COURSES / "xcri-feed.xml").read_text()
    fresh_site.set_page("/feeds/xcri.xml", feed, content_type="application/xml")
    url = fresh_site.url("feeds/xcri.xml")
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    catalogue = CourseCatalogue.open(settings)
    assert {c.title for c in catalogue.courses()} == {
        "Level 3 Certificate in Web Development",
        "Welding Skills",
    }
    assert {c.source_url for c in catalogue.courses()} == {url}
    fresh_site.set_page(
        "/feeds/xcri.xml", feed.replace("Welding Skills", "Plating Skills"), "application/xml"
    )
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    assert {c.title for c in catalogue.courses()} == {
        "Level 3 Certificate in Web Development",
        "Plating Skills",
    }


def feed_settings(tmp_path: Path):
    return make_settings(tmp_path / "data", crawl_retries=0, crawl_timeout_seconds=3.0,
                         crawl_requests_per_second=200.0)  # fmt: skip


@pytest.mark.slow
def test_a_crawled_feed_that_fails_keeps_its_courses_and_one_that_is_gone_drops_them(
    fresh_site, tmp_path, embedder
):
    settings = feed_settings(tmp_path)
    fresh_site.set_page("/feeds/xcri.xml", (COURSES / "xcri-feed.xml").read_bytes(), "application/xml")
    url = fresh_site.url("feeds/xcri.xml")
    assert run_ingest(settings, [url], max_pages=1, embedder=embedder).pages["feeds"] == 1
    catalogue = CourseCatalogue.open(settings)
    assert len(catalogue.courses()) == 3

    fresh_site.set_status("/feeds/xcri.xml", 503)
    failed = run_ingest(settings, [url], max_pages=1, embedder=embedder)
    assert failed.pages["failed"] == 1 and "503" in failed.failures[0]["reason"]
    assert len(catalogue.courses()) == 3  # a transient failure keeps the last good courses

    fresh_site.set_status("/feeds/xcri.xml", 410)
    gone = run_ingest(settings, [url], max_pages=1, embedder=embedder)
    assert gone.pages["removed"] == 1 and gone.pages["failed"] == 0
    assert catalogue.courses() == [] and catalogue.source_urls() == []


@pytest.mark.slow
def test_a_crawled_json_ld_feed_is_read_and_dropped_when_it_returns_404(fresh_site, tmp_path, embedder):
    settings = feed_settings(tmp_path)
    body = (COURSES / "courses.jsonld").read_bytes()
    fresh_site.set_page("/feeds/courses.jsonld", body, "application/ld+json")
    url = fresh_site.url("feeds/courses.jsonld")
    run_ingest(settings, [url], max_pages=1, embedder=embedder)
    catalogue = CourseCatalogue.open(settings)
    assert {c.course_code for c in catalogue.courses()} >= {"GT-BK2", "GT-BC-DATA"}
    assert catalogue.source_urls() == [url]

    fresh_site.remove_page("/feeds/courses.jsonld")
    gone = run_ingest(settings, [url], max_pages=1, embedder=embedder)
    assert gone.pages["removed"] == 1 and catalogue.courses() == []


@pytest.mark.slow
def test_a_deleted_feed_file_drops_its_courses_even_when_its_folder_is_left_empty(tmp_path, embedder):
    settings = feed_settings(tmp_path)
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(COURSES / "xcri-feed.xml", folder / "riverside.xml")
    run_ingest(settings, [str(folder)], embedder=embedder)
    catalogue = CourseCatalogue.open(settings)
    assert len(catalogue.courses()) == 3
    (folder / "riverside.xml").unlink()
    report = run_ingest(settings, [str(folder)], embedder=embedder)
    assert report.pages["removed"] == 1 and catalogue.courses() == []
