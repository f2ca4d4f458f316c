"""The mandate's rules on offices built by hand."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from leases.rules import Mode, Office, Rule, Status, assess, target_rent, totals

ONE_OFF = Rule(2013, Decimal(10), Mode.one_off)
YEARLY = Rule(2013, Decimal(10), Mode.year_on_year)


def office(code="A", rents=None, contracted=None, left=None) -> Office:
    return Office(code, code, code, "X", "X", rents or {}, contracted, left)


def test_target_is_rounded_down_to_the_dollar():
    assert target_rent(1_000_000, Decimal(10)) == 900_000
    assert target_rent(1_234_567, Decimal(10)) == 1_111_110  # 1,111,110.3
    assert target_rent(999, Decimal("7.5")) == 924  # 924.075
    assert target_rent(0, Decimal(10)) == 0


def test_one_off_compares_with_the_baseline_year():
    rents = {2012: 1_200_000, 2013: 1_000_000, 2014: 900_000, 2015: 900_000}
    a = assess(office(rents=rents), ONE_OFF, 2015)
    assert (a.reference_fiscal_year, a.baseline_rent_ntd, a.target_rent_ntd) == (
        2013,
        1_000_000,
        900_000,
    )
    assert (a.actual_rent_ntd, a.reduction_ntd, a.reduction_pct, a.status) == (
        900_000,
        100_000,
        10.0,
        Status.met,
    )


def test_year_on_year_compares_with_the_year_before():
    rents = {2013: 1_000_000, 2014: 900_000, 2015: 900_000}
    a = assess(office(rents=rents), YEARLY, 2015)
    assert (a.reference_fiscal_year, a.baseline_rent_ntd, a.target_rent_ntd) == (
        2014,
        900_000,
        810_000,
    )
    assert a.status is Status.not_met and a.reduction_ntd == 0
    # for the year right after the baseline both readings agree
    assert assess(office(rents=rents), YEARLY, 2014) == assess(office(rents=rents), ONE_OFF, 2014)


def test_a_rent_one_dollar_over_the_target_is_not_met():
    assert (
        assess(office(rents={2013: 1_000_000, 2014: 900_001}), ONE_OFF, 2014).status
        is Status.not_met
    )
    assert (
        assess(office(rents={2013: 1_000_000, 2014: 900_000}), ONE_OFF, 2014).status is Status.met
    )


def test_a_rent_that_rose_shows_a_negative_reduction():
    a = assess(office(rents={2013: 1_000_000, 2014: 1_050_000}), ONE_OFF, 2014)
    assert (a.reduction_ntd, a.reduction_pct, a.status) == (-50_000, -5.0, Status.not_met)


def test_no_baseline_when_the_lease_began_after_the_baseline_year():
    a = assess(office(rents={2014: 700_000}), ONE_OFF, 2014)
    assert (a.baseline_rent_ntd, a.target_rent_ntd, a.status) == (None, None, Status.no_baseline)
    assert a.actual_rent_ntd == 700_000


def test_an_unpaid_year_counts_the_contracted_rent():
    a = assess(office(rents={2013: 1_000_000}, contracted=880_000), ONE_OFF, 2014)
    assert (a.actual_rent_ntd, a.actual_basis, a.status) == (880_000, "contracted", Status.met)


def test_an_office_that_left_rented_space_counts_the_rent_avoided():
    left = office(rents={2013: 1_000_000, 2014: 250_000}, contracted=1_000_000, left=2014)
    a = assess(left, ONE_OFF, 2014)
    assert (a.actual_rent_ntd, a.reduction_ntd, a.status) == (250_000, 750_000, Status.ended)
    gone = assess(office(rents={2013: 1_000_000}, contracted=1_000_000, left=2014), ONE_OFF, 2015)
    assert (gone.actual_rent_ntd, gone.actual_basis, gone.reduction_ntd) == (0, "none", 1_000_000)


def test_totals():
    rows = [
        assess(office("A", {2013: 1_000_000, 2014: 900_000}), ONE_OFF, 2014),  # met
        assess(office("B", {2013: 2_000_000, 2014: 1_900_000}), ONE_OFF, 2014),  # not met
        assess(office("C", {2014: 500_000}), ONE_OFF, 2014),  # no baseline
        assess(office("D", {2013: 600_000, 2014: 100_000}, left=2014), ONE_OFF, 2014),  # ended
    ]
    t = totals(rows)
    assert (t.offices, t.assessed) == (4, 3)
    assert t.baseline_rent_ntd == 3_600_000
    assert t.target_rent_ntd == 900_000 + 1_800_000 + 540_000
    assert t.actual_rent_ntd == 900_000 + 1_900_000 + 100_000
    assert t.savings_ntd == 3_600_000 - 2_900_000
    assert t.counts == {"met": 1, "not_met": 1, "no_baseline": 1, "ended": 1}
    assert (t.met_or_ended, t.share_met_pct) == (2, 66.7)


def test_the_rule_states_itself():
    assert "FY2013" in ONE_OFF.describe() and "10%" in ONE_OFF.describe()
    assert "102年度" in ONE_OFF.describe_zh()
    assert "previous year" in YEARLY.describe()
    assert Rule(2013, Decimal("7.50"), Mode.one_off).rate_text == "7.5"


def test_target_is_the_exact_product_rounded_down_for_any_rate_of_two_decimals():
    rates = [Decimal(n).scaleb(-2) for n in range(0, 10_001, 37)] + [Decimal("7.5"), Decimal(100)]
    references = [0, 1, 999, 1_234_567, 10**12 - 1]
    for rate in rates:
        for reference in references:
            exact = Decimal(reference) * (100 - rate) / 100
            assert target_rent(reference, rate) == int(exact.to_integral_value(ROUND_FLOOR))
