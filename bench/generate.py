"""Synthetic registers at k times the agency: every seed site cloned k-1 times (same county,
type and ownership, nearby coordinates), with its ownership history. Bulk inserts, for speed;
the product's own import checks are exercised by the tests, not here."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from facilities.db import Database, utcnow
from facilities.models import OwnershipChange, Site


def grow_sites(db: Database, scale: int, seed: int = 103) -> int:
    """Add 65*(scale-1) sites; returns the number of sites in the register."""
    rng = random.Random(seed)
    with db.session() as session:
        originals = session.scalars(select(Site).order_by(Site.code)).all()
        now = utcnow()
        site_rows = []
        for copy in range(1, scale):
            for site in originals:
                site_rows.append({
                    "code": f"{site.code}-Z{copy:03d}", "name": f"{site.name} (synthetic {copy})",
                    "name_zh": f"{site.name_zh}（合成{copy}）", "county_id": site.county_id,
                    "site_type": site.site_type, "ownership": site.ownership,
                    "ownership_since": site.ownership_since, "address_zh": site.address_zh,
                    "lat": round(site.lat + rng.uniform(-0.05, 0.05), 5),
                    "lon": round(site.lon + rng.uniform(-0.05, 0.05), 5),
                    "floor_area_m2": site.floor_area_m2, "lending_agency": site.lending_agency,
                    "loan_end_date": site.loan_end_date,
                    "state_land_obtained": site.state_land_obtained, "closed_on": None,
                    "provenance": "illustrative", "created_at": now, "updated_at": now,
                })  # fmt: skip
        if site_rows:
            session.execute(insert(Site), site_rows)
            ids = session.execute(
                select(Site.id, Site.ownership, Site.ownership_since).where(Site.code.like("%-Z%"))
            ).all()
            session.execute(insert(OwnershipChange), [
                {"site_id": i, "ownership": own, "effective_date": since, "note": "synthetic",
                 "created_at": now, "updated_at": now}
                for i, own, since in ids
            ])  # fmt: skip
        grow_leases(session, scale, now)
        return len(originals) * scale


def grow_leases(session, scale: int, now) -> None:
    """Every synthetic copy of a leased site gets a copy of its lease and yearly rents."""
    from leases.models import Lease, LeaseRent

    leases = session.scalars(select(Lease)).all()
    if scale == 1 or not leases:
        return
    columns = ("landlord", "start_date", "end_date", "notice_days", "renewal_option",
               "leased_floor_area_m2", "contracted_annual_rent_ntd", "provenance")  # fmt: skip
    by_code = {lease.site.code: lease for lease in leases}
    copies = session.execute(select(Site.id, Site.code).where(Site.code.like("%-Z%"))).all()
    lease_rows, origin = [], []
    for site_id, code in copies:
        lease = by_code.get(code.rsplit("-Z", 1)[0])
        if lease is not None:
            lease_rows.append(
                {c: getattr(lease, c) for c in columns}
                | {"site_id": site_id, "created_at": now, "updated_at": now}
            )
            origin.append(lease)
    if not lease_rows:
        return
    session.execute(insert(Lease), lease_rows)
    new_ids = session.scalars(
        select(Lease.id).where(Lease.site_id.in_([r["site_id"] for r in lease_rows]))
        .order_by(Lease.id)
    ).all()  # fmt: skip
    rents = [
        {"lease_id": new_id, "fiscal_year": r.fiscal_year, "rent_ntd": r.rent_ntd,
         "provenance": "illustrative", "created_at": now, "updated_at": now}
        for new_id, lease in zip(new_ids, origin, strict=True)
        for r in lease.rents
    ]  # fmt: skip
    session.execute(insert(LeaseRent), rents)
