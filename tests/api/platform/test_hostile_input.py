"""Hostile input, tested by class: every text, integer and date field of every write
operation's body (read from the OpenAPI document), every update route, every GET route's
query. Each gets a clear 400 / 412 / 428, never a 5xx, and nothing is half-written."""

from __future__ import annotations

import pytest

from tests.factories import (
    AFTER_THE_SEED,
    ANY_VERSION,
    WRITE_SAMPLES,
    an_alert,
    everything,
    sample_request,
)

REPLACED_WHOLE = ("/ack", "/pipeline/{county}")
"""Updates by POST or PUT: they too need the record's current version."""
UPDATES = sorted(k for k, (_url, body) in WRITE_SAMPLES.items()
                 if k[0] in ("patch", "delete") or k[1].endswith(REPLACED_WHOLE))  # fmt: skip
BODIES = sorted(k for k, (_url, body) in WRITE_SAMPLES.items() if body is not None)


@pytest.fixture
def staff(client_as):
    return client_as("staff", on=AFTER_THE_SEED)


def body_schema(client, method: str, path: str) -> dict:
    spec = client.get("/schema/openapi.json").json()
    ref = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def kinds(schema: dict) -> dict[str, dict]:
    """Each property's own schema: the first non-null one of a union, with the constraints the
    union states beside it."""
    found = {}
    for name, prop in schema["properties"].items():
        options = prop.get("oneOf") or prop.get("anyOf") or [prop]
        outer = {k: v for k, v in prop.items() if k not in ("oneOf", "anyOf")}
        found[name] = outer | next((o for o in options if o.get("type") != "null"), prop)
    return found


def refused(client, db, method, url, body, status) -> None:
    before = everything(db)
    response = client.request(method.upper(), url, json=body, headers=ANY_VERSION)
    assert response.status_code == status, (method, url, body, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json")
    assert everything(db) == before, f"{method} {url} wrote something"


@pytest.mark.parametrize(("method", "path"), BODIES)
def test_every_field_of_every_body(client, staff, db, method, path):
    url, body = sample_request(method, path, an_alert(db, f"{method}{path}"))
    schema = body_schema(client, method, path)
    assert schema.get("additionalProperties") is False
    refused(staff, db, method, url, body | {"surprise": 1}, 400)
    refused(staff, db, method, url, "[" * 5000 + "]" * 5000, 400)
    for name, prop in kinds(schema).items():
        if prop.get("type") == "string" and prop.get("format") == "date":
            for day in ("0001-01-01", "1989-12-31", "2101-01-01"):
                refused(staff, db, method, url, body | {name: day}, 400)
        elif prop.get("type") == "string" and "enum" not in prop and "pattern" not in prop:
            assert "maxLength" in prop, f"{path} {name}: the document states no limit"
            refused(staff, db, method, url, body | {name: "a\u0000b"}, 400)
            refused(staff, db, method, url, body | {name: "字" * (prop["maxLength"] + 1)}, 400)
            longest = staff.request(method.upper(), url, headers=ANY_VERSION,
                                    json=body | {name: "字" * prop["maxLength"]})  # fmt: skip
            assert longest.status_code < 500, (path, name, longest.text[:300])
        elif prop.get("type") == "integer":
            refused(staff, db, method, url, body | {name: "5"}, 400)
            refused(staff, db, method, url, body | {name: 5.5}, 400)


@pytest.mark.parametrize(("method", "path"), UPDATES)
def test_every_update_needs_the_current_version(staff, db, method, path):
    url, body = sample_request(method, path, an_alert(db, f"{method}{path}"))
    for headers, status in (({}, 428), ({"If-Match": '"0-0"'}, 412)):
        before = everything(db)
        response = staff.request(method.upper(), url, json=body, headers=headers)
        assert response.status_code == status, (method, url, response.text[:300])
        assert everything(db) == before


def test_a_nul_in_any_query_is_a_400(client):
    spec = client.get("/schema/openapi.json").json()
    gets = [p for p, ops in spec["paths"].items() if "get" in ops and "{" not in p]
    assert len(gets) >= 8
    for path in gets:
        response = client.get(path, params={"q": "a\x00b"})
        assert response.status_code == 400, (path, response.text[:200])
