"""Which pipeline stage a project's milestones show it has reached."""

from __future__ import annotations

from datetime import date

from construction.rules import MilestoneDone, stage_reached
from facilities.sites.rules import Stage


def m(package: str, name: str, day: str | None = None) -> MilestoneDone:
    return MilestoneDone(package, name, date.fromisoformat(day) if day else None)


def test_designed_once_every_design_milestone_is_done():
    commissioned = m("DES", "Design commission awarded", "2014-02-18")
    assert stage_reached([commissioned, m("DES", "Detailed design approved")]) is None
    approved = m("DES", "Detailed design approved", "2014-10-07")
    assert stage_reached([commissioned, approved, m("CON", "Contract awarded")]) == (
        Stage.designed,
        date(2014, 10, 7),
        "Detailed design approved",
    )


def test_under_construction_from_the_first_construction_milestone():
    found = stage_reached(
        [
            m("DES", "Design", "2014-02-18"),
            m("CON", "Topped out", "2016-05-26"),
            m("CON", "Contract awarded", "2015-01-17"),
            m("FIT", "Fit-out"),
        ]
    )
    assert found == (Stage.under_construction, date(2015, 1, 17), "Contract awarded")


def test_nothing_without_design_or_construction_milestones():
    assert stage_reached([m("FIT", "Fit-out", "2014-01-01")]) is None
    assert stage_reached([]) is None
