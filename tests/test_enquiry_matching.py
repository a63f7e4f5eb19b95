"""Matching an employer's need to providers: the real embedding model over the sample catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from connector.courses.catalogue import CourseCatalogue
from connector.enquiry_matching import Need, ProviderMatcher
from connector.errors import ConfigError
from connector.providers import Provider, ProviderDirectory
from connector.settings import PROJECT_ROOT
from ingest.courses import CourseIngest

BASILDON = "Sample: Basildon Engineering and Construction Centre"


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> list[Provider]:
    settings = make_settings(tmp_path_factory.mktemp("catalogue"))
    catalogue = CourseCatalogue.open(settings)
    CourseIngest(catalogue).load_folder(PROJECT_ROOT / "areas" / "essex" / "courses")
    return ProviderDirectory.load().with_courses(catalogue.courses())


@pytest.fixture(scope="module")
def matcher(embedder, tmp_path_factory: pytest.TempPathFactory) -> ProviderMatcher:
    return ProviderMatcher(embedder, make_settings(tmp_path_factory.mktemp("m")))


def names(matches) -> list[str]:
    return [m.provider.name for m in matches]


def test_every_sample_provider_has_courses_subjects_levels_and_a_reserved_address(providers) -> None:
    assert len(providers) == 6
    for provider in providers:
        assert provider.courses and provider.subjects and provider.levels, provider.name
        assert provider.entry.sample and provider.email and provider.email.endswith(".example.org")


def test_bricklaying_in_basildon_goes_to_the_construction_provider_first(matcher, providers) -> None:
    matches = matcher.match(
        Need("We need two bricklayers trained", level=2, postcode_district="SS14"), providers
    )
    assert names(matches)[0] == BASILDON
    assert matches[0].distance_miles == 0.0 and "Level 2 Diploma in Bricklaying" in matches[0].courses


def test_everyday_words_find_the_subject_without_a_word_list(matcher, providers) -> None:
    care = matcher.match(Need("our carers need training to look after elderly residents"), providers)
    assert names(care)[0] == "Sample: Southend Health and Care Training"
    books = matcher.match(
        Need("someone to do our bookkeeping and payroll", postcode_district="CM1"), providers
    )
    assert names(books)[0] == "Sample: Chelmsford Technical Academy"


def test_distance_decides_between_providers_of_the_same_subject(matcher, providers) -> None:
    near_braintree = matcher.match(Need("bookkeeping and payroll course", postcode_district="CM7"), providers)
    near_chelmsford = matcher.match(
        Need("bookkeeping and payroll course", postcode_district="CM1"), providers
    )
    assert names(near_braintree)[0] == "Sample: Braintree Adult Learning Centre"
    assert names(near_chelmsford)[0] == "Sample: Chelmsford Technical Academy"


def test_a_need_nobody_offers_matches_no_provider(matcher, providers) -> None:
    assert matcher.match(Need("commercial airline pilot type rating on a Boeing 737"), providers) == []


def test_at_most_the_configured_number_of_providers(embedder, providers, tmp_path: Path) -> None:
    one = ProviderMatcher(embedder, make_settings(tmp_path, enquiry_max_providers=1))
    assert len(one.match(Need("digital and IT skills for our office staff"), providers)) == 1


def test_a_provider_without_email_is_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "providers.yaml"
    path.write_text(
        "last_reviewed: 2026-12-01\nproviders:\n"
        "  - {id: no-mail, name: No Mail College, areas: [Harlow], subjects: [digital], source: test}\n"
        "  - {id: mail, name: Mail College, email: a@mail.example.org, source: test}\n",
        encoding="utf-8",
    )
    directory = ProviderDirectory.load(path)
    assert [e.id for e in directory.without_email()] == ["no-mail"] and len(directory.entries) == 2
    assert "no-mail" in directory.warnings[0]


@pytest.mark.parametrize(
    "entry, problem",
    [
        ("{id: x1, name: X, email: not-an-address, source: s}", "email"),
        ("{id: x1, name: X, email: real@essexcollege.ac.uk, source: s, sample: true}", "reserved domain"),
        ("{id: x1, name: X, source: s, subjects: [astrology]}", "unknown subject"),
        ("{id: x1, name: X, source: s, colour: red}", "colour"),
    ],
)
def test_a_bad_directory_entry_stops_with_its_reason(tmp_path: Path, entry: str, problem: str) -> None:
    path = tmp_path / "providers.yaml"
    path.write_text(f"last_reviewed: 2026-12-01\nproviders:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        ProviderDirectory.load(path)
