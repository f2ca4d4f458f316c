"""Loading the site register's seed: seed/counties.csv, seed/sites.csv (through the same
checks as `facilities import sites`) and seed/ownership_history.csv (earlier holdings)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.models import County, OwnershipChange, Site
from facilities.services import apply_import, plan_import
from facilities.settings import SEED_DATA_DATE
from facilities.site_files import parse_sites, read_table


class SeedError(ValueError):
    pass


def load_sites(session: Session, seed_dir: Path) -> str:
    counties = pd.read_csv(seed_dir / "counties.csv", dtype=str, encoding="utf-8")
    known = set(session.scalars(select(County.name)))
    session.add_all(
        County(**row) for row in counties.to_dict("records") if row["name"] not in known
    )
    session.flush()

    path = seed_dir / "sites.csv"
    rows, problems = parse_sites(read_table(path), path.name)
    plan, more = plan_import(session, rows, today=SEED_DATA_DATE)
    if problems or more:
        raise SeedError(f"{path}: " + "; ".join(f"line {n}: {p}" for n, p in problems + more))
    result = apply_import(session, plan, actor="seed")

    history = pd.read_csv(seed_dir / "ownership_history.csv", dtype=str, keep_default_na=False)
    sites = {s.code: s for s in session.scalars(select(Site))}
    for row in history.to_dict("records"):
        site = sites[row["site_code"]]
        change = OwnershipChange(
            ownership=row["ownership"],
            effective_date=pd.Timestamp(row["effective_date"]).date(),
            note=row["note"],
        )
        if change.effective_date >= site.ownership_since:
            raise SeedError(
                f"ownership_history.csv: {row['site_code']} history must precede "
                f"its current ownership ({site.ownership_since})"
            )
        site.history.append(change)
    session.flush()
    return f"{len(counties)} counties, {len(result.created)} sites, {len(history)} earlier holdings"
