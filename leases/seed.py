"""Loading the lease seed (seed/rent_mandates.csv, seed/leases.csv, seed/lease_rents.csv, and
the new service centers) through the same services and checks as the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from facilities.core.errors import RuleViolation
from facilities.core.files import read_csv_rows
from leases.services import add_mandate, create_center, create_lease, put_rent

ACTOR = "seed"


def load_leases(session: Session, seed_dir: Path) -> str:
    for row in read_csv_rows(seed_dir / "rent_mandates.csv"):
        add_mandate(session, {
            "name": row["name"], "baseline_fiscal_year": int(row["baseline_fiscal_year"]),
            "rate_pct": Decimal(row["rate_pct"]), "mode": row["mode"],
            "part_year": row.get("part_year") or "annualise",
            "is_default": row["is_default"].lower() == "true", "source": row["source"],
        }, actor=ACTOR)  # fmt: skip
    leases = {}
    rows = read_csv_rows(seed_dir / "leases.csv")
    for row in rows:
        lease = create_lease(session, {
            "site_code": row["site_code"], "landlord": row["landlord"],
            "start_date": date.fromisoformat(row["start_date"]),
            "end_date": date.fromisoformat(row["end_date"]),
            "notice_days": int(row["notice_days"]), "renewal_option": row["renewal_option"],
            "leased_floor_area_m2": int(row["leased_floor_area_m2"]),
            "contracted_annual_rent_ntd": int(row["contracted_annual_rent_ntd"]),
            "provenance": row["provenance"],
        }, actor=ACTOR)  # fmt: skip
        leases[row["site_code"]] = lease.id
    rents = read_csv_rows(seed_dir / "lease_rents.csv")
    for row in rents:
        put_rent(session, leases[row["site_code"]], int(row["fiscal_year"]), int(row["rent_ntd"]),
                 actor=ACTOR)  # fmt: skip
    return f"{len(rows)} leases, {len(rents)} yearly rents, the mandate's default rule"


def load_relocation(session: Session, seed_dir: Path) -> str:
    """The new service centers (seed/lease_centers.csv) and the leased offices each will
    replace (seed/lease_replacements.csv)."""
    replaces: dict[str, list[str]] = {}
    for row in read_csv_rows(seed_dir / "lease_replacements.csv"):
        replaces.setdefault(row["center_key"], []).append(row["site_code"])
    centers = read_csv_rows(seed_dir / "lease_centers.csv")
    if unknown := set(replaces) - {row["center_key"] for row in centers}:
        raise RuleViolation(f"lease_replacements.csv names unknown centers: {sorted(unknown)}")
    for row in centers:
        fields = {k: row[k] for k in ("name", "name_zh", "county", "note", "provenance")}
        create_center(session, {"key": row["center_key"], **fields},
                      replaces.get(row["center_key"], []), actor=ACTOR)  # fmt: skip
    offices = sum(len(codes) for codes in replaces.values())
    return f"{len(centers)} service centers replacing {offices} leased offices"
