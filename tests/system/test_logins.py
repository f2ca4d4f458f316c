"""Logins against real servers: the client address as the socket sees it (X-Forwarded-For only
from a trusted proxy), the count shared by two worker processes under concurrent tries, and a
person in Chromium logging in through the form, out again, and a captured cookie refused."""

from __future__ import annotations

import re
import threading
from collections import Counter

import httpx
from click.testing import CliRunner
from sqlalchemy import select

from facilities.auth.models import LoginAttempt
from facilities.cli import main
from tests.factories import cli_env
from tests.system.browser import chromium
from tests.system.server import running_server

PASSWORD = "correct horse battery"
PER_NAME = 10


def make_user(settings, name: str = "officer", role: str = "executive") -> None:
    result = CliRunner().invoke(
        main, ["users", "create", name, "--role", role, "--password-stdin"],
        input=PASSWORD + "\n", env=cli_env(settings),
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def form(http: httpx.Client, name: str, password: str) -> dict[str, str]:
    page = http.get("/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    return {"username": name, "password": password, "_csrf_token": csrf, "next": "/"}


def try_login(http: httpx.Client, name: str, password: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return http.post("/login", data=form(http, name, password), headers=headers)


def counted_clients(db) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(LoginAttempt.client).order_by(LoginAttempt.id)))


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings, db):
    with running_server(settings) as base, httpx.Client(base_url=base, timeout=60) as http:
        codes = [
            try_login(http, f"user{i}", "guess", f"203.0.113.{i}").status_code for i in range(32)
        ]
    assert codes == [401] * 30 + [429] * 2
    assert set(counted_clients(db)) == {"127.0.0.1"}


def test_a_trusted_proxys_forwarded_for_names_the_client(settings, db):
    make_user(settings)
    env = {"FACILITIES_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}
    with (
        running_server(settings, env=env) as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        spray = [
            try_login(http, f"user{i}", "guess", f"203.0.113.{i}").status_code for i in range(32)
        ]
        assert spray == [401] * 32  # 32 clients, each with one try
        forged = try_login(http, "user0", "guess", "198.51.100.1, 203.0.113.40, 10.2.3.4")
        assert forged.status_code == 401
        assert counted_clients(db)[-1] == "203.0.113.40"  # the one the proxies reported
        same_name = [
            try_login(http, "officer", "guess", f"198.51.100.{i}").status_code
            for i in range(PER_NAME + 1)
        ]
        assert same_name == [401] * PER_NAME + [429]  # the name's limit still holds
    assert counted_clients(db)[:32] == [f"203.0.113.{i}" for i in range(32)]


def test_concurrent_tries_on_two_workers_stay_within_the_limit(settings, db):
    make_user(settings)
    tries = 24
    with running_server(settings, workers=2) as base:
        barrier, codes = threading.Barrier(tries), Counter()

        def guess(n: int) -> None:
            with httpx.Client(base_url=base, timeout=120) as http:
                data = form(http, "officer", f"guess {n}")
                barrier.wait()
                codes[http.post("/login", data=data).status_code] += 1

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(tries)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(codes) <= {401, 429}, codes
        assert 1 <= codes[401] <= PER_NAME and codes[401] + codes[429] == tries, codes
        with httpx.Client(base_url=base, timeout=60) as http:
            right = try_login(http, "officer", PASSWORD).status_code
            assert right == (429 if codes[401] == PER_NAME else 303)  # tries left, or none
    assert len(counted_clients(db)) <= PER_NAME


def test_a_person_logs_in_and_out_in_chromium_and_a_captured_cookie_dies(settings):
    make_user(settings)
    with running_server(settings) as base, chromium({}) as visit:
        page = visit.page
        page.goto(f"{base}/dashboard")
        assert page.url == f"{base}/login?next=/dashboard"
        page.fill("#username", "officer")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.url == f"{base}/dashboard"
        cookies = page.context.cookies()
        session = next(c for c in cookies if c["name"] == "nia_session")
        assert session["httpOnly"] and session["sameSite"] == "Lax"
        csrf = next(c["value"] for c in cookies if c["name"] == "csrftoken")
        logout = page.context.request.post(
            f"{base}/logout", headers={"x-csrftoken": csrf}, max_redirects=0
        )
        assert logout.status == 303
        with httpx.Client(base_url=base, timeout=60) as thief:
            thief.cookies.set("nia_session", session["value"])
            refused = thief.get("/dashboard", headers={"accept": "text/html"})
            assert refused.status_code == 303
            assert refused.headers["location"] == "/login?next=/dashboard"
            assert thief.get("/api/v1/sites").status_code == 401
        page.goto(f"{base}/dashboard")
        assert page.url == f"{base}/login?next=/dashboard"
        for i in range(PER_NAME + 1):
            page.fill("#username", "officer")
            page.fill("#password", f"guess {i}")
            with page.expect_navigation():
                page.click("button[type=submit]")
        error = page.get_by_role("alert").inner_text()
        assert "登入失敗次數過多" in error and "Too many failed logins" in error
        assert visit.outside == []
