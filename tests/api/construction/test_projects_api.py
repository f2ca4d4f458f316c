"""Construction through the API: the budget to the dollar, burn by hand at three dates,
milestones under If-Match, progress reports and spending rules."""

from __future__ import annotations

import csv
import math
from datetime import date

import pytest

from facilities.core.settings import Settings
from tests.factories import AFTER_THE_SEED, ANY_VERSION

SEED = Settings().seed_dir
BAC = 237_396_755
START, FINISH = date(2013, 5, 1), date(2014, 8, 31)  # the programme window, 488 days


def seed_progress(code: str) -> list[dict]:
    with open(SEED / "project_progress.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["project_code"] == code]


def test_the_southern_facility_budget_is_the_documents_to_the_dollar(client):
    project = client.get("/api/v1/projects/SDC-KHH").json()
    assert project["budget_total_ntd"] == BAC and project["provenance"] == "budget_fy2014"
    assert project["name_zh"] == "南部收容所及被害人庇護安置處所興建工程"
    assert (project["contract_days"], project["planned_start"], project["planned_finish"]) == (
        415,
        "2013-05-01",
        "2014-08-31",
    )
    lines = [(x["label"], x["appropriated_ntd"]) for x in project["budget_lines"]]
    assert lines == [
        ("FY2009-2011 (98-100年)", 5_819_755),
        ("FY2012 (101年)", 5_561_000),
        ("FY2013 (102年)", 55_200_000),
        ("FY2014 (103年)", 170_816_000),
    ]
    assert sum(amount for _, amount in lines) == BAC


def test_the_nine_centers_add_up_to_the_programme_total(client):
    heads = client.get("/api/v1/projects").json()["items"]
    centers = [h for h in heads if h["code"].startswith("MSC-")]
    assert len(centers) == 9 and sum(c["budget_total_ntd"] for c in centers) == 2_677_457_000
    lines = sum(
        x["appropriated_ntd"]
        for c in centers
        for x in client.get(f"/api/v1/projects/{c['code']}").json()["budget_lines"]
    )
    assert lines == 2_677_457_000
    kaohsiung = client.get("/api/v1/projects/MSC-KHH").json()
    assert kaohsiung["sites_becoming_owned"] == ["KHH-SOT", "KHH-SS1", "KHH-SS2"]
    assert kaohsiung["provenance"] == "illustrative"


def test_projects_are_listed_worst_first(client):
    heads = client.get("/api/v1/projects").json()["items"]
    order = {"red": 0, "amber": 1, "green": 2}
    assert [order[h["status"]] for h in heads] == sorted(order[h["status"]] for h in heads)
    assert [h["code"] for h in heads if h["status"] == "red"] == ["MSC-KHH", "SDC-KHH"]
    assert all(h["reasons"] for h in heads)


def share(days: int, total: int = 488) -> float:
    """The exact share of the work the S-curve plans by day `days`."""
    return (1 - math.cos(math.pi * min(days, total) / total)) / 2


def planned(days: int, total: int = 488) -> float:
    return round(share(days, total) * 100, 1)


def half_up(amount: float) -> int:
    return math.floor(amount + 0.5)


def test_burn_before_the_start(client):
    b = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2013-04-01"}).json()
    assert (b["schedule_basis"], b["days_elapsed"], b["days_remaining"], b["days_total"]) == (
        "programme_window",
        0,
        488,
        488,
    )
    spent = 5_819_755 + 5_561_000 + 55_200_000  # the lines of FY2013 and before, no report yet
    assert (b["planned_pct"], b["work_done_pct"], b["data_date"]) == (0.0, 0.0, None)
    assert (b["appropriated_to_date_ntd"], b["spent_ntd"]) == (spent, spent)
    assert b["earned_value"]["pv"] == 0 and b["earned_value"]["ev"] == 0
    assert b["status"] == "green" and b["forecast_finish"] == "2014-08-31"


def test_burn_in_the_middle(client):
    b = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2013-12-31"}).json()
    report = next(r for r in seed_progress("SDC-KHH") if r["data_date"] == "2013-12-28")
    done, spent = float(report["percent_complete"]), int(report["spent_to_date_ntd"])
    elapsed = (date(2013, 12, 31) - START).days + 1
    assert (b["days_elapsed"], b["days_remaining"]) == (elapsed, 488 - elapsed) == (245, 243)
    assert b["planned_pct"] == planned(elapsed) and b["work_done_pct"] == done
    assert b["appropriated_to_date_ntd"] == 66_580_755 and b["spent_ntd"] == spent
    ev = b["earned_value"]
    assert ev["pv"] == half_up(BAC * share(elapsed)) and ev["ev"] == half_up(BAC * done / 100)
    assert (ev["sv"], ev["cv"]) == (ev["ev"] - ev["pv"], ev["ev"] - spent)
    assert ev["spi"] == round(ev["ev"] / ev["pv"], 3) and ev["cpi"] == round(ev["ev"] / spent, 3)
    eac = round(BAC / (ev["ev"] / spent))
    assert (ev["eac"], ev["etc"], ev["vac"]) == (eac, eac - spent, BAC - eac)
    assert ev["tcpi"] == round((BAC - ev["ev"]) / (BAC - spent), 3)
    es = math.acos(1 - 2 * done / 100) / math.pi * 488
    spi_t = round(es / elapsed, 3)
    assert b["earned_schedule_days"] == round(es, 1) and b["spi_t"] == spi_t
    forecast_days = math.ceil(488 * elapsed / es)  # PD / SPI(t), SPI(t) unrounded
    assert (date.fromisoformat(b["forecast_finish"]) - START).days + 1 == forecast_days


def test_burn_after_the_planned_finish(client):
    b = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2014-09-30"}).json()
    last = seed_progress("SDC-KHH")[-1]
    elapsed = (date(2014, 9, 30) - START).days + 1  # actual time runs past the planned finish
    assert (b["days_elapsed"], b["days_remaining"], b["planned_pct"]) == (elapsed, 0, 100.0)
    assert b["work_done_pct"] == float(last["percent_complete"]) and b["data_date"] == "2014-06-30"
    assert b["earned_value"]["pv"] == BAC
    assert b["status"] == "red" and b["forecast_finish"] > "2014-08-31"


def test_burn_by_the_415_day_contract(client):
    b = client.get(
        "/api/v1/projects/SDC-KHH/burn", params={"as_of": "2014-06-30", "schedule": "contract"}
    ).json()
    assert (b["schedule_basis"], b["schedule_days"]) == ("contract", "calendar")
    assert (b["planned_finish"], b["days_total"], b["days_elapsed"]) == ("2014-06-19", 415, 426)
    window = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2014-06-30"}).json()
    assert window["schedule_basis"] == "programme_window" and window["days_elapsed"] == 426
    assert (
        client.get("/api/v1/projects/MSC-KHH/burn", params={"schedule": "contract"}).status_code
        == 422
    )


def test_burn_defaults_to_the_latest_data_date(client):
    b = client.get("/api/v1/projects/SDC-KHH/burn").json()
    assert b["as_of"] == "2014-06-30" == b["data_date"]


def milestone(client, index=3):
    items = client.get("/api/v1/projects/SDC-KHH/milestones").json()["items"]
    return items[index]


def test_a_milestone_update_needs_the_current_etag(client):
    m = milestone(client)
    got = client.get(f"/api/v1/milestones/{m['id']}")
    tag = got.headers["etag"]
    missing = client.patch(f"/api/v1/milestones/{m['id']}", json={"percent_complete": 80})
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    done = client.patch(
        f"/api/v1/milestones/{m['id']}",
        json={"percent_complete": 80, "forecast_date": "2014-08-15"},
        headers={"If-Match": tag},
    )
    assert done.status_code == 200, done.text
    assert done.headers["etag"] != tag and done.json()["percent_complete"] == 80
    stale = client.patch(
        f"/api/v1/milestones/{m['id']}", json={"percent_complete": 90}, headers={"If-Match": tag}
    )
    assert stale.status_code == 412 and "reload" in stale.json()["detail"]
    assert client.get(f"/api/v1/milestones/{m['id']}").json()["percent_complete"] == 80
    history = client.get(f"/api/v1/milestones/{m['id']}/history").json()["items"]
    assert len(history) == 1 and history[0]["actor"].startswith("token:test-admin")
    assert history[0]["before"] == {"percent_complete": 70.0, "forecast_date": m["forecast_date"]}
    assert history[0]["after"] == {"percent_complete": 80.0, "forecast_date": "2014-08-15"}


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"percent_complete": 150}, 400, "percent_complete"),
        ({"percent_complete": -1}, 400, "percent_complete"),
        ({"percent_complete": 100, "actual_date": "2014-07-01"}, 422, "after the product's date"),
        ({"actual_date": "2014-06-01"}, 422, "100% complete"),
    ],
)
def test_bad_milestone_updates_change_nothing(client, body, status, words):
    m = milestone(client)
    tag = client.get(f"/api/v1/milestones/{m['id']}").headers["etag"]
    response = client.patch(f"/api/v1/milestones/{m['id']}", json=body, headers={"If-Match": tag})
    assert response.status_code == status and words in response.json()["detail"]
    assert client.get(f"/api/v1/milestones/{m['id']}").headers["etag"] == tag


def test_unknown_projects_and_milestones(client):
    assert client.get("/api/v1/projects/NOPE").status_code == 404
    assert client.get("/api/v1/projects/NOPE/burn").status_code == 404
    assert client.get("/api/v1/milestones/99999").status_code == 404
    assert client.get("/api/v1/milestones/99999999999").status_code == 400
    assert (
        client.patch("/api/v1/milestones/99999", json={}, headers={"If-Match": "*"}).status_code
        == 404
    )


def test_progress_behind_plan_needs_a_reason(client_as):
    client = client_as("admin", on=AFTER_THE_SEED)
    body = {"data_date": "2014-07-31", "percent_complete": 83.5, "spent_to_date_ntd": 174_000_000}
    refused = client.post("/api/v1/projects/SDC-KHH/progress", json=body)
    assert refused.status_code == 422 and "give the reason" in refused.json()["detail"]
    blank = client.post("/api/v1/projects/SDC-KHH/progress", json=body | {"reason": "   "})
    assert blank.status_code == 422 and "give the reason" in blank.json()["detail"]
    assert len(client.get("/api/v1/projects/SDC-KHH/progress").json()["items"]) == 14
    filed = client.post(
        "/api/v1/projects/SDC-KHH/progress",
        json=body | {"reason": "Typhoon Matmo stopped work for a week"},
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["report"]["planned_pct"] > 83.5
    assert filed.json()["burn"]["work_done_pct"] == 83.5
    assert len(client.get("/api/v1/projects/SDC-KHH/progress").json()["items"]) == 15


def test_spending_beyond_the_appropriation_needs_an_override_and_reason(client_as):
    client = client_as("admin", on=AFTER_THE_SEED)
    body = {"data_date": "2014-07-31", "percent_complete": 99, "spent_to_date_ntd": 240_000_000}
    refused = client.post("/api/v1/projects/SDC-KHH/progress", json=body)
    assert refused.status_code == 422 and "beyond the NT$237,396,755" in refused.json()["detail"]
    also = client.post(
        "/api/v1/projects/SDC-KHH/progress", json=body | {"override_appropriation": True}
    )
    assert also.status_code == 422
    ok = client.post(
        "/api/v1/projects/SDC-KHH/progress",
        json=body
        | {
            "override_appropriation": True,
            "override_reason": "Reserve approved by the Executive Yuan",
        },
    )
    assert ok.status_code == 201 and ok.json()["report"]["over_appropriation"] is True
    line = client.patch(
        "/api/v1/projects/MSC-TPE/budget/2015", json={"spent_ntd": 101_048_001}, headers=ANY_VERSION
    )
    assert line.status_code == 422 and "beyond the NT$101,048,000" in line.json()["detail"]
    line = client.patch(
        "/api/v1/projects/MSC-TPE/budget/2015",
        json={
            "spent_ntd": 101_048_001,
            "override_appropriation": True,
            "override_reason": "reserve",
        },
        headers=ANY_VERSION,
    )
    assert line.status_code == 200 and line.json()["spent_ntd"] == 101_048_001


def test_progress_after_the_clock_or_for_an_unknown_project(client):
    body = {"data_date": "2014-07-31", "percent_complete": 90, "spent_to_date_ntd": 1}
    assert client.post("/api/v1/projects/SDC-KHH/progress", json=body).status_code == 422
    assert client.post("/api/v1/projects/NOPE/progress", json=body).status_code == 404


def test_a_liaison_may_not_move_a_milestone_and_a_staff_member_may(client, client_as):
    m = milestone(client)
    tag = client.get(f"/api/v1/milestones/{m['id']}").headers["etag"]
    refused = client_as("liaison").patch(
        f"/api/v1/milestones/{m['id']}", json={"percent_complete": 99}, headers={"If-Match": tag}
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/milestones/{m['id']}").headers["etag"] == tag
    done = client_as("staff").patch(
        f"/api/v1/milestones/{m['id']}",
        json={"forecast_date": "2014-09-15"},
        headers={"If-Match": tag},
    )
    assert done.status_code == 200
    trail = client.get("/api/v1/audit", params={"entity": "milestone", "id": str(m["id"])}).json()
    updates = [e for e in trail["items"] if e["action"] == "update"]  # the seed made it: "create"
    assert len(updates) == 1 and updates[0]["actor"].startswith("token:test-staff-")
    assert [e["action"] for e in trail["items"]] == ["update", "create"]
    assert trail["items"][0]["after"] == {"forecast_date": "2014-09-15"}
