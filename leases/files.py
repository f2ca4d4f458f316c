"""The rent-reduction report as a liaison hands it to the legislature: CSV and Excel, through
the product's one file writer. ROC year beside Gregorian, NT$ beside NT$ thousand (rounded
half away from zero, as budget tables print 仟元), Chinese beside English."""

from __future__ import annotations

from facilities.core.files import MONEY_FORMAT, Column, Table, csv_bytes, xlsx_bytes
from facilities.core.money import pct, thousands
from facilities.core.roc import roc_year
from leases.rules import Status
from leases.services import RentReport


def headings(report: RentReport) -> list[Column]:
    year, rule = report.fiscal_year, report.rule
    baseline = rule.baseline_fiscal_year
    base = ("前一年度 previous year" if rule.mode.value == "year_on_year"
            else f"{roc_year(baseline)}年度 FY{baseline}")  # fmt: skip
    roc = roc_year(year)
    money = {"width": 16, "number_format": MONEY_FORMAT}
    thousand = {"width": 12, "number_format": MONEY_FORMAT}
    return [
        Column("序號 No.", 6, MONEY_FORMAT),
        Column("據點代碼 Site code", 10),
        Column("據點名稱 Office", 22),
        Column("Office (English)", 34),
        Column("縣市 County", 10),
        Column(f"基準年租金(元) Baseline rent, {base} (NT$)", **money),
        Column(f"目標租金(元) Target, {roc}年度 FY{year} (NT$)", **money),
        Column(f"實付租金(元) Rent paid, {roc}年度 FY{year} (NT$)", **money),
        Column("減少金額(元) Reduction (NT$)", **money),
        Column("減少比率(%) Reduction (%)", 10),
        Column("基準年租金(千元) Baseline (NT$ thousand)", **thousand),
        Column("目標租金(千元) Target (NT$ thousand)", **thousand),
        Column("實付租金(千元) Rent paid (NT$ thousand)", **thousand),
        Column("減少金額(千元) Reduction (NT$ thousand)", **thousand),
        Column("執行情形 Status", 26),
    ]


def _k(amount: int | None) -> int | None:
    return thousands(amount) if amount is not None else None


def rows(report: RentReport) -> list[list]:
    """One row per office, then the totals row."""
    out = []
    for n, r in enumerate(report.rows, start=1):
        money = (r.baseline_rent_ntd, r.target_rent_ntd, r.actual_rent_ntd, r.reduction_ntd)
        out.append([n, r.site_code, r.name_zh, r.name, r.county_zh, *money, r.reduction_pct,
                    *(_k(m) for m in money), f"{r.status.zh} {r.status}"])  # fmt: skip
    t = report.totals
    money = (t.baseline_rent_ntd, t.target_rent_ntd, t.actual_rent_ntd, t.savings_ntd)
    status = (f"{Status.met.zh}或{Status.ended.zh} met or ended: "
              f"{t.met_or_ended}/{t.assessed} ({t.share_met_pct}%)")  # fmt: skip
    out.append([None, "", "合計", "Total", "", *money, pct(t.savings_ntd, t.baseline_rent_ntd),
                *(_k(m) for m in money), status])  # fmt: skip
    return out


def title_lines(report: RentReport) -> list[str]:
    year, rule = report.fiscal_year, report.rule
    generated = report.generated_on
    return [
        f"內政部入出國及移民署 {roc_year(year)}年度各廳舍租金降低執行情形 · "
        f"National Immigration Agency: rent reduction by office, FY{year}",
        f"適用規則 Rule applied: {rule.describe_zh()} · {rule.describe()} "
        f"(mode={rule.mode.value}, baseline FY{rule.baseline_fiscal_year}, rate {rule.rate_text}%)",
        f"產製日期 Generated: 民國{roc_year(generated.year)}年{generated.month}月{generated.day}日 "
        f"({generated.isoformat()}) · 金額單位 Amounts: 新臺幣元 NT$ and 千元 NT$ thousand",
        *([report.year_note] if report.year_note else []),
    ]


TITLE_ROWS = 4
"""Title lines and one blank line above the table: read back with header=TITLE_ROWS."""


def report_table(report: RentReport) -> Table:
    return Table(
        name=f"{roc_year(report.fiscal_year)}年度 FY{report.fiscal_year}",
        columns=headings(report), rows=rows(report), title_lines=title_lines(report),
        total_rows=1, frozen_columns=2,
    )  # fmt: skip


def report_csv(report: RentReport) -> bytes:
    return csv_bytes(report_table(report))


def report_xlsx(report: RentReport) -> bytes:
    return xlsx_bytes(report_table(report))
