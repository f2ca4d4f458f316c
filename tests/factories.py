"""What tests build again and again, made in one place: logins, job runs, and valid request
bodies for every register (each a function taking the fields a test changes)."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import MetaData, select

from facilities.auth.models import Role
from facilities.auth.services import create_token
from facilities.core.db import Database
from facilities.core.settings import SEED_DATA_DATE, Settings
from facilities.domains import job_specs
from facilities.jobs import scheduler
from facilities.jobs.alerts import AlertCandidate, raise_alerts

_tokens = itertools.count()
AFTER_THE_SEED = date(2014, 7, 31)
"""A product date a month after the seed's data date: the next monthly report is due."""


def auth_headers(settings: Settings, role: str) -> dict[str, str]:
    """A bearer token of the role, made in the test's database."""
    db = Database(settings)
    with db.session(write=True) as session:
        token = create_token(session, f"test-{role}-{next(_tokens)}", Role(role))
    db.dispose()
    return {"Authorization": f"Bearer {token}"}


def run_job(db: Database, settings: Settings, name: str, as_of: date | None = None) -> str:
    """Run one of the product's jobs by name, as `facilities jobs run NAME` does."""
    return scheduler.run_job(db, settings, scheduler.by_id(job_specs())[name], as_of)


def site_payload(**fields: Any) -> dict[str, Any]:
    """A new leased office in Taipei, valid as it stands."""
    return {
        "code": "TEST-1", "name": "Test office", "name_zh": "測試據點", "county": "Taipei City",
        "site_type": "service_station", "ownership": "leased", "lat": 25.0, "lon": 121.5,
        "floor_area_m2": 100,
    } | fields  # fmt: skip


def lease_payload(**fields: Any) -> dict[str, Any]:
    """A lease on a leased seed office, after its current lease, valid as it stands."""
    return {
        "site_code": "KHH-SS1", "landlord": "Test landlord", "start_date": "2030-01-01",
        "end_date": "2033-12-31", "leased_floor_area_m2": 500,
        "contracted_annual_rent_ntd": 2_000_000,
    } | fields  # fmt: skip


def progress_payload(**fields: Any) -> dict[str, Any]:
    """The Yilan center's next monthly report, a month after the seed's last (filed on
    AFTER_THE_SEED), behind plan with a reason."""
    return {
        "data_date": "2014-07-31", "percent_complete": 3.8, "spent_to_date_ntd": 8_100_000,
        "reason": "test",
    } | fields  # fmt: skip


def keelung_moves_in(**fields: Any) -> dict[str, Any]:
    """The Keelung office leaves rented space for the transferred state land in May 2014."""
    return {
        "ownership": "owned", "ownership_effective_date": "2014-05-01",
        "ownership_note": "moved onto the transferred state land",
    } | fields  # fmt: skip


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment a `facilities` command reads, for the test's database."""
    return {
        "DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir),
        "FACILITIES_AS_OF": str(settings.as_of or ""),
    } | extra  # fmt: skip


ANY_VERSION = {"If-Match": "*"}
"""For a test whose subject is not concurrency: change whatever version is current."""


def leased_office(client, code: str, leases: list[dict], rents: dict[int, int]) -> list[int]:
    """A leased office in Taipei since 2009, made through the API with its leases (in order;
    each at 1,200,000 a year unless it says) and its rent by year, recorded on the last lease
    that has begun by then. Returns the leases' ids."""
    site = site_payload(code=code, ownership_since="2009-01-01")
    response = client.post("/api/v1/sites", json=site)
    assert response.status_code == 201, response.text
    ids = []
    for lease in leases:
        body = {"site_code": code, "landlord": "測試出租人", "leased_floor_area_m2": 300,
                "contracted_annual_rent_ntd": 1_200_000} | lease  # fmt: skip
        response = client.post("/api/v1/leases", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    for year, rent in rents.items():
        lease = [i for i, x in zip(ids, leases, strict=True) if int(x["start_date"][:4]) <= year]
        response = client.put(f"/api/v1/leases/{lease[-1]}/rents/{year}", json={"rent_ntd": rent})
        assert response.status_code == 201, response.text
    return ids


def everything(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table: what "nothing was changed" compares."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
            for name, table in metadata.tables.items()
        }


UNCOMPARED_COLUMNS = {"id", "created_at", "updated_at", "loaded_at", "at", "actor"}
"""What two installs of the same register legitimately differ in: surrogate ids (rows are
created in another order), when each row was written, and who wrote it (the seed, or the person
importing)."""


def register_content(db: Database) -> dict[str, Counter]:
    """Every table's rows with their surrogate ids, timestamps and actors left out, each foreign
    key replaced by the row it points to (itself so compared): two databases holding the same
    register compare equal table by table, whatever ids their rows were given."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as conn:
        rows = {name: [dict(r._mapping) for r in conn.execute(select(table))]
                for name, table in metadata.tables.items()}  # fmt: skip
    by_id = {name: {r["id"]: r for r in found if "id" in r} for name, found in rows.items()}

    def content(table: str, row: dict) -> tuple:
        values = []
        for column in metadata.tables[table].columns:
            if column.name in UNCOMPARED_COLUMNS:
                continue
            value, keys = row[column.name], list(column.foreign_keys)
            if keys and value is not None:
                target = keys[0].column.table.name
                value = content(target, by_id[target][value])
            values.append((column.name, repr(value) if isinstance(value, dict | list) else value))
        return tuple(values)

    return {name: Counter(content(name, row) for row in found) for name, found in rows.items()}


# A valid request for every write operation in the OpenAPI schema, as (path, JSON body).
WRITE_SAMPLES: dict[tuple[str, str], tuple[str, dict | None]] = {
    ("post", "/api/v1/sites"): ("/api/v1/sites", site_payload(code="ROLE-1")),
    ("patch", "/api/v1/sites/{code}"): ("/api/v1/sites/KHH-SOT", {"floor_area_m2": 432}),
    ("post", "/api/v1/alerts/{alert_id}/ack"): ("/api/v1/alerts/{alert}/ack", None),
    ("post", "/api/v1/leases"): ("/api/v1/leases", lease_payload()),
    ("patch", "/api/v1/leases/{lease_id}"): ("/api/v1/leases/1", {"landlord": "New landlord"}),
    ("patch", "/api/v1/milestones/{milestone_id}"): (
        "/api/v1/milestones/4", {"percent_complete": 75, "note": "role matrix"}),
    ("post", "/api/v1/projects/{code}/progress"): (
        "/api/v1/projects/MSC-ILA/progress", progress_payload(reason="role matrix")),
    ("patch", "/api/v1/projects/{code}/progress/{data_date}"): (
        "/api/v1/projects/MSC-ILA/progress/2014-03-31",
        {"percent_complete": 1.0, "correction_reason": "role matrix"}),
    ("delete", "/api/v1/projects/{code}/progress/{data_date}"): (
        "/api/v1/projects/MSC-ILA/progress/2014-06-30?reason=role%20matrix", None),
    ("patch", "/api/v1/projects/{code}/budget/{first_year}"): (
        "/api/v1/projects/MSC-ILA/budget/2014", {"committed_ntd": 1_000}),
    ("put", "/api/v1/leases/{lease_id}/rents/{fiscal_year}"): (
        "/api/v1/leases/1/rents/2014", {"rent_ntd": 1_000_000}),
    ("put", "/api/v1/ownership/pipeline/{county}"): (
        "/api/v1/ownership/pipeline/基隆市", {"stage": "transfer_applied", "note": "role matrix"}),
}  # fmt: skip


def an_alert(db: Database, name: str = "role-matrix") -> int:
    """An alert raised on the seed's date, for tests that acknowledge one."""

    def source(session, as_of, settings):
        return [AlertCandidate("test", name, "site", "KHH-SOT", f"for the test {name}")]

    with db.session(write=True) as session:
        return raise_alerts(session, SEED_DATA_DATE, [source], Settings())[0].id


def sample_request(method: str, path: str, alert: int) -> tuple[str, dict | None]:
    """The sample request of a write operation, its alert id filled in."""
    url, body = WRITE_SAMPLES[(method, path)]
    return url.format(alert=alert), body


def delivered(watcher, start: int) -> None:
    """Waits until the reader's watcher has counted another process's commit: at once on SQLite
    (the pragma), on PostgreSQL when the NOTIFY arrives (milliseconds; more on a loaded machine).
    Until then the reader may answer from its cache (README, Performance)."""
    deadline = time.monotonic() + 10
    while watcher.current() == start and time.monotonic() < deadline:
        time.sleep(0.005)
    assert watcher.current() != start
