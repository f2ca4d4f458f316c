"""People's sessions are kept on the server: logging out ends one everywhere, whoever holds a
copy of its cookie; the role is read on every request; an admin disables a user, changes their
role or password from the command line, and it takes effect on the next request of every
process. Two app instances on one database stand for two server processes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import select, update

from facilities.app import create_app
from facilities.audit.models import AuditEntry
from facilities.auth.models import User, UserSession
from facilities.cli import main
from facilities.core.orm import utcnow
from tests.factories import cli_env

PASSWORD = "correct horse battery"
COOKIE = "nia_session"


def users(settings, *args: str, password: str | None = None):
    """`facilities users ...`; the password, if any, on standard input."""
    return CliRunner().invoke(
        main, ["users", *args], input=None if password is None else password + "\n",
        env=cli_env(settings),
    )  # fmt: skip


def make_user(settings, name: str = "officer", role: str = "staff") -> None:
    result = users(settings, "create", name, "--role", role, "--password-stdin", password=PASSWORD)
    assert result.exit_code == 0, result.output


def log_in(browser: TestClient, name: str = "officer", password: str = PASSWORD):
    page = browser.get("/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": name, "password": password, "next": "/api/v1/sites", "_csrf_token": csrf}
    return browser.post("/login", data=form, follow_redirects=False)


def log_out(browser: TestClient):
    csrf = browser.cookies.get("csrftoken")
    return browser.post("/logout", data={"_csrf_token": csrf}, headers={"x-csrftoken": csrf},
                        follow_redirects=False)  # fmt: skip


@pytest.fixture
def apps(settings) -> Iterator:
    """apps(): a browser on a new app instance (a process of its own) on the test's database."""
    opened: list[TestClient] = []

    def make() -> TestClient:
        browser = TestClient(create_app(settings)).__enter__()
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        browser.__exit__(None, None, None)


def logged_in(apps, name: str = "officer") -> TestClient:
    browser = apps()
    assert log_in(browser, name).status_code == 303
    return browser


def copy_of(apps, browser: TestClient) -> TestClient:
    """Another process, and someone who captured the browser's session cookie."""
    thief = apps()
    thief.cookies.set(COOKIE, browser.cookies.get(COOKIE))
    return thief


def audit_of(db, name: str) -> list[AuditEntry]:
    with db.session() as session:
        query = select(AuditEntry).where(AuditEntry.entity == "user", AuditEntry.entity_id == name)
        return list(session.scalars(query.order_by(AuditEntry.id)))


def test_the_cookie_holds_a_random_id_and_the_database_only_its_hash(settings, apps, db):
    make_user(settings)
    browser = logged_in(apps)
    session_id = browser.cookies.get(COOKIE)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", session_id)
    with db.session() as session:
        (stored,) = session.scalars(select(UserSession.token_sha256)).all()
    assert session_id not in stored and len(stored) == 64
    assert browser.get("/api/v1/sites").json()["total"] == 65


def test_a_captured_cookie_stops_working_after_logout(settings, apps):
    make_user(settings)
    browser = logged_in(apps)
    thief = copy_of(apps, browser)
    assert thief.get("/api/v1/sites").status_code == 200
    response = log_out(browser)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert browser.get("/api/v1/sites").status_code == 401
    refused = thief.get("/api/v1/sites")
    assert refused.status_code == 401 and "log in again" in refused.json()["detail"]
    page = thief.get("/schema", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/schema"


def test_logging_out_ends_only_that_session(settings, apps):
    make_user(settings)
    office, laptop = logged_in(apps), logged_in(apps)
    log_out(office)
    assert office.get("/api/v1/sites").status_code == 401
    assert laptop.get("/api/v1/sites").status_code == 200


def test_the_role_is_read_on_every_request_not_from_the_cookie(settings, apps, db):
    make_user(settings, role="executive")
    browser = logged_in(apps)
    assert browser.get("/api/v1/audit").status_code == 200
    with db.session(write=True) as session:
        session.execute(update(User).where(User.name == "officer").values(role="liaison"))
    assert browser.get("/api/v1/audit").status_code == 403
    assert browser.get("/api/v1/sites").status_code == 200


def test_a_session_ends_after_a_working_day(settings, apps, db):
    make_user(settings)
    browser = logged_in(apps)
    with db.session() as session:
        (expires,) = session.scalars(select(UserSession.expires_at)).all()
    assert timedelta(hours=7, minutes=59) < expires - utcnow() <= timedelta(hours=8)
    with db.session(write=True) as session:
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert browser.get("/api/v1/sites").status_code == 401


@pytest.mark.parametrize(
    "cookie",
    ["", "x", "A" * 43, "A" * 10_000, "abc\x00def", "會話" * 20, "' OR 1=1 --", "%00" * 15],
)
def test_a_made_up_cookie_is_refused_not_an_error(apps, cookie):
    raw = f"{COOKIE}={cookie}".encode()
    response = apps().get("/api/v1/sites", headers={"cookie": raw})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_disabling_a_user_ends_their_sessions_everywhere_and_their_logins(settings, apps, db):
    make_user(settings)
    office, laptop = logged_in(apps), logged_in(apps)
    thief = copy_of(apps, office)
    result = users(settings, "disable", "officer")
    assert result.exit_code == 0, result.output
    assert "user officer disabled; 2 sessions ended" in result.output
    for browser in (office, laptop, thief):
        assert browser.get("/api/v1/sites").status_code == 401
    assert log_in(apps(), "officer").status_code == 401  # the right password, but disabled
    (entry,) = audit_of(db, "officer")
    assert entry.action == "disable" and entry.actor.startswith("cli:")
    assert entry.before == {"disabled_at": None} and entry.after["disabled_at"]

    assert users(settings, "enable", "officer").exit_code == 0
    assert log_in(apps(), "officer").status_code == 303
    assert [e.action for e in audit_of(db, "officer")] == ["disable", "enable"]


def test_a_new_role_ends_the_sessions_and_applies_at_the_next_login(settings, apps, db):
    make_user(settings, role="executive")
    browser = logged_in(apps)
    result = users(settings, "set-role", "officer", "liaison")
    assert result.exit_code == 0, result.output
    assert "user officer has the liaison role; 1 session ended" in result.output
    assert browser.get("/api/v1/audit").status_code == 401
    again = logged_in(apps)
    assert again.get("/api/v1/audit").status_code == 403
    assert again.get("/api/v1/milestones/1/history").status_code == 403
    assert again.get("/api/v1/sites").status_code == 200
    (entry,) = audit_of(db, "officer")
    assert (entry.action, entry.before, entry.after) == (
        "set_role", {"role": "executive"}, {"role": "liaison"},
    )  # fmt: skip
    same = users(settings, "set-role", "officer", "liaison")
    assert "0 sessions ended" in same.output and len(audit_of(db, "officer")) == 1


def test_a_new_password_ends_the_sessions_and_the_old_one(settings, apps, db):
    make_user(settings)
    browser = logged_in(apps)
    short = users(settings, "set-password", "officer", "--password-stdin", password="short")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert browser.get("/api/v1/sites").status_code == 200  # nothing changed
    new = "a much longer passphrase"
    result = users(settings, "set-password", "officer", "--password-stdin", password=new)
    assert result.exit_code == 0, result.output
    assert "user officer has a new password; 1 session ended" in result.output
    assert browser.get("/api/v1/sites").status_code == 401
    assert log_in(apps(), "officer", PASSWORD).status_code == 401
    assert log_in(apps(), "officer", new).status_code == 303
    (entry,) = audit_of(db, "officer")
    assert entry.action == "set_password" and entry.before is None and entry.after is None
    with db.session() as session:
        stored = session.scalar(select(User.password_hash).where(User.name == "officer"))
    assert new not in stored and stored.startswith("$argon2")


def test_a_new_password_from_the_prompt_is_asked_twice(settings, apps):
    make_user(settings)
    new = "typed at the prompt"
    result = CliRunner().invoke(
        main, ["users", "set-password", "officer"], input=f"{new}\n{new}\n", env=cli_env(settings)
    )
    assert result.exit_code == 0, result.output
    assert log_in(apps(), "officer", new).status_code == 303


@pytest.mark.parametrize(
    "command",
    [["disable", "nobody"], ["enable", "nobody"], ["set-role", "nobody", "staff"],
     ["set-password", "nobody", "--password-stdin"]],
)  # fmt: skip
def test_the_user_commands_name_an_unknown_user(settings, command):
    result = users(settings, *command, password=PASSWORD)
    assert result.exit_code == 1 and "no user is named 'nobody'" in result.output


def test_set_role_names_the_roles(settings):
    make_user(settings)
    result = users(settings, "set-role", "officer", "king")
    assert result.exit_code == 2 and "admin" in result.output and "liaison" in result.output
