"""The workbook as the legislature reads it: read back with openpyxl for its print setup, number
formats, widths, Chinese status labels and the rounding note, and with pandas for every figure,
each computed again here from the seed files (seedfiles.py) without the product's code."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest

from tests.api.leases.seedfiles import expected_rows, expected_totals
from tests.factories import leased_office

XLSX = "/api/v1/reports/rent-reduction"
HEADER_ROW = 5  # three title lines and a blank line above the headings (1-based)
LABELS = {"met": "達成 met", "not_met": "未達成 not met", "no_baseline": "無基準年租金 no baseline",
          "ended": "已遷出租賃廳舍 left rented space"}  # fmt: skip
MONEY = ("基準年租金(元)", "目標租金(元)", "契約租金(元)", "減少金額(元)")
THOUSAND = ("基準年租金(千元)", "目標租金(千元)", "契約租金(千元)", "減少金額(千元)")
KEYS = ("baseline_rent_ntd", "target_rent_ntd", "actual_rent_ntd", "reduction_ntd")
NOTE = "因四捨五入，總數與細數之和容有未合"


def half_up(value: Fraction, places: int = 0) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def k(amount: int) -> int:
    return int(half_up(Fraction(amount, 1000)))


def in_thousands(figures: dict) -> dict:
    out = {key: k(figures[key]) for key in KEYS[:3]}
    out["reduction_ntd"] = out["baseline_rent_ntd"] - out["actual_rent_ntd"]
    return out


def get_xlsx(client, **params) -> bytes:
    response = client.get(XLSX, params={"fiscal_year": 2014, "format": "xlsx"} | params)
    assert response.status_code == 200, response.text
    return response.content


def column(frame: pd.DataFrame, starts: str) -> str:
    (name,) = [c for c in frame.columns if c.startswith(starts)]
    return name


def headings(sheet) -> dict[str, int]:
    """Heading -> 1-based column."""
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}


def test_the_workbook_prints_on_a4_landscape_as_a_budget_table(client):
    sheet = openpyxl.load_workbook(io.BytesIO(get_xlsx(client))).worksheets[0]
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)  # one page wide, any tall
    assert sheet.print_title_rows == f"$1:${HEADER_ROW}"  # title and headings on every page
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header.left.text == "內政部入出國及移民署 National Immigration Agency"
    assert "103年度各廳舍租金降低執行情形" in header.right.text and "FY2014" in header.right.text
    assert footer.center.text == "第 &P 頁，共 &N 頁 Page &P of &N"
    assert "民國103年6月30日" in footer.left.text and "2014-06-30" in footer.left.text
    # the rule stated at the top, how part years count included, in both languages
    rule = sheet["A2"].value
    assert "各廳舍年租金不得高於102年度租金減少10%" in rule and "FY2013 rent less 10%" in rule
    assert "按租用日數換算全年租金" in rule and "annualised by days" in rule
    assert "租金欄為全年契約租金" in sheet["A3"].value
    assert "the rent column is the year's contracted rent" in sheet["A3"].value


def test_number_formats_widths_and_status_labels(client):
    sheet = openpyxl.load_workbook(io.BytesIO(get_xlsx(client))).worksheets[0]
    at = headings(sheet)
    rows = range(HEADER_ROW + 1, HEADER_ROW + 36)  # 34 offices and the totals row
    money = [c for h, c in at.items() if h.startswith(MONEY + THOUSAND)]
    assert len(money) == 8
    (share,) = [c for h, c in at.items() if h.startswith("減少比率(%)")]
    (status,) = [c for h, c in at.items() if h.startswith("執行情形")]
    for r in rows:
        for c in money:
            cell = sheet.cell(r, c)
            assert (cell.number_format, type(cell.value)) == ("#,##0", int), cell.coordinate
        assert sheet.cell(r, share).number_format == "0.0"
    assert sheet.cell(rows[-1], 3).value == "合計" and sheet.cell(rows[-1], 3).font.b
    # every figure fits its column as `#,##0` shows it
    for c in [*money, share]:
        letter = sheet.cell(HEADER_ROW, c).column_letter
        widest = max(len(f"{sheet.cell(r, c).value:,}") for r in rows)
        assert sheet.column_dimensions[letter].width >= widest + 1, letter
    labels = [sheet.cell(r, status).value for r in rows[:-1]]
    assert set(labels) == {LABELS["met"], LABELS["not_met"]}
    assert not [v for row in sheet.iter_rows(values_only=True) for v in row
                if isinstance(v, str) and ("not_met" in v or "no_baseline" in v)]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "mode", "rate", "baseline_year", "part_year"),
    [
        ({}, "one_off", Fraction(10), 2013, "annualise"),
        ({"mode": "year_on_year", "rate": "7.5"}, "year_on_year", Fraction(15, 2), 2013,
         "annualise"),
        ({"baseline_fiscal_year": 2012}, "one_off", Fraction(10), 2012, "annualise"),
    ],
)  # fmt: skip
def test_every_figure_of_the_workbook_equals_one_computed_by_hand(
    client, params, mode, rate, baseline_year, part_year
):
    content = get_xlsx(client, **params)
    table = pd.read_excel(io.BytesIO(content), header=HEADER_ROW - 1, nrows=35)
    expected = expected_rows(2014, mode, rate, baseline_year, part_year)
    money = {key: column(table, h) for key, h in zip(KEYS, MONEY, strict=True)}
    thousand = {key: column(table, h) for key, h in zip(KEYS, THOUSAND, strict=True)}
    share, status = column(table, "減少比率(%)"), column(table, "執行情形")
    offices = table.iloc[:-1]
    assert list(offices["序號 No."]) == list(range(1, 35))
    assert list(offices["據點代碼 Site code"]) == sorted(expected)
    for _, line in offices.iterrows():
        want = expected[line["據點代碼 Site code"]]
        assert {key: int(line[money[key]]) for key in KEYS} == {key: want[key] for key in KEYS}
        assert {key: int(line[thousand[key]]) for key in KEYS} == in_thousands(want)
        exact = Fraction(want["reduction_ntd"] * 100, want["baseline_rent_ntd"])
        assert Decimal(str(line[share])) == half_up(exact, 1)
        assert line[status] == LABELS[want["status"]]
    totals = expected_totals(expected)
    total = table.iloc[-1]
    sums = {"baseline_rent_ntd": totals["baseline_rent_ntd"],
            "target_rent_ntd": totals["target_rent_ntd"],
            "actual_rent_ntd": totals["actual_rent_ntd"],
            "reduction_ntd": totals["savings_ntd"]}  # fmt: skip
    assert {key: int(total[money[key]]) for key in KEYS} == sums
    assert {key: int(total[thousand[key]]) for key in KEYS} == in_thousands(sums)
    exact = Fraction(sums["reduction_ntd"] * 100, sums["baseline_rent_ntd"])
    assert Decimal(str(total[share])) == half_up(exact, 1)


def test_a_reduction_in_thousands_is_the_difference_of_the_rounded_figures(client):
    leased_office(client, "TEST-ODD", [{"start_date": "2010-01-01", "end_date": "2016-12-31"}],
                  {2013: 1_000_500, 2014: 900_400})  # fmt: skip
    table = pd.read_excel(io.BytesIO(get_xlsx(client)), header=HEADER_ROW - 1, nrows=36)
    line = table[table["據點代碼 Site code"] == "TEST-ODD"].iloc[0]
    # 1,000,500 -> 1,001 (half away from zero, not half to even); target floor(900,450) =
    # 900,450 -> 900; 900,400 -> 900; the reduction 100,100 would round to 100 alone, but the
    # reader sees 1,001 - 900 = 101
    assert [int(line[column(table, h)]) for h in THOUSAND] == [1_001, 900, 900, 101]
    assert int(line[column(table, "減少金額(元)")]) == 100_100


def differing(expected: dict) -> list[str]:
    """The thousand columns whose rounded rows do not add up to the rounded total."""
    rows = [in_thousands(r) for r in expected.values()]
    totals = expected_totals(expected)
    total = in_thousands({"baseline_rent_ntd": totals["baseline_rent_ntd"],
                          "target_rent_ntd": totals["target_rent_ntd"],
                          "actual_rent_ntd": totals["actual_rent_ntd"]})  # fmt: skip
    names = ("Baseline", "Target", "Contracted rent", "Reduction")
    return [
        n for n, key in zip(names, KEYS, strict=True) if sum(r[key] for r in rows) != total[key]
    ]


def notes(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [v for (v,) in sheet.iter_rows(min_row=HEADER_ROW + 36, max_col=1, values_only=True)
            if v]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "rate", "mode"),
    [({}, Fraction(10), "one_off"), ({"rate": "7.5"}, Fraction(15, 2), "one_off"),
     ({"rate": 0}, Fraction(0), "one_off"), ({"rate": 12, "mode": "year_on_year"}, Fraction(12),
                                            "year_on_year")],
)  # fmt: skip
def test_the_rounding_note_stands_where_the_rounded_rows_and_total_differ(
    client, params, rate, mode
):
    differ = differing(expected_rows(2014, mode, rate))
    content = get_xlsx(client, **params)
    found = [n for n in notes(content) if NOTE in n]
    body = client.get(XLSX, params={"fiscal_year": 2014} | params).json()
    assert body["thousands_differ"] == differ
    if not differ:
        assert found == []
        return
    assert found == [f"註：{NOTE}。Note: figures in NT$ thousand are each rounded half away "
                     f"from zero, so a total may differ from the sum of its rows "
                     f"({', '.join(differ)})."]  # fmt: skip
    csv = client.get(XLSX, params={"fiscal_year": 2014, "format": "csv"} | params)
    assert csv.content.decode("utf-8-sig").splitlines()[-1] == f'"{found[0]}"'


def test_fy2014_targets_in_thousands_add_to_70686_against_a_total_of_70685(client):
    """The issue's own example: the note is there, and only the target column differs."""
    table = pd.read_excel(io.BytesIO(get_xlsx(client)), header=HEADER_ROW - 1, nrows=35)
    target = column(table, "目標租金(千元)")
    assert (table[target].iloc[:-1].sum(), table[target].iloc[-1]) == (70_686, 70_685)
    assert differing(expected_rows(2014)) == ["Target"]
    assert len([n for n in notes(get_xlsx(client)) if NOTE in n]) == 1


def test_a_closed_year_is_headed_rent_paid(client_as):
    """FY2014 read in March 2015: the year is closed, its recorded rent is rent paid."""
    client = client_as("liaison", on=date(2015, 3, 1))
    body = client.get(XLSX, params={"fiscal_year": 2014}).json()
    content = get_xlsx(client)
    assert body["rent_column"]["basis"] == "paid"
    assert {r["actual_basis"] for r in body["rows"]} == {"paid"}
    table = pd.read_excel(io.BytesIO(content), header=HEADER_ROW - 1, nrows=35)
    assert "實付租金(元) Rent paid, 103年度 FY2014 (NT$)" in table.columns
    assert set(table["租金依據 Rent basis"].iloc[:-1]) == {"實付 paid"}
    assert "103年度已結束，租金欄為實付租金" in pd.read_excel(
        io.BytesIO(content), header=None, nrows=3)[0][2]  # fmt: skip
