"""The login rate limit: keyed on the client as the socket sees it and on the user name,
counted in the database so that every process shares it, and not bypassed by a made-up
X-Forwarded-For, a right password, or another process. Two app instances on one database stand
for two server processes; the real servers and trusted proxies are in tests/system."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import func, select

from facilities.app import create_app
from facilities.auth.login import client_address
from facilities.auth.models import LoginAttempt
from facilities.cli import main
from facilities.core.settings import Settings, SettingsError
from tests.factories import cli_env

PASSWORD = "correct horse battery"
PER_NAME, PER_CLIENT, WINDOW = 10, 30, 600
"""The defaults."""
_forwarded = itertools.count(1)


def make_user(settings, name: str = "officer") -> None:
    result = CliRunner().invoke(
        main, ["users", "create", name, "--role", "staff", "--password-stdin"],
        input=PASSWORD + "\n", env=cli_env(settings),
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def forged() -> dict[str, str]:
    """A different X-Forwarded-For on every try, as the tester sent."""
    n = next(_forwarded)
    return {"X-Forwarded-For": f"203.0.{n // 250}.{n % 250 + 1}"}


def try_login(browser: TestClient, name: str, password: str, headers: dict | None = None):
    page = browser.get("/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": name, "password": password, "_csrf_token": csrf, "next": "/"}
    return browser.post("/login", data=form, headers=headers or {}, follow_redirects=False)


@pytest.fixture
def apps(settings) -> Iterator:
    opened: list[TestClient] = []

    def make() -> TestClient:
        browser = TestClient(create_app(settings)).__enter__()
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        browser.__exit__(None, None, None)


def attempts(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(LoginAttempt))


def move_back(db, by: timedelta, first: int | None = None) -> None:
    """Move attempts (all, or the `first` oldest) back in time, as if the time had passed."""
    with db.session(write=True) as session:
        for attempt in session.scalars(select(LoginAttempt).order_by(LoginAttempt.id).limit(first)):
            attempt.at -= by


def pass_the_window(db) -> None:
    move_back(db, timedelta(seconds=WINDOW))


def assert_limited(response) -> None:
    assert response.status_code == 429, response.text
    assert 0 < int(response.headers["retry-after"]) <= WINDOW
    assert response.headers["content-type"].startswith("text/html")
    assert "登入失敗次數過多" in response.text and "Too many failed logins" in response.text
    assert 'name="_csrf_token"' in response.text  # the form, to try again later


def test_forty_wrong_passwords_for_one_name_with_forged_forwarded_for(settings, apps):
    make_user(settings)
    browser = apps()
    codes = [try_login(browser, "officer", f"guess {i}", forged()).status_code for i in range(40)]
    assert codes == [401] * PER_NAME + [429] * (40 - PER_NAME)
    assert_limited(try_login(browser, "officer", "guess again", forged()))


def test_forty_wrong_passwords_over_many_names_with_forged_forwarded_for(settings, apps):
    browser = apps()
    codes = [try_login(browser, f"user{i}", f"guess {i}", forged()).status_code for i in range(40)]
    assert codes == [401] * PER_CLIENT + [429] * (40 - PER_CLIENT)
    make_user(settings, "officer")
    assert_limited(try_login(browser, "officer", PASSWORD))  # this client's tries are used up


def test_the_right_password_after_the_limit_waits_for_the_window(settings, apps, db):
    make_user(settings)
    browser = apps()
    for i in range(PER_NAME):
        assert try_login(browser, "officer", f"guess {i}").status_code == 401
    assert_limited(try_login(browser, "officer", PASSWORD))
    assert_limited(try_login(apps(), "officer", PASSWORD))  # another process, the same count
    assert browser.get("/api/v1/sites").status_code == 401  # no session was opened
    pass_the_window(db)
    response = try_login(browser, "officer", PASSWORD)
    assert response.status_code == 303, response.text
    assert browser.get("/api/v1/sites").status_code == 200


def test_two_processes_share_the_count(settings, apps):
    make_user(settings)
    first, second = apps(), apps()
    codes = [
        try_login(browser, "officer", f"guess {i}").status_code
        for i, browser in zip(range(14), itertools.cycle([first, second]), strict=False)
    ]
    assert codes == [401] * PER_NAME + [429] * 4


def test_the_retry_after_is_when_the_oldest_failure_leaves_the_window(settings, apps, db):
    make_user(settings)
    browser = apps()
    for i in range(PER_NAME):
        assert try_login(browser, "officer", f"guess {i}").status_code == 401
    move_back(db, timedelta(minutes=9), first=3)  # the oldest three failed 9 minutes ago
    response = try_login(browser, "officer", PASSWORD)
    assert response.status_code == 429
    assert 55 <= int(response.headers["retry-after"]) <= 60
    assert "請於 1 分鐘後再試" in response.text and "try again in 1 minute." in response.text


def test_refused_tries_do_not_lengthen_the_wait_and_old_ones_are_cleaned(settings, apps, db):
    make_user(settings)
    browser = apps()
    for i in range(PER_NAME + 5):
        try_login(browser, "officer", f"guess {i}")
    assert attempts(db) == PER_NAME  # the five refused before their password was checked
    pass_the_window(db)
    assert try_login(browser, "officer", "one more guess").status_code == 401
    assert attempts(db) == 1  # the expired ones deleted on the way


def test_a_right_password_is_not_counted(settings, apps, db):
    make_user(settings)
    browser = apps()
    for _ in range(PER_NAME + 2):
        assert try_login(browser, "officer", PASSWORD).status_code == 303
    assert attempts(db) == 0


def test_an_api_client_gets_problem_json(settings, apps):
    make_user(settings)
    browser = apps()
    json = {"Accept": "application/json"}
    wrong = try_login(browser, "officer", "guess", json)
    assert wrong.status_code == 401
    assert wrong.headers["content-type"].startswith("application/problem+json")
    for i in range(PER_NAME - 1):
        try_login(browser, "officer", f"guess {i}")
    limited = try_login(browser, "officer", PASSWORD, json)
    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(limited.headers["retry-after"]) <= WINDOW
    body = limited.json()
    assert body["status"] == 429 and "try again in" in body["detail"]


@pytest.mark.parametrize(
    "name", ["officer\x00", "x" * 5000, "會" * 101, " officer", "OFFICER", "' OR 1=1 --"]
)
def test_odd_names_are_counted_and_refused_not_errors(settings, name):
    make_user(settings)
    with TestClient(create_app(replace(settings, login_tries_per_name=2))) as browser:
        codes = [try_login(browser, name, PASSWORD).status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        assert try_login(browser, "officer", PASSWORD).status_code == 303  # another name


def test_the_limits_come_from_the_settings(settings):
    make_user(settings)
    fewer = replace(settings, login_tries_per_client=3, login_window_seconds=60)
    with TestClient(create_app(fewer)) as browser:
        codes = [try_login(browser, f"user{i}", "guess").status_code for i in range(4)]
        assert codes == [401, 401, 401, 429]
        assert 0 < int(try_login(browser, "officer", PASSWORD).headers["retry-after"]) <= 60


TRUSTED = ("10.0.0.0/8", "192.168.1.5/32", "fd00::/8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("198.51.100.7", ["203.0.113.9"], "198.51.100.7"),  # not a proxy: header ignored
        ("testclient", ["203.0.113.9"], "testclient"),
        (None, ["203.0.113.9"], "unknown"),
        ("10.1.2.3", [], "10.1.2.3"),
        ("10.1.2.3", ["203.0.113.9"], "203.0.113.9"),
        ("10.1.2.3", ["1.1.1.1, 203.0.113.9"], "203.0.113.9"),  # the client wrote 1.1.1.1
        ("10.1.2.3", ["1.1.1.1, 203.0.113.9, 192.168.1.5"], "203.0.113.9"),  # two proxies
        ("10.1.2.3", ["1.1.1.1", "203.0.113.9"], "203.0.113.9"),  # two header lines
        ("10.1.2.3", ["10.9.9.9, 10.8.8.8"], "10.9.9.9"),  # all proxies: the farthest
        ("10.1.2.3", ["203.0.113.9, not-an-address"], "10.1.2.3"),
        ("10.1.2.3", ["203.0.113.9:4711"], "10.1.2.3"),
        ("fd00::1", ["2001:db8::5"], "2001:db8::5"),
        ("192.168.1.6", ["203.0.113.9"], "192.168.1.6"),
    ],
)
def test_the_client_address(peer, forwarded, client):
    assert client_address(peer, forwarded, TRUSTED) == client


def test_trusted_proxies_are_read_and_checked():
    env = {"FACILITIES_TRUSTED_PROXIES": " 10.0.0.5, 10.1.0.0/16 ,::1,"}
    assert Settings.from_env(env).trusted_proxies == ("10.0.0.5/32", "10.1.0.0/16", "::1/128")
    assert Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(SettingsError, match="FACILITIES_TRUSTED_PROXIES"):
        Settings.from_env({"FACILITIES_TRUSTED_PROXIES": "10.0.0.5,proxy.example"})
    with pytest.raises(SettingsError, match="FACILITIES_LOGIN_TRIES_PER_NAME"):
        Settings.from_env({"FACILITIES_LOGIN_TRIES_PER_NAME": "0"})
