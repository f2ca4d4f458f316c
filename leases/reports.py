"""The rent-reduction report as a liaison hands it to the legislature: JSON, CSV and Excel.

Built with pandas; the workbook written with XlsxWriter. ROC year beside Gregorian, NT$ beside
NT$ thousand (rounded half up, as budget tables print 仟元), Chinese beside English."""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from leases.mandate import Status
from leases.schemas import RentReportOut, RentRowOut, RentTotalsOut, RuleOut
from leases.services import RentReport


def roc(year: int) -> int:
    return year - 1911


def thousands(amounts: pd.Series) -> pd.Series:
    """NT$ thousand, half away from zero as budget tables print 仟元 (1,306,500 -> 1,307;
    -1,500 -> -2), on whole-NT$ integers: no float ever rounds a figure."""
    return amounts.clip(-1, 1) * ((amounts.abs() + 500) // 1000)


def report_json(report: RentReport) -> RentReportOut:
    rule, t = report.rule, report.totals
    return RentReportOut(
        fiscal_year=report.fiscal_year,
        fiscal_year_roc=roc(report.fiscal_year),
        generated_on=report.generated_on,
        rule=RuleOut(
            rule.mode.value,
            rule.baseline_fiscal_year,
            roc(rule.baseline_fiscal_year),
            float(rule.rate_pct),
            rule.describe(),
            rule.describe_zh(),
        ),  # fmt: skip
        rows=[
            RentRowOut(
                r.site_code,
                r.name,
                r.name_zh,
                r.county,
                r.county_zh,
                r.reference_fiscal_year,
                r.baseline_rent_ntd,
                r.target_rent_ntd,
                r.actual_rent_ntd,
                r.actual_basis,
                r.reduction_ntd,
                r.reduction_pct,
                r.status,
                r.status.zh,
            )  # fmt: skip
            for r in report.rows
        ],
        totals=RentTotalsOut(
            offices=t.offices,
            assessed=t.assessed,
            baseline_rent_ntd=t.baseline_rent_ntd,
            target_rent_ntd=t.target_rent_ntd,
            actual_rent_ntd=t.actual_rent_ntd,
            savings_ntd=t.savings_ntd,
            met=t.counts["met"],
            not_met=t.counts["not_met"],
            no_baseline=t.counts["no_baseline"],
            ended=t.counts["ended"],
            met_or_ended=t.met_or_ended,
            share_met_pct=t.share_met_pct,
        ),  # fmt: skip
    )


def columns(report: RentReport) -> dict[str, str]:
    year, rule = report.fiscal_year, report.rule
    base = ("前一年度 previous year" if rule.mode.value == "year_on_year"
            else f"{roc(rule.baseline_fiscal_year)}年度 FY{rule.baseline_fiscal_year}")  # fmt: skip
    return {
        "no": "序號 No.",
        "site_code": "據點代碼 Site code",
        "name_zh": "據點名稱 Office",
        "name": "Office (English)",
        "county_zh": "縣市 County",
        "baseline": f"基準年租金(元) Baseline rent, {base} (NT$)",
        "target": f"目標租金(元) Target, {roc(year)}年度 FY{year} (NT$)",
        "actual": f"實付租金(元) Rent paid, {roc(year)}年度 FY{year} (NT$)",
        "reduction": "減少金額(元) Reduction (NT$)",
        "reduction_pct": "減少比率(%) Reduction (%)",
        "baseline_k": "基準年租金(千元) Baseline (NT$ thousand)",
        "target_k": "目標租金(千元) Target (NT$ thousand)",
        "actual_k": "實付租金(千元) Rent paid (NT$ thousand)",
        "reduction_k": "減少金額(千元) Reduction (NT$ thousand)",
        "status": "執行情形 Status",
    }


ROW_MONEY = {"baseline": "baseline_rent_ntd", "target": "target_rent_ntd",
             "actual": "actual_rent_ntd", "reduction": "reduction_ntd"}  # fmt: skip
"""The money columns (each also printed in NT$ thousand) and the row field each is read from."""
TOTAL_MONEY = ROW_MONEY | {"reduction": "savings_ntd"}
"""The same columns' fields in the totals."""


def report_frame(report: RentReport) -> pd.DataFrame:
    """One row per office and a totals row, built column by column (a dict per row costs more
    than the rest of the report at 100x)."""
    rows, t = report.rows, report.totals
    total_pct = round(t.savings_ntd * 100 / t.baseline_rent_ntd, 1) if t.baseline_rent_ntd else None
    frame = pd.DataFrame({
        "no": pd.array([*range(1, len(rows) + 1), None], dtype="Int64"),
        "site_code": [*(r.site_code for r in rows), ""],
        "name_zh": [*(r.name_zh for r in rows), "合計"],
        "name": [*(r.name for r in rows), "Total"],
        "county_zh": [*(r.county_zh for r in rows), ""],
        **{column: pd.array([*(getattr(r, field) for r in rows), getattr(t, TOTAL_MONEY[column])],
                            dtype="Int64")
           for column, field in ROW_MONEY.items()},
        "reduction_pct": [*(r.reduction_pct for r in rows), total_pct],
        "status": [*(f"{r.status.zh} {r.status}" for r in rows),
                   f"{Status.met.zh}或{Status.ended.zh} met or ended: "
                   f"{t.met_or_ended}/{t.assessed} ({t.share_met_pct}%)"],
    })  # fmt: skip
    for column in ROW_MONEY:
        frame[f"{column}_k"] = thousands(frame[column])
    return frame[list(columns(report))].rename(columns=columns(report))


def title_lines(report: RentReport) -> list[str]:
    year, rule = report.fiscal_year, report.rule
    generated = report.generated_on
    return [
        f"內政部入出國及移民署 {roc(year)}年度各廳舍租金降低執行情形 · "
        f"National Immigration Agency: rent reduction by office, FY{year}",
        f"適用規則 Rule applied: {rule.describe_zh()} · {rule.describe()} "
        f"(mode={rule.mode.value}, baseline FY{rule.baseline_fiscal_year}, rate {rule.rate_text}%)",
        f"產製日期 Generated: 民國{roc(generated.year)}年{generated.month}月{generated.day}日 "
        f"({generated.isoformat()}) · 金額單位 Amounts: 新臺幣元 NT$ and 千元 NT$ thousand",
    ]


TITLE_ROWS = 4
"""Title lines and one blank line above the table: read back with header=TITLE_ROWS."""


def report_csv(report: RentReport) -> bytes:
    buffer = io.StringIO()
    for line in title_lines(report):
        buffer.write(f'"{line}"\n')
    buffer.write("\n")
    report_frame(report).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


COLUMN_WIDTHS = (6, 10, 22, 34, 10, 16, 16, 16, 16, 10, 12, 12, 12, 12, 26)
MONEY_COLUMNS = (0, 5, 6, 7, 8, 10, 11, 12, 13)


def report_xlsx(report: RentReport) -> bytes:
    """The frame's rows written straight to XlsxWriter: pandas' `to_excel` first builds a styled
    cell object per value, which doubles the time at 100x."""
    buffer = io.BytesIO()
    frame = report_frame(report)
    # text stays text: a name like "=HYPERLINK(...)" is never written as a formula or a link
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})  # fmt: skip
    sheet = book.add_worksheet(f"{roc(report.fiscal_year)}年度 FY{report.fiscal_year}")
    bold = book.add_format({"bold": True})
    for row, line in enumerate(title_lines(report)):
        sheet.write(row, 0, line, bold if row == 0 else None)
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    sheet.write_row(TITLE_ROWS, 0, list(frame.columns), header)
    values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    for offset, row in enumerate(values, start=TITLE_ROWS + 1):
        sheet.write_row(offset, 0, row)
    money = book.add_format({"num_format": "#,##0"})
    for column, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(column, column, width, money if column in MONEY_COLUMNS else None)
    totals_row = TITLE_ROWS + len(frame)
    sheet.set_row(totals_row, None, book.add_format({"bold": True, "num_format": "#,##0"}))
    sheet.freeze_panes(TITLE_ROWS + 1, 2)
    book.close()
    return buffer.getvalue()
