"""The ownership map's sites, fetched by the page's script apart from the page: every site of
the register with what its popup shows, checked against the seed files."""

from __future__ import annotations

import csv
from datetime import date

from facilities.core.settings import Settings

SEED = Settings().seed_dir
FEED = "/maps/ownership/sites"


def seed(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def held_on(day: date) -> dict[str, str]:
    """Each seed site's ownership on a day, from the sites and the ownership history alone."""
    changes: dict[str, list[tuple[str, str]]] = {}
    for row in seed("ownership_history.csv"):
        changes.setdefault(row["site_code"], []).append((row["effective_date"], row["ownership"]))
    held = {}
    for site in seed("sites.csv"):
        known = sorted(
            [*changes.get(site["code"], []), (site["ownership_since"], site["ownership"])]
        )
        before = [kind for start, kind in known if date.fromisoformat(start) <= day]
        if before:
            held[site["code"]] = before[-1]
    return held


def test_every_site_with_its_place_kind_and_rent(client):
    sites = {f["properties"]["code"]: f for f in client.get(FEED).json()["features"]}
    held = held_on(date(2014, 6, 30))
    assert {code: f["properties"]["kind"] for code, f in sites.items()} == held
    for row in seed("sites.csv"):
        assert sites[row["code"]]["geometry"]["coordinates"] == [
            float(row["lon"]),
            float(row["lat"]),
        ]
        assert sites[row["code"]]["properties"]["zh"] == row["name_zh"]
    rents = {r["site_code"]: int(r["rent_ntd"]) for r in seed("lease_rents.csv")
             if r["fiscal_year"] == "2014"}  # fmt: skip
    for lease in seed("leases.csv"):
        shown = sites[lease["site_code"]]["properties"]
        if held[lease["site_code"]] == "leased":
            rent = rents.get(lease["site_code"], int(lease["contracted_annual_rent_ntd"]))
            assert shown["rent"] == f"NT${rent:,}", lease["site_code"]
            assert shown["ends"].startswith(lease["end_date"])
        else:
            assert "rent" not in shown


def test_the_page_points_its_script_at_the_feed_and_carries_no_site(client):
    page = client.get("/maps/ownership", params={"as_of": "2013-01-01"}).text
    assert "data-src='/maps/ownership/sites?as_of=2013-01-01'" in page
    assert not any(row["name"] in page for row in seed("sites.csv"))
    earlier = client.get(FEED, params={"as_of": "2013-01-01"}).json()["features"]
    assert {f["properties"]["code"]: f["properties"]["kind"] for f in earlier} == held_on(
        date(2013, 1, 1)
    )


def test_the_feed_goes_gzipped_and_needs_a_login(client, client_as):
    answer = client.get(FEED, headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-type"] == "application/geo+json"
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.num_bytes_downloaded < len(answer.content) / 4
    assert client_as(None).get(FEED).status_code == 401
    assert client_as("liaison").get(FEED).status_code == 200
