"""What moving saves: the rent of the leased offices each new service center will replace."""

from __future__ import annotations

from tests.api.leases.seedfiles import read, rents
from tests.factories import ANY_VERSION

CENTERS_ZH = ["臺北市", "桃園機場", "高雄市", "臺中市", "宜蘭縣", "苗栗縣", "桃園縣", "嘉義市",
              "金門水頭港"]  # fmt: skip


def savings(client, **params):
    response = client.get("/api/v1/reports/relocation-savings", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_each_of_the_nine_centers_with_the_rent_it_avoids(client):
    body = savings(client)
    assert (body["fiscal_year"], body["fiscal_year_roc"], body["as_of"]) == (
        2014,
        103,
        "2014-06-30",
    )
    centers = {c["center_key"]: c for c in body["centers"]}
    assert [c["name_zh"] for c in body["centers"]] == [f"{n}移民服務中心" for n in CENTERS_ZH]
    replaced: dict[str, list[str]] = {}
    for row in read("lease_replacements.csv"):
        replaced.setdefault(row["center_key"], []).append(row["site_code"])
    paid = rents()
    for key, center in centers.items():
        codes = sorted(replaced.get(key, []))
        assert [o["site_code"] for o in center["offices"]] == codes
        assert [o["annual_rent_ntd"] for o in center["offices"]] == [paid[c][2014] for c in codes]
        assert center["annual_rent_avoided_ntd"] == sum(paid[c][2014] for c in codes)
        assert center["provenance"] == "illustrative"
    # by hand: Taipei City replaces TPE-SS (5,674,000) and TPE-SOT (2,108,000)
    assert centers["taipei-city"]["annual_rent_avoided_ntd"] == 7_782_000
    assert centers["taipei-city"]["county_zh"] == "臺北市"
    # Kinmen's sites are borrowed and the airport's post is not leased: nothing to avoid
    assert centers["kinmen-shuitou-port"]["offices"] == []
    assert centers["taoyuan-airport"]["annual_rent_avoided_ntd"] == 0
    assert body["offices_replaced"] == 15
    assert body["total_annual_rent_avoided_ntd"] == sum(
        paid[row["site_code"]][2014] for row in read("lease_replacements.csv")
    )


def test_fy2013_uses_that_years_rent(client):
    centers = {c["center_key"]: c for c in savings(client, fiscal_year=2013)["centers"]}
    assert centers["taipei-city"]["annual_rent_avoided_ntd"] == 6_504_000 + 2_389_000


def test_an_office_that_already_left_rented_space_saves_nothing_more(client):
    moved = client.patch(
        "/api/v1/sites/TPE-SOT",
        json={"ownership": "owned", "ownership_effective_date": "2014-04-01"},
        headers=ANY_VERSION,
    )
    assert moved.status_code == 200, moved.text
    lease = client.get("/api/v1/leases", params={"site_code": "TPE-SS"}).json()["items"][0]
    client.patch(
        f"/api/v1/leases/{lease['id']}", json={"end_date": "2016-12-31"}, headers=ANY_VERSION
    )
    assert client.put(f"/api/v1/leases/{lease['id']}/rents/2015",
                      json={"rent_ntd": 5_300_000}).status_code == 201  # fmt: skip
    # in FY2015 TPE-SOT pays nothing: only TPE-SS's rent is left to avoid
    centers = {c["center_key"]: c for c in savings(client, fiscal_year=2015)["centers"]}
    offices = {o["site_code"]: o for o in centers["taipei-city"]["offices"]}
    assert (offices["TPE-SOT"]["ownership"], offices["TPE-SOT"]["annual_rent_ntd"],
            offices["TPE-SOT"]["basis"]) == ("owned", 0, "none")  # fmt: skip
    # FY2015 is not closed on 2014-06-30: its recorded rent is its contracted rent (changed by
    # issue 17: it was "paid")
    assert (offices["TPE-SS"]["annual_rent_ntd"], offices["TPE-SS"]["basis"]) == (
        5_300_000, "contracted")  # fmt: skip
    assert centers["taipei-city"]["annual_rent_avoided_ntd"] == 5_300_000
    # another center with no FY2015 rent yet: its offices' contracted rents
    khh = {o["site_code"]: o for o in centers["kaohsiung-city"]["offices"]}
    assert {o["basis"] for o in khh.values()} == {"contracted"}


def test_a_year_with_no_rent_recorded_is_404(client):
    response = client.get("/api/v1/reports/relocation-savings", params={"fiscal_year": 2030})
    assert response.status_code == 404
    assert "2030" in response.json()["detail"]
