"""The ownership projection, on holdings built by hand."""

from __future__ import annotations

from datetime import date

from facilities.sites.rules import Completion, project_ownership

NOW = {"A": "owned", "B": "leased", "C": "leased", "D": "borrowed", "E": "leased"}


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
