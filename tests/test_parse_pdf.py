"""PDF parsing: text per page with page numbers; unreadable PDFs fail clearly."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from site_pdf import PROSPECTUS, encrypted_pdf, malformed_pdf, placed_pdf, prospectus_pdf

from connector.errors import SourceError
from connector.evaluation.pdf import build_pdf
from connector.types import FetchResult
from ingest.parse_pdf import parse_pdf

URL = "http://college.test/docs/prospectus-2026.pdf"


def pdf(body: bytes, url: str = URL) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=200, content_type="application/pdf", body=body)


def test_prospectus_text_is_kept_with_its_page_numbers():
    page = parse_pdf(pdf(prospectus_pdf()))
    assert {s.page_number for s in page.sections} == set(range(1, len(PROSPECTUS) + 1))
    assert ["Welcome from the principal"] in [s.heading_path for s in page.sections]
    assert "Engineering Maintenance Technician" in next(s.text for s in page.sections if s.page_number == 2)
    assert page.title == "Thameside Skills Academy - Prospectus 2026 to 2027"
    assert page.url == URL and page.fetched_at


def test_pound_sign_survives_pdf_text_extraction():
    assert "£" in parse_pdf(pdf(prospectus_pdf())).text


def test_encrypted_pdf_fails_with_a_clear_reason():
    with pytest.raises(SourceError) as caught:
        parse_pdf(pdf(encrypted_pdf()))
    assert caught.value.reason == "encrypted PDF (needs a password)"
    assert caught.value.url == URL


def test_pdf_encrypted_with_an_empty_password_is_read():
    writer = PdfWriter()
    writer.append(io.BytesIO(build_pdf([["Open timetable", "Pottery on Mondays."]])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "Pottery on Mondays." in parse_pdf(pdf(buffer.getvalue())).text


@pytest.mark.parametrize("body", [malformed_pdf(), b"", b"%PDF-1.7\n", b"<html>not a pdf</html>"])
def test_invalid_pdf_fails_with_a_clear_reason(body):
    with pytest.raises(SourceError) as caught:
        parse_pdf(pdf(body))
    assert caught.value.stage == "parse"
    assert "PDF" in caught.value.reason


def test_doc_type_from_sources_yaml_is_used():
    page = parse_pdf(pdf(prospectus_pdf()), doc_type="course", audiences=["learner"])
    assert (page.doc_type, page.audiences) == ("course", ["learner"])


def test_a_report_is_cut_at_its_headings_and_a_section_carries_over_a_page_break():
    report = build_pdf(
        [
            [
                "Skills report 2026",
                "1. Priority sectors",
                "Construction is the first priority.",
                "2. Who leads the plan",
                "The board of the plan is chaired by a local employer from the engineering sector,",
            ],
            ["who was appointed in 2025.", "Figures by district", "Basildon 1,200 vacancies."],
        ]
    )
    sections = parse_pdf(pdf(report)).sections
    assert [(s.heading_path, s.page_number) for s in sections] == [
        ([], 1),
        (["1. Priority sectors"], 1),
        (["2. Who leads the plan"], 1),
        (["2. Who leads the plan"], 2),
        (["Figures by district"], 2),
    ]
    assert sections[0].text == "Skills report 2026" and sections[3].text == "who was appointed in 2025."


def test_a_numbered_heading_of_one_word_is_a_heading_and_a_contents_line_is_not():
    report = build_pdf(
        [
            [
                "Contents",
                "6. Apprenticeships 8",
                "There were 610 construction apprenticeship starts in the year to July 2026.",
                "6. Apprenticeships",
                "The achievement rate for bricklaying apprenticeships was 54% in 2025/26.",
            ]
        ]
    )
    sections = parse_pdf(pdf(report)).sections
    assert [s.heading_path for s in sections] == [[], ["6. Apprenticeships"]]
    assert "6. Apprenticeships 8" in sections[0].text and sections[1].text.startswith("The achievement rate")


def test_a_line_of_figures_or_a_sentence_is_not_taken_for_a_heading():
    table = build_pdf(
        [
            [
                "Vacancies rose in every district over the three years to 2026, as below.",
                "2024 2025 2026 total",
                "1,200 1,350 1,500 4,050",
                "Priority sectors:",
                "Construction",
                "Digital",
                "Employers in both told us that they cannot fill technical roles.",
            ]
        ]
    )
    sections = parse_pdf(pdf(table)).sections
    assert [s.heading_path for s in sections] == [[], ["Digital"]]
    assert "2024 2025 2026 total\n1,200" in sections[0].text and "Construction" in sections[0].text


def test_a_table_set_with_spaces_becomes_rows_that_carry_their_column_headers():
    report = build_pdf(
        [
            [
                "2. Online job postings",
                "Employers placed 18,640 unique postings from July to September.",
                *(
                    f"{sector:<40}{postings:>10}{change:>8}"
                    for sector, postings, change in [
                        ("Sector", "Postings", "Change"),
                        ("Health and social care", "2,310", "+4%"),
                        ("Construction and the built environment", "1,420", "-3%"),
                        ("Visitor economy", "1,070", "-14%"),
                    ]
                ),
                "Postings fell in most sectors.",
            ]
        ]
    )
    (section,) = parse_pdf(pdf(report)).sections
    lines = section.text.split("\n")
    assert "Sector: Construction and the built environment; Postings: 1,420; Change: -3%" in lines
    assert "Sector: Visitor economy; Postings: 1,070; Change: -14%" in lines
    assert not any(line.startswith("Sector  ") for line in lines)  # the header row is in every row now
    assert lines[-1] == "Postings fell in most sectors."


def test_lines_whose_columns_do_not_line_up_are_left_as_text():
    report = build_pdf(
        [
            [
                "Contents",
                "Foreword  3",
                "1. Summary and recommendations  4",
                "2. The construction workforce today  5",
                "The survey closed in April.  It had 214 replies.",
                "Replies came from  every district.",
            ]
        ]
    )
    text = "\n".join(section.text for section in parse_pdf(pdf(report)).sections)
    assert "1. Summary and recommendations 4" in text and ":" not in text
    assert "The survey closed in April. It had 214 replies.\nReplies came from every district." in text


def test_two_columns_of_prose_side_by_side_are_not_read_as_a_table():
    page = [f"{left:<45}{right}" for left, right in [
        ("Employers in the north of the county told us", "The college has opened a new workshop for"),
        ("that they cannot find qualified electricians", "electrical installation at its main campus"),
        ("and that apprentices leave for better pay.", "and will take its first learners in 2027."),
    ]]  # fmt: skip
    text = parse_pdf(pdf(build_pdf([page]))).sections[0].text
    assert ";" not in text and "electricians and" not in text
    assert (
        text.split("\n")[1]
        == "that they cannot find qualified electricians electrical installation at its main campus"
    )


def test_a_table_whose_cells_a_word_processor_placed_one_by_one_becomes_rows():
    pieces = [
        (56, 800, "2. Online job postings"),
        (56, 780, "Employers placed 18,640 unique postings from July to September."),
    ]
    table = [
        ("Sector", "Postings", "Change"),
        ("Health and social care", "2,310", "+4%"),
        ("Construction and the built environment", "1,420", "-3%"),
        ("Visitor economy", "1,070", "-14%"),
    ]
    for number, (sector, postings, change) in enumerate(table):
        y = 750 - 14 * number
        pieces += [(56, y, sector), (300, y, postings), (400, y, change)]
    pieces.append((56, 680, "Postings fell in most sectors."))
    (section,) = parse_pdf(pdf(placed_pdf(pieces))).sections
    assert section.heading_path == ["2. Online job postings"]
    assert section.text.split("\n") == [
        "Employers placed 18,640 unique postings from July to September.",
        "Sector: Health and social care; Postings: 2,310; Change: +4%",
        "Sector: Construction and the built environment; Postings: 1,420; Change: -3%",
        "Sector: Visitor economy; Postings: 1,070; Change: -14%",
        "Postings fell in most sectors.",
    ]


def test_a_placeholder_document_title_gives_way_to_the_reports_first_line():
    report = [
        ["North Vale Skills Board annual report 2026", "The board met 11 times in the year to March 2026."]
    ]
    writer = PdfWriter(clone_from=io.BytesIO(build_pdf(report)))
    writer.add_metadata({"/Title": "(anonymous)"})  # what a PDF maker writes when the author gave no title
    body = io.BytesIO()
    writer.write(body)
    assert parse_pdf(pdf(body.getvalue())).title == "North Vale Skills Board annual report 2026"


def test_a_table_with_a_header_wrapped_in_its_cells_and_padded_rows_becomes_rows():
    # The plain text gives a wrapped header cell by cell ("Grant per", "apprentice", "First instalment",
    # ...); the printed layout gives it line by line. Either way the table's words are the same.
    pieces = [(56, 800, "3. The starter grant"), (56, 780, "The grant depends on the size of the firm.")]
    header = [("Staff on payroll", "at start date"), ("Grant per", "apprentice"), ("Paid after", "weeks")]
    for column, (top, bottom) in enumerate(header):
        pieces += [(56 + 150 * column, 750, top), (56 + 150 * column, 738, bottom)]
    for number, row in enumerate(
        [("1 to 9", "£1,500", "8"), ("10 to 49", "£1,250", "8"), ("50 to 249", "£600", "12")]
    ):
        pieces += [(56 + 150 * column, 714 - 24 * number, cell) for column, cell in enumerate(row)]
    pieces.append((56, 620, "Claims must reach us within 45 days."))
    (section,) = parse_pdf(pdf(placed_pdf(pieces))).sections
    assert section.text.split("\n") == [
        "The grant depends on the size of the firm.",
        "Staff on payroll at start date: 1 to 9; Grant per apprentice: £1,500; Paid after weeks: 8",
        "Staff on payroll at start date: 10 to 49; Grant per apprentice: £1,250; Paid after weeks: 8",
        "Staff on payroll at start date: 50 to 249; Grant per apprentice: £600; Paid after weeks: 12",
        "Claims must reach us within 45 days.",
    ]
