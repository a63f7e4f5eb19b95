"""Areas: a folder per LSIP area, validated at start-up, and `connector areas` checking each one.

Real files in temp dirs, a real HTTP server for robots.txt, the real `connector` command line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from answer_corpus import build_index
from browser_support import StaticServer, free_port
from conftest import make_settings
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from connector.areas import AreaError, known_areas, load_area
from connector.settings import PROJECT_ROOT

CONNECTOR = str(Path(sys.executable).parent / "connector")
SHIPPED = PROJECT_ROOT / "areas"


def copy_area(tmp_path: Path, key: str = "essex", as_key: str = "testshire") -> Path:
    """A copy of a shipped area under a temp areas dir, to break or change."""
    folder = tmp_path / "areas" / as_key
    shutil.copytree(SHIPPED / key, folder)
    return folder


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def run_areas(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "HOME": str(PROJECT_ROOT)}
    return subprocess.run(
        [CONNECTOR, "areas", *args], env={**base, **(env or {})}, capture_output=True, text=True, timeout=120
    )


def own_areas(tmp_path: Path) -> dict[str, str]:
    """A Chamber's own areas folder, serving its area."""
    return {"CONNECTOR_AREAS_DIR": str(tmp_path / "areas"), "CONNECTOR_AREA": "testshire"}


def test_both_shipped_areas_load_with_their_own_names_towns_and_sectors():
    assert known_areas() == ["essex", "norfolk-suffolk"]
    essex, norfolk = load_area("essex"), load_area("norfolk-suffolk")
    assert essex.info.chamber.name == "Essex Chambers of Commerce" and essex.has_contact
    assert [b.name for b in norfolk.info.chamber.lead_bodies] == [
        "Norfolk Chambers of Commerce",
        "Suffolk Chamber of Commerce",
    ]
    assert "clean_energy" in norfolk.sector_ids and "clean_energy" not in essex.sector_ids
    # Its LSIP page is its human route; no email or phone could be sourced, and none is made up.
    assert norfolk.has_contact and norfolk.info.contact.page is not None
    assert norfolk.info.contact.email is None and norfolk.info.contact.phone is None


def test_every_fact_in_the_shipped_areas_names_an_https_source():
    for key in known_areas():
        info = load_area(key).info
        sourced = [info.lsip, info.chamber, *info.chamber.lead_bodies, *info.sectors]
        contact = info.contact
        sourced += [part for part in (contact.page, contact.email, contact.phone) if part]
        assert all(item.source.startswith("https://") for item in sourced), key


def test_settings_take_name_contact_collection_and_data_folder_from_the_area(tmp_path):
    essex = make_settings(tmp_path / "data")
    norfolk = make_settings(tmp_path / "data", area="norfolk-suffolk")
    assert (essex.area_name, norfolk.area_name) == ("Essex", "Norfolk and Suffolk")
    assert essex.chamber_contact_email == "lsip@essexchambers.co.uk" and norfolk.chamber_contact_email == ""
    assert essex.collection_name != norfolk.collection_name
    assert essex.data_dir != norfolk.data_dir and essex.data_root == norfolk.data_root == tmp_path / "data"
    assert norfolk.sources_file == SHIPPED / "norfolk-suffolk" / "sources.yaml"
    assert norfolk.model_id == "skills-connector-norfolk-suffolk"


def test_an_unknown_area_stops_start_up_naming_the_known_areas(tmp_path):
    with pytest.raises(ValidationError) as error:
        make_settings(tmp_path / "data", area="kent")
    assert "unknown area 'kent'" in str(error.value) and "essex, norfolk-suffolk" in str(error.value)


def test_the_command_line_refuses_an_unknown_area_with_the_known_ones(tmp_path):
    done = subprocess.run(
        [CONNECTOR, "ingest", "--dry-run"],
        env={"PATH": "/usr/bin:/bin", "CONNECTOR_AREA": "kent", "CONNECTOR_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "unknown area 'kent'" in done.stderr and "norfolk-suffolk" in done.stderr


@pytest.mark.parametrize(
    ("file", "change", "named"),
    [
        ("area.yaml", lambda d: d["widget"].update(accent="blue"), "widget.accent"),
        (
            "area.yaml",
            lambda d: d["contact"]["email"].update(value="skills@example.org"),
            "contact.email.value",
        ),
        ("area.yaml", lambda d: d["contact"]["email"].pop("source"), "contact.email.source"),
        ("area.yaml", lambda d: d.update(chamber_name="typo"), "chamber_name"),
        ("area.yaml", lambda d: d["sectors"].append(dict(d["sectors"][0])), "sectors"),
        ("places.yaml", lambda d: d["towns"]["Colchester"].update(lat=151.9), "towns.Colchester.lat"),
        ("places.yaml", lambda d: d["districts"].update({"co4": d["districts"]["CO4"]}), "districts.co4"),
        ("sectors.yaml", lambda d: d["labels"].update(fishing={"examples": ["trawler"]}), "fishing"),
    ],
)
def test_a_malformed_area_file_stops_start_up_naming_the_file_and_field(tmp_path, file, change, named):
    folder = copy_area(tmp_path)
    edit_yaml(folder / file, change)
    with pytest.raises(AreaError) as error:
        load_area("testshire", tmp_path / "areas")
    assert str(folder / file) in str(error.value) and named in str(error.value)
    with pytest.raises(ValidationError, match=named):
        make_settings(tmp_path / "data", area="testshire", areas_dir=tmp_path / "areas")


def test_areas_command_passes_essex_and_fails_norfolk_suffolk_for_its_missing_contact():
    essex = run_areas("essex", "--offline")
    assert essex.returncode == 0, essex.stdout + essex.stderr
    assert "essex: Essex (Essex Chambers of Commerce) ok" in essex.stdout
    both = run_areas("--offline")
    assert both.returncode == 1
    assert (
        "norfolk-suffolk: Norfolk and Suffolk (Norfolk and Suffolk Chambers of Commerce) FAILED"
        in both.stdout
    )
    assert "contact.email: no public email" in both.stdout


def test_areas_command_fails_a_guide_sector_the_area_does_not_have(tmp_path):
    folder = copy_area(tmp_path)
    guide = folder / "guides" / "essex-lsip.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace(
            "doc_type: guidance\n", "doc_type: guidance\nsectors: [fishing]\n"
        ),
        encoding="utf-8",
    )
    done = run_areas("testshire", "--offline", env=own_areas(tmp_path))
    assert done.returncode == 1 and "sectors: unknown sector 'fishing'" in done.stdout


def test_areas_command_fails_a_source_robots_txt_disallows_and_only_warns_for_one_it_cannot_reach(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /courses/\n", encoding="utf-8")
    folder = copy_area(tmp_path)
    host = StaticServer(site).start()
    try:
        closed = free_port()  # nothing listens there: a network error
        sources = [
            {"name": "bundled-corpus", "path": "corpus/docs"},
            {"name": "closed-college", "url": f"http://127.0.0.1:{closed}/", "allow_private": True},
            {"name": "open-college", "url": f"{host.url}/about/", "allow_private": True},
            {"name": "shut-college", "url": f"{host.url}/courses/", "allow_private": True},
        ]
        (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
        done = run_areas("testshire", env=own_areas(tmp_path))
    finally:
        host.stop()
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert any(line.strip().startswith("error: shut-college: robots.txt disallows") for line in lines)
    assert any(line.strip().startswith("warning: closed-college: not checked") for line in lines)
    assert not any("open-college" in line for line in lines)


def test_a_placeholder_contact_is_refused_even_as_an_override(tmp_path):
    with pytest.raises(ValidationError, match="placeholder"):
        make_settings(tmp_path / "data", chamber_contact_email="skills@chamber.example")


def test_readyz_is_503_naming_the_file_when_an_area_has_no_contact_at_all(tmp_path, embedder):
    folder = copy_area(tmp_path, "norfolk-suffolk")
    edit_yaml(folder / "area.yaml", lambda d: d.update(contact={}))
    settings = make_settings(tmp_path / "data", area="testshire", areas_dir=tmp_path / "areas")
    build_index(settings, embedder)  # an index with passages: the contact is the only thing missing
    with TestClient(create_app(settings)) as client:
        response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["area"] == "testshire" and body["chunks"] > 0
    assert "no public contact" in body["reason"] and str(folder / "area.yaml") in body["reason"]
