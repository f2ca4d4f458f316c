"""The lease register through the API, the cases the seed lacks, and the lease jobs."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pandas as pd
import pytest

from facilities.core.settings import Settings
from tests.factories import ANY_VERSION, keelung_moves_in, lease_payload, run_job, site_payload

SEED = Settings().seed_dir
DATA_DATE = date(2014, 6, 30)


def seed_leases() -> list[dict]:
    with open(SEED / "leases.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def lease_id(client, site_code: str) -> int:
    return client.get("/api/v1/leases", params={"site_code": site_code}).json()["items"][0]["id"]


def rows(client, **params) -> dict[str, dict]:
    body = client.get(
        "/api/v1/reports/rent-reduction", params={"fiscal_year": 2014} | params
    ).json()
    return {r["site_code"]: r for r in body["rows"]} | {"_totals": body["totals"]}


def test_leases_ending_or_passing_their_notice_date_soon(client):
    expected = set()
    for lease in seed_leases():
        end = date.fromisoformat(lease["end_date"])
        notice = end - timedelta(days=int(lease["notice_days"]))
        horizon = DATA_DATE + timedelta(days=180)
        if DATA_DATE <= end <= horizon or DATA_DATE <= notice <= horizon:
            expected.add(lease["site_code"])
    body = client.get("/api/v1/leases", params={"expiring_within_days": 180}).json()
    assert {x["site_code"] for x in body["items"]} == expected and body["total"] == len(expected)
    hualien = next(x for x in body["items"] if x["site_code"] == "HUA-SS")
    assert hualien["days_to_notice"] == 150 and hualien["notice_date"] == "2014-11-27"
    everything = client.get("/api/v1/leases", params={"limit": 1000}).json()
    ends = [date.fromisoformat(x["end_date"]) for x in everything["items"]]
    assert everything["total"] == 34
    assert any(e < DATA_DATE for e in ends) and any(
        e > DATA_DATE + timedelta(days=365) for e in ends
    )


def test_a_lease_with_its_rents(client):
    lease = client.get(f"/api/v1/leases/{lease_id(client, 'HUA-SS')}").json()
    assert [r["fiscal_year"] for r in lease["rents"]] == [2012, 2013, 2014]
    assert lease["rents"][2]["fiscal_year_roc"] == 103 and lease["provenance"] == "illustrative"
    assert client.get("/api/v1/leases/999999").status_code == 404


GOOD_LEASE = lease_payload(
    landlord="港都建設股份有限公司",
    end_date="2032-12-31",
    leased_floor_area_m2=600,
    contracted_annual_rent_ntd=3_000_000,
)


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"contracted_annual_rent_ntd": -1}, 400, "contracted_annual_rent_ntd"),
        ({"end_date": "2029-12-31"}, 422, "must be after start_date"),
        ({"site_code": "TPE-HQ"}, 422, "site TPE-HQ is owned, not leased"),
        ({"site_code": "KIN-SS"}, 422, "is borrowed, not leased"),
        ({"site_code": "NOPE-1"}, 404, "NOPE-1"),
        ({"start_date": "2014-01-01"}, 422, "leases of one site may not overlap"),
        ({"renewal_option": "maybe"}, 400, "renewal_option"),
    ],
)
def test_bad_leases_are_refused_and_nothing_is_written(client, change, status, words):
    before = client.get("/api/v1/leases", params={"limit": 1}).json()["total"]
    response = client.post("/api/v1/leases", json=GOOD_LEASE | change)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]
    assert client.get("/api/v1/leases", params={"limit": 1}).json()["total"] == before


def test_a_good_lease_and_its_audit_trail(client):
    response = client.post("/api/v1/leases", json=GOOD_LEASE)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["notice_date"] == "2032-10-02"  # 90 days before the end
    trail = client.get("/api/v1/audit", params={"entity": "lease", "id": str(created["id"])}).json()
    assert trail["items"][0]["action"] == "create"
    assert trail["items"][0]["after"]["contracted_annual_rent_ntd"] == 3_000_000


@pytest.mark.parametrize(
    ("path_year", "body", "status", "words"),
    [
        (2014, {"rent_ntd": -5}, 400, "rent_ntd"),
        (2031, {"rent_ntd": 5}, 422, "outside the lease's term"),
    ],
)
def test_bad_rents_are_refused(client, path_year, body, status, words):
    lid = lease_id(client, "HUA-SS")
    before = client.get(f"/api/v1/leases/{lid}").json()["rents"]
    response = client.put(f"/api/v1/leases/{lid}/rents/{path_year}", json=body)
    assert response.status_code == status and words in response.json()["detail"]
    assert client.get(f"/api/v1/leases/{lid}").json()["rents"] == before


def test_a_lease_that_began_after_the_baseline_year_has_no_baseline(client):
    site = site_payload(code="TPE-SS3", ownership_since="2014-01-01", floor_area_m2=400)
    assert client.post("/api/v1/sites", json=site).status_code == 201
    lease = client.post("/api/v1/leases", json=lease_payload(
        site_code="TPE-SS3", start_date="2014-01-01", end_date="2016-12-31",
        leased_floor_area_m2=400, contracted_annual_rent_ntd=3_600_000,
    )).json()  # fmt: skip
    assert (
        client.put(
            f"/api/v1/leases/{lease['id']}/rents/2014", json={"rent_ntd": 3_600_000}
        ).status_code
        == 201
    )
    report = rows(client)
    row = report["TPE-SS3"]
    assert (row["status"], row["baseline_rent_ntd"], row["target_rent_ntd"]) == (
        "no_baseline",
        None,
        None,
    )
    assert row["actual_rent_ntd"] == 3_600_000
    assert (report["_totals"]["offices"], report["_totals"]["assessed"]) == (35, 34)
    assert report["_totals"]["no_baseline"] == 1


def test_an_office_that_moved_into_an_owned_building_counts_the_rent_avoided(client):
    before = rows(client)
    lid = lease_id(client, "KEE-SS")
    baseline = before["KEE-SS"]["baseline_rent_ntd"]
    partial = baseline * 4 // 12  # four months' rent, then the move
    assert (
        client.patch(
            f"/api/v1/leases/{lid}", json={"ended_on": "2014-04-30"}, headers=ANY_VERSION
        ).status_code
        == 200
    )
    assert (
        client.put(
            f"/api/v1/leases/{lid}/rents/2014", json={"rent_ntd": partial}, headers=ANY_VERSION
        ).status_code
        == 200
    )
    moved = client.patch("/api/v1/sites/KEE-SS", json=keelung_moves_in(), headers=ANY_VERSION)
    assert moved.status_code == 200, moved.text
    after = rows(client)
    row = after["KEE-SS"]
    assert (row["status"], row["actual_rent_ntd"], row["reduction_ntd"]) == (
        "ended",
        partial,
        baseline - partial,
    )
    old_actual = before["KEE-SS"]["actual_rent_ntd"]
    assert (
        after["_totals"]["savings_ntd"] == before["_totals"]["savings_ntd"] + old_actual - partial
    )
    assert after["_totals"]["ended"] == 1
    was_met = before["KEE-SS"]["status"] == "met"
    assert after["_totals"]["met_or_ended"] == before["_totals"]["met_or_ended"] + (
        0 if was_met else 1
    )


def test_a_rent_that_rose_is_not_met(client):
    lid = lease_id(client, "YUN-SOT")
    baseline = rows(client)["YUN-SOT"]["baseline_rent_ntd"]
    assert (
        client.put(
            f"/api/v1/leases/{lid}/rents/2014",
            json={"rent_ntd": baseline + 100_000},
            headers=ANY_VERSION,
        ).status_code
        == 200
    )
    row = rows(client)["YUN-SOT"]
    assert (row["status"], row["reduction_ntd"]) == ("not_met", -100_000)
    assert row["reduction_pct"] == round(-100_000 * 100 / baseline, 1)


def test_lease_alerts_are_raised_once(db, settings, client):
    run_job(db, settings, "alerts")
    first = client.get("/api/v1/alerts").json()["items"]
    hualien = [a for a in first if a["entity"] == "lease" and "花蓮縣服務站" in a["message"]]
    assert any("in 150 days" in a["message"] and a["kind"] == "lease_notice" for a in hualien)
    run_job(db, settings, "alerts")
    assert client.get("/api/v1/alerts").json()["items"] == first


def test_the_monthly_report_is_filed_into_the_archive(db, settings, client):
    assert (
        run_job(db, settings, "rent_report", as_of=date(2014, 7, 1))
        == "filed rent-reduction-FY2014-2014-07-01.xlsx"
    )
    listing = client.get("/api/v1/reports/archive").json()["items"]
    assert [f["name"] for f in listing] == ["rent-reduction-FY2014-2014-07-01.xlsx"]
    sheet = pd.read_excel(io.BytesIO(client.get(listing[0]["url"]).content), header=4, nrows=35)
    assert len(sheet) == 35 and sheet.iloc[-1]["據點名稱 Office"] == "合計"
