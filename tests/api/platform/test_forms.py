"""Every form a page posts, for every role logged in through the login form: the roles that may
not change anything get a 403 page and nothing changes; a post without its CSRF token changes
nothing for anyone; the roles that may get past the guard (the form's own rules then apply)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from facilities.app import create_app
from facilities.auth.models import Role
from facilities.auth.services import create_user
from facilities.cli import main
from facilities.core.db import Database
from tests.factories import AFTER_THE_SEED, an_alert, cli_env, everything

PASSWORD = "correct horse battery"
SITES_CSV = (
    "code,name,name_zh,county,site_type,ownership,ownership_since,address_zh,lat,lon,"
    "floor_area_m2,lending_agency,loan_end_date,state_land_obtained,closed_on,provenance\n"
    "FORM-1,Form Station,表單站,Keelung City,service_station,owned,2014-01-01,基隆市,25.13,"
    "121.74,100,,,false,,illustrative\n"
)
# Every page form (a POST the OpenAPI document does not list), with a request it accepts.
FORMS = {
    "/sites/import": ("/sites/import", None, {"data": ("sites.csv", SITES_CSV, "text/csv")}),
    "/leases/{lease_id}/rents": ("/leases/1/rents", {"fiscal_year": "2015", "rent_ntd": "1"},
                                 None),
    "/projects/{code}/progress": ("/projects/SDC-KHH/progress", {
        "data_date": "2014-07-31", "percent_complete": "90", "spent_to_date_ntd": "180000000",
        "reason": "rain"}, None),
    "/projects/{code}/progress/correct": ("/projects/SDC-KHH/progress/correct", {
        "data_date": "2014-06-30", "percent_complete": "83.4", "spent_to_date_ntd": "173536755",
        "correction_reason": "checked", "etags": "2014-06-30=*"}, None),
    "/milestones/{milestone_id}": ("/milestones/4", {"etag": "*", "percent_complete": "75"},
                                   None),
    "/alerts/{alert_id}/ack": ("/alerts/{alert}/ack", {"etag": "*"}, None),
    "/admin/users/{name}": ("/admin/users/executive", {"change": "disable"}, None),
    "/admin/import": ("/admin/import", None, "the register"),
}  # fmt: skip
ADMIN_ONLY = {"/admin/users/{name}", "/admin/import"}
WRITERS = {"staff", "admin"}


@pytest.fixture
def people(settings, tmp_path):
    exported = tmp_path / "register.xlsx"  # the register as exported imports as it is
    result = CliRunner().invoke(main, ["export", "workbook", str(exported)], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    moved = replace(settings, as_of=AFTER_THE_SEED)
    db = Database(moved)
    with db.session(write=True) as session:
        for role in Role:
            create_user(session, role.value, role, PASSWORD)
    alert = an_alert(db)
    yield moved, db, alert, exported.read_bytes()
    db.dispose()


def page_forms(app) -> set[str]:
    """The POST routes people reach through pages (not in the API's document), but the login's."""
    return {
        route.path_format if hasattr(route, "path_format") else route.path
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if "POST" in handler.http_methods and not handler.include_in_schema
        and route.path not in {"/login", "/logout"}
    }  # fmt: skip


def logged_in(settings, role: str) -> tuple[TestClient, str]:
    browser = TestClient(create_app(settings)).__enter__()
    page = browser.get("/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": role, "password": PASSWORD, "next": "/", "_csrf_token": csrf}
    assert browser.post("/login", data=form, follow_redirects=False).status_code == 303
    return browser, browser.cookies.get("csrftoken")


def send(browser, path, form, files, csrf: str | None, alert: int, workbook: bytes):
    data = dict(form or {}) | ({"_csrf_token": csrf} if csrf else {})
    if files == "the register":
        files = {"workbook": ("register.xlsx", workbook, "application/octet-stream")}
    return browser.post(path.replace("{alert}", str(alert)), data=data, files=files,
                        headers={"accept": "text/html"}, follow_redirects=False)  # fmt: skip


def test_every_page_form_has_a_sample(people):
    settings, *_ = people
    with TestClient(create_app(settings)) as browser:
        assert {re.sub(r"\{(\w+):\w+\}", r"{\1}", p) for p in page_forms(browser.app)} == set(FORMS)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_page_form_for_every_role(people, role):
    settings, db, alert, workbook = people
    browser, csrf = logged_in(settings, role)
    try:
        for route, (path, form, files) in FORMS.items():
            before = everything(db)
            refused = send(browser, path, form, files, None, alert, workbook)
            assert refused.status_code == 403, (role, route, refused.text[:300])
            assert everything(db) == before, (role, route, "changed without a CSRF token")
            response = send(browser, path, form, files, csrf, alert, workbook)
            allowed = role == "admin" or (role in WRITERS and route not in ADMIN_ONLY)
            if allowed:
                said = re.findall(r"<li>.*?</li>", response.text)
                assert response.status_code in {200, 303}, (role, route, said)
            else:
                assert response.status_code == 403, (role, route)
                assert response.headers["content-type"].startswith("text/html")
                assert "403 · 無此權限 Forbidden" in response.text
                assert everything(db) == before, (role, route)
    finally:
        browser.__exit__(None, None, None)
