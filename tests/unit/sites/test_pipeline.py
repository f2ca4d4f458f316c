"""The pipeline's pure rules, with inputs built by hand: moves, horizons, projected years, what
is stuck, and a county's road drawn from its tracks."""

from __future__ import annotations

from datetime import date

from facilities.sites.rules import (
    Completion,
    Holding,
    Holdings,
    Horizon,
    OwnedBy,
    ProjectLink,
    RoadInputs,
    Stage,
    StageChange,
    Track,
    TrackRoad,
    classify,
    county_owned_by,
    county_roads,
    move_problems,
    owned_by,
    stuck,
)

TODAY = date(2014, 6, 30)


def at(stage: str, day: str, **more) -> StageChange:
    return StageChange(Stage(stage), date.fromisoformat(day), **more)


def test_forward_moves_need_no_reason_and_backward_ones_do():
    here = at("transferred", "2014-01-01")
    assert move_problems(here, Stage.designed, TODAY, "", TODAY, []) == []
    assert move_problems(here, Stage.transferred, TODAY, "", TODAY, []) == []
    back = move_problems(here, Stage.land_sought, TODAY, "  ", TODAY, [])
    assert len(back) == 1 and "needs a reason" in back[0]
    assert move_problems(here, Stage.land_sought, TODAY, "re-planned", TODAY, []) == []
    assert move_problems(None, Stage.not_needed, TODAY, "", TODAY, []) == []


def test_a_move_is_dated_between_the_last_one_and_the_products_date():
    here = at("transferred", "2014-01-01")
    late = move_problems(here, Stage.designed, date(2014, 7, 1), "", TODAY, [])
    early = move_problems(here, Stage.designed, date(2013, 12, 31), "", TODAY, [])
    assert "after the product's date" in late[0] and "in the order they happened" in early[0]


def test_owned_only_when_the_register_says_every_site_is():
    here = at("under_construction", "2014-01-01")
    refused = move_problems(here, Stage.owned, TODAY, "", TODAY, ["A-1", "A-2"])
    assert refused and "A-1, A-2" in refused[0]
    assert move_problems(here, Stage.owned, TODAY, "", TODAY, []) == []


def road(stage: str | None, held: dict[str, str], site: str | None = None) -> TrackRoad:
    change = at(stage, "2014-01-01") if stage else None
    return TrackRoad(site, held, change, (), False, None, OwnedBy("no_date"), None)


def test_horizons_follow_tenure_and_land():
    leased = {"A": "leased", "B": "owned"}
    assert classify([road("transferred", leased)], False)[0] is Horizon.short
    assert classify([road("land_sought", leased)], False)[0] is Horizon.mid
    horizon, reason = classify([road("land_identified", leased)], False)
    assert horizon is Horizon.mid and "state land obtained" in reason and "1 leased" in reason
    assert classify([road("land_sought", {"A": "borrowed"})], False)[0] is Horizon.long
    assert classify([road("land_sought", {"A": "owned"})], False)[0] is Horizon.done
    assert classify([road("not_needed", {"A": "borrowed"})], False)[0] is Horizon.done
    assert classify([road(None, {})], False)[0] is None


def test_a_leased_site_makes_mid_term_though_another_is_only_borrowed():
    tracks = [road("land_sought", {"A": "borrowed"}), road("land_sought", {"B": "leased"}, "B")]
    assert classify(tracks, False)[0] is Horizon.mid


def done(project: str, day: str, *codes: str) -> Completion:
    return Completion(project, date.fromisoformat(day), codes)


def test_owned_by_the_last_first_completion_of_each_site():
    completions = [done("P2", "2019-03-01", "A"), done("P1", "2018-05-01", "A", "B"),
                   done("P3", "2020-01-01", "C")]  # fmt: skip
    by = owned_by(["A", "B"], completions)
    assert (by.basis, by.day, by.projects) == ("forecast", date(2018, 5, 1), ("P1",))
    by = owned_by(["A", "C"], completions)
    assert (by.day, by.projects) == (date(2020, 1, 1), ("P1", "P3"))
    by = owned_by(["A", "D"], completions)
    assert (by.basis, by.day, by.waiting) == ("no_date", None, ("D",))
    assert owned_by([], completions).basis == "owned"


def test_a_county_is_owned_when_its_last_track_is():
    tracks = [
        TrackRoad(None, {}, None, (), False, None, OwnedBy("forecast", date(2019, 5, 1), ("P",)),
                  None),
        TrackRoad("X", {}, None, (), False, None, OwnedBy("forecast", date(2020, 2, 1), ("Q",)),
                  None),
        TrackRoad("Y", {}, None, (), False, None, OwnedBy("not_needed"), None),
    ]  # fmt: skip
    by = county_owned_by(tracks)
    assert (by.basis, by.day, by.projects) == ("forecast", date(2020, 2, 1), ("P", "Q"))
    waiting = TrackRoad("Z", {}, None, (), False, None, OwnedBy("no_date", waiting=("Z",)), None)
    assert county_owned_by([*tracks, waiting]).waiting == ("Z",)


def test_stuck_after_two_years_before_construction_or_with_a_red_project():
    assert stuck(at("land_sought", "2012-06-29"), TODAY, None) is not None
    assert stuck(at("land_sought", "2012-06-30"), TODAY, None) is None
    assert stuck(at("under_construction", "2010-01-01"), TODAY, None) is None
    red = ProjectLink("P", "red", date(2020, 1, 1))
    assert "red" in (stuck(at("funded", "2014-06-01"), TODAY, red) or "")
    assert stuck(at("not_needed", "2007-01-02"), TODAY, None) is None


def holdings(day: date, sites: dict[str, tuple[str, str]]) -> Holdings:
    return Holdings(day, False, {code: Holding(c, c, o) for code, (c, o) in sites.items()})


def test_a_countys_road_from_its_tracks():
    sites = {"K-1": ("K", "leased"), "K-2": ("K", "leased"), "K-AP": ("K", "borrowed"),
             "L-1": ("L", "owned")}  # fmt: skip
    held = holdings(TODAY, sites)
    tracks = [
        Track("K", None, (at("land_sought", "2007-01-02"),
                          at("transferred", "2014-01-01", project_code="P"))),
        Track("K", "K-AP", (at("not_needed", "2007-01-02"),)),
        Track("L", None, (at("owned", "2010-01-01"),)),
    ]  # fmt: skip
    data = RoadInputs(
        TODAY, TODAY, [("L", "L"), ("K", "K")], tracks, held, held,
        [done("P", "2018-02-01", "K-1", "K-2")], {"P": ProjectLink("P", "green", date(2018, 2, 1))},
        {"K-1": 1_000_000, "K-2": 500_000}, frozenset({"K"}),
    )  # fmt: skip
    k, l_ = county_roads(data)
    assert (k.county, l_.county) == ("K", "L")  # state land first
    assert k.change == tracks[0].history[-1] and k.horizon is Horizon.short
    assert (k.owned_by.day, k.rent_avoided_ntd) == (date(2018, 2, 1), 1_500_000)
    assert k.held == {"owned": 0, "borrowed": 1, "leased": 2}
    assert l_.horizon is Horizon.done and l_.owned_by.basis == "owned"
    later = RoadInputs(**{**data.__dict__, "as_of": date(2018, 12, 31)})
    k = county_roads(later)[0]
    assert k.change is not None and k.change.stage is Stage.owned and k.tracks[0].projected
