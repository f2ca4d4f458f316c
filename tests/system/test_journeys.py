"""The journeys of ../shared/JOURNEYS.md in headless Chromium, each person logging in through
the login form (no token): each role lands on its home, the officer files progress behind plan
and meets a colleague's change on a milestone, acknowledges the Hualien lease alert; the
liaison downloads the FY2014 report in both rules. Every page answers in HTML, nothing reaches
outside the app, and a screenshot of every page at 1366 px is kept in var/screenshots/."""

from __future__ import annotations

from dataclasses import replace

import httpx
import openpyxl
import pytest

from facilities.auth.models import Role
from facilities.auth.services import create_user
from facilities.core.db import Database
from tests.factories import AFTER_THE_SEED, auth_headers, run_job
from tests.system.browser import chromium, external_urls, log_in, screenshot
from tests.system.server import running_server

PASSWORD = "correct horse battery"
HOMES = {"executive": "/dashboard", "liaison": "/reports", "staff": "/work",
         "admin": "/admin/users"}  # fmt: skip
PAGES = ["/dashboard", "/work", "/maps/ownership", "/maps/projects", "/sites", "/sites/HUA-SS",
         "/sites/import", "/leases", "/leases/1", "/projects", "/projects/SDC-KHH", "/reports",
         "/reports/rent-reduction", "/reports/relocation-savings", "/alerts", "/admin/users",
         "/admin/import", "/schema"]  # fmt: skip
ADMIN = {"/admin/users", "/admin/import"}
FORBIDDEN = {"liaison": {"/dashboard", "/work", "/sites/import", "/alerts", *ADMIN},
             "executive": {"/work", "/sites/import", *ADMIN},
             "staff": ADMIN, "admin": set()}  # fmt: skip


@pytest.fixture
def later(settings):
    """A month after the seed: the next monthly report is due, the alerts job has run."""
    moved = replace(settings, as_of=AFTER_THE_SEED)
    db = Database(moved)
    with db.session(write=True) as session:
        for role in Role:
            create_user(session, role.value, role, PASSWORD)
    run_job(db, moved, "alerts")
    db.dispose()
    return moved


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_lands_on_its_home_and_every_page_answers_in_html(later, role):
    with running_server(later) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, role, PASSWORD)
        assert page.url == f"{base}{HOMES[role]}"
        assert page.get_by_role("button", name="登出 Log out").is_visible()
        assert f"{role}" in page.locator(".nia-user").inner_text()
        for path in PAGES:
            response = page.goto(f"{base}{path}", wait_until="networkidle")
            expected = 403 if path in FORBIDDEN[role] else 200
            assert response.status == expected, (role, path)
            assert response.headers["content-type"].startswith("text/html"), (role, path)
            if expected == 403:
                assert "403 · 無此權限 Forbidden" in page.inner_text("main")
            if path != "/schema":  # Swagger UI's own SVGs name their XML namespace by URL
                assert external_urls(page.content()) == [], path
            name = path.strip("/").replace("/", "-") or "home"
            screenshot(page, f"{role}-{name}")
        assert page.goto(f"{base}/sites/NOPE").status == 404
        assert "找不到 Not found" in page.inner_text("main")
        page.get_by_role("button", name="登出 Log out").click()
        page.wait_for_load_state("networkidle")
        assert "/login" in page.url
        assert visit.outside == []


def test_the_officers_month(later):
    with running_server(later) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "staff", PASSWORD)
        # monthly progress behind plan: the form asks for a reason, then files it
        page.goto(f"{base}/projects/MSC-ILA", wait_until="networkidle")
        form = page.locator("form", has_text="填報進度 File this month's progress")
        form.get_by_label("資料日期 Data date").fill("2014-07-31")
        form.get_by_label("完成 % Done").fill("3.8")
        form.get_by_label("累計支出（元） Spent to date (NT$)").fill("8100000")
        form.get_by_role("button", name="填報 File").click()
        page.wait_for_load_state("networkidle")
        assert "give the reason" in page.locator(".problems").inner_text()
        assert form.get_by_label("完成 % Done").input_value() == "3.8"  # the input kept
        form.get_by_label("落後原因 Reason").fill("設計審查延長 The design review took longer")
        form.get_by_role("button", name="填報 File").click()
        page.wait_for_load_state("networkidle")
        assert "設計審查延長" in page.inner_text("main")
        screenshot(page, "staff-progress-filed")
        # a colleague moves a milestone while the officer's page is open: 412, both shown
        page.goto(f"{base}/projects/SDC-KHH", wait_until="networkidle")
        row = page.locator("tr#m4")
        row.get_by_label("說明 Note").fill("mine: the roof is on")
        colleague = auth_headers(later, "staff")
        with httpx.Client(base_url=base, headers=colleague) as http:
            changed = http.patch("/api/v1/milestones/4", json={"note": "theirs: rain delay"},
                                 headers={"If-Match": "*"})  # fmt: skip
            assert changed.status_code == 200
        row.get_by_role("button", name="儲存 Save").click()
        page.wait_for_load_state("networkidle")
        conflict = page.locator(".conflict").inner_text()
        assert "theirs: rain delay" in conflict and "mine: the roof is on" in conflict
        assert (
            page.locator("tr#m4").get_by_label("說明 Note").input_value() == "mine: the roof is on"
        )
        screenshot(page, "staff-milestone-conflict")
        page.locator("tr#m4").get_by_role("button", name="儲存 Save").click()  # now knowingly
        page.wait_for_load_state("networkidle")
        assert page.locator(".conflict").count() == 0
        # the Hualien lease's alert, acknowledged from the work page
        page.goto(f"{base}/work", wait_until="networkidle")
        notice = page.locator("tr", has_text="花蓮").filter(has_text="通知期限")
        assert notice.count() == 1 and "2014-11-27" in notice.inner_text()  # raised once
        notice.get_by_role("button", name="確認 Acknowledge").click()
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base}/work"
        assert page.locator("tr", has_text="花蓮").filter(has_text="通知期限").count() == 0
        page.goto(f"{base}/alerts?all=1", wait_until="networkidle")
        assert "已處理 acknowledged by user:staff" in page.locator(
            "tr", has_text="花蓮").filter(has_text="通知期限").inner_text()  # fmt: skip
        assert visit.outside == []


def test_the_liaison_downloads_the_report_in_both_rules(later, tmp_path):
    with running_server(later) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "liaison", PASSWORD)
        assert page.url == f"{base}/reports"
        for rule in ("一次性降低 one-off", "逐年降低 year on year"):
            item = page.locator("li", has_text=rule)
            with page.expect_download() as info:
                item.get_by_role("link", name="Excel (.xlsx)").click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            sheet = openpyxl.load_workbook(path).worksheets[0]
            assert "FY2014" in sheet.title and path.name.endswith(".xlsx")
        assert visit.outside == []


def test_the_api_docs_render_offline(later):
    with running_server(later) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "admin", PASSWORD)
        page.goto(f"{base}/schema/swagger", wait_until="networkidle")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() >= 20
        screenshot(page, "admin-api-docs")
        assert visit.outside == []


def test_pages_fit_a_768_pixel_screen(later):
    """Nothing runs off the side at 768 px: wide tables scroll in their own box, not the page."""
    with running_server(later) as base, chromium(width=768) as visit:
        page = visit.page
        log_in(page, base, "admin", PASSWORD)
        too_wide = {}
        for path in PAGES:
            page.goto(f"{base}{path}", wait_until="networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 768:
                too_wide[path] = width
            screenshot(page, f"768-{path.strip('/').replace('/', '-')}")
        assert too_wide == {}


def test_the_admin_changes_a_role_and_disables_a_user(later):
    """On the users page: the liaison becomes an executive (lands on the dashboard next time),
    staff is disabled (cannot log in); the admin cannot disable themselves; all audited."""
    with running_server(later) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "admin", PASSWORD)
        liaison = page.locator("tr", has=page.get_by_role("cell", name="liaison", exact=True))
        liaison.get_by_label("角色 Role").select_option("executive")
        liaison.get_by_role("button", name="變更角色 Set role").click()
        page.wait_for_load_state("networkidle")
        staff = page.locator("tr", has=page.get_by_role("cell", name="staff", exact=True))
        staff.get_by_role("button", name="停用 Disable").click()
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base}/admin/users"
        assert "已停用 disabled" in staff.inner_text()
        own = page.locator("tr", has=page.get_by_role("cell", name="admin", exact=True))
        assert own.get_by_role("button").count() == 0
        screenshot(page, "admin-users-changed")
        page.get_by_role("button", name="登出 Log out").click()
        log_in(page, base, "staff", PASSWORD)
        assert page.url.startswith(f"{base}/login")
        assert "Wrong user name or password" in page.get_by_role("alert").inner_text()
        log_in(page, base, "liaison", PASSWORD)
        assert page.url == f"{base}/dashboard"
        trail = httpx.get(f"{base}/api/v1/audit", params={"entity": "user"},
                          headers=auth_headers(later, "admin")).json()["items"]  # fmt: skip
    assert {(e["entity_id"], e["action"], e["actor"]) for e in trail} == {
        ("liaison", "set_role", "user:admin"), ("staff", "disable", "user:admin")}  # fmt: skip
