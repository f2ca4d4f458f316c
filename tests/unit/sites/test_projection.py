"""The ownership projection, on holdings built by hand."""

from __future__ import annotations

from datetime import date

from facilities.sites.rules import (
    Completion,
    Holding,
    Holdings,
    project_holdings,
    project_ownership,
    summarize_holdings,
)

HELD = {"A": "owned", "B": "leased", "C": "leased", "D": "borrowed", "E": "leased"}
KEELUNG = ("Keelung City", "基隆市")
NOW = Holdings(date(2014, 6, 30), False, {c: Holding(*KEELUNG, o) for c, o in HELD.items()})


def test_ownership_rises_as_projects_complete():
    completions = [
        Completion("P1", date(2015, 3, 1), becomes_owned=("B", "C")),
        Completion("P2", date(2016, 12, 31), new_sites=1),
        Completion("P3", date(2018, 1, 1), becomes_owned=("E", "X")),  # X is not a site: ignored
    ]
    years = project_ownership(NOW, completions, range(2014, 2019))
    assert [(y.year, y.owned, y.borrowed, y.leased) for y in years] == [
        (2014, 1, 1, 3),
        (2015, 3, 1, 1),
        (2016, 4, 1, 1),
        (2017, 4, 1, 1),
        (2018, 5, 1, 0),
    ]
    assert [y.completed for y in years] == [(), ("P1",), ("P2",), (), ("P3",)]
    assert years[0].owned_pct == 20.0 and years[-1].owned_pct == 83.3
    assert years[-1].to_full_ownership == 1


def test_without_projects_nothing_moves():
    years = project_ownership(NOW, [], range(2014, 2016))
    assert {(y.owned, y.borrowed, y.leased) for y in years} == {(1, 1, 3)}


def test_one_date_projected_as_the_year_ends_are():
    done = [Completion("P1", date(2015, 3, 1), ("B",), 1, "Yilan County", "宜蘭縣")]
    assert project_holdings(NOW, done, date(2014, 1, 1)) is NOW  # the past is as recorded
    before, after = (project_holdings(NOW, done, date(2015, 2, 28)),
                     project_holdings(NOW, done, date(2015, 3, 1)))  # fmt: skip
    assert before.projected and before.completed == () and before.counts()["owned"] == 1
    assert after.completed == ("P1",) and after.counts() == {
        "owned": 3, "borrowed": 1, "leased": 2}  # fmt: skip
    summary = summarize_holdings(after, ["Keelung City", "Yilan County"])
    assert [(c.county, c.breakdown.total) for c in summary.counties] == [
        ("Keelung City", 5), ("Yilan County", 1)]  # fmt: skip
    year = project_ownership(NOW, done, range(2015, 2016))[0]
    assert (year.owned, year.total, year.completed) == (3, 6, ("P1",))
