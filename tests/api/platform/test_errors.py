"""Every error answers application/problem+json, and a failed request writes nothing."""

from __future__ import annotations

from litestar import post
from litestar.testing import TestClient
from sqlalchemy import func, select

from facilities.app import create_app
from facilities.core.dependencies import DbSession
from facilities.sites.models import County, Site
from tests.factories import ANY_VERSION, auth_headers


def test_an_unexpected_failure_is_a_500_problem_and_rolls_back(settings, db):
    @post("/api/v1/boom", sync_to_thread=True)
    def boom(session: DbSession) -> None:
        session.add(County(name="Atlantis", name_zh="亞特蘭提斯", region="sea"))
        session.flush()
        raise RuntimeError("disk on fire")

    app = create_app(settings)
    app.register(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers.update(auth_headers(settings, "admin"))
        response = client.post("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "nothing was changed" in response.json()["detail"]
    assert "disk on fire" not in response.text
    with db.session() as session:
        assert session.scalar(select(func.count()).where(County.name == "Atlantis")) == 0


def test_a_constraint_broken_at_the_database_is_a_409_problem(settings, db):
    @post("/api/v1/dup", sync_to_thread=True)
    def dup(session: DbSession) -> None:
        site = session.scalar(select(Site).where(Site.code == "TPE-HQ"))
        site.code = "KHH-SS1"
        session.flush()

    app = create_app(settings)
    app.register(dup)
    with TestClient(app) as client:
        client.headers.update(auth_headers(settings, "admin"))
        response = client.post("/api/v1/dup")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    with db.session() as session:
        assert session.scalar(select(Site.code).where(Site.name.like("%Headquarters%"))) == "TPE-HQ"


def test_method_not_allowed_is_a_problem(client):
    response = client.delete("/api/v1/sites", headers=ANY_VERSION)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")


def test_options_lists_every_method_of_a_path_without_a_login(client_as):
    anonymous = client_as(None)
    expected = {
        "/api/v1/sites": "GET, HEAD, OPTIONS, POST",
        "/api/v1/sites/KHH-SS1": "GET, HEAD, OPTIONS, PATCH",
    }
    for path, allow in expected.items():
        response = anonymous.options(path)
        assert response.status_code == 204 and response.headers["allow"] == allow
