"""The lease seed read straight from its CSV files, and the mandate recomputed from them by hand
(Fraction and floor), without the product's code: what the report must agree with."""

from __future__ import annotations

import csv
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from facilities.core.settings import Settings

SEED = Settings().seed_dir


def read(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def leased_codes() -> set[str]:
    return {s["code"] for s in read("sites.csv") if s["ownership"] == "leased"}


def leases() -> dict[str, dict[str, str]]:
    return {row["site_code"]: row for row in read("leases.csv")}


def rents() -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for row in read("lease_rents.csv"):
        out.setdefault(row["site_code"], {})[int(row["fiscal_year"])] = int(row["rent_ntd"])
    return out


def target(baseline: int, rate: Fraction) -> int:
    return math.floor(baseline * (100 - rate) / 100)


def half_up(value: Fraction) -> int:
    return int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP))  # fmt: skip


def seeded_baseline(start: date, paid: int | None, year: int, part_year: str) -> int | None:
    """Each seeded site has one lease, still running or held over: in rented space from its
    start on. A year it began in is a part year: annualised by days, or no baseline."""
    if paid is None or start > date(year, 12, 31):
        return None
    whole = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    days = (date(year + 1, 1, 1) - max(start, date(year, 1, 1))).days
    if days == whole:
        return paid
    return half_up(Fraction(paid * whole, days)) if part_year == "annualise" else None


def expected_rows(
    fiscal_year: int,
    mode: str = "one_off",
    rate: Fraction = Fraction(10),
    baseline_year: int = 2013,
    part_year: str = "annualise",
) -> dict[str, dict]:
    """Every seeded office's figures: no seeded office has left rented space."""
    starts = {code: date.fromisoformat(row["start_date"]) for code, row in leases().items()}
    out = {}
    for code, by_year in rents().items():
        reference = baseline_year if mode == "one_off" else fiscal_year - 1
        baseline = seeded_baseline(starts[code], by_year.get(reference), reference, part_year)
        actual = by_year[fiscal_year]
        if baseline is None:
            out[code] = {"baseline_rent_ntd": None, "target_rent_ntd": None,
                         "actual_rent_ntd": actual, "reduction_ntd": None,
                         "status": "no_baseline"}  # fmt: skip
            continue
        goal = target(baseline, rate)
        out[code] = {
            "baseline_rent_ntd": baseline, "target_rent_ntd": goal, "actual_rent_ntd": actual,
            "reduction_ntd": baseline - actual, "status": "met" if actual <= goal else "not_met",
        }  # fmt: skip
    return out


def expected_totals(rows: dict[str, dict]) -> dict[str, int]:
    assessed = [r for r in rows.values() if r["baseline_rent_ntd"] is not None]
    return {
        "offices": len(rows),
        "assessed": len(assessed),
        "baseline_rent_ntd": sum(r["baseline_rent_ntd"] for r in assessed),
        "target_rent_ntd": sum(r["target_rent_ntd"] for r in assessed),
        "actual_rent_ntd": sum(r["actual_rent_ntd"] for r in assessed),
        "savings_ntd": sum(r["reduction_ntd"] for r in assessed),
        "met": sum(r["status"] == "met" for r in rows.values()),
        "not_met": sum(r["status"] == "not_met" for r in rows.values()),
        "no_baseline": sum(r["status"] == "no_baseline" for r in rows.values()),
    }
