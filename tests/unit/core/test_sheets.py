"""A register's sheet read from text cells, by hand: headings in either language, blanks and
their defaults, keys given twice, ROC years, rates, lists of codes, Chinese labels of a closed
vocabulary; and the rows held back for naming a refused one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from facilities.core.files import FileProblem
from facilities.core.sheets import (
    Field,
    Sheet,
    a_year,
    closed,
    codes,
    dated,
    money,
    pattern,
    percent,
    text,
)
from facilities.ops.workbook import Refused

CODE = pattern(r"^[A-Z]{2,4}$", "2 to 4 capitals")
OFFICES = Sheet(
    "offices", "據點", "Offices.",
    (
        Field("code", "代碼", CODE, "The office's code", True),
        dated("opened", "啟用日", "When it opened"),
        money("rent_ntd", "租金", "Its rent", required=False),
        closed("held", "權屬", ["owned", "leased"], "How it is held", "leased",
               labels={"owned": "自有", "leased": "租用"}),
        Field("note", "說明", text(10), "A note", False, default=""),
    ),
    key=("code",),
)  # fmt: skip
RENTS = Sheet(
    "rents", "租金", "Rents.",
    (Field("code", "代碼", CODE, "The office", True), Field("year", "年度", a_year, "Year", True)),
    key=("code", "year"), refers={"offices": ("code",)},
)  # fmt: skip


def frame(headings: list[str], *rows: list[str]) -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in rows], columns=headings, dtype=object)


def test_headings_in_chinese_english_or_both_and_blanks_take_their_defaults():
    parsed = OFFICES.parse(
        frame(["代碼 code", "opened", "租金(元)", "權屬 held"],
              ["TPE", "103/06/30", "1,200,000", "自有"], ["", "", "", ""],
              ["KHH", "2014-7-1", "", ""]),
        "offices",
    )  # fmt: skip
    assert parsed.problems == []
    assert [{k: v for k, v in r.items() if k != "_line"} for r in parsed.rows] == [
        {"code": "TPE", "opened": date(2014, 6, 30), "rent_ntd": 1_200_000, "held": "owned"},
        {"code": "KHH", "opened": date(2014, 7, 1), "rent_ntd": 0, "held": "leased"},
    ]  # the note's column is absent: its value stays whatever the record holds
    assert [r["_line"] for r in parsed.rows] == [2, 4]  # the blank row 3 is passed over


def test_every_problem_by_its_line_and_the_refused_rows_kept():
    parsed = OFFICES.parse(
        frame(["code", "opened", "held", "note"], ["tpe", "2014-02-30", "rented", "x" * 11],
              ["KHH", "", "owned", ""], ["KHH", "2014-01-01", "owned", ""]),
        "offices",
    )  # fmt: skip
    assert parsed.problems == [
        (2, "code 'tpe' must be 2 to 4 capitals"),
        (2, "opened '2014-02-30' is not a date: February 2014 has days 1 to 28"),
        (2, "held 'rented' is not one of owned, leased"),
        (2, "note is longer than 10 characters"),
        (3, "opened is missing"),
        (4, "code 'KHH' appears again (first on line 3)"),
    ]
    assert parsed.rows == [] and [r["_line"] for r in parsed.refused] == [2, 3, 4]


def test_headings_not_the_sheets_are_named():
    with pytest.raises(FileProblem, match=r"offices!1: unknown column\(s\) opend; missing "
                       r"column\(s\) opened\. The columns are: code, opened"):  # fmt: skip
        OFFICES.parse(frame(["code", "opend"], ["TPE", "2014-01-01"]), "offices!1")


@pytest.mark.parametrize(("raw", "year"), [("2014", 2014), ("103", 2014), ("１０３", 2014)])
def test_a_fiscal_year_gregorian_or_roc(raw, year):
    assert a_year("year", raw) == year


def test_a_year_out_of_range_and_rates_and_lists_of_codes():
    with pytest.raises(ValueError, match="not a year from 1990 to 2100"):
        a_year("year", "1899")
    assert percent("rate", "7.5") == Decimal("7.5") and percent("rate", "10%") == Decimal(10)
    with pytest.raises(ValueError, match="more than two decimals"):
        percent("rate", "7.125")
    assert codes(CODE)("replaces", "TPE, KHH、TPE；TXG") == ("TPE", "KHH", "TXG")


def test_a_row_naming_a_refused_row_is_held_back():
    refused = Refused()
    refused.add(OFFICES, [{"code": "TPE"}])
    rows = [{"code": "TPE", "year": 2014, "_line": 2}, {"code": "KHH", "year": 2014, "_line": 3}]
    assert refused.hold_back(RENTS, rows) == [rows[1]]
    assert refused.held == 1 and ("TPE", 2014) in refused.keys["rents"]
