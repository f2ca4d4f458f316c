"""The report's files carry every figure of the JSON: each column of each row, read back through
pandas, in the year-on-year reading and at a rate with a decimal; and the CLI's other formats.
(Every figure against the seed, the print setup and the rounding note: test_report_print.py.)"""

from __future__ import annotations

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
from click.testing import CliRunner

from facilities.cli import main
from tests.factories import ANY_VERSION

PARAMS = {"fiscal_year": 2014, "mode": "year_on_year", "rate": "7.5"}
# FY2014 is not closed on the seed's date (2014-06-30): its rent is the contracted rent
COLUMNS = {
    "baseline_rent_ntd": "基準年租金(元) Baseline rent, 前一年度 previous year (NT$)",
    "target_rent_ntd": "目標租金(元) Target, 103年度 FY2014 (NT$)",
    "actual_rent_ntd": "契約租金(元) Contracted rent, 103年度 FY2014 (NT$)",
    "reduction_ntd": "減少金額(元) Reduction (NT$)",
}
THOUSANDS = {
    "baseline_rent_ntd": "基準年租金(千元) Baseline (NT$ thousand)",
    "target_rent_ntd": "目標租金(千元) Target (NT$ thousand)",
    "actual_rent_ntd": "契約租金(千元) Contracted rent (NT$ thousand)",
    "reduction_ntd": "減少金額(千元) Reduction (NT$ thousand)",
}
LABELS = {"met": "達成 met", "not_met": "未達成 not met", "no_baseline": "無基準年租金 no baseline",
          "ended": "已遷出租賃廳舍 left rented space"}  # fmt: skip
TOTALS = {"baseline_rent_ntd": "baseline_rent_ntd", "target_rent_ntd": "target_rent_ntd",
          "actual_rent_ntd": "actual_rent_ntd", "reduction_ntd": "savings_ntd"}  # fmt: skip


def thousand(amount: int) -> int:
    """Half up, as a budget table prints 仟元: 1,306,500 -> 1,307."""
    return int((Decimal(amount) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def in_thousands(figures: dict) -> dict:
    """Each figure rounded to the thousand; the reduction the difference of the rounded
    baseline and rent, as the reader sees them (changed by issue 17: it was rounded alone)."""
    out = {key: thousand(figures[key]) for key in COLUMNS}
    out["reduction_ntd"] = out["baseline_rent_ntd"] - out["actual_rent_ntd"]
    return out


def check_table(table: pd.DataFrame, body: dict) -> None:
    rows = {r["site_code"]: r for r in body["rows"]}
    assert len(table) == len(rows) + 1 == 35
    for _, line in table.iloc[:-1].iterrows():
        row = rows[line["據點代碼 Site code"]]
        for key, heading in COLUMNS.items():
            assert int(line[heading]) == row[key], (row["site_code"], key)
            assert int(line[THOUSANDS[key]]) == in_thousands(row)[key], (row["site_code"], key)
        # Chinese with the English words beside it (changed by issue 17: "未達成 not_met")
        assert line["執行情形 Status"] == LABELS[row["status"]]
    total = table.iloc[-1]
    assert (total["據點名稱 Office"], total["Office (English)"]) == ("合計", "Total")
    totals = {key: body["totals"][TOTALS[key]] for key in COLUMNS}
    for key, heading in COLUMNS.items():
        assert int(total[heading]) == totals[key]
        assert int(total[THOUSANDS[key]]) == in_thousands(totals)[key]


def test_every_figure_of_the_workbook_reads_back(client):
    body = client.get("/api/v1/reports/rent-reduction", params=PARAMS).json()
    xlsx = client.get(
        "/api/v1/reports/rent-reduction",
        params=PARAMS,
        headers={"accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert xlsx.status_code == 200
    assert "year_on_year" in xlsx.headers["content-disposition"]
    book = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None, header=4, nrows=35)
    assert list(book) == ["103年度 FY2014"]
    check_table(book["103年度 FY2014"], body)
    rule_line = pd.read_excel(io.BytesIO(xlsx.content), header=None, nrows=3)[0][1]
    assert "前一年度租金減少7.5%" in rule_line and "mode=year_on_year" in rule_line


def test_every_figure_of_the_csv_reads_back(client):
    body = client.get("/api/v1/reports/rent-reduction", params=PARAMS).json()
    csv = client.get("/api/v1/reports/rent-reduction", params=PARAMS | {"format": "csv"})
    assert csv.content[:3] == b"\xef\xbb\xbf"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "103年度" in lines[0] and "FY2014" in lines[0]
    assert "rate 7.5%" in lines[1]
    assert "2014-06-30" in lines[2] and "千元" in lines[2]
    table = pd.read_csv(io.BytesIO(csv.content), skiprows=4, nrows=35, encoding="utf-8-sig")
    check_table(table, body)


def test_the_command_line_writes_csv_and_json_with_the_rule_asked(settings, tmp_path, client):
    env = {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_AS_OF": "2014-06-30",
           "FACILITIES_DATA_DIR": str(settings.data_dir)}  # fmt: skip
    base = ["report", "rent-reduction", "--fiscal-year", "2014"]
    out = tmp_path / "fy2014.json"
    result = CliRunner().invoke(
        main, [*base, "--format", "json", "--mode", "year_on_year", "--rate", "7.5",
               "--out", str(out)], env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_bytes()) == client.get(
        "/api/v1/reports/rent-reduction", params=PARAMS).json()  # fmt: skip
    out = tmp_path / "fy2014.csv"
    result = CliRunner().invoke(main, [*base, "--format", "csv", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "據點代碼 Site code" in out.read_text(encoding="utf-8-sig")
    for bad, words in ((["--rate", "101"], "--rate"), (["--mode", "sometimes"], "--mode")):
        result = CliRunner().invoke(main, [*base, *bad, "--out", str(tmp_path / "x")], env=env)
        assert result.exit_code == 2 and words in result.output
        assert not (tmp_path / "x").exists()


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(client):
    name = '=HYPERLINK("http://example.com","x")'
    assert (
        client.patch("/api/v1/sites/KEE-SS", json={"name": name}, headers=ANY_VERSION).status_code
        == 200
    )
    xlsx = client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014,
                                                                 "format": "xlsx"})  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == name]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert sheet.cell(row=cells[0].row, column=1).value == 1 + sorted(
        r["site_code"] for r in client.get(
            "/api/v1/reports/rent-reduction", params={"fiscal_year": 2014}).json()["rows"]
    ).index("KEE-SS")  # fmt: skip
