"""Course search over the bundled sample catalogue: each filter, the ranking, places and the catalogue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connector.courses.catalogue import CourseCatalogue
from connector.courses.model import Course
from connector.courses.places import Gazetteer, UnknownPlaceError, district_of, haversine_miles
from connector.courses.search import CourseQuery, search_courses
from connector.errors import ToolInputError
from ingest.courses import CourseIngest

SAMPLE_FEEDS = Path(__file__).parent.parent / "areas" / "essex" / "courses"
TODAY = date(2026, 11, 25)


@pytest.fixture
def catalogue(settings) -> CourseCatalogue:
    catalogue = CourseCatalogue.open(settings)
    CourseIngest(catalogue).load_folder(SAMPLE_FEEDS)
    return catalogue


def search(catalogue: CourseCatalogue, **params):
    return search_courses(catalogue.courses(), CourseQuery.from_params(limit=50, **params), today=TODAY)


def titles(result) -> list[str]:
    return [m.course.title for m in result.matches]


def test_sample_catalogue_has_six_clearly_marked_sample_providers(catalogue):
    courses = catalogue.courses()
    assert 25 <= len(courses) <= 40
    providers = {c.provider for c in courses}
    assert len(providers) == 6
    assert all(p.startswith("Sample: ") for p in providers) and all(c.sample for c in courses)
    assert {c.level for c in courses} >= {0, 1, 2, 3, 4}
    assert {"digital", "engineering", "health-and-care", "construction", "accounting"} <= {
        c.subject for c in courses
    }


def test_level_3_part_time_digital_near_colchester(catalogue):
    result = search(catalogue, level="3", subject="digital", near="Colchester", mode="part-time")
    assert result.total == 3
    assert all(m.course.level == 3 and m.course.subject == "digital" for m in result.matches)
    assert all("part-time" in m.course.modes for m in result.matches)
    assert titles(result)[0] == "Level 3 Diploma in Digital Support Services"  # on campus, nearest first
    assert result.matches[0].distance_miles < 1


def test_radius_keeps_near_courses_and_online_ones(catalogue):
    near = search(catalogue, near="Colchester", radius_miles=5)
    providers = {m.course.provider for m in near.matches if "online" not in m.course.modes}
    assert providers == {"Sample: Colchester Digital Skills Centre"}
    assert all(m.distance_miles <= 5 for m in near.matches if "online" not in m.course.modes)
    online_elsewhere = [m for m in near.matches if "online" in m.course.modes and m.distance_miles > 5]
    assert online_elsewhere, "online courses can be taken from anywhere"


def test_postcode_district_and_full_postcode_search_like_the_town(catalogue):
    by_town = search(catalogue, near="Basildon", radius_miles=3)
    by_district = search(catalogue, near="SS14", radius_miles=3)
    by_postcode = search(catalogue, near="ss14 1aa", radius_miles=3)
    assert titles(by_town) == titles(by_district) == titles(by_postcode)
    assert by_district.place.name == "SS14"


def test_results_are_ranked_by_distance_when_no_text_is_given(catalogue):
    result = search(catalogue, subject="accounting", near="Braintree", radius_miles=30)
    distances = [m.distance_miles for m in result.matches if "online" not in m.course.modes]
    assert distances == sorted(distances)
    assert result.matches[0].course.town == "Braintree"


def test_text_match_ranks_before_distance(catalogue):
    result = search(catalogue, q="cyber security", near="Chelmsford", radius_miles=50)
    assert titles(result)[0] == "Skills Bootcamp in Cyber Security Foundations (Level 3)"
    assert all(m.text_score > 0 for m in result.matches)


def test_mode_filters_evening_and_apprenticeships(catalogue):
    evening = search(catalogue, mode="evening", subject="accounting")
    assert evening.total == 3 and all("evening" in m.course.modes for m in evening.matches)
    apprenticeships = search(catalogue, mode="apprenticeships")
    assert apprenticeships.total == 4
    assert all("Apprenticeship" in t for t in titles(apprenticeships))


def test_free_only_keeps_courses_the_data_calls_free(catalogue):
    free = search(catalogue, free_only=True)
    assert free.total > 10
    assert all(m.course.free for m in free.matches)
    assert "AAT Level 2 Certificate in Accounting" not in titles(free)  # £1,150, no free route stated


def test_start_filters_by_date_and_by_month(catalogue):
    september = search(catalogue, start_month="2027-09")
    assert september.total > 0
    assert all(
        any(d.isoformat().startswith("2027-09") for d in m.course.start_dates) for m in september.matches
    )
    late = search(catalogue, starts_after="2027-04-01")
    assert all(max(m.course.start_dates) >= date(2027, 4, 1) for m in late.matches)
    assert "Level 3 Diploma in Digital Support Services" in titles(late)  # its second run starts 20 April


def test_courses_whose_every_run_has_started_are_left_out(catalogue):
    later = search_courses(catalogue.courses(), CourseQuery(limit=50), today=date(2027, 10, 1))
    assert later.total < search(catalogue).total
    assert all(max(m.course.start_dates) >= date(2027, 10, 1) for m in later.matches if m.course.start_dates)


def test_entry_level_is_level_zero(catalogue):
    result = search(catalogue, level="entry")
    assert titles(result) == ["ESOL Entry Level 3"]
    assert result.matches[0].course.card()["level"] == "Entry level"


def test_a_search_that_matches_nothing_returns_none(catalogue):
    assert search(catalogue, level="8").total == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "9"}, "level"),
        ({"level": "three-ish"}, "level"),
        ({"mode": "sideways"}, "mode"),
        ({"subject": "underwater basket weaving"}, "subject"),
        ({"radius_miles": 0}, "radius_miles"),
        ({"radius_miles": "far"}, "radius_miles"),
        ({"start_month": "Sept"}, "start_month"),
        ({"limit": 500}, "limit"),
    ],
)
def test_bad_filters_raise_an_error_naming_the_field(params, field):
    with pytest.raises(ToolInputError) as error:
        CourseQuery.from_params(**params)
    assert error.value.field == field


def test_unknown_town_or_postcode_names_the_near_field_and_suggests(catalogue):
    with pytest.raises(UnknownPlaceError) as town:
        search(catalogue, near="Colchster")
    assert town.value.field == "near" and "Colchester" in town.value.message
    with pytest.raises(UnknownPlaceError) as postcode:
        search(catalogue, near="M1 1AA")
    assert "M1" in postcode.value.message


def test_gazetteer_knows_towns_aliases_and_districts():
    gazetteer = Gazetteer.load()
    assert gazetteer.resolve("southend").name == "Southend-on-Sea"
    assert gazetteer.resolve("CB10").town == "Saffron Walden"
    assert gazetteer.resolve("EN9 1AB").name == "EN9"
    assert gazetteer.find_in_text("any courses near Canvey Island?").name == "Canvey Island"
    assert gazetteer.find_in_text("something in co4 please").name == "CO4"
    assert gazetteer.find_in_text("no place here") is None
    assert district_of("rm17 6ab") == "RM17" and district_of("not a postcode") == ""


def test_haversine_gives_known_distances():
    assert haversine_miles(51.5, 0.0, 51.5, 0.0) == 0
    # One degree of latitude is about 69 miles.
    assert haversine_miles(51.0, 0.5, 52.0, 0.5) == pytest.approx(69.1, abs=0.2)
    gazetteer = Gazetteer.load()
    colchester, chelmsford = gazetteer.resolve("Colchester"), gazetteer.resolve("Chelmsford")
    miles = haversine_miles(
        colchester.latitude, colchester.longitude, chelmsford.latitude, chelmsford.longitude
    )
    assert 19 < miles < 23  # about 21 miles as the crow flies


def test_replacing_a_source_removes_its_old_courses_and_leaves_others(catalogue):
    before = catalogue.count()
    source = next(url for url in catalogue.source_urls() if url.endswith("sample-harlow-skills.xml"))
    kept = [c for c in catalogue.courses() if c.source_url == source][:2]
    stored, removed = catalogue.replace_source(source, kept)
    assert (stored, removed) == (2, 4)
    assert catalogue.count() == before - 4
    assert catalogue.remove_source(source) == 2
    assert source not in catalogue.source_urls()


def test_courses_for_another_source_are_not_stored_under_this_one(catalogue):
    stray = Course(provider="P", title="T", url="https://p.example/t", source_url="https://other.example/")
    assert catalogue.replace_source("https://mine.example/feed.xml", [stray]) == (0, 0)


def test_an_unreadable_stored_row_is_skipped_not_fatal(catalogue):
    import sqlite3

    with sqlite3.connect(catalogue.path) as conn:
        conn.execute("INSERT INTO courses VALUES ('bad', 'https://x.example/', '{not json', 'now')")
    assert len(catalogue.courses()) == catalogue.count() - 1


def test_free_for_me_checks_the_learner_against_the_funding_rules(catalogue):
    low_paid = search(catalogue, free_only=True, age=24, annual_earnings=21_000)
    well_paid = search(
        catalogue, free_only=True, age=24, annual_earnings=40_000, highest_qualification_level=3
    )
    assert "Level 3 Diploma in Digital Support Services" in titles(low_paid)  # Free Courses for Jobs
    assert "Level 3 Diploma in Digital Support Services" not in titles(well_paid)  # over £26,800
    assert "Skills Bootcamp in Cyber Security Foundations (Level 3)" in titles(
        well_paid
    )  # free whatever you earn
    assert all(m.free_reason for m in well_paid.matches)
    reason = next(m.free_reason for m in low_paid.matches if m.course.course_code == "CDSC-L3-DSS")
    assert "£26,800" in reason


def test_free_for_me_applies_the_first_full_level_3_entitlement_by_age(catalogue):
    young = search(catalogue, free_only=True, age=20, highest_qualification_level=2, annual_earnings=40_000)
    older = search(catalogue, free_only=True, age=24, highest_qualification_level=2, annual_earnings=40_000)
    assert "Level 3 Certificate in Software Development" in titles(young)
    assert "Level 3 Certificate in Software Development" not in titles(older)


def test_free_for_me_keeps_16_to_18_study_programmes_for_a_17_year_old(catalogue):
    result = search(catalogue, free_only=True, age=17)
    assert "Level 3 Extended Diploma in Health and Social Care" in titles(result)
    assert "Skills Bootcamp in Cyber Security Foundations (Level 3)" not in titles(result)  # 19+ only


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"age": 12}, "age"),
        ({"age": 30, "annual_earnings": -5}, "annual_earnings"),
        ({"age": 30, "highest_qualification_level": 11}, "highest_qualification_level"),
        ({"age": 30, "employment_status": "astronaut"}, "employment_status"),
    ],
)
def test_bad_learner_details_name_the_field(params, field):
    with pytest.raises(ToolInputError) as error:
        CourseQuery.from_params(free_only=True, **params)
    assert error.value.field == field


def test_preferred_words_reorder_without_excluding(catalogue):
    plain = search(catalogue, subject="construction", near="Basildon")
    preferred = search(catalogue, subject="construction", near="Basildon", prefer="bricklaying")
    assert preferred.total == plain.total
    assert titles(preferred)[0] == "Level 2 Diploma in Bricklaying" != titles(plain)[0]


def test_nearby_courses_come_before_online_ones_when_a_place_is_given(catalogue):
    result = search(catalogue, subject="digital", near="Colchester")
    remote = [m.remote for m in result.matches]
    assert remote == sorted(remote) and remote[0] is False and remote[-1] is True


def test_a_write_through_another_catalogue_object_is_seen_by_a_reader_that_cached(catalogue):
    before = catalogue.courses()
    writer = CourseCatalogue(catalogue.path)  # e.g. `connector ingest` while the server runs
    source = before[0].source_url
    writer.replace_source(source, [])
    after = catalogue.courses()
    assert len(after) < len(before) and all(c.source_url != source for c in after)


def test_searches_leave_out_the_sample_courses_once_a_real_provider_has_courses(catalogue):
    assert catalogue.searchable() == catalogue.courses()  # samples only: they demonstrate the finder
    real = Course(
        provider="Rivermead College",
        title="Electrical Installation Level 2",
        url="https://rivermead.example/el2",
        source_url="https://rivermead.example/el2",
    )
    catalogue.replace_source(real.source_url, [real])
    assert [c.title for c in catalogue.searchable()] == ["Electrical Installation Level 2"]
    assert len(catalogue.courses()) == catalogue.count()  # the samples are still stored, not searched
