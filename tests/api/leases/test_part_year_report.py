"""The part-year cases built through the API (sites, leases, rents, a move out) and each office's
figures in the report checked by hand, under both readings of the mandate and both part-year
rules. The product's date is the seed's, 2014-06-30."""

from __future__ import annotations

from tests.factories import ANY_VERSION, leased_office

FIELDS = ("baseline_rent_ntd", "baseline_basis", "target_rent_ntd", "actual_rent_ntd",
          "reduction_ntd", "reduction_pct", "status")  # fmt: skip


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def row(client, code: str, **params) -> dict | None:
    body = ok(client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014} | params))
    return next((r for r in body["rows"] if r["site_code"] == code), None)


def figures(r: dict) -> list:
    return [r[k] for k in FIELDS]


def test_a_lease_from_2_january_2013_is_annualised(client):
    leased_office(client, "TEST-JAN2", [{"start_date": "2013-01-02", "end_date": "2016-01-01"}],
                  {2013: 996_000, 2014: 898_000})  # fmt: skip
    # 364 days: 996,000 x 365 / 364 = 998,736.26 -> 998,736; target floor(898,862.4);
    # contracted 898,000 for FY2014: met, 100,736 less (10.1%)
    r = row(client, "TEST-JAN2")
    assert figures(r) == [998_736, "annualised from 364 days", 898_862, 898_000, 100_736, 10.1,
                          "met"]  # fmt: skip
    assert (r["baseline_basis_zh"], r["reference_rent_paid_ntd"], r["reference_days_leased"]) == (
        "依364日換算全年", 996_000, 364)  # fmt: skip
    assert figures(row(client, "TEST-JAN2", mode="year_on_year")) == figures(r)
    excluded = row(client, "TEST-JAN2", part_year="exclude")
    assert (excluded["status"], excluded["baseline_rent_ntd"]) == ("no_baseline", None)


def test_a_gap_inside_the_baseline_year_is_annualised_over_the_days_leased(client):
    ids = leased_office(
        client, "TEST-GAP",
        [{"start_date": "2010-01-01", "end_date": "2013-03-31"},
         {"start_date": "2013-07-01", "end_date": "2016-06-30"}],
        {2014: 700_000},
    )  # fmt: skip
    # FY2013: 300,000 on each lease, 600,000 in all for 90 + 184 = 274 days
    for lease in ids:
        ok(client.put(f"/api/v1/leases/{lease}/rents/2013", json={"rent_ntd": 300_000}), 201)
    # taken as a full year it would be "not met, -16.7%"; annualised: 600,000 x 365 / 274
    # = 799,270.07 -> 799,270; target floor(719,343.0) = 719,343; 700,000: met, 12.4%
    assert figures(row(client, "TEST-GAP")) == [799_270, "annualised from 274 days", 719_343,
                                                 700_000, 99_270, 12.4, "met"]  # fmt: skip


def move_out(client) -> None:
    """TEST-MOVE: rented from 2010 for 1,200,000 a year; the lease ended on 31 March 2014 and
    the office moved into an owned building on 1 April 2014, having paid 300,000 for 2014."""
    (lease,) = leased_office(client, "TEST-MOVE", [{"start_date": "2010-01-01",
                                                     "end_date": "2016-12-31"}],
                             {2013: 1_200_000, 2014: 300_000})  # fmt: skip
    ok(client.patch(f"/api/v1/leases/{lease}", json={"ended_on": "2014-03-31"},
                    headers=ANY_VERSION))  # fmt: skip
    moved = {"ownership": "owned", "ownership_effective_date": "2014-04-01"}
    ok(client.patch("/api/v1/sites/TEST-MOVE", json=moved, headers=ANY_VERSION))
    # FY2015 needs a rent in the register: TPE-SS's, on a lease extended to 2016
    tpe = ok(client.get("/api/v1/leases", params={"site_code": "TPE-SS"}))["items"][0]
    ok(client.patch(f"/api/v1/leases/{tpe['id']}", json={"end_date": "2016-12-31"},
                    headers=ANY_VERSION))  # fmt: skip
    ok(client.put(f"/api/v1/leases/{tpe['id']}/rents/2015", json={"rent_ntd": 5_200_000}), 201)


def test_a_move_out_in_mid_year_under_both_readings(client):
    move_out(client)
    # FY2014, both readings against the full FY2013: 300,000 paid for 90 days (Jan-Mar), the
    # rest of the year avoided: 900,000 less, 75.0%
    for mode in ("one_off", "year_on_year"):
        r = row(client, "TEST-MOVE", mode=mode)
        assert figures(r) == [1_200_000, "full year", 1_080_000, 300_000, 900_000, 75.0,
                              "ended"], mode  # fmt: skip
        assert r["days_leased"] == 90
    # FY2015 one-off: nothing paid against FY2013
    r = row(client, "TEST-MOVE", fiscal_year=2015)
    assert figures(r) == [1_200_000, "full year", 1_080_000, 0, 1_200_000, 100.0, "ended"]
    assert r["actual_basis"] == "none"
    # FY2015 year on year: FY2014 annualised, 300,000 x 365 / 90 = 1,216,666.67 -> 1,216,667
    # (not the part-year 300,000); target floor(1,095,000.3) = 1,095,000
    r = row(client, "TEST-MOVE", fiscal_year=2015, mode="year_on_year")
    assert figures(r) == [1_216_667, "annualised from 90 days", 1_095_000, 0, 1_216_667, 100.0,
                          "ended"]  # fmt: skip
    # part years excluded: no baseline and nothing paid, so no row
    assert row(client, "TEST-MOVE", fiscal_year=2015, mode="year_on_year",
               part_year="exclude") is None  # fmt: skip


def test_every_report_says_how_part_years_count(client):
    body = ok(client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014}))
    rule = body["rule"]
    assert rule["part_year"] == "annualise"
    assert rule["part_year_description"] in rule["description"]
    assert rule["part_year_description_zh"] in rule["description_zh"]
    assert "annualised by days" in rule["description"]
    csv = client.get("/api/v1/reports/rent-reduction", params={"fiscal_year": 2014,
                                                               "format": "csv"})  # fmt: skip
    assert rule["part_year_description"] in csv.content.decode("utf-8-sig").splitlines()[1]


def test_a_part_year_rule_that_is_not_known_is_a_400(client):
    response = client.get("/api/v1/reports/rent-reduction",
                          params={"fiscal_year": 2014, "part_year": "sometimes"})  # fmt: skip
    assert response.status_code == 400
    assert "part_year" in response.json()["detail"]
