"""The mandate's pure rules, on offices built by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from leases.mandate import Mode, Office, Rule, Status, annual_rent, assess, target_rent, totals


def office(rents: dict[int, int], **kw) -> Office:
    fields = dict(site_code="X-1", name="X", name_zh="某站", county="C", county_zh="某縣",
                  rents=rents, contracted_rent=None, rented_from=date(2010, 1, 1))  # fmt: skip
    return Office(**(fields | kw))


@pytest.mark.parametrize(
    ("reference", "rate", "expected"),
    [
        (1_000_000, Decimal(10), 900_000),
        (1_234_567, Decimal(10), 1_111_110),  # 1,111,110.3 rounds down
        (1_000_001, Decimal("7.5"), 925_000),  # 925,000.925 rounds down
        (1_000_000, Decimal("7.5"), 925_000),
        (999, Decimal(0), 999),
        (999, Decimal(100), 0),
        (3, Decimal("33.33"), 2),  # 2.0001
    ],
)
def test_target_is_rounded_down_to_the_whole_dollar(reference, rate, expected):
    assert target_rent(reference, rate) == expected


def test_a_rent_at_the_target_meets_it_and_one_dollar_more_does_not():
    rule = Rule(2013, Decimal(10), Mode.one_off)
    assert assess(office({2013: 1_000_000, 2014: 900_000}), rule, 2014).status is Status.met
    missed = assess(office({2013: 1_000_000, 2014: 900_001}), rule, 2014)
    assert (missed.status, missed.target_rent_ntd, missed.reduction_ntd) == (
        Status.not_met, 900_000, 99_999)


def test_a_rent_that_rose_is_not_met_with_a_negative_reduction():
    row = assess(office({2013: 1_000_000, 2014: 1_050_000}), Rule(), 2014)
    assert row.status is Status.not_met
    assert (row.reduction_ntd, row.reduction_pct) == (-50_000, -5.0)


def test_one_off_and_year_on_year_differ_after_the_first_year():
    rents = {2013: 1_000_000, 2014: 900_000, 2015: 890_000}
    one_off = assess(office(rents), Rule(2013, Decimal(10), Mode.one_off), 2015)
    yearly = assess(office(rents), Rule(2013, Decimal(10), Mode.year_on_year), 2015)
    assert (one_off.reference_fiscal_year, one_off.target_rent_ntd, one_off.status) == (
        2013, 900_000, Status.met)
    assert (yearly.reference_fiscal_year, yearly.target_rent_ntd, yearly.status) == (
        2014, 810_000, Status.not_met)
    # in the first year after the baseline both readings ask the same
    first = [assess(office(rents), Rule(2013, Decimal(10), m), 2014) for m in Mode]
    assert {(a.target_rent_ntd, a.status) for a in first} == {(900_000, Status.met)}


def test_a_lease_that_began_after_the_baseline_year_has_no_baseline():
    row = assess(office({2014: 800_000}, rented_from=date(2014, 2, 1)), Rule(), 2014)
    assert (row.status, row.baseline_rent_ntd, row.target_rent_ntd) == (
        Status.no_baseline, None, None)
    assert row.actual_rent_ntd == 800_000


def test_a_part_year_baseline_is_no_baseline_not_a_rise():
    part = office({2013: 500_000, 2014: 1_000_000}, rented_from=date(2013, 7, 1))
    assert assess(part, Rule(), 2014).status is Status.no_baseline
    whole = office({2013: 1_000_000, 2014: 1_000_000}, rented_from=date(2013, 1, 1))
    assert assess(whole, Rule(), 2014).status is Status.not_met


def test_an_office_that_left_rented_space_counts_the_rent_avoided():
    left = office({2013: 1_200_000}, contracted_rent=1_200_000, left_rented_space_in=2014)
    row = assess(left, Rule(), 2014)
    assert (row.status, row.actual_rent_ntd, row.actual_basis) == (Status.ended, 0, "none")
    assert (row.reduction_ntd, row.reduction_pct) == (1_200_000, 100.0)
    # part of the year still paid: the part paid is its actual rent
    part = office({2013: 1_200_000, 2014: 300_000}, left_rented_space_in=2014)
    assert (assess(part, Rule(), 2014).reduction_ntd, annual_rent(part, 2014)) == (
        900_000, (300_000, "paid"))


def test_a_year_not_yet_paid_is_judged_on_the_contracted_rent():
    row = assess(office({2013: 1_000_000}, contracted_rent=880_000), Rule(), 2014)
    assert (row.actual_rent_ntd, row.actual_basis, row.status) == (880_000, "contracted",
                                                                   Status.met)


def test_totals_add_the_assessed_offices_and_count_ended_as_met():
    rule = Rule()
    rows = [
        assess(office({2013: 1_000_000, 2014: 900_000}, site_code="A"), rule, 2014),  # met
        assess(office({2013: 2_000_000, 2014: 2_000_000}, site_code="B"), rule, 2014),  # not
        assess(office({2013: 500_000}, site_code="C", left_rented_space_in=2014), rule, 2014),
        assess(office({2014: 700_000}, site_code="D", rented_from=date(2014, 1, 2)), rule, 2014),
    ]
    t = totals(rows)
    assert (t.offices, t.assessed) == (4, 3)
    assert t.baseline_rent_ntd == 3_500_000
    assert t.target_rent_ntd == 900_000 + 1_800_000 + 450_000
    assert t.actual_rent_ntd == 900_000 + 2_000_000 + 0  # D has no baseline: left out
    assert t.savings_ntd == 100_000 + 0 + 500_000
    assert t.counts == {"met": 1, "not_met": 1, "no_baseline": 1, "ended": 1}
    assert (t.met_or_ended, t.share_met_pct) == (2, 66.7)


def test_the_rule_says_what_it_applies_in_both_languages():
    rule = Rule(2013, Decimal("7.50"), Mode.year_on_year)
    assert rule.rate_text == "7.5"
    assert "previous year's rent less 7.5%" in rule.describe()
    assert "前一年度租金減少7.5%" in rule.describe_zh() and "102年度" in rule.describe_zh()
    assert "102年度租金減少10%" in Rule().describe_zh()
