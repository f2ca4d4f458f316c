"""The rent-reduction report as a liaison hands it to the legislature: CSV and Excel, through
the product's one file writer, laid out as a Taiwanese budget table. ROC year beside Gregorian,
NT$ beside NT$ thousand, Chinese beside English.

Thousands as budget tables print 仟元: each figure rounded to the thousand half away from zero,
the totals rounded from the exact totals, and a difference (the reduction) is the difference of
the rounded figures the reader sees. Where the rounded rows do not add up to the rounded total,
the table carries the budget tables' note 因四捨五入，總數與細數之和容有未合."""

from __future__ import annotations

from collections.abc import Sequence

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
from leases.rules import Assessment, Mode, Status, days_in_year
from leases.services import RentReport

AGENCY = "內政部入出國及移民署 National Immigration Agency"
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
    counted = [in_thousands(office_money(r)) for r in report.rows
               if r.baseline_rent_ntd is not None]  # fmt: skip
    total = in_thousands(total_money(report))
    names = [(n or rent_names(report))[1] for n in THOUSAND_COLUMNS]
    return [name for i, name in enumerate(names) if sum(row[i] for row in counted) != total[i]]


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
        f"內政部入出國及移民署 {roc_year(year)}年度各廳舍租金降低執行情形 · "
        f"National Immigration Agency: rent reduction by office, FY{year}",
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
        header=(AGENCY, "", f"{roc_year(year)}年度各廳舍租金降低執行情形 Rent reduction, FY{year}"),
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
