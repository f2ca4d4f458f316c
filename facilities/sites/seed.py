"""Loading the site register's seed through the same services and checks as the API and
`facilities import sites`: seed/counties.csv, seed/sites.csv and seed/ownership_history.csv
(each site's earlier holdings)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from facilities.core.files import read_csv_rows
from facilities.core.settings import SEED_DATA_DATE
from facilities.sites.files import read_sites
from facilities.sites.services import add_county, import_sites, record_earlier_holding

ACTOR = "seed"


def load_sites(session: Session, seed_dir: Path) -> str:
    counties = read_csv_rows(seed_dir / "counties.csv")
    for row in counties:
        add_county(session, row["name"], row["name_zh"], row["region"])
    result = import_sites(session, read_sites(seed_dir / "sites.csv"), actor=ACTOR,
                          today=SEED_DATA_DATE)  # fmt: skip
    history = read_csv_rows(seed_dir / "ownership_history.csv")
    for row in history:
        record_earlier_holding(session, row["site_code"], row["ownership"],
                               date.fromisoformat(row["effective_date"]), row["note"],
                               actor=ACTOR)  # fmt: skip
    return f"{len(counties)} counties, {len(result.created)} sites, {len(history)} earlier holdings"
