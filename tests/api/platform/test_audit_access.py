"""The audit trail (who changed what) is for the roles that may read it, on every route that
answers with any part of it, not only on /api/v1/audit."""

from __future__ import annotations

import re
from typing import Any

import pytest

AUDIT_READERS = {"liaison": 403, "executive": 200, "staff": 200, "admin": 200}


def _mentions(schema: Any, field: str, components: dict, seen: set[str]) -> bool:
    """Whether the schema (following $refs) has a property named `field` anywhere inside."""
    if isinstance(schema, list):
        return any(_mentions(s, field, components, seen) for s in schema)
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _mentions(components.get(name, {}), field, components, seen)
    if field in schema.get("properties", {}):
        return True
    return any(_mentions(v, field, components, seen) for v in schema.values())


def routes_answering_with(schema: dict, field: str) -> list[str]:
    """GET paths whose 200 answer carries the field."""
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        if _mentions(answer.get("content", {}), field, components, set()):
            found.append(path)
    return sorted(found)


def test_the_audit_trail_is_found_on_more_than_one_route(client):
    paths = routes_answering_with(client.get("/schema/openapi.json").json(), "actor")
    assert {"/api/v1/audit", "/api/v1/milestones/{milestone_id}/history"} <= set(paths)


@pytest.mark.parametrize(("role", "status"), sorted(AUDIT_READERS.items()))
def test_every_route_answering_with_the_audit_trail_is_for_its_readers(
    client, client_as, role, status
):
    change = client.patch(
        "/api/v1/milestones/1", json={"note": "who changed this"}, headers={"If-Match": "*"}
    )
    assert change.status_code == 200, change.text
    paths = routes_answering_with(client.get("/schema/openapi.json").json(), "actor")
    reader = client_as(role)
    for path in paths:
        response = reader.get(re.sub(r"\{[^}]+\}", "1", path))
        assert response.status_code == status, (role, path, response.text)
        if status == 403:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert "who changed this" not in response.text and "actor" not in response.text
        else:
            assert response.json()["items"][0]["actor"].startswith("token:test-admin-")
