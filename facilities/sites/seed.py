"""Loading the site register's seed through the same services and checks as the API and
`facilities import sites`: seed/counties.csv (reference data, in an empty install too),
seed/sites.csv and seed/ownership_history.csv (each site's earlier holdings); and
seed/pipeline.csv, each county's road to owning its sites, moved stage by stage through the same
service as `PUT /api/v1/ownership/pipeline/{county}`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from facilities.core.files import read_csv_rows
from facilities.core.settings import SEED_DATA_DATE
from facilities.sites.files import read_sites
from facilities.sites.services import (
    add_county,
    ensure_pipelines,
    import_sites,
    move_stage,
    record_earlier_holding,
)

ACTOR = "seed"


def load_counties(session: Session, seed_dir: Path) -> str:
    """Taiwan's counties and cities: reference data every agency's register names its sites
    by, loaded by an empty install too."""
    counties = read_csv_rows(seed_dir / "counties.csv")
    for row in counties:
        add_county(session, row["name"], row["name_zh"], row["region"])
    return f"{len(counties)} counties"


def load_sites(session: Session, seed_dir: Path) -> str:
    result = import_sites(session, read_sites(seed_dir / "sites.csv"), actor=ACTOR,
                          today=SEED_DATA_DATE)  # fmt: skip
    history = read_csv_rows(seed_dir / "ownership_history.csv")
    for row in history:
        record_earlier_holding(session, row["site_code"], row["ownership"],
                               date.fromisoformat(row["effective_date"]), row["note"],
                               actor=ACTOR)  # fmt: skip
    return f"{len(result.created)} sites, {len(history)} earlier holdings"


def load_pipeline(session: Session, seed_dir: Path) -> str:
    ensure_pipelines(session)
    rows = read_csv_rows(seed_dir / "pipeline.csv")
    for row in rows:
        fields = {"stage": row["stage"], "reached_on": date.fromisoformat(row["reached_on"]),
                  "site": row["site_code"] or None, "project_code": row["project_code"] or None,
                  "note": row["note"], "provenance": row["provenance"]}  # fmt: skip
        move_stage(session, row["county"], fields, "*", actor=ACTOR, today=SEED_DATA_DATE)
    return f"{len(rows)} pipeline stages"
