"""The lease register as sheets of the register workbook (leases, rents, the mandate's rules,
the new centers), and the rent-reduction report as a liaison hands it to the legislature: CSV
and Excel, through the product's one file writer, laid out as a Taiwanese budget table. ROC
year beside Gregorian, NT$ beside NT$ thousand, Chinese beside English.

Thousands as budget tables print 仟元: each figure rounded to the thousand half away from zero,
the totals rounded from the exact totals, and a difference (the reduction) is the difference of
the rounded figures the reader sees. Where the rounded rows do not add up to the rounded total,
the table carries the budget tables' note 因四捨五入，總數與細數之和容有未合."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from facilities.core.files import (
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    PrintSetup,
    Table,
    csv_bytes,
    xlsx_bytes,
)  # fmt: skip
from facilities.core.money import pct, thousands
from facilities.core.roc import roc_date, roc_year
from facilities.core.sheets import (
    Field,
    Sheet,
    closed,
    codes,
    dated,
    flag,
    money,
    pattern,
    percent,
    text,
    whole,
    year,
)
from facilities.sites.files import county, provenance, site_code
from facilities.sites.rules import MAX_TEXT, MAX_TEXT_ZH
from leases.rules import Assessment, Mode, PartYear, RenewalOption, Status, days_in_year
from leases.services import RentReport

ROUNDING_NOTE = "因四捨五入，總數與細數之和容有未合"
ROUNDING_NOTE_EN = (
    "figures in NT$ thousand are each rounded half away from zero, so a total may differ "
    "from the sum of its rows"
)
RENT_BASIS = {"paid": ("實付", "paid"), "contracted": ("契約", "contracted"),
              "none": ("未租用", "not in rented space")}  # fmt: skip
THOUSAND_COLUMNS = (("基準年租金", "Baseline"), ("目標租金", "Target"), None,
                    ("減少金額", "Reduction"))  # fmt: skip
"""The thousand columns, in order; None: the rent column, named for the report's date."""
TITLE_ROWS = 4
"""Title lines and one blank line above the table: read back with header=TITLE_ROWS."""


def rent_names(report: RentReport) -> tuple[str, str]:
    """What the rent column holds on the report's date: rent paid for a closed year, the
    year's contracted rent for one not yet closed."""
    return ("實付租金", "Rent paid") if report.closed else ("契約租金", "Contracted rent")


def rent_statement(report: RentReport) -> str:
    year, day = report.fiscal_year, report.generated_on
    zh, en = rent_names(report)
    if report.closed:
        return (f"{roc_year(year)}年度已結束，租金欄為{zh} · FY{year} is closed: the rent column "
                f"is {en.lower()}")  # fmt: skip
    return (
        f"{roc_year(year)}年度於{roc_date(day)}尚未結束，租金欄為全年{zh} · FY{year} is not closed "
        f"on {day.isoformat()}: the rent column is the year's {en.lower()}"
    )


def headings(report: RentReport) -> list[Column]:
    year, rule = report.fiscal_year, report.rule
    baseline = rule.baseline_fiscal_year
    base = ("前一年度 previous year" if rule.mode is Mode.year_on_year
            else f"{roc_year(baseline)}年度 FY{baseline}")  # fmt: skip
    roc = roc_year(year)
    rent_zh, rent_en = rent_names(report)
    money = {"width": 13, "number_format": MONEY_FORMAT}
    thousand = {"width": 10, "number_format": MONEY_FORMAT}
    names = [n or (rent_zh, rent_en) for n in THOUSAND_COLUMNS]
    return [
        Column("序號 No.", 5, MONEY_FORMAT),
        Column("據點代碼 Site code", 9),
        Column("據點名稱 Office", 16, wrap=True),
        Column("Office (English)", 24, wrap=True),
        Column("縣市 County", 8),
        Column(f"基準年租金(元) Baseline rent, {base} (NT$)", **money),
        Column("基準計算 Baseline basis", 13, wrap=True),
        Column(f"目標租金(元) Target, {roc}年度 FY{year} (NT$)", **money),
        Column(f"{rent_zh}(元) {rent_en}, {roc}年度 FY{year} (NT$)", **money),
        Column("租金依據 Rent basis", 12, wrap=True),
        Column("減少金額(元) Reduction (NT$)", **money),
        Column("減少比率(%) Reduction (%)", 9, PERCENT_FORMAT),
        *(Column(f"{zh}(千元) {en} (NT$ thousand)", **thousand) for zh, en in names),
        Column("執行情形 Status", 16, wrap=True),
    ]


def _k(amount: int | None) -> int | None:
    return thousands(amount) if amount is not None else None


def in_thousands(money: Sequence[int | None]) -> list[int | None]:
    """(baseline, target, rent, reduction) in NT$ thousand: each rounded, the reduction the
    difference of the rounded baseline and rent."""
    baseline, target, actual, _ = (_k(m) for m in money)
    reduction = baseline - actual if baseline is not None and actual is not None else None
    return [baseline, target, actual, reduction]


def rent_basis(row: Assessment, fiscal_year: int) -> str:
    zh, en = RENT_BASIS[row.actual_basis]
    if row.actual_basis != "none" and row.days_leased < days_in_year(fiscal_year):
        return f"{zh}，租用{row.days_leased}日 {en}, {row.days_leased} days"
    return f"{zh} {en}"


def office_money(r: Assessment) -> tuple[int | None, ...]:
    return r.baseline_rent_ntd, r.target_rent_ntd, r.actual_rent_ntd, r.reduction_ntd


def total_money(report: RentReport) -> tuple[int, ...]:
    t = report.totals
    return t.baseline_rent_ntd, t.target_rent_ntd, t.actual_rent_ntd, t.savings_ntd


def office_row(n: int, r: Assessment, fiscal_year: int) -> list:
    money = office_money(r)
    basis = f"{r.baseline_basis_zh} {r.baseline_basis}"
    return [n, r.site_code, r.name_zh, r.name, r.county_zh, money[0], basis, money[1],
            money[2], rent_basis(r, fiscal_year), money[3], r.reduction_pct,
            *in_thousands(money), r.status.label]  # fmt: skip


def totals_row(report: RentReport) -> list:
    t, money = report.totals, total_money(report)
    status = (f"{Status.met.zh}或{Status.ended.zh} met or left rented space: "
              f"{t.met_or_ended}/{t.assessed} ({t.share_met_pct:.1f}%)")  # fmt: skip
    return [None, "", "合計", "Total", "", money[0], "", money[1], money[2], "", money[3],
            pct(t.savings_ntd, t.baseline_rent_ntd), *in_thousands(money), status]  # fmt: skip


def rows(report: RentReport) -> list[list]:
    """One row per office, then the totals row."""
    year = report.fiscal_year
    out = [office_row(n, r, year) for n, r in enumerate(report.rows, start=1)]
    return [*out, totals_row(report)]


def rounding_differences(report: RentReport) -> list[str]:
    """The thousand columns whose rounded rows (those the totals count) do not add up to the
    rounded total, by their English names."""
    sums = [0, 0, 0]  # baseline, target, rent; the reduction is baseline less rent
    for r in report.rows:
        if r.baseline_rent_ntd is not None:  # then its target is too
            sums[0] += thousands(r.baseline_rent_ntd)
            sums[1] += thousands(r.target_rent_ntd)
            sums[2] += thousands(r.actual_rent_ntd)
    counted = [*sums, sums[0] - sums[2]]
    total = in_thousands(total_money(report))
    names = [(n or rent_names(report))[1] for n in THOUSAND_COLUMNS]
    return [name for i, name in enumerate(names) if counted[i] != total[i]]


def notes(report: RentReport) -> list[str]:
    out = []
    if differ := rounding_differences(report):
        out.append(f"註：{ROUNDING_NOTE}。Note: {ROUNDING_NOTE_EN} ({', '.join(differ)}).")
    t = report.totals
    if left_out := t.offices - t.assessed:
        out.append(
            f"註：合計僅含有基準年租金之{t.assessed}處據點，無基準年租金之{left_out}處未計入。"
            f"Note: the totals count the {t.assessed} offices with a baseline; the {left_out} "
            "without one are not in them."
        )
    return out


def title_lines(report: RentReport) -> list[str]:
    year, rule = report.fiscal_year, report.rule
    generated = report.generated_on
    return [
        f"{report.agency.name_zh} {roc_year(year)}年度各廳舍租金降低執行情形 · "
        f"{report.agency.name}: rent reduction by office, FY{year}",
        f"適用規則 Rule applied: {rule.describe_zh()} · {rule.describe()} "
        f"(mode={rule.mode.value}, baseline FY{rule.baseline_fiscal_year}, rate "
        f"{rule.rate_text}%, part years: {rule.part_year.value})",
        f"產製日期 Generated: {roc_date(generated)} ({generated.isoformat()}) · 金額單位 Amounts: "
        f"新臺幣元 NT$ and 千元 NT$ thousand · {rent_statement(report)}",
        *([report.year_note] if report.year_note else []),
    ]


def print_setup(report: RentReport) -> PrintSetup:
    year, day, rule = report.fiscal_year, report.generated_on, report.rule
    mode = "一次性降低 one-off" if rule.mode is Mode.one_off else "逐年降低 year on year"
    return PrintSetup(
        header=(report.agency.heading, "",
                f"{roc_year(year)}年度各廳舍租金降低執行情形 Rent reduction, FY{year}"),
        footer=(f"產製日期 Generated {roc_date(day)} ({day.isoformat()})",
                "第 &P 頁，共 &N 頁 Page &P of &N", f"{mode} {rule.rate_text}%"),
    )  # fmt: skip


def report_table(report: RentReport) -> Table:
    return Table(
        name=f"{roc_year(report.fiscal_year)}年度 FY{report.fiscal_year}",
        columns=headings(report), rows=rows(report), title_lines=title_lines(report),
        total_rows=1, frozen_columns=2, notes=notes(report),
        print_setup=print_setup(report),
    )  # fmt: skip


def report_csv(report: RentReport) -> bytes:
    return csv_bytes(report_table(report))


def report_xlsx(report: RentReport) -> bytes:
    return xlsx_bytes(report_table(report))


def site_of(about: str = "The leased site, by its code (sites sheet)") -> Field:
    return Field("site_code", "據點代碼", site_code, about, True)


LEASES = Sheet(
    "leases", "租約",
    "Every lease of a rented site, by its site and the day it began (a site's leases may not "
    "overlap). The site is leased on the sites sheet.",
    (
        site_of(),
        dated("start_date", "起租日", "The first day of the lease"),
        dated("end_date", "租期屆滿日", "The last day of its term"),
        Field("landlord", "出租人", text(MAX_TEXT), "Who lets the premises", True, 24),
        Field("leased_floor_area_m2", "租賃面積(平方公尺)", whole(1, 1_000_000, "square metres"),
              "Leased floor area in square metres", True),
        money("contracted_annual_rent_ntd", "契約年租金", "The rent a year under the contract"),
        Field("notice_days", "通知期(日)", whole(0, 3650, "days"),
              "Days before the end by which notice is given (blank: 90)", False, 10, default=90),
        closed("renewal_option", "續約條件", list(RenewalOption), "What the lease says of renewal",
               "none"),
        dated("ended_on", "遷出日", "The day the office left the premises, if it has", False),
        provenance(),
    ),
    key=("site_code", "start_date"),
    refers={"sites": ("site_code",)},
    example={"site_code": "TPE-HQ", "start_date": date(2012, 1, 1), "end_date": date(2016, 12, 31),
             "landlord": "範例建設股份有限公司", "leased_floor_area_m2": 1200,
             "contracted_annual_rent_ntd": 3_600_000, "notice_days": 90,
             "renewal_option": "option_to_renew", "provenance": "illustrative"},
)  # fmt: skip

RENTS = Sheet(
    "rents", "租金",
    "The rent paid on each lease in each fiscal year (the calendar year), by its site, the "
    "lease's first day and the year.",
    (
        site_of(),
        dated("lease_start", "起租日", "The lease's first day (leases sheet, start_date)"),
        year("fiscal_year", "年度", "The fiscal year: 2014, or the ROC year 103"),
        money("rent_ntd", "租金", "The rent paid that year (for a year not yet closed: the rent "
              "contracted for it)"),
        provenance(),
    ),
    key=("site_code", "lease_start", "fiscal_year"),
    refers={"leases": ("site_code", "lease_start")},
    example={"site_code": "TPE-HQ", "lease_start": date(2012, 1, 1), "fiscal_year": 2013,
             "rent_ntd": 3_600_000, "provenance": "illustrative"},
)  # fmt: skip

MANDATE = Sheet(
    "mandate", "租金降低規則",
    "The rent-reduction mandate as rules: the one marked default is what reports apply "
    "unless asked for another.",
    (
        Field("name", "規則名稱", text(100), "The rule's name", True, 30),
        year("baseline_fiscal_year", "基準年度", "The year whose rent is cut from"),
        Field("rate_pct", "降低比率(%)", percent, "The cut, in percent (10 for 10%)", True, 10),
        closed("mode", "降低方式", list(Mode),
               "one_off: once, against the baseline year; year_on_year: again every year"),
        closed("part_year", "部分年度", list(PartYear),
               "How a reference year spent only in part in rented space counts", "annualise"),
        Field("is_default", "預設規則", flag, "true for the rule reports apply (one rule at most)",
              False, 10, choices=("true", "false"), default=False),
        Field("source", "依據", text(500), "Where the rule comes from", False, 50,
              default=""),
    ),
    key=("name",),
    example={"name": "立法院附帶決議 Legislative Yuan resolution", "baseline_fiscal_year": 2013,
             "rate_pct": 10, "mode": "one_off", "part_year": "annualise", "is_default": True,
             "source": "各廳舍之每年租金應降低10%"},
)  # fmt: skip

CENTER_KEY = r"^[a-z0-9][a-z0-9-]{1,39}$"
CENTER_KEY_HINT = "2 to 40 lower-case letters, digits or '-', e.g. taipei-city"
CENTERS = Sheet(
    "centers", "新建中心",
    "New buildings of the agency's own (service centers) and the leased offices each will "
    "replace: what moving saves. A project names its center by this key.",
    (
        Field("key", "中心代碼", pattern(CENTER_KEY, CENTER_KEY_HINT), "The center's key", True,
              16),
        Field("name", "英文名稱", text(MAX_TEXT), "The center's name in English", True, 36),
        Field("name_zh", "中文名稱", text(MAX_TEXT_ZH), "The center's name in Chinese", True, 24),
        county("The county or city where it is built"),
        Field("replaces", "取代之租賃據點", codes(site_code),
              "The leased sites it replaces, by code, separated by commas", False, 30,
              default=()),
        Field("note", "說明", text(500), "A note", False, 30, default=""),
        provenance(),
    ),
    key=("key",),
    example={"key": "taipei-center", "name": "Taipei Service Center", "name_zh": "臺北服務中心",
             "county": "Taipei City", "replaces": ("TPE-HQ",), "provenance": "illustrative"},
)  # fmt: skip
