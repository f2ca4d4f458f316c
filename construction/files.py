"""The projects as sheets of the register workbook (projects, budget lines, work packages,
milestones, progress); each project's headline burn on a date, worst first, as the executives
and liaisons hand it on; and what moving saves (each new center's rent avoided, its
cost and its payback), printed as a budget table."""

from __future__ import annotations

from datetime import date

from construction.rules import Basis
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
from facilities.core.sheets import (
    Field,
    Sheet,
    closed,
    codes,
    dated,
    money,
    number,
    pattern,
    text,
    whole,
    year,
)
from facilities.sites.files import county, provenance, site_code
from facilities.sites.rules import MAX_TEXT, MAX_TEXT_ZH, SITE_CODE_PATTERN
from leases.files import CENTER_KEY, CENTER_KEY_HINT

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
    title = f"{roc_year(year)}年度新建中心可省租金及回收年限 What moving saves, FY{year}"
    return Table(
        name=f"{roc_year(year)}年度 FY{year}", columns=RELOCATION_COLUMNS, rows=rows,
        title_lines=[
            f"{report.agency.name_zh} {title} · {report.agency.name}",
            f"計算基礎 Basis: {basis_zh} · {basis}",
            f"產製日期 Generated: {roc_date(day)} ({day.isoformat()}) · "
            "金額單位 Amounts: 新臺幣元 NT$",
        ],
        total_rows=1, frozen_columns=2,
        print_setup=PrintSetup(
            header=(report.agency.heading, "", title),
            footer=(f"產製日期 Generated {roc_date(day)} ({day.isoformat()})",
                    "第 &P 頁，共 &N 頁 Page &P of &N", ""),
        ),
    )  # fmt: skip


def relocation_csv(report: RelocationReport) -> bytes:
    return csv_bytes(relocation_table(report))


def relocation_xlsx(report: RelocationReport) -> bytes:
    return xlsx_bytes(relocation_table(report))


project_code = pattern(SITE_CODE_PATTERN, "2 to 32 upper-case letters, digits or '-', e.g. MSC-TPE")


def project_of() -> Field:
    return Field("project_code", "計畫代碼", project_code, "The project, by its code", True)


def name_fields(what: str) -> tuple[Field, Field]:
    return (Field("name", "英文名稱", text(MAX_TEXT), f"The {what}'s name in English", True, 36),
            Field("name_zh", "中文名稱", text(MAX_TEXT_ZH), f"The {what}'s name in Chinese", True,
                  24))  # fmt: skip


PROJECTS = Sheet(
    "projects", "工程計畫",
    "Every construction project, by its code: its budget, its planned window, its contract, and "
    "the sites it makes owned when it completes.",
    (
        Field("code", "計畫代碼", project_code, "The project's code", True),
        *name_fields("project"),
        Field("kind", "類別", text(40), "What it builds, e.g. service_center", True, 16),
        county("The county or city where it is built"),
        Field("location", "地點", text(MAX_TEXT), "Where, in words", False, 24, default=""),
        money("budget_total_ntd", "總經費", "The project's whole budget"),
        dated("planned_start", "預定開工", "The planned start"),
        dated("planned_finish", "預定完工", "The planned finish"),
        dated("contract_start", "契約開工日", "The works contract's start, if awarded", False),
        Field("contract_days", "契約工期(日)", whole(1, 36_500, "days"),
              "The contract's duration in days, if awarded", False, 10),
        closed("contract_basis", "工期計算", list(Basis),
               "Whether contract days are calendar or working days", "calendar"),
        Field("new_sites", "新增據點數", whole(0, 1000, "sites"),
              "Sites the project adds to the register (owned) when it completes (blank: 0)",
              False, 10, default=0),
        Field("lease_center_key", "新建中心代碼", pattern(CENTER_KEY, CENTER_KEY_HINT),
              "The center it builds (centers sheet), if it is one", False, 16),
        Field("sites", "完工後自有之據點", codes(site_code),
              "Sites that become owned when it completes, by code, separated by commas", False,
              24, default=()),
        provenance(),
    ),
    key=("code",),
    example={"code": "NEW-TPE", "name": "Taipei Service Center", "name_zh": "臺北服務中心新建工程",
             "kind": "service_center", "county": "Taipei City", "location": "臺北市中正區",
             "budget_total_ntd": 300_000_000, "planned_start": date(2013, 1, 1),
             "planned_finish": date(2016, 12, 31), "contract_basis": "calendar", "new_sites": 0,
             "lease_center_key": "taipei-center", "sites": ("TPE-HQ",),
             "provenance": "illustrative"},
)  # fmt: skip

BUDGET_LINES = Sheet(
    "budget_lines", "預算",
    "Each project's appropriation, commitments and spending for a fiscal year (or a span of "
    "years), by project and first year.",
    (
        project_of(),
        year("first_year", "起始年度", "The first fiscal year the line covers: 2014 or 103"),
        year("last_year", "結束年度", "The last fiscal year it covers (the first, for one year)"),
        money("appropriated_ntd", "法定預算", "Appropriated"),
        money("committed_ntd", "已發包", "Committed: contracts awarded (blank: 0)", False),
        money("spent_ntd", "已支用", "Spent (blank: 0; years with monthly reports take the "
              "reports' spending)", False),
        Field("note", "說明", text(500), "A note", False, 30, default=""),
        provenance(),
    ),
    key=("project_code", "first_year"),
    refers={"projects": ("project_code",)},
    example={"project_code": "NEW-TPE", "first_year": 2013, "last_year": 2013,
             "appropriated_ntd": 20_000_000, "committed_ntd": 20_000_000, "spent_ntd": 5_000_000,
             "note": "102年度", "provenance": "illustrative"},
)  # fmt: skip

WORK_PACKAGES = Sheet(
    "work_packages", "工作項目",
    "Each project's work packages, by project and package code, with their weight in the work.",
    (
        project_of(),
        Field("code", "工作項目代碼", pattern(r"^[A-Z0-9][A-Z0-9-]{0,31}$",
                                          "1 to 32 upper-case letters, digits or '-', e.g. CON"),
              "The package's code within its project", True),
        *name_fields("package"),
        Field("weight_pct", "權重(%)", whole(1, 100, "percent"),
              "Its share of the project's work, in percent", True, 10),
        provenance(),
    ),
    key=("project_code", "code"),
    refers={"projects": ("project_code",)},
    example={"project_code": "NEW-TPE", "code": "CON", "name": "Construction",
             "name_zh": "主體工程", "weight_pct": 80, "provenance": "illustrative"},
)  # fmt: skip

MILESTONES = Sheet(
    "milestones", "里程碑",
    "The milestones of each work package, by project, package and name. The planned date is "
    "the baseline: it does not change (a forecast date does).",
    (
        project_of(),
        Field("package_code", "工作項目代碼", text(32), "The work package (work_packages sheet)",
              True),
        *name_fields("milestone"),
        dated("planned_date", "預定日期", "The baseline date"),
        dated("forecast_date", "預估日期", "The date now forecast, if not the planned one", False),
        dated("actual_date", "實際日期", "The day it was reached (then 100% complete)", False),
        Field("percent_complete", "完成百分比", number(0, 100), "How complete it is, 0 to 100 "
              "(blank: 0)", False, 10, default=0.0),
        Field("note", "說明", text(1000), "A note", False, 30, default=""),
        provenance(),
    ),
    key=("project_code", "package_code", "name"),
    refers={"projects": ("project_code",),
            "work_packages": ("project_code", "package_code")},
    example={"project_code": "NEW-TPE", "package_code": "CON", "name": "Structure topped out",
             "name_zh": "結構體完成", "planned_date": date(2015, 6, 30),
             "forecast_date": date(2015, 8, 31), "percent_complete": 40, "note": "",
             "provenance": "illustrative"},
)  # fmt: skip

PROGRESS = Sheet(
    "progress", "進度",
    "Each project's monthly progress report, by project and data date, in date order: work "
    "done and spending to date never decrease, and a report behind plan gives its reason.",
    (
        project_of(),
        dated("data_date", "資料日期", "The report's data date"),
        Field("percent_complete", "累計完成百分比", number(0, 100),
              "Work done to date, 0 to 100", True, 10),
        money("spent_to_date_ntd", "累計支用", "Spent to date"),
        Field("reason", "落後原因", text(1000), "Why the work is behind plan, when it is", False,
              30, default=""),
        Field("override_reason", "超支理由", text(500),
              "Why spending beyond the appropriation to date is allowed, when it is", False, 24,
              default=""),
        provenance(),
    ),
    key=("project_code", "data_date"),
    refers={"projects": ("project_code",), "budget_lines": ("project_code",)},
    example={"project_code": "NEW-TPE", "data_date": date(2013, 6, 30), "percent_complete": 5.0,
             "spent_to_date_ntd": 4_000_000, "reason": "", "provenance": "illustrative"},
)  # fmt: skip
