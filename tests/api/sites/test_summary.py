"""Ownership figures from the register, today and on past dates."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from facilities.core.settings import Settings
from facilities.sites.services import recorded_series
from tests.factories import ANY_VERSION, keelung_moves_in

SEED = Settings().seed_dir


def seed_sites() -> list[dict[str, str]]:
    with open(SEED / "sites.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seed_ownership_on(day: date) -> Counter:
    """Ownership counts on a day, recomputed from the seed files alone."""
    history = {}
    with open(SEED / "ownership_history.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            history.setdefault(row["site_code"], []).append(
                (date.fromisoformat(row["effective_date"]), row["ownership"])
            )
    counts: Counter = Counter()
    for site in seed_sites():
        changes = history.get(site["code"], []) + [
            (date.fromisoformat(site["ownership_since"]), site["ownership"])
        ]
        held = [own for start, own in sorted(changes) if start <= day]
        if held:
            counts[held[-1]] += 1
    return counts


def test_summary_shows_the_budget_documents_figures(client):
    body = client.get("/api/v1/ownership/summary").json()
    assert body["as_of"] == "2014-06-30"
    assert body["total"] == 65
    shares = body["ownership"]
    assert [shares[k]["count"] for k in ("owned", "borrowed", "leased")] == [14, 17, 34]
    assert [shares[k]["share_pct"] for k in ("owned", "borrowed", "leased")] == [21.5, 26.2, 52.3]
    assert [shares[k]["share_pct_printed"] for k in ("owned", "borrowed", "leased")] == [21, 26, 52]
    assert shares["owned"]["label_zh"] == "自有"


def test_summary_per_county_adds_up_and_matches_the_seed(client):
    body = client.get("/api/v1/ownership/summary").json()
    counties = {c["county"]: c for c in body["counties"]}
    assert len(counties) == 22
    assert sum(c["total"] for c in counties.values()) == 65
    expected = Counter((s["county"], s["ownership"]) for s in seed_sites())
    for (county, ownership), count in expected.items():
        assert counties[county]["ownership"][ownership]["count"] == count
    kinmen = counties["Kinmen County"]
    assert kinmen["county_zh"] == "金門縣"
    assert kinmen["ownership"]["borrowed"]["share_pct"] == 100.0


@pytest.mark.parametrize(
    "day", ["2007-01-01", "2007-01-02", "2010-01-01", "2012-03-01", "2013-07-01"]
)
def test_summary_on_a_past_date_is_answered_from_the_history(client, day):
    expected = seed_ownership_on(date.fromisoformat(day))
    body = client.get("/api/v1/ownership/summary", params={"as_of": day}).json()
    assert body["as_of"] == day
    assert body["total"] == sum(expected.values())
    for kind in ("owned", "borrowed", "leased"):
        assert body["ownership"][kind]["count"] == expected[kind]


def test_a_change_of_ownership_moves_the_ratio_from_its_effective_date(client):
    response = client.patch("/api/v1/sites/KEE-SS", json=keelung_moves_in(), headers=ANY_VERSION)
    assert response.status_code == 200, response.text
    site = response.json()
    assert site["ownership"] == "owned" and site["ownership_since"] == "2014-05-01"
    assert [h["ownership"] for h in site["history"]] == ["leased", "owned"]

    def counts(day):
        body = client.get("/api/v1/ownership/summary", params={"as_of": day}).json()
        return [body["ownership"][k]["count"] for k in ("owned", "borrowed", "leased")]

    assert counts("2014-04-30") == [14, 17, 34]
    assert counts("2014-05-01") == [15, 17, 33]
    assert counts("2014-06-30") == [15, 17, 33]


def test_a_site_that_closed_is_not_counted_after_it_closed(client):
    assert (
        client.patch(
            "/api/v1/sites/HSZ-DC", json={"closed_on": "2014-06-01"}, headers=ANY_VERSION
        ).status_code
        == 200
    )
    before = client.get("/api/v1/ownership/summary", params={"as_of": "2014-05-31"}).json()
    after = client.get("/api/v1/ownership/summary", params={"as_of": "2014-06-01"}).json()
    assert (before["total"], before["ownership"]["owned"]["count"]) == (65, 14)
    assert (after["total"], after["ownership"]["owned"]["count"]) == (64, 13)


def test_summary_refuses_a_date_that_is_not_a_date(client):
    response = client.get("/api/v1/ownership/summary", params={"as_of": "2014-13-01"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "as_of" in response.json()["detail"]


def test_a_trajectory_of_days_read_at_once_matches_each_day_from_the_seed(client, db):
    """The dashboard's year-ends come from one read of the history: each day as the seed says,
    in the order asked, a day asked twice the same, a closed site gone from its closing day."""
    closing = date(2012, 3, 1)
    assert client.patch("/api/v1/sites/HSZ-DC", json={"closed_on": closing.isoformat()},
                        headers=ANY_VERSION).status_code == 200  # fmt: skip
    hsinchu = next(s for s in seed_sites() if s["code"] == "HSZ-DC")
    assert hsinchu["ownership_since"] < "2010-01-01"  # held the same way from then on
    days = [date(2013, 12, 31), date(2007, 1, 1), date(2012, 2, 29), closing,
            date(2010, 1, 1), date(2013, 12, 31)]  # fmt: skip
    with db.session() as session:
        series = recorded_series(session, days)
    for day, held in zip(days, series, strict=True):
        expected = seed_ownership_on(day)
        if day >= closing:
            expected[hsinchu["ownership"]] -= 1
        assert held.as_of == day
        assert Counter(h.ownership for h in held.sites.values()) == +expected, day
        assert ("HSZ-DC" in held.sites) == (date(2010, 1, 1) <= day < closing), day
