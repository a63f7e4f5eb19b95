"""Turn tool results into what people read: a short answer with the working, and a tool card.

Used by the chat route and the HTTP API, so both show the same figures and the same wording.
"""

from __future__ import annotations

from typing import Any

from connector.tools.apprentice_cost import ApprenticeCostResult, ApprenticeSharesResult
from connector.tools.cards import tool_card
from connector.tools.eligibility import EligibilityResult
from connector.tools.levy import LevyResult
from connector.tools.loan import LoanResult, PlanRepayment
from connector.tools.rules import format_date, format_money, format_percent

OUTCOME_WORDS = {
    "may_be_eligible": "may be eligible",
    "may_be_eligible_if": "may be eligible, depending on your circumstances",
    "unlikely": "unlikely",
}


def levy_rows(r: LevyResult) -> list[tuple[str, str]]:
    return [
        ("Annual levy", format_money(r.annual_levy)),
        ("Monthly levy", format_money(r.monthly_levy)),
        ("Funds entering your account a month", format_money(r.monthly_funds)),
        ("Funds entering your account a year", format_money(r.annual_funds)),
        ("Government top-up", format_percent(r.top_up_rate)),
        (f"Transfer allowance ({r.transfer_tax_year})", format_money(r.transfer_allowance)),
        ("Funds expire after", f"{r.expiry_months} months"),
    ]


def levy_card(r: LevyResult) -> dict[str, Any]:
    return tool_card("levy", "Apprenticeship levy", levy_rows(r), r.working, r.date_basis, r.rules_used)


def levy_answer(r: LevyResult) -> str:
    if not r.pays_levy:
        head = "You pay no apprenticeship levy: the £15,000 allowance covers 0.5% of a pay bill up to £3m."
    else:
        head = (
            f"You pay {format_money(r.annual_levy)} a year in apprenticeship levy "
            f"({format_money(r.monthly_levy)}"
            f" a month). {format_money(r.monthly_funds)} a month ({format_money(r.annual_funds)} a year) "
            "enters "
            f"your apprenticeship service account, and you can transfer up to "
            f"{format_money(r.transfer_allowance)}"
            f" in tax year {r.transfer_tax_year}."
        )
    return _compose(head, r.working, r.date_basis, r.notes)


def apprentice_cost_rows(r: ApprenticeCostResult) -> list[tuple[str, str]]:
    rows = [
        ("Price (band maximum)", f"{format_money(r.price)} ({format_money(r.band_max)})"),
        ("From your levy funds", format_money(r.from_levy_funds)),
        ("Government pays", format_money(r.government_pays)),
        ("You pay", format_money(r.employer_pays_total)),
    ]
    rows += [(f"{p.label}: to {p.to_whom}", f"{format_money(p.amount)} ({p.when})") for p in r.incentives]
    return rows


def apprentice_cost_card(r: ApprenticeCostResult) -> dict[str, Any]:
    rows = apprentice_cost_rows(r)
    return tool_card(
        "apprentice_cost", "Apprentice training costs", rows, r.working, r.date_basis, r.rules_used
    )


def apprentice_cost_answer(r: ApprenticeCostResult) -> str:
    head = (
        f"For an apprentice starting on {format_date(r.start_date)}, you pay "
        f"{format_money(r.employer_pays_total)}"
        f" of the {format_money(r.price)} training and assessment price; the government pays"
        f" {format_money(r.government_pays)}"
        + (f" and your levy funds {format_money(r.from_levy_funds)}." if r.from_levy_funds else ".")
    )
    extras = [f"{format_money(p.amount)} to {p.to_whom} ({p.label}; {p.when})." for p in r.incentives]
    if extras:
        head += " Extra payments, not taken from levy funds: " + " ".join(extras)
    return _compose(head, r.working, r.date_basis, r.notes)


def apprentice_shares_answer(r: ApprenticeSharesResult) -> str:
    """Shares and extra payments when the price is not known yet (the chat then asks for it)."""
    if not r.publicly_funded:
        head = f"For an apprentice starting on {format_date(r.start_date)}, there is no levy or government"
        head += " funding: you would pay the whole price."
    elif r.employer_share_rate == 0:
        head = (
            f"For an apprentice starting on {format_date(r.start_date)}, the government pays all the training"
            " and assessment up to the funding band maximum; you pay only any price above the band."
        )
    else:
        share, government = format_percent(r.employer_share_rate), format_percent(1 - r.employer_share_rate)
        head = (
            f"For an apprentice starting on {format_date(r.start_date)}, you pay {share} of the training and"
            f" assessment price up to the funding band maximum (the government pays {government}), plus any"
            " price above the band."
        )
    extras = [f"{format_money(p.amount)} to {p.to_whom} ({p.label}; {p.when})." for p in r.incentives]
    if extras:
        head += " Extra payments, not taken from levy funds: " + " ".join(extras)
    return _compose(head, [], r.date_basis, r.notes)


def eligibility_rows(r: EligibilityResult) -> list[tuple[str, str]]:
    rows = []
    for s in r.schemes:
        words = OUTCOME_WORDS[s.outcome]
        rows.append((s.scheme, f"{words[0].upper()}{words[1:]}: {s.why}"))
    return rows


def eligibility_card(r: EligibilityResult) -> dict[str, Any]:
    working = [f"{s.scheme}: {s.next_step}" for s in r.schemes if s.outcome != "unlikely"]
    return tool_card(
        "eligibility",
        "Funding you may be eligible for",
        eligibility_rows(r),
        working,
        r.date_basis,
        r.rules_used,
    )


def eligibility_answer(r: EligibilityResult) -> str:
    hopeful = [s for s in r.schemes if s.outcome != "unlikely"]
    if hopeful:
        names = [s.scheme for s in hopeful]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        head = f"You may be eligible for {listed}. The details, scheme by scheme, are below."
    else:
        head = "From what you told me, none of the main learner funding schemes looks likely."
    lines = [f"- {s.scheme}: {OUTCOME_WORDS[s.outcome]}. {s.why} Next: {s.next_step}" for s in r.schemes]
    return _compose(
        head,
        lines,
        r.date_basis,
        [*r.notes, "Confirm with the provider before you enrol."],
        "Scheme by scheme",
    )


def loan_rows(r: LoanResult) -> list[tuple[str, str]]:
    rows = []
    for p in r.plans:
        rows += [
            (f"Plan {p.plan} ({p.applies_to})", _per_month(p)),
            (
                f"Plan {p.plan} threshold",
                f"{format_money(p.threshold)} a year" if p.threshold else "none yet",
            ),
            (f"Plan {p.plan} written off", p.write_off),
            (f"Plan {p.plan} interest", p.interest),
        ]
    return rows


def loan_card(r: LoanResult) -> dict[str, Any]:
    title = "Advanced Learner Loan repayments"
    return tool_card("loan", title, loan_rows(r), _loan_working(r), r.date_basis, r.rules_used)


def loan_answer(r: LoanResult) -> str:
    income = format_money(r.annual_income)
    if r.course_start_date is not None:
        p = r.plans[0]
        started = f"{r.course_start_date:%B %Y}"
        head = (
            f"Your course started in {started}, so your loan is repaid on Plan {p.plan}. With an income of"
            f" {income} a year you repay {_per_month(p)}."
        )
    else:
        lines = [f"Plan {p.plan} ({p.applies_to}): {_per_month(p)}" for p in r.plans]
        head = (
            f"It depends on when your course started. With an income of {income} a year you repay: "
            + "; ".join(lines)
            + "."
        )
    return _compose(head, _loan_working(r), r.date_basis, r.notes)


def _per_month(p: PlanRepayment) -> str:
    if not p.repaying:
        return "nothing at the moment"
    return f"{format_money(p.monthly)} a month ({format_money(p.yearly)} a year)"


def _loan_working(r: LoanResult) -> list[str]:
    lines = []
    for p in r.plans:
        lines += [p.working, f"Plan {p.plan} interest: {p.interest}; written off {p.write_off}"]
    return lines


def _compose(head: str, working: list[str], date_basis: str, notes: list[str], label: str = "Working") -> str:
    parts = [head]
    if working:
        parts += ["", f"{label}:", *(line if line.startswith("- ") else f"- {line}" for line in working)]
    parts += ["", f"Date basis: {date_basis}"]
    if notes:
        parts += ["", "Notes:", *(f"- {note}" for note in notes)]
    return "\n".join(parts)
