"""The projects map's projects, fetched by the page's script apart from the page: every project
where its sites are, with what its popup shows, checked against the seed files and the projects
API."""

from __future__ import annotations

import csv
from collections import defaultdict

from litestar.testing import TestClient

from facilities.app import create_app
from facilities.core.settings import Settings

SEED = Settings().seed_dir
FEED = "/maps/projects/features"
KAOHSIUNG_YONGAN = [120.23, 22.82]
"""Where a project with no site of the register is drawn (the detention facility's town)."""


def seed(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_places() -> dict[str, list[float]]:
    """Each seed project at the mean of its sites' coordinates, [lon, lat]."""
    where = {row["code"]: (float(row["lon"]), float(row["lat"])) for row in seed("sites.csv")}
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for link in seed("project_sites.csv"):
        points[link["project_code"]].append(where[link["site_code"]])
    places = {}
    for project in seed("projects.csv"):
        found = points.get(project["code"])
        places[project["code"]] = (
            [sum(p[0] for p in found) / len(found), sum(p[1] for p in found) / len(found)]
            if found else KAOHSIUNG_YONGAN
        )  # fmt: skip
    return places


def test_every_project_where_its_sites_are_with_its_burn(client):
    features = client.get(FEED).json()["features"]
    shown = {f["properties"]["code"]: f for f in features}
    projects = {row["code"]: row for row in seed("projects.csv")}
    assert set(shown) == set(projects) and len(features) == len(projects) == 10
    for code, place in expected_places().items():
        assert shown[code]["geometry"]["coordinates"] == place, code
    burns = {p["code"]: p for p in client.get("/api/v1/projects").json()["items"]}
    for code, feature in shown.items():
        p = feature["properties"]
        assert (p["name"], p["name_zh"]) == (projects[code]["name"], projects[code]["name_zh"])
        assert p["budget_total_ntd"] == int(projects[code]["budget_total_ntd"])
        burn = burns[code]
        assert p["status"] == burn["status"] and p["reasons"] == burn["reasons"]
        assert p["forecast_finish"] == burn["forecast_finish"]
        assert p["work_done_pct"] == burn["work_done_pct"]
    assert shown["SDC-KHH"]["properties"]["budget_total_ntd"] == 237_396_755


def test_the_page_points_its_script_at_the_feed_and_carries_no_project(client):
    page = client.get("/maps/projects").text
    assert "data-src='/maps/projects/features'" in page
    assert "南部收容所及被害人庇護安置處所興建工程" not in page


def test_the_feed_is_for_people_logged_in(client, settings):
    with TestClient(create_app(settings)) as anonymous:
        assert anonymous.get(FEED).status_code == 401
    assert client.get(FEED).headers["content-type"].startswith("application/geo+json")
