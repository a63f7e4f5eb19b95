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


def test_padded_rows_a_two_line_header_and_a_row_without_figures_still_make_a_table():
    lines = [
        "The grant depends on the size of the firm.",
        " Staff on payroll      Grant per      First instalment",
        " at start date         apprentice     paid after",
        "",
        " 1 to 9                £1,500         8 weeks",
        "",
        " 10 to 49              £1,250         8 weeks",
        "",
        " 250 or more           Not eligible   n/a",
        "",
        "",
        "Claims must reach us within 45 days.",
    ]
    (table,) = spaced_tables(lines)
    assert (table.start, table.end) == (1, 9)
    size, grant, paid = (
        "Staff on payroll at start date",
        "Grant per apprentice",
        "First instalment paid after",
    )
    assert table.rows == [
        f"{size}: 1 to 9; {grant}: £1,500; {paid}: 8 weeks",
        f"{size}: 10 to 49; {grant}: £1,250; {paid}: 8 weeks",
        f"{size}: 250 or more; {grant}: Not eligible; {paid}: n/a",
    ]


def test_two_blank_lines_end_a_table_and_most_rows_must_give_figures():
    apart = [" Level     Fee", " Level 2   £1,290", "", "", " Level 3   £1,850", " Level 4   £2,100"]
    assert spaced_tables(apart) == []  # neither part has a header and two rows
    words = [" Campus     Open", " Northgate  Weekdays", " Harbour    Saturdays", " Quay       £5 entry"]
    assert spaced_tables(words) == []


def test_a_header_over_a_group_of_columns_is_left_out_and_the_line_under_it_heads_the_table():
    lines = [
        "                       Starts",
        " Level            2024/25    2025/26",
        " Intermediate       1,188      1,046",
        " Advanced           1,706      1,802",
    ]
    (table,) = spaced_tables([lines[0] + "            Change", *lines[1:]])
    assert table.start == 1  # "Starts" and "Change" head no single column
    assert table.rows[0] == "Level: Intermediate; 2024/25: 1,188; 2025/26: 1,046"


def test_a_contents_page_with_its_page_numbers_set_flush_is_not_a_table():
    contents = [
        " 1. Why an apprentice    3",
        "",
        " 2. Before you advertise  3",
        "",
        " 3. The grant            4",
    ]
    assert spaced_tables(contents) == []
