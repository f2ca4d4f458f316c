"""Every write endpoint x every role, and no login: the expected 2xx / 401 / 403, and nothing
changed on a refusal (the database-wide data version, bumped by every write, stays put)."""

from __future__ import annotations

import pytest

from tests.factories import (
    AFTER_THE_SEED,
    ANY_VERSION,
    WRITE_SAMPLES,
    an_alert,
    everything,
)

EXPECTED = {None: 401, "liaison": 403, "executive": 403, "staff": "2xx", "admin": "2xx"}


def write_operations(client) -> list[tuple[str, str]]:
    schema = client.get("/schema/openapi.json").json()
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "patch", "put", "delete"}
    )


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
