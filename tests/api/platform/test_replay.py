"""Every route marked REPLAY: a token client asking again is answered from what was sent, with
no statement, the same bytes to every role that may read it; a change or a made-up token goes
the whole way."""

from __future__ import annotations

import gzip

from litestar.testing import TestClient

from bench.run import counting
from facilities.app import create_app
from facilities.core.http import REPLAY
from tests.factories import ANY_VERSION, auth_headers, delivered

ROLES = ("admin", "staff", "executive", "liaison")


def replayed_paths(app) -> list[str]:
    handlers = [
        (route.path, h) for route in app.routes for h in getattr(route, "route_handlers", [])
    ]
    paths = sorted({path for path, handler in handlers if handler.opt.get(REPLAY)})
    assert all("{" not in path for path in paths), "a replayed route with a path parameter"
    return paths


def test_every_replayed_route_answers_every_role_again_without_a_statement(settings, client):
    paths = replayed_paths(client.app)
    assert {"/api/v1/sites", "/api/v1/ownership/summary", "/api/v1/reports/rent-reduction"} <= set(
        paths
    )
    tokens = {role: auth_headers(settings, role) for role in ROLES}  # made before: a write
    first = {path: client.get(path) for path in paths}
    assert {path: r.status_code for path, r in first.items()} == dict.fromkeys(paths, 200)
    with counting(client.app.state.db.engine) as statements:
        for role in ROLES:
            for path in paths:
                again = client.get(path, headers=tokens[role])
                assert (again.status_code, again.content) == (200, first[path].content), path
                assert again.headers["content-type"] == first[path].headers["content-type"]
                assert again.headers["x-content-type-options"] == "nosniff"
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == len(ROLES) and all("api_tokens" in read for read in reads)
    # each role's token looked up once; no answer computed again
    assert len(client.app.asgi_handler.answers) == len(paths)


def test_a_replayed_answer_is_compressed_as_asked(client):
    for path in replayed_paths(client.app):
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        for _ in range(2):
            with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as answer:
                raw = b"".join(answer.iter_raw())
            assert answer.headers["content-encoding"] == "gzip", path
            assert gzip.decompress(raw) == plain.content, path


def test_a_change_is_seen_at_once_by_every_replayed_route(settings, client):
    paths = replayed_paths(client.app)
    for _ in range(2):
        before = {path: client.get(path).content for path in paths}
    summary = client.get("/api/v1/ownership/summary").json()
    watcher = client.app.state.cache.watcher
    start = watcher.current()
    changed = client.patch(
        "/api/v1/sites/KEE-SS", json={"ownership": "owned", "name": "Keelung (own)"},
        headers=ANY_VERSION,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    delivered(watcher, start)
    after = client.get("/api/v1/ownership/summary").json()
    assert after["ownership"]["owned"]["count"] == summary["ownership"]["owned"]["count"] + 1
    with TestClient(create_app(settings)) as fresh:  # nothing cached: the whole way
        fresh.headers.update(auth_headers(settings, "admin"))
        for path in paths:
            assert client.get(path).content == fresh.get(path).content, path
    assert client.get("/api/v1/sites").content != before["/api/v1/sites"]


def test_a_made_up_or_missing_token_is_refused_on_a_replayed_route(client):
    for path in replayed_paths(client.app):
        assert client.get(path).status_code == 200
        for headers in ({"Authorization": "Bearer nia_made_up"}, {"Authorization": "Basic x"}):
            refused = client.get(path, headers=headers)
            assert refused.status_code == 401, path
            assert refused.headers["content-type"].startswith("application/problem+json")
    token = client.headers.pop("authorization")
    try:
        for path in replayed_paths(client.app):
            assert client.get(path).status_code == 401, path
    finally:
        client.headers["authorization"] = token
