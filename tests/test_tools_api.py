"""The tools over real HTTP (ASGI transport): figures, cards, 422s that name the field, OpenAPI docs."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from connector.settings import Settings


@pytest.fixture
def client(settings: Settings):
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def field_of(response: httpx.Response) -> str:
    return response.json()["detail"][0]["loc"][-1]


async def test_levy_endpoint_returns_figures_working_and_card(client: httpx.AsyncClient):
    # 0.5% × 4,200,000 − 15,000 = 6,000; transfer 2026-27 = 50% × 6,000 × 1.10 = 3,300.
    async with client:
        r = await client.post("/v1/tools/levy", json={"pay_bill": 4_200_000, "on_date": "2026-11-25"})
    assert r.status_code == 200
    body = r.json()
    assert (body["annual_levy"], body["monthly_levy"], body["transfer_allowance"]) == (6000.0, 500.0, 3300.0)
    card = body["card"]
    assert card["type"] == "tool" and card["tool"] == "levy"
    assert {"label": "Annual levy", "value": "£6,000"} in card["rows"]
    assert (
        card["working"] and card["date_basis"] and all(s["url"].startswith("http") for s in card["sources"])
    )


async def test_apprentice_cost_endpoint(client: httpx.AsyncClient):
    # 25-year-old, non-levy, from Aug 2026: 5% × 12,000 = 600.
    payload = {"band_max": 12_000, "age": 25, "levy_payer": False, "start_date": "2026-09-01"}
    async with client:
        r = await client.post("/v1/tools/apprentice-cost", json=payload)
    assert r.status_code == 200
    assert r.json()["employer_pays_total"] == 600.0 and r.json()["card"]["tool"] == "apprentice_cost"


async def test_eligibility_endpoint(client: httpx.AsyncClient):
    payload = {
        "age": 24,
        "highest_qualification_level": 2,
        "annual_earnings": 21_000,
        "course_level": 3,
        "on_date": "2026-11-25",
    }
    async with client:
        r = await client.post("/v1/tools/eligibility", json=payload)
    assert r.status_code == 200
    outcomes = {s["scheme"]: s["outcome"] for s in r.json()["schemes"]}
    assert outcomes["Free Courses for Jobs (level 3)"] == "may_be_eligible"
    assert r.json()["card"]["tool"] == "eligibility"


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/v1/tools/levy", {"pay_bill": -10}, "pay_bill"),
        ("/v1/tools/levy", {"pay_bill": 200_000_000_000}, "pay_bill"),
        ("/v1/tools/levy", {"pay_bill": 4e6, "english_percent": 120}, "english_percent"),
        ("/v1/tools/levy", {}, "pay_bill"),
        ("/v1/tools/levy", {"pay_bill": 4e6, "payroll": 1}, "payroll"),
        ("/v1/tools/levy", {"pay_bill": 4e6, "connected_companies": True}, "allowance_share_percent"),
        ("/v1/tools/levy", {"pay_bill": 4e6, "on_date": "2015-01-01"}, "on_date"),
        ("/v1/tools/apprentice-cost", {"band_max": 12000, "levy_payer": False}, "age"),
        ("/v1/tools/apprentice-cost", {"band_max": 50000, "age": 20, "levy_payer": False}, "band_max"),
        (
            "/v1/tools/apprentice-cost",
            {"band_max": 12000, "age": 20, "levy_payer": True},
            "levy_funds_available",
        ),
        (
            "/v1/tools/apprentice-cost",
            {"band_max": 12000, "age": 20, "level": 9, "levy_payer": False},
            "level",
        ),
        ("/v1/tools/apprentice-cost", {"age": 20, "levy_payer": False}, "band_max"),
        ("/v1/tools/eligibility", {"age": 30, "course_level": 11}, "course_level"),
        ("/v1/tools/eligibility", {"age": 30, "employment_status": "retired-ish"}, "employment_status"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient, path: str, payload: dict, field: str
):
    async with client:
        r = await client.post(path, json=payload)
    assert r.status_code == 422
    assert field_of(r) == field
    assert r.json()["detail"][0]["msg"]


async def test_openapi_documents_the_tools_with_examples(client: httpx.AsyncClient):
    async with client:
        spec = (await client.get("/openapi.json")).json()
    for path in ("/v1/tools/levy", "/v1/tools/apprentice-cost", "/v1/tools/eligibility"):
        assert "post" in spec["paths"][path]
    assert spec["components"]["schemas"]["LevyRequest"]["examples"][0]["pay_bill"] == 4200000


async def test_a_boolean_for_an_amount_or_a_number_for_a_date_is_refused_naming_the_field(
    client: httpx.AsyncClient,
):
    async with client:
        as_bool = await client.post(
            "/v1/tools/apprentice-cost",
            json={"price": 13000, "age": 19, "levy_payer": True, "levy_funds_available": False},
        )
        as_number = await client.post("/v1/tools/levy", json={"pay_bill": 4_200_000, "on_date": 20260101})
        courses = await client.get("/v1/courses", params={"starts_after": "0"})
    assert as_bool.status_code == 422 and field_of(as_bool) == "levy_funds_available"
    assert as_number.status_code == 422 and field_of(as_number) == "on_date"
    assert courses.status_code == 422
