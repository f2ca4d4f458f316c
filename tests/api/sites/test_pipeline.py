"""The road to full ownership through the API: the seed as the documents allow, a county moved
through every stage, its history, horizon and projected year, the national roll-up; every
expected figure recomputed here from the seed files and the projects' own answers."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date

from facilities.core.settings import Settings
from tests.factories import ANY_VERSION, everything

SEED = Settings().seed_dir
STAGES = ["not_needed", "land_sought", "land_identified", "transfer_applied", "transferred",
          "designed", "funded", "under_construction", "owned"]  # fmt: skip
STATE_LAND = ["Keelung City", "Changhua County", "Tainan City", "Hualien County"]
PIPELINE = "/api/v1/ownership/pipeline"


def rows(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seed_tracks() -> dict[tuple[str, str], list[dict[str, str]]]:
    """(county, site code or "") -> its stage changes, in order."""
    tracks = defaultdict(list)
    for row in rows("pipeline.csv"):
        tracks[(row["county"], row["site_code"])].append(row)
    return tracks


def county_stage(stages: list[str]) -> str:
    """The least advanced track that leads somewhere."""
    on_road = [s for s in stages if s != "not_needed"] or stages
    return min(on_road, key=STAGES.index)


def forecast(client, code: str) -> date:
    burn = client.get(f"/api/v1/projects/{code}").json()["burn"]
    return date.fromisoformat(burn["forecast_finish"])


def road(client, as_of: str | None = None) -> dict:
    response = client.get(PIPELINE, params={"as_of": as_of} if as_of else {})
    assert response.status_code == 200, response.text
    return response.json()


def county(body: dict, name: str) -> dict:
    return next(c for c in body["counties"] if c["county"] == name)


def test_the_state_land_counties_come_first_at_state_land_identified(client):
    body = road(client)
    first = body["counties"][:4]
    assert [c["county"] for c in first] == STATE_LAND
    for row in first:
        assert row["state_land_obtained"] and row["stage"] == "land_identified"
        assert row["reached_on"] == "2013-08-31" and row["horizon"] == "mid"
        assert "state land obtained" in row["horizon_reason"]
        own = next(t for t in row["tracks"] if t["site"] is None)
        assert own["history"][-1]["provenance"] == "budget_fy2014"
        assert "已取得國有地" in own["history"][-1]["note"]
    assert not any(c["state_land_obtained"] for c in body["counties"][4:])


def test_each_centers_county_is_linked_to_its_project(client):
    body = road(client)
    for project in rows("projects.csv"):
        if not project["lease_center_key"]:
            continue
        tracks = county(body, project["county"])["tracks"]
        linked = [t for t in tracks if t["project_code"] == project["code"]]
        assert len(linked) == 1, project["code"]
        assert (
            linked[0]["project"]["forecast_finish"] == forecast(client, project["code"]).isoformat()
        )
        assert linked[0]["stage"] in ("land_identified", "transfer_applied", "transferred")


def test_every_countys_projected_year_and_the_national_rollup(client):
    """Recomputed from the seed: a county is owned when the last project that makes one of its
    pending sites owned finishes (by that project's forecast); no date if any has none."""
    body = road(client)
    sites = {s["code"]: s for s in rows("sites.csv")}
    makes_owned = defaultdict(list)
    for row in rows("project_sites.csv"):
        makes_owned[row["site_code"]].append(row["project_code"])
    tracks = seed_tracks()
    own_track = {site for _county, site in tracks if site}
    stages: dict[str, list[str]] = defaultdict(list)
    pending: dict[str, list[str]] = defaultdict(list)
    for (name, site), changes in tracks.items():
        stages[name].append(changes[-1]["stage"])
        if changes[-1]["stage"] == "not_needed":
            continue
        covered = [site] if site else [c for c, s in sites.items()
                                       if s["county"] == name and c not in own_track]  # fmt: skip
        pending[name] += [c for c in covered if sites[c]["ownership"] != "owned"]
    for name in {s["county"] for s in sites.values()}:
        row = county(body, name)
        assert row["stage"] == county_stage(stages[name]), name
        waiting = [c for c in pending[name] if not makes_owned[c]]
        if waiting:
            assert row["projected_owned_year"] is None and row["owned_by"]["basis"] == "no_date"
            assert row["owned_by"]["waiting"] == waiting
        elif pending[name]:
            days = [min(forecast(client, p) for p in makes_owned[c]) for c in pending[name]]
            assert row["projected_owned_year"] == max(days).year, name
        else:
            assert row["owned_by"]["basis"] == "owned", name
    national = body["national"]
    by_stage = Counter(county_stage(s) for s in stages.values())
    assert {s["stage"]: s["counties"] for s in national["counties_by_stage"]} == {
        s: by_stage[s] for s in STAGES
    }
    leased = {c for c, s in sites.items() if s["ownership"] == "leased"}
    rent = sum(int(r["rent_ntd"]) for r in rows("lease_rents.csv")
               if r["fiscal_year"] == "2014" and r["site_code"] in leased)  # fmt: skip
    assert (
        national["rent_avoided_ntd"] == rent == sum(c["rent_avoided_ntd"] for c in body["counties"])
    )
    assert national["ownership"]["owned"]["count"] == 14 and national["total"] == 65
    assert national["ownership"]["owned"]["share_pct"] == 21.5
    without = sorted(n for n in pending if any(not makes_owned[c] for c in pending[n]))
    assert sorted(national["counties_without_date"]) == without
    assert national["full_ownership_year"] is None
    summary = client.get("/api/v1/ownership/summary", params={"as_of": "2019-12-31"}).json()
    outlook = {y["year"]: y for y in national["outlook"]}
    assert outlook[2019]["owned"] == summary["ownership"]["owned"]["count"]


def move(client, name: str, etag: str, status: int = 200, **body) -> dict:
    response = client.put(f"{PIPELINE}/{name}", json=body, headers={"If-Match": etag})
    assert response.status_code == status, response.text
    if status == 200:
        assert response.headers["ETag"] == response.json()["etag"]
    return response.json()


def test_a_county_moves_through_every_stage(client, db):
    """Yilan: back to no site needed (a reason required), then forward through every stage to
    owned once its offices are; each step's horizon, projected year and the roll-up."""
    body = road(client)
    yilan = county(body, "Yilan County")
    assert (yilan["stage"], yilan["horizon"]) == ("transferred", "short")
    counts = {s["stage"]: s["counties"] for s in body["national"]["counties_by_stage"]}
    before = everything(db)
    refused = move(client, "宜蘭縣", yilan["etag"], 422, stage="not_needed")
    assert "needs a reason" in refused["detail"] and everything(db) == before
    etag = move(client, "宜蘭縣", yilan["etag"], stage="not_needed", reached_on="2014-02-01",
                reason="re-planning the county's offices", project_code=None)["etag"]  # fmt: skip
    stale = move(client, "宜蘭縣", county(body, "Yilan County")["etag"], 412, stage="land_sought")
    assert "reload" in stale["detail"] and etag != county(body, "Yilan County")["etag"]
    yilan = county(road(client), "Yilan County")
    assert (yilan["horizon"], yilan["owned_by"]["basis"]) == ("done", "not_needed")
    ila = forecast(client, "MSC-ILA")
    walk = [("land_sought", "2014-02-10", "mid"), ("land_identified", "2014-03-01", "mid"),
            ("transfer_applied", "2014-03-15", "mid"), ("transferred", "2014-04-01", "short"),
            ("designed", "2014-04-15", "short"), ("funded", "2014-05-01", "short"),
            ("under_construction", "2014-05-15", "short")]  # fmt: skip
    for stage, day, horizon in walk:
        link = {"project_code": "MSC-ILA"} if stage == "funded" else {}
        answer = move(client, "Yilan County", etag, stage=stage, reached_on=day,
                      note=f"to {stage}", **link)  # fmt: skip
        etag = answer["etag"]
        assert (answer["stage"], answer["reached_on"], answer["horizon"]) == (stage, day, horizon)
        yilan = county(road(client), "Yilan County")
        assert (yilan["stage"], yilan["horizon"], yilan["etag"]) == (stage, horizon, etag)
        assert yilan["projected_owned_year"] == ila.year
        assert yilan["owned_by"]["projects"] == ["MSC-ILA"]
    assert yilan["tracks"][0]["project"]["forecast_finish"] == ila.isoformat()
    refused = move(client, "Yilan County", etag, 422, stage="owned", reached_on="2014-06-30")
    assert "ILA-SOT, ILA-SS" in refused["detail"]
    for site in ("ILA-SS", "ILA-SOT"):
        moved = client.patch(
            f"/api/v1/sites/{site}",
            headers=ANY_VERSION,
            json={"ownership": "owned", "ownership_effective_date": "2014-06-01"},
        )
        assert moved.status_code == 200, moved.text
    done = move(client, "Yilan County", etag, stage="owned", reached_on="2014-06-30")
    assert (done["stage"], done["horizon"], done["sites"]) == (
        "owned",
        "done",
        {"owned": 3, "borrowed": 0, "leased": 0},
    )
    after = road(client)
    yilan = county(after, "Yilan County")
    assert yilan["owned_by"]["basis"] == "owned" and yilan["rent_avoided_ntd"] == 0
    history = yilan["tracks"][0]["history"]
    assert [h["stage"] for h in history] == ["land_sought", "transferred", "not_needed",
                                             *[s for s, _, _ in walk], "owned"]  # fmt: skip
    assert history[2]["reason"] == "re-planning the county's offices"
    assert all("actor" not in h for h in history)  # who moved it: the audit trail's readers
    assert [h["note"] for h in history[3:-1]] == [f"to {s}" for s, _, _ in walk]
    trail = client.get("/api/v1/audit", params={"entity": "pipeline", "id": "Yilan County"})
    moves = list(reversed(trail.json()["items"]))[-9:]
    assert [e["after"]["stage"] for e in moves] == [
        "not_needed", *[s for s, _, _ in walk], "owned"]  # fmt: skip
    assert all(e["actor"].startswith("token:test-admin") for e in moves)
    national = after["national"]
    got = {s["stage"]: s["counties"] for s in national["counties_by_stage"]}
    assert got == counts | {"transferred": counts["transferred"] - 1, "owned": counts["owned"] + 1}
    assert national["ownership"]["owned"]["count"] == 16
    assert national["ownership"]["owned"]["share_pct"] == 24.6  # 16 / 65
    assert (
        national["rent_avoided_ntd"] == body["national"]["rent_avoided_ntd"] - 1_642_000 - 1_052_000
    )


def test_a_move_that_breaks_a_rule_changes_nothing(client, db):
    keelung = county(road(client), "Keelung City")
    etag = keelung["etag"]
    before = everything(db)
    for body, status, words in [
        ({"stage": "land_sought"}, 422, "needs a reason"),
        ({"stage": "transferred", "reached_on": "2014-07-01"}, 422, "after the product's date"),
        ({"stage": "transferred", "reached_on": "2013-08-30"}, 422, "in the order they happened"),
        ({"stage": "owned"}, 422, "KEE-SOT, KEE-SS"),
        ({"stage": "designed", "site": "KHH-AP"}, 422, "has no site with the code"),
        ({"stage": "designed", "note": "x" * 501}, 400, "note"),
    ]:  # fmt: skip
        answer = move(client, "Keelung City", etag, status, **body)
        assert words in answer["detail"], (body, answer["detail"])
    assert move(client, "Atlantis", etag, 404, stage="designed")["status"] == 404
    stale = client.put(
        f"{PIPELINE}/基隆市", json={"stage": "designed"}, headers={"If-Match": '"1-0"'}
    )
    missing = client.put(f"{PIPELINE}/基隆市", json={"stage": "designed"})
    assert (stale.status_code, missing.status_code) == (412, 428)
    assert everything(db) == before


def test_a_site_on_a_track_of_its_own(client):
    """Kaohsiung's airport post, which needed no site of its own, is put on the road: the
    county is then only as far along as it, and has no projected year."""
    kaohsiung = county(road(client), "Kaohsiung City")
    assert kaohsiung["stage"] == "transferred" and kaohsiung["projected_owned_year"] is not None
    moved = move(client, "高雄市", kaohsiung["etag"], stage="land_sought", site="KHH-AP",
                 note="the terminal is to be rebuilt")  # fmt: skip
    assert moved["stage"] == "land_sought"
    kaohsiung = county(road(client), "Kaohsiung City")
    post = next(t for t in kaohsiung["tracks"] if t["site"] == "KHH-AP")
    assert post["sites"] == {"KHH-AP": "borrowed"} and post["owned_by"]["basis"] == "no_date"
    assert kaohsiung["stage"] == "land_sought" and kaohsiung["projected_owned_year"] is None
    assert kaohsiung["owned_by"]["waiting"] == ["KHH-AP"]
    own = next(t for t in kaohsiung["tracks"] if t["site"] is None)
    assert sorted(own["sites"]) == ["KHH-SOT", "KHH-SS1", "KHH-SS2"]
    typo = move(client, "Kaohsiung City", kaohsiung["etag"], stage="land_sought", site="KHH-PT",
                project_code="MSC-KHX")  # fmt: skip
    post = next(
        t for t in county(road(client), "Kaohsiung City")["tracks"] if t["site"] == "KHH-PT"
    )
    assert typo["etag"] != kaohsiung["etag"] and post["project"]["found"] is False


def test_a_projects_milestones_move_its_track(client):
    listed = client.get("/api/v1/projects/MSC-ILA/milestones").json()["items"]
    milestones = {m["name"]: m for m in listed}
    for name, day, stage in (
        ("Detailed design approved", "2014-06-20", "designed"),
        ("Construction contract awarded", "2014-06-25", "under_construction"),
    ):
        done = client.patch(f"/api/v1/milestones/{milestones[name]['id']}", headers=ANY_VERSION,
                            json={"actual_date": day, "percent_complete": 100})  # fmt: skip
        assert done.status_code == 200, done.text
        yilan = county(road(client), "Yilan County")
        assert (yilan["stage"], yilan["reached_on"]) == (stage, day)
        last = yilan["tracks"][0]["history"][-1]
        assert last["note"] == f"MSC-ILA: {name} ({day})" and last["project_code"] == "MSC-ILA"


def test_after_the_products_date_the_road_is_projected(client):
    ila = forecast(client, "MSC-ILA")
    later = road(client, (ila.replace(month=12, day=31)).isoformat())
    yilan = county(later, "Yilan County")
    assert later["basis"] == "projected"
    assert (yilan["stage"], yilan["reached_on"]) == ("owned", ila.isoformat())
    assert yilan["tracks"][0]["projected"] and yilan["sites"]["leased"] == 0
    before = county(road(client, "1990-01-01"), "Yilan County")
    assert before["stage"] is None and before["horizon"] is None and before["sites"]["owned"] == 0
