"""The file writer's pure parts: how a figure is shown, how wide a column must be, how many
lines a wrapped text takes, and a page header's codes."""

from __future__ import annotations

from facilities.core.files import (
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    Table,
    _page_text,
    shown,
    text_width,
    wrapped_lines,
)  # fmt: skip


def test_a_figure_is_shown_as_its_number_format():
    assert shown(78_539_000, MONEY_FORMAT) == "78,539,000"
    assert shown(-18_000, MONEY_FORMAT) == "-18,000"
    assert shown(9.2, PERCENT_FORMAT) == "9.2" and shown(5.0, PERCENT_FORMAT) == "5.0"
    assert shown(None, MONEY_FORMAT) == "" and shown("合計") == "合計"


def test_a_column_is_wide_enough_for_every_figure_and_text():
    table = Table("t", [Column("a", 4, MONEY_FORMAT), Column("b", 4), Column("c", 4, wrap=True)],
                  [[1_234_567_890, "臺北市服務站", "a long wrapped text"]])  # fmt: skip
    # "1,234,567,890" is 13 wide, six Chinese characters 12; a wrapped column keeps its width
    assert table.widths() == [15, 14, 4]
    assert text_width("臺北 ab") == 7


def test_wrapped_lines():
    assert wrapped_lines("未達成 not met", 16) == 1
    assert wrapped_lines("Penghu County Specialized Operation Team", 23) == 2
    # Penghu / County / Specialized / Operation / Team
    assert wrapped_lines("Penghu County Specialized Operation Team", 10) == 5


def test_page_header_codes():
    assert _page_text(("A & B", "", "第 &P 頁，共 &N 頁")) == "&LA && B&R第 &P 頁，共 &N 頁"
