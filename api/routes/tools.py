"""The funding tools over HTTP: exact arithmetic under the rules in force on a date, with the working.

    POST /v1/tools/levy {"pay_bill": 4200000} -> {"annual_levy": 6000.0, "transfer_allowance": 3300.0, ...}
    POST /v1/tools/apprentice-cost {"band_max": 12000, "age": 19, "levy_payer": false}
    POST /v1/tools/eligibility {"age": 24, "highest_qualification_level": 2, "course_level": 3}
    POST /v1/tools/loan-repayment {"annual_income": 32000, "course_start_date": "2024-09-01"}

Bad input gets a 422 whose `detail[0].loc` names the field, in FastAPI's usual shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException
from pydantic import ConfigDict, Field

from api.errors import BODY_ERRORS
from api.request_models import IsoDate, RequestModel
from connector.errors import ToolInputError
from connector.tools import present
from connector.tools.apprentice_cost import ApprenticeCostInput, ApprenticeCostResult, apprentice_cost
from connector.tools.eligibility import (
    EligibilityInput,
    EligibilityResult,
    EmploymentStatus,
    check_eligibility,
)
from connector.tools.levy import MAX_PAY_BILL, LevyInput, LevyResult, calculate_levy
from connector.tools.loan import MAX_INCOME, LoanInput, LoanResult, loan_repayment

router = APIRouter(tags=["tools"], responses=BODY_ERRORS)
T = TypeVar("T")


class LevyRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"pay_bill": 4200000, "english_percent": 100, "on_date": "2026-11-25"}]
        },
    )

    pay_bill: float = Field(ge=0, le=MAX_PAY_BILL, description="Annual UK pay bill, £.")
    english_percent: float = Field(
        default=100, ge=0, le=100, description="Share of employees living in England."
    )
    connected_companies: bool = Field(
        default=False, description="The company shares one allowance with a group."
    )
    allowance_share_percent: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Share of the £15,000 allowance this company takes (connected).",
    )
    on_date: IsoDate | None = Field(default=None, description="Date the rules apply to; today when omitted.")


class ApprenticeCostRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"band_max": 12000, "age": 19, "levy_payer": False, "start_date": "2026-09-01"},
                {
                    "band_max": 12000,
                    "price": 13000,
                    "age": 30,
                    "levy_payer": True,
                    "levy_funds_available": 4000,
                },
            ]
        },
    )

    band_max: float | None = Field(default=None, gt=0, le=1_000_000, description="Funding band maximum, £.")
    price: float | None = Field(default=None, gt=0, le=1_000_000, description="Agreed price, £.")
    age: int = Field(ge=16, le=99, description="Apprentice's age at the start.")
    care_leaver: bool = False
    ehc_plan: bool = False
    levy_payer: bool = Field(description="The employer pays the apprenticeship levy.")
    levy_funds_available: float | None = Field(default=None, ge=0, description="Levy funds available, £.")
    employees: int | None = Field(default=None, ge=1, description="Number of employees.")
    level: int | None = Field(default=None, ge=2, le=7, description="Apprenticeship level, 2 to 7.")
    foundation: bool = Field(default=False, description="A foundation apprenticeship.")
    start_date: IsoDate | None = Field(default=None, description="Start date; today when omitted.")


class EligibilityRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "age": 24,
                    "highest_qualification_level": 2,
                    "annual_earnings": 21000,
                    "employment_status": "employed",
                    "course_level": 3,
                }
            ]
        },
    )

    age: int = Field(ge=16, le=100)
    highest_qualification_level: int | None = Field(
        default=None, ge=0, le=8, description="0 = none or entry."
    )
    annual_earnings: float | None = Field(default=None, ge=0, le=100_000_000, description="Gross, £ a year.")
    employment_status: EmploymentStatus | None = None
    course_level: int | None = Field(default=None, ge=0, le=8)
    care_leaver: bool = False
    ehc_plan: bool = False
    lives_in_england: bool = True
    on_date: IsoDate | None = None


class LoanRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"annual_income": 32000, "course_start_date": "2024-09-01"},
                {"annual_income": 32000},
            ]
        },
    )

    annual_income: float = Field(ge=0, le=MAX_INCOME, description="Income before tax, £ a year.")
    course_start_date: IsoDate | None = Field(
        default=None, description="When the course started: it decides Plan 2 or Plan 5; both when omitted."
    )
    on_date: IsoDate | None = Field(
        default=None, description="Date the repayment is for; today when omitted."
    )


class LevyResponse(LevyResult):
    card: dict[str, Any]


class ApprenticeCostResponse(ApprenticeCostResult):
    card: dict[str, Any]


class EligibilityResponse(EligibilityResult):
    card: dict[str, Any]


class LoanResponse(LoanResult):
    card: dict[str, Any]


def _run(tool: Callable[[Any], T], inp: Any) -> T:
    """Run a tool; its input errors become a 422 naming the field."""
    try:
        return tool(inp)
    except ToolInputError as exc:
        detail = [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]
        raise HTTPException(status_code=422, detail=detail) from exc


@router.post(
    "/v1/tools/levy", response_model=LevyResponse, summary="Apprenticeship levy, funds and transfers"
)
def post_levy(body: LevyRequest) -> LevyResponse:
    """Annual and monthly levy, funds entering the account, transfer allowance and expiry on a date."""
    result = _run(calculate_levy, LevyInput(**body.model_dump()))
    return LevyResponse(**result.model_dump(), card=present.levy_card(result))


@router.post(
    "/v1/tools/apprentice-cost", response_model=ApprenticeCostResponse, summary="Who pays for an apprentice"
)
def post_apprentice_cost(body: ApprenticeCostRequest) -> ApprenticeCostResponse:
    """The split between levy funds, government and employer, and the extra payments, by start date."""
    result = _run(apprentice_cost, ApprenticeCostInput(**body.model_dump()))
    return ApprenticeCostResponse(**result.model_dump(), card=present.apprentice_cost_card(result))


@router.post("/v1/tools/eligibility", response_model=EligibilityResponse, summary="Learner funding schemes")
def post_eligibility(body: EligibilityRequest) -> EligibilityResponse:
    """Which schemes may apply, each with why, date basis, source and next step."""
    result = _run(check_eligibility, EligibilityInput(**body.model_dump()))
    return EligibilityResponse(**result.model_dump(), card=present.eligibility_card(result))


@router.post(
    "/v1/tools/loan-repayment", response_model=LoanResponse, summary="Advanced Learner Loan repayments"
)
def post_loan_repayment(body: LoanRequest) -> LoanResponse:
    """Monthly and yearly repayment on Plan 2 or Plan 5 (by course start date), threshold and write-off."""
    result = _run(loan_repayment, LoanInput(**body.model_dump()))
    return LoanResponse(**result.model_dump(), card=present.loan_card(result))
