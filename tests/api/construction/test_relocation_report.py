"""What moving saves, with what each center costs: the cost is the budget of the project that
builds the center (seed/projects.csv, read here), to the dollar, and the payback is that cost
over the rent the center avoids, computed here with Fraction; the same figures in JSON, CSV,
XLSX and from the command line."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import openpyxl
import pandas as pd
from click.testing import CliRunner

from facilities.cli import main
from facilities.core.settings import Settings
from tests.api.leases.seedfiles import read, rents

SEED = Settings().seed_dir
URL = "/api/v1/reports/relocation-savings"
TOTAL_BUDGET = 2_677_457_000  # the 9 centers' estimate in the FY2014 budget documents
HEADER_ROW = 5


def budgets() -> dict[str, tuple[str, int]]:
    """Center key -> (project code, budget), from the projects' seed file."""
    with open(SEED / "projects.csv", encoding="utf-8") as f:
        return {r["lease_center_key"]: (r["code"], int(r["budget_total_ntd"]))
                for r in csv.DictReader(f) if r["lease_center_key"]}  # fmt: skip


def payback(cost: int, rent: int) -> float | None:
    if not rent:
        return None
    exact = Fraction(cost, rent)
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected() -> dict[str, dict]:
    """Each center's rent avoided in FY2014 (its offices' recorded rents), cost and payback."""
    paid = rents()
    offices: dict[str, list[str]] = {}
    for row in read("lease_replacements.csv"):
        offices.setdefault(row["center_key"], []).append(row["site_code"])
    out = {}
    for key, (code, cost) in budgets().items():
        rent = sum(paid[site][2014] for site in offices.get(key, []))
        out[key] = {"project": code, "cost": cost, "rent": rent, "payback": payback(cost, rent)}
    return out


def test_each_centers_cost_and_payback_agree_with_the_budgets_to_the_dollar(client):
    body = client.get(URL, params={"fiscal_year": 2014}).json()
    want = expected()
    assert len(want) == 9 and sum(c["cost"] for c in want.values()) == TOTAL_BUDGET
    centers = {c["center_key"]: c for c in body["centers"]}
    assert set(centers) == set(want)
    for key, center in centers.items():
        assert center["project_codes"] == [want[key]["project"]], key
        assert center["cost_ntd"] == want[key]["cost"], key
        assert center["annual_rent_avoided_ntd"] == want[key]["rent"], key
        assert center["payback_years"] == want[key]["payback"], key
    # by hand: Taipei City costs 420,000,000 and avoids 5,674,000 + 2,108,000 = 7,782,000 a
    # year: 53.97 -> 54.0 years; the airport's center avoids no rent: no payback
    assert (centers["taipei-city"]["cost_ntd"], centers["taipei-city"]["payback_years"]) == (
        420_000_000, 54.0)  # fmt: skip
    assert centers["taoyuan-airport"]["payback_years"] is None
    assert body["total_cost_ntd"] == TOTAL_BUDGET
    rent = sum(c["rent"] for c in want.values())
    assert body["total_annual_rent_avoided_ntd"] == rent
    assert body["payback_years"] == payback(TOTAL_BUDGET, rent)
    assert "budget" in body["basis"] and "工程計畫之總經費" in body["basis_zh"]


def center_lines(table: pd.DataFrame) -> dict[str, pd.Series]:
    return {line["代碼 Code"]: line for _, line in table.iterrows()
            if line["類別 Row"] == "中心 center"}  # fmt: skip


def check_file_table(table: pd.DataFrame) -> None:
    want = expected()
    lines = center_lines(table)
    assert set(lines) == set(want)
    cost, years = "中心經費(元) Center's cost (NT$)", "回收年限(年) Simple payback (years)"
    rent = "每年可省租金(元) Annual rent avoided (NT$)"
    for key, line in lines.items():
        assert int(line[cost]) == want[key]["cost"], key
        assert int(line[rent]) == want[key]["rent"], key
        if want[key]["payback"] is None:
            assert pd.isna(line[years]), key
        else:
            assert float(line[years]) == want[key]["payback"], key
    paid = rents()
    for _, line in table[table["類別 Row"] == "據點 office"].iterrows():
        assert int(line[rent]) == paid[line["代碼 Code"]][2014]
    total = table.iloc[-1]
    assert total["類別 Row"] == "合計 total"
    assert int(total[cost]) == TOTAL_BUDGET
    assert int(total[rent]) == sum(c["rent"] for c in want.values())
    assert float(total[years]) == payback(TOTAL_BUDGET, sum(c["rent"] for c in want.values()))


def test_the_csv_has_the_same_costs_and_paybacks(client):
    response = client.get(URL, params={"fiscal_year": 2014, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "relocation-savings-FY2014.csv" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert "103年度" in text.splitlines()[0] and "計算基礎 Basis" in text.splitlines()[1]
    table = pd.read_csv(io.StringIO(text), skiprows=4)
    check_file_table(table)
    # whole dollars stay whole in the CSV (no "420000000.0")
    assert ",420000000," in text


def test_the_workbook_has_the_same_costs_and_paybacks_and_prints_landscape(client):
    response = client.get(URL, params={"fiscal_year": 2014},
                          headers={"accept": "application/vnd.openxmlformats-officedocument"
                                             ".spreadsheetml.sheet"})  # fmt: skip
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    check_file_table(pd.read_excel(io.BytesIO(response.content), header=HEADER_ROW - 1))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"$1:${HEADER_ROW}"
    at = {c.value: c.column for c in sheet[HEADER_ROW]}
    cost, years = at["中心經費(元) Center's cost (NT$)"], at["回收年限(年) Simple payback (years)"]
    first = sheet.cell(HEADER_ROW + 1, cost)
    assert (first.value, first.number_format) == (420_000_000, "#,##0")
    assert sheet.cell(HEADER_ROW + 1, years).number_format == "0.0"


def test_the_command_line_writes_the_report(settings, tmp_path, client):
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_AS_OF": "2014-06-30",
           "FACILITIES_DATA_DIR": str(settings.data_dir)}  # fmt: skip
    out = tmp_path / "savings.json"
    result = CliRunner().invoke(main, ["report", "relocation-savings", "--fiscal-year", "2014",
                                       "--format", "json", "--out", str(out)], env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "NT$2,677,457,000" in result.output
    assert json.loads(out.read_bytes()) == client.get(URL, params={"fiscal_year": 2014}).json()
    out = tmp_path / "savings.xlsx"
    result = CliRunner().invoke(main, ["report", "relocation-savings", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    check_file_table(pd.read_excel(out, header=HEADER_ROW - 1))


def test_a_liaison_reads_every_format(client_as):
    liaison = client_as("liaison")
    for fmt in ("json", "csv", "xlsx"):
        response = liaison.get(URL, params={"fiscal_year": 2014, "format": fmt})
        assert response.status_code == 200, (fmt, response.text)
    bad = liaison.get(URL, params={"fiscal_year": 2014, "format": "pdf"})
    assert bad.status_code == 400 and "format" in bad.json()["detail"]
