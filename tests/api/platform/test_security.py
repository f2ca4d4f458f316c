"""Logins, roles, tokens, sessions and the limits around them."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import select

from facilities.app import create_app
from facilities.auth.models import ApiToken
from facilities.cli import main
from tests.factories import ANY_VERSION

SAMPLE_VALUES = {"data_date": "2014-06-30"}
"""A path parameter's sample where "1" is not of its type."""


def concrete(path: str) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), path)


def test_every_api_path_needs_a_login(client, client_as):
    schema = client.get("/schema/openapi.json").json()
    anonymous = client_as(None)
    api_paths = [p for p in schema["paths"] if p.startswith("/api/v1")]
    assert len(api_paths) >= 4
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method in operations:
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            response = anonymous.request(method.upper(), concrete(path), json={})
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/schema/openapi.json").status_code == 401


def test_a_page_without_a_login_goes_to_the_login_page(client_as):
    response = client_as(None).get(
        "/schema", headers={"accept": "text/html"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/schema"


def test_a_wrong_token_is_refused(client_as):
    anonymous = client_as(None)
    for header in ("Bearer nia_not-a-token", "Basic dXNlcjpwYXNz", "Bearer "):
        response = anonymous.get("/api/v1/sites", headers={"Authorization": header})
        assert response.status_code == 401, header


@pytest.mark.parametrize(
    ("role", "status"), [("liaison", 403), ("executive", 403), ("staff", 200), ("admin", 200)]
)
def test_who_may_change_a_site(client, client_as, role, status):
    before = client.get("/api/v1/sites/KHH-SOT").json()
    response = client_as(role).patch(
        "/api/v1/sites/KHH-SOT", json={"floor_area_m2": 999}, headers=ANY_VERSION
    )
    assert response.status_code == status, response.text
    after = client.get("/api/v1/sites/KHH-SOT").json()
    audit = client.get("/api/v1/audit", params={"entity": "site", "id": "KHH-SOT"}).json()
    if status == 403:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert after == before and audit["total"] == 1  # only the seed's creation
    else:
        assert after["floor_area_m2"] == 999
        newest = audit["items"][0]
        assert newest["actor"].startswith(f"token:test-{role}-")
        assert newest["before"] == {"floor_area_m2": before["floor_area_m2"]}
        assert newest["after"] == {"floor_area_m2": 999}


@pytest.mark.parametrize(("role", "status"), [("liaison", 403), ("executive", 200), ("staff", 200)])
def test_who_may_read_the_audit_trail(client_as, role, status):
    assert client_as(role).get("/api/v1/audit").status_code == status


def test_every_role_reads_the_registers(client_as):
    for role in ("liaison", "executive", "staff", "admin"):
        assert client_as(role).get("/api/v1/ownership/summary").json()["total"] == 65


def test_the_audit_trail_cannot_be_changed_through_the_product(client):
    schema = client.get("/schema/openapi.json").json()
    audit_methods = {
        m for p, ops in schema["paths"].items() if p.startswith("/api/v1/audit") for m in ops
    }
    assert audit_methods <= {"get", "head"}
    for method in ("POST", "PATCH", "PUT", "DELETE"):
        assert client.request(method, "/api/v1/audit").status_code == 405


def sites_status(settings, token: str) -> int:
    """What a fresh app answers the token on the site register."""
    with TestClient(create_app(settings)) as api:
        return api.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code


def cli_env(settings):
    return {"DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir)}


def test_tokens_from_the_cli_print_once_store_a_hash_and_revoke(settings, db):
    result = CliRunner().invoke(
        main, ["tokens", "create", "ci-bot", "--role", "staff"], env=cli_env(settings)
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"nia_[A-Za-z0-9_-]{40,}", token)
    with db.session() as session:
        stored = session.scalar(select(ApiToken).where(ApiToken.name == "ci-bot"))
        assert stored.role == "staff" and token not in stored.token_sha256
    assert sites_status(settings, token) == 200
    again = CliRunner().invoke(
        main, ["tokens", "create", "ci-bot", "--role", "staff"], env=cli_env(settings)
    )
    assert again.exit_code == 1 and "already exists" in again.output
    revoked = CliRunner().invoke(main, ["tokens", "revoke", "ci-bot"], env=cli_env(settings))
    assert revoked.exit_code == 0, revoked.output
    assert sites_status(settings, token) == 401
    bad_role = CliRunner().invoke(
        main, ["tokens", "create", "x", "--role", "king"], env=cli_env(settings)
    )
    assert bad_role.exit_code == 2 and "king" in bad_role.output


def make_user(settings, name="officer", role="staff", password="correct horse battery"):
    result = CliRunner().invoke(
        main,
        ["users", "create", name, "--role", role, "--password-stdin"],
        input=password + "\n",
        env=cli_env(settings),
    )
    assert result.exit_code == 0, result.output


def login(browser: TestClient, username: str, password: str, csrf: bool = True):
    page = browser.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": username, "password": password, "next": "/api/v1/sites"}
    if csrf:
        form["_csrf_token"] = token
    return browser.post("/login", data=form, follow_redirects=False)


def test_a_person_logs_in_and_gets_a_safe_session_cookie(settings):
    make_user(settings)
    with TestClient(create_app(settings)) as browser:
        response = login(browser, "officer", "correct horse battery")
        assert response.status_code == 303 and response.headers["location"] == "/api/v1/sites"
        cookie = next(
            v
            for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("nia_session=")
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
        assert browser.get("/api/v1/sites").json()["total"] == 65
        refused = browser.patch(
            "/api/v1/sites/KHH-SOT", json={"floor_area_m2": 1}, headers=ANY_VERSION
        )
        assert refused.status_code == 401 and "bearer token" in refused.json()["detail"]
        browser.post(
            "/logout",
            data={"_csrf_token": browser.cookies.get("csrftoken")},
            headers={"x-csrftoken": browser.cookies.get("csrftoken")},
        )
        assert browser.get("/api/v1/sites").status_code == 401


def test_login_refuses_a_wrong_password_and_a_missing_csrf_token(settings):
    make_user(settings)
    with TestClient(create_app(settings)) as browser:
        assert login(browser, "officer", "wrong password!").status_code == 401
        assert login(browser, "nobody", "correct horse battery").status_code == 401
        assert login(browser, "officer", "correct horse battery", csrf=False).status_code == 403
        assert browser.get("/api/v1/sites").status_code == 401


def test_login_is_rate_limited(settings):
    with TestClient(create_app(settings)) as browser:
        codes = [login(browser, "officer", f"guess number {i}").status_code for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[-1] == 429


def test_users_need_a_real_password(settings):
    result = CliRunner().invoke(
        main,
        ["users", "create", "x", "--role", "staff", "--password-stdin"],
        input="short\n",
        env=cli_env(settings),
    )
    assert result.exit_code == 1 and "at least 10 characters" in result.output


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_a_body_too_large_is_refused(client):
    response = client.post(
        "/api/v1/sites",
        content=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert client.get("/api/v1/sites", params={"limit": 1}).json()["total"] == 65
