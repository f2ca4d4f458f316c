"""The site register's API: reading, filtering, creating, changing, and refusing bad input."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from facilities.core.settings import Settings
from tests.factories import ANY_VERSION

with open(Settings().seed_dir / "sites.csv", encoding="utf-8") as seed_file:
    SEED_SITES = list(csv.DictReader(seed_file))

NEW_SITE = {
    "code": "KHH-DC",
    "name": "Kaohsiung Detention Centre",
    "name_zh": "高雄收容所",
    "county": "Kaohsiung City",
    "site_type": "detention_centre",
    "ownership": "owned",
    "ownership_since": "2014-06-01",
    "lat": 22.82,
    "lon": 120.23,
    "floor_area_m2": 7200,
}


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def site_count(client):
    return client.get("/api/v1/sites", params={"limit": 1}).json()["total"]


def test_list_answers_items_and_total_with_the_fields_users_read(client):
    body = client.get("/api/v1/sites").json()
    assert body["total"] == 65 and len(body["items"]) == 65
    site = next(s for s in body["items"] if s["code"] == "TPE-HQ")
    assert site["name_zh"] == "內政部入出國及移民署署本部(廣平大樓)"
    assert site["ownership"] == "owned" and site["ownership_zh"] == "自有"
    assert site["provenance"] == "budget_fy2014"
    for field in (
        "code",
        "name",
        "name_zh",
        "county",
        "site_type",
        "ownership",
        "lat",
        "lon",
        "floor_area_m2",
        "provenance",
    ):
        assert field in site


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ownership": "leased"}, sum(s["ownership"] == "leased" for s in SEED_SITES)),
        ({"ownership": "borrowed"}, 17),
        ({"county": "Kaohsiung City"}, sum(s["county"] == "Kaohsiung City" for s in SEED_SITES)),
        ({"county": "高雄市"}, sum(s["county"] == "Kaohsiung City" for s in SEED_SITES)),
        (
            {"site_type": "airport_border_post"},
            sum(s["site_type"] == "airport_border_post" for s in SEED_SITES),
        ),
        (
            {"county": "Tainan City", "ownership": "leased"},
            sum(s["county"] == "Tainan City" and s["ownership"] == "leased" for s in SEED_SITES),
        ),
    ],
)
def test_filters(client, params, expected):
    body = client.get("/api/v1/sites", params=params | {"limit": 1000}).json()
    assert body["total"] == expected == len(body["items"])
    for key, value in params.items():
        assert all(value in (s[key], s.get(f"{key}_zh")) for s in body["items"])


def test_paging_walks_the_whole_register_once(client):
    codes = []
    for offset in range(0, 65, 20):
        page = client.get("/api/v1/sites", params={"limit": 20, "offset": offset}).json()
        assert page["total"] == 65
        codes += [s["code"] for s in page["items"]]
    assert sorted(codes) == sorted(s["code"] for s in SEED_SITES) and len(set(codes)) == 65


def test_seed_spread_and_facts():
    assert Counter(s["ownership"] for s in SEED_SITES) == {
        "owned": 14,
        "borrowed": 17,
        "leased": 34,
    }
    counties = {s["county"] for s in SEED_SITES}
    assert {"Kinmen County", "Lienchiang County", "Penghu County"} <= counties and len(
        counties
    ) == 22
    assert {s["site_type"] for s in SEED_SITES} >= {
        "headquarters",
        "service_station",
        "specialized_operation_team",
        "airport_border_post",
        "port_border_post",
        "detention_centre",
    }
    for s in SEED_SITES:
        assert (s["ownership"] == "borrowed") == bool(s["lending_agency"] and s["loan_end_date"])
        assert 21.0 <= float(s["lat"]) <= 27.0 and 118.0 <= float(s["lon"]) <= 123.0
        assert s["provenance"] in {"budget_fy2014", "illustrative"}
    state_land = {s["county"] for s in SEED_SITES if s["state_land_obtained"] == "true"}
    assert state_land == {"Keelung City", "Changhua County", "Tainan City", "Hualien County"}


def test_head_is_answered_like_get_without_a_body(client):
    response = client.head("/api/v1/sites")
    assert response.status_code == 200 and response.content == b""
    assert client.head("/health").status_code == 200


def test_get_one_site_with_its_history(client):
    site = client.get("/api/v1/sites/YUN-SS").json()
    assert [(h["ownership"], h["effective_date"]) for h in site["history"]] == [
        ("leased", "2007-01-02"),
        ("owned", "2012-03-01"),
    ]
    problem(client.get("/api/v1/sites/NOPE-1"), 404)


def test_create_a_site_and_it_counts(client):
    response = client.post("/api/v1/sites", json=NEW_SITE)
    assert response.status_code == 201, response.text
    assert response.json()["county_zh"] == "高雄市"
    summary = client.get("/api/v1/ownership/summary").json()
    assert summary["total"] == 66 and summary["ownership"]["owned"]["count"] == 15
    audit = client.get("/api/v1/sites/KHH-DC").json()
    assert audit["history"][0]["effective_date"] == "2014-06-01"


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"ownership": "leesed"}, 400, "ownership"),
        ({"code": None}, 400, "code"),
        ({"lat": 95.0}, 400, "lat"),
        ({"lon": 200}, 400, "lon"),
        ({"floor_area_m2": -5}, 400, "floor_area_m2"),
        ({"county": "Gotham City"}, 422, "county 'Gotham City'"),
        ({"county": "Kaohsuing City"}, 422, "did you mean 'Kaohsiung City'"),
        ({"ownership": "borrowed"}, 422, "lending_agency is required"),
        ({"ownership_since": "2015-01-01"}, 422, "after the product's date 2014-06-30"),
        ({"code": "TPE-HQ"}, 409, "already exists"),
        ({"code": "khh dc"}, 400, "code"),
        ({"surprise": 1}, 400, "surprise"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(client, change, status, words):
    body = {k: v for k, v in (NEW_SITE | change).items() if v is not None}
    assert words in problem(client.post("/api/v1/sites", json=body), status)["detail"]
    assert site_count(client) == 65


def test_create_refuses_a_body_that_is_not_json(client):
    response = client.post(
        "/api/v1/sites", content=b"code=X", headers={"content-type": "application/json"}
    )
    problem(response, 400)
    assert site_count(client) == 65


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"ownership": "leesed"}, 400, "ownership"),
        ({"lat": -91}, 400, "lat"),
        (
            {"ownership": "owned", "ownership_effective_date": "2014-07-01"},
            422,
            "after the product's date",
        ),
        (
            {"ownership": "owned", "ownership_effective_date": "2007-01-01"},
            422,
            "after the current ownership began",
        ),
        ({"ownership_effective_date": "2014-01-01"}, 422, "ownership does not change"),
        ({"lending_agency": "Someone"}, 422, "only kept for borrowed sites"),
        ({"closed_on": "2001-01-01"}, 422, "before ownership_since"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(client, change, status, words):
    before = client.get("/api/v1/sites/KHH-SOT").json()
    assert (
        words
        in problem(client.patch("/api/v1/sites/KHH-SOT", json=change, headers=ANY_VERSION), status)[
            "detail"
        ]
    )
    assert client.get("/api/v1/sites/KHH-SOT").json() == before


def test_update_of_an_unknown_site_is_404(client):
    problem(client.patch("/api/v1/sites/NOPE-1", json={"name": "x"}, headers=ANY_VERSION), 404)


def test_leaving_a_loan_clears_its_agreement(client):
    site = client.patch(
        "/api/v1/sites/KIN-SS",
        json={"ownership": "owned", "ownership_effective_date": "2014-06-30"},
        headers=ANY_VERSION,
    ).json()
    assert site["ownership"] == "owned"
    assert site["lending_agency"] is None and site["loan_end_date"] is None


def test_openapi_and_docs_are_served(client):
    schema = client.get("/schema/openapi.json").json()
    assert {"/api/v1/sites", "/api/v1/sites/{code}", "/api/v1/ownership/summary", "/health"} <= set(
        schema["paths"]
    )
    assert client.get("/schema").status_code == 200


def test_unknown_path_is_problem_json(client):
    problem(client.get("/api/v1/nothing-here"), 404)


def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}
