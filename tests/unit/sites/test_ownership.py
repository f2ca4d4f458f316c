"""The pure ownership rules, on rows built by hand."""

from __future__ import annotations

from datetime import date

from facilities.sites.rules import Holding, pct_tenths, summarize


def test_shares_as_the_budget_document_gives_them():
    holdings = (
        [Holding("A", "甲", "owned")] * 14
        + [Holding("A", "甲", "borrowed")] * 17
        + [Holding("B", "乙", "leased")] * 34
    )
    summary = summarize(holdings, date(2014, 6, 30), ["B", "A"])
    shares = {s.ownership: s for s in summary.national.shares}
    assert summary.national.total == 65
    assert [
        (shares[k].count, shares[k].share_pct, shares[k].share_pct_printed)
        for k in ("owned", "borrowed", "leased")
    ] == [(14, 21.5, 21), (17, 26.2, 26), (34, 52.3, 52)]
    assert sum(s.share_pct_printed for s in shares.values()) == 99
    assert [c.county for c in summary.counties] == ["B", "A"]
    county_a = {s.ownership: s.count for s in summary.counties[1].breakdown.shares}
    assert county_a == {"owned": 14, "borrowed": 17, "leased": 0}


def test_rounding_is_half_up_in_tenths():
    assert pct_tenths(1, 8) == 125  # 12.5% exactly
    assert pct_tenths(1, 16) == 63  # 6.25 -> 6.3
    assert pct_tenths(2, 3) == 667
    assert pct_tenths(0, 0) == 0


def test_an_empty_register_has_no_shares():
    summary = summarize([], date(2014, 1, 1), ["A"])
    assert summary.national.total == 0 and summary.counties == ()
    assert all(s.share_pct == 0 and s.share_pct_printed == 0 for s in summary.national.shares)
