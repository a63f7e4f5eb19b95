"""The demand report as files: CSV tables and one self-contained HTML page.

    paths = write_report_files(figures, Path("out"), area=settings.area_name)

CSV cells that a spreadsheet would run as a formula (starting = + - @, a tab or a carriage return) get a
leading apostrophe: the questions are typed by the public. The HTML has inline CSS and inline SVG charts,
no script and no outside file, so it can be emailed or opened offline; every chart has a title, a text
description and its figures as a table.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from connector.db import Database, may_hold_data
from connector.demand import DemandFigures, demand_figures
from connector.embedder import Embedder
from connector.enquiries import EnquiryStore
from connector.report import build_report
from connector.report_charts import bar_chart, stacked_weeks
from connector.settings import Settings
from connector.tags import Tagger

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
VOLUME_COLUMNS = ("week", "audience", "topic", "sector", "outcome", "questions")
UNMET_COLUMNS = ("question", "times_asked", "no_answer", "not_helpful", "topic", "sector", "other_wordings")
ENQUIRY_COLUMNS = ("sector", "provider", "enquiries")
TOP_UNMET = 30  # needs shown in the HTML; the CSV holds them all


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """One table as CSV text, every cell made safe for spreadsheets."""
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(columns)
    writer.writerows([safe_cell(row.get(column)) for column in columns] for row in rows)
    return handle.getvalue()


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Path:
    """One table as CSV (UTF-8 with a byte-order mark, so Excel reads accents right)."""
    path.write_text(csv_text(columns, rows), encoding="utf-8-sig", newline="")
    return path


def render_html(figures: DemandFigures, area: str) -> str:
    """The report page: charts over time, totals, top unmet needs and enquiries, each with a table."""
    env = Environment(loader=PackageLoader("connector", "templates"), autoescape=select_autoescape(["html"]))
    weekly_charts = [
        weekly_chart(figures, key, f"Questions per week by {key}") for key in ("audience", "topic", "sector")
    ]
    total_charts = [
        total_chart(figures, key, title, column)
        for key, title, column in (
            ("topic", "Questions by topic", "Topic"),
            ("sector", "Questions by LSIP priority sector", "Sector"),
            ("outcome", "Questions by outcome", "Outcome"),
        )
    ]
    enquiry_bars = figures.totals("sector", rows="enquiries")
    return env.get_template("demand_report.html").render(
        area=area,
        figures=figures,
        generated=datetime.now(UTC).date(),
        weekly_charts=weekly_charts,
        total_charts=total_charts,
        unmet=figures.unmet[:TOP_UNMET],
        enquiry_chart=bar_chart("Enquiries by sector", enquiry_bars, "enquiries-chart"),
    )


def weekly_chart(figures: DemandFigures, key: str, title: str) -> dict[str, Any]:
    weeks = figures.weekly(key)
    series = sorted({name for _, counts in weeks for name in counts})
    svg = stacked_weeks(title, weeks, f"weekly-{key}-chart")
    return {"id": f"weekly-{key}", "title": title, "svg": svg, "weeks": weeks, "series": series}


def total_chart(figures: DemandFigures, key: str, title: str, column: str) -> dict[str, Any]:
    bars = figures.totals(key)
    return {
        "id": f"by-{key}",
        "title": title,
        "column": column,
        "bars": bars,
        "svg": bar_chart(title, bars, f"by-{key}-chart"),
    }


def write_report_files(figures: DemandFigures, out_dir: Path, area: str) -> list[Path]:
    """Write the CSV files and the HTML report into `out_dir` (made if missing); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / "demand-report.html"
    html.write_text(render_html(figures, area), encoding="utf-8")
    return [
        write_csv(out_dir / "questions-by-week.csv", VOLUME_COLUMNS, figures.volumes),
        write_csv(out_dir / "unmet-needs.csv", UNMET_COLUMNS, figures.unmet),
        write_csv(out_dir / "enquiries-by-sector-and-provider.csv", ENQUIRY_COLUMNS, figures.enquiries),
        html,
    ]


def write_demand_report(
    settings: Settings, since: date, out_dir: Path, tagger: Tagger | None = None
) -> list[Path]:
    """Read the question log and feedback from `since` (UTC midnight) and write the report files."""
    figures = read_demand_figures(settings, since, tagger or Tagger.build(Embedder.load(settings)))
    return write_report_files(figures, out_dir, settings.area_name)


def read_demand_figures(settings: Settings, since: date, tagger: Tagger) -> DemandFigures:
    """The demand figures from `since` (UTC midnight): the report files and the admin overview show these."""
    start = datetime.combine(since, time(), UTC)
    report = build_report(settings, since=start.timestamp())
    return demand_figures(
        report.question_rows, report.feedback_rows, enquiry_rows(settings, start), tagger, since
    )


def enquiry_rows(settings: Settings, start: datetime) -> list[dict[str, Any]]:
    """Enquiries from `start` as the plain rows the figures count: sector and matched providers' names."""
    if not may_hold_data(settings):
        return []
    return [
        {"sector": e.form.sector, "providers": [p.get("name") or p.get("id") for p in e.providers]}
        for e in EnquiryStore(Database.open(settings)).since(start)
    ]
