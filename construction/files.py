"""The projects as a spreadsheet: each project's headline burn on a date, worst first, as the
executives and liaisons hand it on; and what moving saves (each new center's rent avoided, its
cost and its payback), printed as a budget table."""

from __future__ import annotations

from datetime import date

from construction.services import CenterCase, Headline, RelocationReport
from facilities.core.files import (
    MONEY_FORMAT,
    ONE_DECIMAL,
    Column,
    PrintSetup,
    Table,
    csv_bytes,
    xlsx_bytes,
)  # fmt: skip
from facilities.core.roc import roc_date, roc_year

COLUMNS = [
    Column("計畫代碼 Project", 10), Column("計畫名稱 Name", 30), Column("Name (English)", 40),
    Column("經費(元) Budget (NT$)", 16, MONEY_FORMAT), Column("燈號 Status", 8),
    Column("時程(%) Schedule used", 10), Column("進度(%) Work done", 10),
    Column("經費(%) Budget spent", 10), Column("SPI(t)", 8), Column("CPI", 8),
    Column("預定完工 Planned finish", 14), Column("預估完工 Forecast finish", 14),
    Column("說明 Reasons", 60),
]  # fmt: skip


def projects_table(heads: list[Headline], as_of: date) -> Table:
    rows = [
        [h.project.code, h.project.name_zh, h.project.name, h.project.budget_total_ntd,
         h.burn.status, h.burn.schedule_used_pct, h.burn.work_done_pct, h.burn.budget_burn_pct,
         h.burn.spi_t, h.burn.earned_value.cpi, h.burn.planned_finish.isoformat(),
         h.burn.forecast_finish.isoformat(), "; ".join(h.burn.reasons)]
        for h in heads
    ]  # fmt: skip
    title = [f"工程計畫執行情形 Construction projects · {roc_date(as_of)} ({as_of.isoformat()})"]
    return Table("projects", COLUMNS, rows, title_lines=title, frozen_columns=1)


AGENCY = "內政部入出國及移民署 National Immigration Agency"
BASIS_ZH = {"paid": "實付 paid", "contracted": "契約 contracted", "none": "已無租金 none"}
PROVENANCE = {"illustrative": "示意 illustrative", "budget_fy2014": "預算書 budget_fy2014"}


def relocation_basis(report: RelocationReport) -> tuple[str, str]:
    """How the report's figures are made, in Chinese and in English."""
    year = report.fiscal_year
    held = "rent paid" if year < report.as_of.year else "contracted rent (the year is not closed)"
    return (
        f"每年可省租金為各取代據點{roc_year(year)}年度租金（年度未結束者為契約租金），已遷出租賃廳舍者"
        "為0；中心經費為其工程計畫之總經費；回收年限＝中心經費÷每年可省租金（四捨五入至小數1位）",
        f"Annual rent avoided: each replaced office's FY{year} {held}, 0 once it has left rented "
        "space; a center's cost: the total budget of the construction project that builds it; "
        "simple payback = cost / annual rent avoided, in years to one decimal.",
    )


RELOCATION_COLUMNS = [
    Column("類別 Row", 8), Column("代碼 Code", 12), Column("名稱 Name", 22, wrap=True),
    Column("Name (English)", 30, wrap=True), Column("計畫代碼 Project", 10),
    Column("每年可省租金(元) Annual rent avoided (NT$)", 14, MONEY_FORMAT),
    Column("租金依據 Rent basis", 12, wrap=True),
    Column("中心經費(元) Center's cost (NT$)", 15, MONEY_FORMAT),
    Column("回收年限(年) Simple payback (years)", 10, ONE_DECIMAL),
    Column("經費資料 Cost data", 12, wrap=True), Column("說明 Note", 24, wrap=True),
]  # fmt: skip
"""A row per center, the offices it replaces under it, then the totals row."""


def center_rows(case: CenterCase) -> list[list]:
    center, saved = case.savings.center, case.savings
    note = center.note or ("" if saved.offices else "無取代之租賃據點 no leased office to replace")
    rows = [["中心 center", center.key, center.name_zh, center.name, ", ".join(case.project_codes),
             saved.annual_rent_avoided_ntd, "", case.cost_ntd, case.payback_years,
             PROVENANCE.get(case.provenance, case.provenance), note]]  # fmt: skip
    for office in saved.offices:
        rows.append(["據點 office", office.site_code, office.name_zh, office.name, "",
                     office.annual_rent_ntd, BASIS_ZH[office.basis], None, None, "",
                     ""])  # fmt: skip
    return rows


def relocation_table(report: RelocationReport) -> Table:
    year, day = report.fiscal_year, report.as_of
    rows = [row for case in report.centers for row in center_rows(case)]
    rows.append(["合計 total", "", "合計", f"Total: {len(report.centers)} centers, "
                 f"{report.offices_replaced} offices", "", report.rent_avoided_ntd, "",
                 report.cost_ntd, report.payback_years, "", ""])  # fmt: skip
    basis_zh, basis = relocation_basis(report)
    title = f"{roc_year(year)}年度新建移民服務中心可省租金及回收年限 What moving saves, FY{year}"
    return Table(
        name=f"{roc_year(year)}年度 FY{year}", columns=RELOCATION_COLUMNS, rows=rows,
        title_lines=[
            f"內政部入出國及移民署 {title} · National Immigration Agency",
            f"計算基礎 Basis: {basis_zh} · {basis}",
            f"產製日期 Generated: {roc_date(day)} ({day.isoformat()}) · "
            "金額單位 Amounts: 新臺幣元 NT$",
        ],
        total_rows=1, frozen_columns=2,
        print_setup=PrintSetup(
            header=(AGENCY, "", title),
            footer=(f"產製日期 Generated {roc_date(day)} ({day.isoformat()})",
                    "第 &P 頁，共 &N 頁 Page &P of &N", ""),
        ),
    )  # fmt: skip


def relocation_csv(report: RelocationReport) -> bytes:
    return csv_bytes(relocation_table(report))


def relocation_xlsx(report: RelocationReport) -> bytes:
    return xlsx_bytes(relocation_table(report))
