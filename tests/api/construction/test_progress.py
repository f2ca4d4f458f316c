"""Monthly progress: filed in date order inside the project's window, never undoing work or
spending, corrected or withdrawn with a reason (audited), and one record of what was spent."""

from __future__ import annotations

import pytest

from tests.factories import AFTER_THE_SEED, ANY_VERSION

LAST = {"data_date": "2014-06-30", "percent_complete": 83.3, "spent_to_date_ntd": 173_536_755}
BEFORE_LAST = {
    "data_date": "2014-05-28",
    "percent_complete": 78.6,
    "spent_to_date_ntd": 164_386_755,
}
FILED = "/api/v1/projects/SDC-KHH/progress"


def reports(client) -> dict[str, dict]:
    return {r["data_date"]: r for r in client.get(FILED, params={"limit": 1000}).json()["items"]}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"data_date": "1995-01-01"}, "outside the project's window, 2013-05-01 to 2016-01-15"),
        ({"data_date": "2099-01-01"}, "after the product's date 2014-07-31"),
        ({"data_date": "2014-06-15"}, "a report dated 2014-06-30 is already filed"),
        ({"percent_complete": 80.0}, "less than the 83.3% reported on 2014-06-30"),
        ({"spent_to_date_ntd": 170_000_000}, "less than the NT$173,536,755 reported on 2014-06-30"),
        ({"reason": " \t "}, "give the reason"),
    ],
)
def test_a_report_that_contradicts_the_record_is_refused(client_as, body, words):
    client = client_as("admin", on=AFTER_THE_SEED)
    before = reports(client)
    good = {"data_date": "2014-07-31", "percent_complete": 85.0,
            "spent_to_date_ntd": 180_000_000, "reason": "typhoon"}  # fmt: skip
    refused = client.post(FILED, json=good | body)
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["detail"]
    assert reports(client) == before
    assert client.get("/dashboard").status_code == 200


def test_a_report_dated_before_1990_is_a_400_and_the_dashboard_stands(client_as):
    client = client_as("admin", on=AFTER_THE_SEED)
    body = {"data_date": "0001-01-01", "percent_complete": 90, "spent_to_date_ntd": 180_000_000,
            "reason": "x"}  # fmt: skip
    refused = client.post(FILED, json=body)
    assert refused.status_code == 400 and "1990-01-01 to 2100-12-31" in refused.text
    assert client.get("/dashboard").status_code == 200


def test_a_correction_stays_between_its_neighbours_and_is_audited(client):
    url = f"{FILED}/2014-06-30"
    missing = client.patch(url, json={"spent_to_date_ntd": 173_000_000}, headers=ANY_VERSION)
    assert missing.status_code == 400 and "correction_reason" in missing.text
    blank = client.patch(
        url, json={"spent_to_date_ntd": 173_000_000, "correction_reason": "  "}, headers=ANY_VERSION
    )
    assert blank.status_code == 422 and "correction_reason is required" in blank.text
    below = client.patch(
        url,
        json={"spent_to_date_ntd": 160_000_000, "correction_reason": "typo"},
        headers=ANY_VERSION,
    )
    assert below.status_code == 422 and "NT$164,386,755 reported on 2014-05-28" in below.text
    middle = client.patch(
        f"{FILED}/2014-05-28",
        json={"percent_complete": 90, "correction_reason": "typo"},
        headers=ANY_VERSION,
    )
    assert middle.status_code == 422 and "83.3% reported later, on 2014-06-30" in middle.text
    fixed = client.patch(
        url,
        json={"spent_to_date_ntd": 173_000_000, "correction_reason": "invoice counted twice"},
        headers=ANY_VERSION,
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["burn"]["spent_ntd"] == 173_000_000
    assert reports(client)["2014-06-30"]["spent_to_date_ntd"] == 173_000_000
    trail = client.get(
        "/api/v1/audit", params={"entity": "progress_report", "id": "SDC-KHH/2014-06-30"}
    ).json()
    entry = trail["items"][0]
    assert entry["action"] == "correct" and entry["after"]["why"] == "invoice counted twice"
    assert entry["before"]["spent_to_date_ntd"] == 173_536_755


def test_a_withdrawn_report_leaves_the_burn_and_stays_in_the_trail(client):
    url = f"{FILED}/2014-06-30"
    assert client.delete(url, headers=ANY_VERSION).status_code == 400
    assert client.delete(url, params={"reason": " "}, headers=ANY_VERSION).status_code == 422
    assert (
        client.delete(
            url, params={"reason": "filed for the wrong project"}, headers=ANY_VERSION
        ).status_code
        == 204
    )
    assert "2014-06-30" not in reports(client)
    burn = client.get("/api/v1/projects/SDC-KHH/burn", params={"as_of": "2014-06-30"}).json()
    assert (burn["data_date"], burn["work_done_pct"]) == ("2014-05-28", 78.6)
    trail = client.get(
        "/api/v1/audit", params={"entity": "progress_report", "id": "SDC-KHH/2014-06-30"}
    ).json()
    entry = trail["items"][0]
    assert entry["action"] == "withdraw" and entry["after"] == {
        "why": "filed for the wrong project"
    }
    assert entry["before"]["percent_complete"] == 83.3
    assert client.delete(url, params={"reason": "again"}, headers=ANY_VERSION).status_code == 404


def test_spending_has_one_record(client):
    lines = {
        x["first_year"]: x for x in client.get("/api/v1/projects/SDC-KHH").json()["budget_lines"]
    }
    before_reports = 5_819_755 + 5_561_000
    end_2013 = 66_580_755  # the report of 2013-12-28
    assert lines[2012]["spent_ntd"] == 5_561_000 and "recorded" in lines[2012]["spent_basis"]
    assert lines[2013]["spent_ntd"] == end_2013 - before_reports == 55_200_000
    assert lines[2014]["spent_ntd"] == LAST["spent_to_date_ntd"] - end_2013
    assert lines[2014]["spent_basis"] == "monthly progress reports to 2014-06-30"
    refused = client.patch(
        "/api/v1/projects/SDC-KHH/budget/2014", json={"spent_ntd": 0}, headers=ANY_VERSION
    )
    assert refused.status_code == 422 and "comes from the monthly progress reports" in refused.text
    committed = client.patch(
        "/api/v1/projects/SDC-KHH/budget/2014", json={"committed_ntd": 1}, headers=ANY_VERSION
    )
    assert committed.status_code == 200 and committed.json()["committed_ntd"] == 1
