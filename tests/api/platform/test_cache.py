"""Cached answers follow a change made in another process; reads cost a constant number
of statements."""

from __future__ import annotations

from litestar.testing import TestClient

from bench.run import counting
from facilities.app import create_app
from tests.factories import ANY_VERSION, auth_headers, delivered, site_payload


def logged_in(settings, role="admin"):
    client = TestClient(create_app(settings))
    client.__enter__()
    client.headers.update(auth_headers(settings, role))
    return client


def test_a_change_made_by_another_process_is_seen(settings):
    reader, writer = logged_in(settings), logged_in(settings, "staff")
    try:
        assert reader.get("/api/v1/ownership/summary").json()["ownership"]["owned"]["count"] == 14
        before = {s["code"]: s for s in reader.get("/api/v1/sites").json()["items"]}
        watcher = reader.app.state.cache.watcher
        start = watcher.current()
        changed = writer.patch(
            "/api/v1/sites/KEE-SS",
            json={"ownership": "owned", "name": "Keelung (own)"},
            headers=ANY_VERSION,
        )
        assert changed.status_code == 200, changed.text
        delivered(watcher, start)
        after = {s["code"]: s for s in reader.get("/api/v1/sites").json()["items"]}
        assert after["KEE-SS"]["name"] == "Keelung (own)" != before["KEE-SS"]["name"]
        assert reader.get("/api/v1/ownership/summary").json()["ownership"]["owned"]["count"] == 15
    finally:
        reader.__exit__(None, None, None)
        writer.__exit__(None, None, None)


def test_a_cached_answer_costs_no_statement(client):
    client.get("/api/v1/sites")
    with counting(client.app.state.db.engine) as statements:
        body = client.get("/api/v1/sites").json()
    assert body["total"] == 65
    assert statements == []


def add_sites(client, n):
    for i in range(n):
        response = client.post(
            "/api/v1/sites",
            json=site_payload(
                code=f"X-{i:04d}",
                name=f"Extra {i}",
                name_zh=f"額外{i}",
                ownership=["owned", "borrowed", "leased"][i % 3],
                lending_agency="Taipei City Government" if i % 3 == 1 else None,
                loan_end_date="2016-12-31" if i % 3 == 1 else None,
            ),  # fmt: skip
        )
        assert response.status_code == 201, response.text


def statements_for(client, path, params):
    client.get("/api/v1/sites", params={"limit": 1})  # the login is looked up and held
    client.app.state.cache.clear()  # cold
    with counting(client.app.state.db.engine) as statements:
        assert client.get(path, params=params).status_code == 200
    return len(statements)


def test_statement_counts_do_not_grow_with_the_register(client):
    paths = [
        ("/api/v1/sites", {"limit": 1000}),
        ("/api/v1/ownership/summary", {}),
        ("/api/v1/sites", {"ownership": "leased", "county": "臺北市"}),
    ]
    small = [statements_for(client, path, params) for path, params in paths]
    add_sites(client, 200)
    large = [statements_for(client, path, params) for path, params in paths]
    assert small == large
    assert all(n <= 5 for n in small)
