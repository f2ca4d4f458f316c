"""Every write endpoint x every role, and no login: the expected 2xx / 401 / 403, and nothing
changed on a refusal (the database-wide data version, bumped by every write, stays put)."""

from __future__ import annotations

import pytest

from facilities.core.settings import Settings
from tests.factories import (
    AFTER_THE_SEED,
    ANY_VERSION,
    everything,
    lease_payload,
    progress_payload,
    site_payload,
)

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
}  # fmt: skip
EXPECTED = {None: 401, "liaison": 403, "executive": 403, "staff": "2xx", "admin": "2xx"}


def write_operations(client) -> list[tuple[str, str]]:
    schema = client.get("/schema/openapi.json").json()
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "patch", "put", "delete"}
    )


def an_alert(db) -> int:
    from facilities.core.settings import SEED_DATA_DATE
    from facilities.jobs.alerts import AlertCandidate, raise_alerts

    def source(session, as_of, settings):
        return [AlertCandidate("test", "role-matrix", "site", "KHH-SOT", "for the role matrix")]

    with db.session() as session:
        return raise_alerts(session, SEED_DATA_DATE, [source], Settings())[0].id


def test_every_write_operation_has_a_sample(client):
    assert set(write_operations(client)) == set(WRITE_SAMPLES)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_write_endpoint_for_every_role(client, client_as, db, role):
    alert = an_alert(db)
    actor = client_as(role, on=AFTER_THE_SEED)  # the next monthly report is due
    for (method, _), (path, body) in sorted(WRITE_SAMPLES.items()):
        before = everything(db)
        headers = ANY_VERSION  # every update needs If-Match; a new record ignores it
        response = actor.request(
            method.upper(), path.format(alert=alert), json=body, headers=headers
        )
        expected = EXPECTED[role]
        if expected == "2xx":
            assert 200 <= response.status_code < 300, (method, path, response.text)
            assert everything(db) != before
        else:
            assert response.status_code == expected, (method, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert everything(db) == before, f"{method} {path} changed data for {role}"
