"""A second agency's register, built in code: another name, 300 sites in eight counties the
way a ministry's workforce offices might be held, leases with rents over five years, a
mandate of its own (8% once, against FY2016), one new center and three projects with budget
lines, work packages, milestones and monthly progress. Written as a workbook with openpyxl
(English headings, some dates as ROC text), independently of the product's own writer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

AS_OF = date(2019, 6, 30)
"""The product's date for the second agency: FY2018 is closed, FY2019 is not."""
AGENCY = {"name_zh": "勞動部勞動力發展署", "name": "Workforce Development Agency",
          "short_name_zh": "勞發署", "short_name": "WDA"}  # fmt: skip
COUNTIES = {
    "Yilan County": (24.75, 121.75), "Hualien County": (23.98, 121.60),
    "Taitung County": (22.76, 121.14), "Pingtung County": (22.67, 120.49),
    "Nantou County": (23.91, 120.69), "Yunlin County": (23.71, 120.54),
    "Chiayi County": (23.45, 120.26), "Miaoli County": (24.56, 120.82),
}  # fmt: skip
SITES = 300
RENT_YEARS = range(2015, 2020)
BASELINE, REPORT_YEAR, RATE = 2016, 2018, 8
Row = dict[str, Any]


def ownership_of(n: int) -> str:
    return {0: "owned", 1: "owned", 2: "owned", 3: "borrowed", 4: "borrowed"}.get(n % 10, "leased")


def site(n: int) -> Row:
    county = list(COUNTIES)[n % len(COUNTIES)]
    lat, lon = COUNTIES[county]
    ownership = ownership_of(n)
    row = {
        "code": f"WDA-{n:03d}", "name": f"Workforce office {n}", "name_zh": f"就業服務站{n}",
        "county": county, "site_type": "service_station", "ownership": ownership,
        "ownership_since": date(2014, 1, 1), "lat": round(lat + n % 7 * 0.01, 5),
        "lon": round(lon - n % 5 * 0.01, 5), "floor_area_m2": 150 + n % 40 * 10,
        "provenance": "illustrative",
    }  # fmt: skip
    if ownership == "owned":
        row["ownership_since"] = date(2016, 7, 1) if n % 20 == 0 else date(2005, 1, 1)
        row["closed_on"] = date(2018, 3, 31) if n % 100 == 1 else None
    if ownership == "borrowed":
        row |= {"ownership_since": date(2012, 3, 1), "lending_agency": f"{county}政府",
                "loan_end_date": date(2030, 12, 31)}  # fmt: skip
    return row


def rent_of(n: int, year: int) -> int:
    """A rent to the thousand: the FY2016 base, cut by 3% to 14% from FY2017 on, by site."""
    base = 600_000 + (n * 7919 % 50) * 20_000
    if year <= BASELINE:
        return base
    return base * (97 - n % 12) // 100 // 1000 * 1000


def leases_of(n: int) -> list[Row]:
    code, rent = f"WDA-{n:03d}", rent_of(n, BASELINE)
    common = {"site_code": code, "landlord": f"房東{n}", "leased_floor_area_m2": 150 + n % 40 * 10,
              "notice_days": 120, "renewal_option": "option_to_renew"}  # fmt: skip
    if n % 3 == 0:  # a lease to the end of 2016, then a new one at the reduced rent
        return [
            common | {"start_date": date(2014, 1, 1), "end_date": date(2016, 12, 31),
                      "contracted_annual_rent_ntd": rent},
            common | {"start_date": date(2017, 1, 1), "end_date": date(2021, 12, 31),
                      "contracted_annual_rent_ntd": rent_of(n, 2019)},
        ]  # fmt: skip
    return [common | {"start_date": date(2014, 1, 1), "end_date": date(2021, 12, 31),
                      "contracted_annual_rent_ntd": rent}]  # fmt: skip


def rents_of(n: int, leases: list[Row]) -> list[Row]:
    rows = []
    for year in RENT_YEARS:
        lease = [x for x in leases if x["start_date"].year <= year <= x["end_date"].year][-1]
        rows.append({"site_code": lease["site_code"], "lease_start": lease["start_date"],
                     "fiscal_year": year, "rent_ntd": rent_of(n, year)})  # fmt: skip
    return rows


PROJECTS = {
    "WDA-HLN": ("Hualien County", 180_000_000, date(2017, 1, 1), date(2020, 12, 31)),
    "WDA-PIF": ("Pingtung County", 95_000_000, date(2017, 7, 1), date(2019, 12, 31)),
    "WDA-ILA": ("Yilan County", 60_000_000, date(2018, 1, 1), date(2020, 6, 30)),
}
"""Each project's county, budget and planned window."""
PROGRESS = {
    "WDA-HLN": [(date(2017, 6, 30), 3.0, 8_000_000), (date(2017, 12, 31), 9.5, 21_000_000),
                (date(2018, 6, 30), 20.0, 41_000_000), (date(2018, 12, 31), 31.5, 63_500_000),
                (date(2019, 3, 31), 38.0, 74_200_000), (date(2019, 6, 30), 44.0, 86_900_000)],
    "WDA-PIF": [(date(2018, 3, 31), 12.0, 13_000_000), (date(2018, 12, 31), 40.0, 41_000_000),
                (date(2019, 6, 30), 71.0, 66_000_000)],
    "WDA-ILA": [(date(2018, 12, 31), 15.0, 9_500_000), (date(2019, 6, 30), 30.0, 19_000_000)],
}  # fmt: skip
"""(data date, percent complete, spent to date) of each monthly report filed."""
APPROPRIATED = {
    "WDA-HLN": {2017: 30_000_000, 2018: 50_000_000, 2019: 60_000_000, 2020: 40_000_000},
    "WDA-PIF": {2017: 15_000_000, 2018: 40_000_000, 2019: 40_000_000},
    "WDA-ILA": {2018: 15_000_000, 2019: 25_000_000, 2020: 20_000_000},
}
CENTER_OFFICES = ("WDA-009", "WDA-017")
"""Leased Hualien offices the new Hualien center replaces, and the project makes owned."""


def projects() -> list[Row]:
    return [
        {"code": code, "name": f"{county} workforce center", "name_zh": f"{county}就業中心新建工程",
         "kind": "service_center", "county": county, "budget_total_ntd": budget,
         "planned_start": start, "planned_finish": finish,
         "lease_center_key": "hualien-center" if code == "WDA-HLN" else None,
         "sites": ", ".join(CENTER_OFFICES) if code == "WDA-HLN" else ""}
        for code, (county, budget, start, finish) in PROJECTS.items()
    ]  # fmt: skip


def register() -> dict[str, list[Row]]:
    """Every sheet's rows, by the sheet's English name."""
    sites = [site(n) for n in range(1, SITES + 1)]
    leased = [n for n in range(1, SITES + 1) if ownership_of(n) == "leased"]
    leases = {n: leases_of(n) for n in leased}
    return {
        "agency": [AGENCY],
        "sites": sites,
        "ownership_history": [
            {
                "site_code": s["code"],
                "effective_date": date(2010, 1, 1),
                "ownership": "leased",
                "note": "租用辦公室 rented until its own building",
            }
            for s in sites
            if s["ownership_since"] == date(2016, 7, 1)
        ],  # fmt: skip
        "leases": [lease for n in leased for lease in leases[n]],
        "rents": [rent for n in leased for rent in rents_of(n, leases[n])],
        "mandate": [
            {
                "name": "本署租金撙節規則",
                "baseline_fiscal_year": BASELINE,
                "rate_pct": RATE,
                "mode": "one_off",
                "part_year": "annualise",
                "is_default": "true",
                "source": "illustrative",
            }
        ],  # fmt: skip
        "centers": [
            {
                "key": "hualien-center",
                "name": "Hualien workforce center",
                "name_zh": "花蓮就業中心",
                "county": "Hualien County",
                "replaces": "、".join(CENTER_OFFICES),
            }
        ],  # fmt: skip
        "projects": projects(),
        "budget_lines": [
            {
                "project_code": code,
                "first_year": year,
                "last_year": year,
                "appropriated_ntd": amount,
                "committed_ntd": amount // 2,
            }
            for code, years in APPROPRIATED.items()
            for year, amount in years.items()
        ],  # fmt: skip
        "work_packages": [
            {
                "project_code": code,
                "code": package,
                "name": name,
                "name_zh": zh,
                "weight_pct": weight,
            }
            for code in PROJECTS
            for package, name, zh, weight in (
                ("DES", "Design", "設計", 10),
                ("CON", "Construction", "施工", 90),
            )
        ],  # fmt: skip
        "milestones": [
            {
                "project_code": code,
                "package_code": "DES",
                "name": "Design approved",
                "name_zh": "設計核定",
                "planned_date": start.replace(month=start.month + 3),
                "actual_date": start.replace(month=start.month + 4),
                "percent_complete": 100,
            }
            for code, (_county, _budget, start, _finish) in PROJECTS.items()
        ],  # fmt: skip
        "progress": [
            {
                "project_code": code,
                "data_date": day,
                "percent_complete": done,
                "spent_to_date_ntd": spent,
                "reason": "颱風停工 typhoon stoppages",
            }
            for code, reports in PROGRESS.items()
            for day, done, spent in reports
        ],  # fmt: skip
    }


def roc(day: date) -> str:
    """A date as staff in Taiwan often type it: 108/06/30."""
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def write_workbook(sheets: dict[str, list[Row]], path: Path) -> Path:
    """Each sheet with English headings; the rents' lease dates typed as ROC text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = list(dict.fromkeys(k for row in rows for k in row))
        sheet.append(columns)
        for row in rows:
            values = [row.get(c) for c in columns]
            if name == "rents":
                values[columns.index("lease_start")] = roc(row["lease_start"])
            sheet.append(values)
    book.save(path)
    return path
