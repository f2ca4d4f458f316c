"""Construction in the nightly alerts and the daily snapshot."""

from __future__ import annotations

from datetime import date

from tests.factories import run_job


def test_overdue_milestones_and_red_projects_are_raised_once(db, settings, client):
    run_job(db, settings, "alerts")
    alerts = client.get("/api/v1/alerts").json()["items"]
    red = {a["entity_id"] for a in alerts if a["kind"] == "project_red"}
    assert (
        red
        == {
            h["code"]
            for h in client.get("/api/v1/projects").json()["items"]
            if h["status"] == "red"
        }
        == {"SDC-KHH", "MSC-KHH"}
    )
    overdue = {a["entity_id"] for a in alerts if a["kind"] == "milestone_overdue"}
    milestones = [
        m
        for code in ("SDC-KHH", "MSC-KHH", "MSC-TPE")
        for m in client.get(f"/api/v1/projects/{code}/milestones").json()["items"]
    ]
    assert overdue >= {str(m["id"]) for m in milestones if m["status"] == "overdue"} != set()
    run_job(db, settings, "alerts")
    assert client.get("/api/v1/alerts").json()["items"] == alerts


def test_the_daily_snapshot_holds_rent_and_burn(db, settings, client):
    run_job(db, settings, "snapshot", as_of=date(2014, 6, 30))
    figures = client.get("/api/v1/snapshots").json()["items"][0]["figures"]
    assert set(figures) == {"ownership", "rent", "projects"}
    report = client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014}).json()
    assert figures["rent"]["mandate"]["savings_ntd"] == report["totals"]["savings_ntd"]
    assert figures["rent"]["rent_paid_ntd"]["2014"] == report["totals"]["actual_rent_ntd"]
    burn = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2014-06-30"}).json()
    assert figures["projects"]["SDC-KHH"]["status"] == burn["status"] == "red"
    assert figures["projects"]["SDC-KHH"]["spi_t"] == burn["spi_t"]
