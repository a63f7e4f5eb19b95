"""Tables as readable rows: HTML's and a PDF's printed layout share the row format."""

from __future__ import annotations

from ingest.tables import readable_rows, spaced_tables


def test_rows_carry_their_headers_or_fall_back_to_labels_and_bars():
    assert readable_rows([["Level", "Fee"], ["Level 2", "£1,290"]], has_header=True) == [
        "Level: Level 2; Fee: £1,290"
    ]
    assert readable_rows([["Level 2", "£1,290"], ["Level 3", "£1,850"]], has_header=False) == [
        "Level 2: £1,290",
        "Level 3: £1,850",
    ]
    assert readable_rows([["AAT2", "Level 2", "£1,290"]], has_header=False) == ["AAT2 | Level 2 | £1,290"]


def test_a_table_without_a_header_row_gives_barred_rows_and_its_lines_are_named():
    lines = [
        "Fees for adult learners are set out below.",
        "  EL2-BAS   Electrical Installation Level 2   £2,450",
        "  PL1-HAR   Plumbing Level 1                  £1,150",
        "  CJ1-CHE   Carpentry and Joinery Level 1     £1,050",
        "Fees are per year.",
    ]
    (table,) = spaced_tables(lines)
    assert (table.start, table.end) == (1, 4)
    assert table.rows[1] == "PL1-HAR | Plumbing Level 1 | £1,150"


def test_a_column_a_space_out_of_line_is_still_a_column_and_one_far_out_is_not():
    slightly = [
        "Problem               Firms",
        "Turned down work        44%",
        "Cannot recruit         71%",
        "No training found      26%",
    ]
    assert spaced_tables(slightly)[0].rows[2] == "Problem: No training found; Firms: 26%"
    ragged = ["Foreword  3", "1. Summary and recommendations  4", "2. The workforce today  5"]
    assert spaced_tables(ragged) == []
