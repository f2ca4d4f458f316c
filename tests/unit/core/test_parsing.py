"""Dates, figures and headings as staff in Taiwan write them: what every import reads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from facilities.core.parsing import (
    DATE_FORMS,
    cell_text,
    heading_fields,
    in_thousands,
    normalize,
    parse_amount,
    parse_date,
    parse_number,
)

JUNE_30 = date(2014, 6, 30)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2014-06-30", JUNE_30),
        ("2014/6/30", JUNE_30),
        ("2014/7/1", date(2014, 7, 1)),
        ("2014.06.30", JUNE_30),
        ("103/06/30", JUNE_30),
        ("103.6.30", JUNE_30),
        ("103-6-30", JUNE_30),
        ("99/12/31", date(2010, 12, 31)),
        ("民國103年6月30日", JUNE_30),
        ("103年6月30日", JUNE_30),
        ("民國 103 年 6 月 30 日", JUNE_30),
        ("民國103/06/30", JUNE_30),
        ("2014年6月30日", JUNE_30),
        ("１０３／６／３０", JUNE_30),  # full-width, as a Chinese input method types them
        ("2014-06-30 00:00:00", JUNE_30),  # a date cell of a workbook, read as text
        ("  103/06/30 ", JUNE_30),
        ("113/2/29", date(2024, 2, 29)),
    ],
)
def test_dates_in_every_form_staff_write(written, expected):
    assert parse_date(written) == expected


def test_an_roc_year_is_the_gregorian_less_1911_on_every_day_of_a_year():
    day = date(2014, 1, 1)
    while day.year == 2014:
        roc = f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"
        assert parse_date(roc) == day
        assert parse_date(f"民國{day.year - 1911}年{day.month}月{day.day}日") == day
        day += timedelta(1)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("30/06/2014", f"is not a date: write it as {DATE_FORMS}"),
        ("June 30, 2014", f"is not a date: write it as {DATE_FORMS}"),
        ("2014-06", f"is not a date: write it as {DATE_FORMS}"),
        ("103/06.30", f"is not a date: write it as {DATE_FORMS}"),
        ("2014-06-30 13:05:00", f"is not a date: write it as {DATE_FORMS}"),
        ("", f"is not a date: write it as {DATE_FORMS}"),
        ("0/06/30", "a year is 4 digits (2014) or an ROC year of up to 3 (103)"),
        ("02014/06/30", "a year is 4 digits (2014) or an ROC year of up to 3 (103)"),
        ("民國2014年6月30日", "a year is 4 digits (2014) or an ROC year of up to 3 (103)"),
        ("103/13/01", "there is no month 13"),
        ("103/02/29", "February 2014 has days 1 to 28"),
        ("2014-04-31", "April 2014 has days 1 to 30"),
    ],
)
def test_a_bad_date_is_refused_naming_the_forms_read(written, reason):
    with pytest.raises(ValueError) as refused:
        parse_date(written)
    assert str(refused.value).startswith(f"'{written}' is not a date")
    assert reason in str(refused.value)


def test_the_forms_named_in_the_error_are_all_read():
    examples = DATE_FORMS.replace(" or ", ", ").split(", ")
    assert len(examples) == 5
    assert all(parse_date(example) for example in examples)


def test_numbers_with_and_without_thousands_separators():
    assert parse_number("1,234,567") == 1234567
    assert parse_number("1234567") == 1234567
    assert parse_number("-24.15") == Decimal("-24.15")
    assert parse_number("１，２３４") == 1234
    for bad in ("1,23,456", "12,34", "1.234,5", "1 234", "north", "", "1e3"):
        with pytest.raises(ValueError, match="is not a number"):
            parse_number(bad)


def test_amounts_in_ntd_and_in_ntd_thousand():
    assert parse_amount("1,234,567") == 1_234_567
    assert parse_amount("NT$1,234,567") == 1_234_567
    assert parse_amount("1234567.00") == 1_234_567
    assert parse_amount("1,307", thousands=True) == 1_307_000
    assert parse_amount("1,306.5", thousands=True) == 1_306_500
    assert parse_amount("237,396.755", thousands=True) == 237_396_755
    with pytest.raises(ValueError, match=r"not a whole number of NT\$ \(the column is in NT\$\)"):
        parse_amount("1,306.5")
    with pytest.raises(ValueError, match=r"the column is in NT\$ thousand \(仟元\)"):
        parse_amount("1.0005", thousands=True)
    with pytest.raises(ValueError, match=r"'12 萬' is not an amount in NT\$: write digits"):
        parse_amount("12 萬")


def test_a_column_is_in_thousands_only_when_its_heading_says_so():
    assert in_thousands("實付租金(仟元) Rent paid")
    assert in_thousands("基準年租金(千元) Baseline (NT$ thousand)")
    assert in_thousands("Rent (nt$ THOUSAND)")
    assert in_thousands("預算數（仟元）")
    assert not in_thousands("實付租金(元) Rent paid (NT$)")
    assert not in_thousands("rent_ntd")


def test_headings_in_english_chinese_or_both():
    fields = heading_fields({"code": "代碼", "floor_area_m2": "樓地板面積(平方公尺)"})
    for heading in ("code", "代碼", "代碼 code", " 代碼\ncode "):
        assert fields.get(normalize(heading)) == "code"
    assert fields[normalize("樓地板面積（平方公尺） floor_area_m2")] == "floor_area_m2"
    assert normalize("Code") not in fields


def test_spreadsheet_cells_as_the_text_a_person_sees():
    assert cell_text(datetime(2014, 6, 30)) == "2014-06-30"
    assert cell_text(JUNE_30) == "2014-06-30"
    assert cell_text(datetime(2014, 6, 30, 13, 5)) == "2014-06-30 13:05:00"
    assert cell_text(300.0) == "300" and cell_text(24.15) == "24.15" and cell_text(300) == "300"
    assert cell_text(None) == "" and cell_text(float("nan")) == "" and cell_text(" x ") == "x"
    assert cell_text(True) == "True"
