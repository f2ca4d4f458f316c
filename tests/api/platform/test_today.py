"""The product on today's real date, long after the seed's data ends in FY2014: every figure
says where the data ends, and the projection of ownership is one and the same everywhere."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from facilities.cli import main
from facilities.jobs.models import JobRun
from tests.factories import cli_env

TODAY = date(2026, 11, 25)
AFTER_FY2014 = "No rent is recorded after FY2014"


def test_the_monthly_report_job_in_a_year_without_rent_records_why(settings, db):
    result = CliRunner().invoke(
        main, ["jobs", "run", "rent_report"], env=cli_env(settings, FACILITIES_AS_OF="2026-11-01")
    )
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "no rent is recorded for FY2026" in result.output
    with db.session() as session:
        run = session.scalar(select(JobRun).where(JobRun.job_id == "rent_report"))
    assert run.status == "skipped" and "FY2012 to FY2014" in run.detail
    assert run.as_of == date(2026, 11, 1)
    assert not (settings.data_dir / "reports").exists() or not list(
        (settings.data_dir / "reports").iterdir()
    )


def test_reports_default_to_the_latest_year_with_rent_and_say_so(client_as):
    client = client_as("liaison", on=TODAY)
    report = client.get("/api/v1/reports/rent-reduction").json()
    assert report["fiscal_year"] == 2014 and AFTER_FY2014 in report["year_note"]
    asked = client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014}).json()
    assert asked["rows"] == report["rows"] and asked["year_note"] == ""
    assert client.get(
        "/api/v1/reports/rent-reduction", params={"fiscal_year": 2026}
    ).status_code == 404  # fmt: skip
    savings = client.get("/api/v1/reports/relocation-savings").json()
    assert savings["fiscal_year"] == 2014 and AFTER_FY2014 in savings["year_note"]
    csv = client.get("/api/v1/reports/rent-reduction", params={"format": "csv"})
    assert csv.status_code == 200 and AFTER_FY2014 in csv.content.decode("utf-8-sig")


def test_the_dashboard_on_todays_date_says_where_the_data_ends(client_as):
    page = client_as("executive", on=TODAY).get("/dashboard")
    assert page.status_code == 200
    assert AFTER_FY2014 in page.text and "2026-11-25" in page.text
    assert "no progress reported since 2014-06-30" in page.text


def test_one_projection_for_the_summary_and_the_map(client_as):
    client = client_as("executive")  # the seed's date, 2014-06-30
    projects = client.get("/api/v1/projects").json()["items"]
    day = date(2021, 12, 31)
    done = {p["code"] for p in projects if date.fromisoformat(p["forecast_finish"]) <= day}
    details = [client.get(f"/api/v1/projects/{code}").json() for code in sorted(done)]
    becoming = {code for d in details for code in d["sites_becoming_owned"]}
    new_sites = sum(d["new_sites"] for d in details)
    now = client.get("/api/v1/ownership/summary").json()
    assert now["basis"] == "recorded" and now["total"] == 65
    recorded = {s["code"]: s["ownership"] for s in
                client.get("/api/v1/sites", params={"limit": 1000}).json()["items"]}  # fmt: skip
    expected = Counter("owned" if code in becoming else held for code, held in recorded.items())
    expected["owned"] += new_sites
    later = client.get("/api/v1/ownership/summary", params={"as_of": day.isoformat()}).json()
    assert later["basis"] == "projected" and sorted(later["projects_completed"]) == sorted(done)
    assert {k: v["count"] for k, v in later["ownership"].items()} == {
        k: expected[k] for k in ("owned", "borrowed", "leased")}  # fmt: skip
    assert later["total"] == 65 + new_sites
    page = client.get("/maps/ownership", params={"as_of": day.isoformat()}).text
    caption = re.search(r"ownership of the (\d+) service sites", page)
    assert caption and int(caption.group(1)) == later["total"]
    assert f"自有 owned <b>{expected['owned']}</b>" in page


def test_dates_outside_1990_to_2100_are_a_clear_400(client):
    for path in ("/api/v1/ownership/summary", "/api/v1/projects/SDC-KHH/burn"):
        response = client.get(path, params={"as_of": "1989-12-31"})
        assert response.status_code == 400 and "outside 1990-01-01 to 2100-12-31" in response.text
    assert client.get("/api/v1/snapshots", params={"to": "2101-01-01"}).status_code == 400


def test_an_overdue_milestone_alert_names_the_planned_date(settings, db, client):
    result = CliRunner().invoke(main, ["jobs", "run", "alerts"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    alerts = client.get("/api/v1/alerts", params={"limit": 1000}).json()["items"]
    milestones = {
        m["id"]: m for m in client.get("/api/v1/projects/SDC-KHH/milestones").json()["items"]
    }
    overdue = [a for a in alerts if a["kind"] == "milestone_overdue"
               and int(a["entity_id"]) in milestones]  # fmt: skip
    assert overdue
    for alert in overdue:
        m = milestones[int(alert["entity_id"])]
        assert f"was due {m['planned_date']}" in alert["message"]
        if m["forecast_date"]:
            assert f"(forecast {m['forecast_date']})" in alert["message"]
