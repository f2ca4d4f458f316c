"""Part-year baselines, by hand: the days an office spent in rented space (from its leases'
dates), and what each part-year case gives under both readings of the mandate and both
part-year rules. Every figure below is worked out in the comment above it."""

from __future__ import annotations

from datetime import date

import pytest

from leases.rules import (
    Mode,
    Office,
    PartYear,
    Rule,
    Status,
    annual_rent,
    assess,
    days_leased,
    leased_periods,
)  # fmt: skip

ONE_OFF = Rule(2013, mode=Mode.one_off)
YEARLY = Rule(2013, mode=Mode.year_on_year)
EXCLUDE = Rule(2013, mode=Mode.one_off, part_year=PartYear.exclude)
D = date


def office(rents, leases, left_on=None, contracted=1_200_000) -> Office:
    periods = leased_periods(leases, left_on)
    left = left_on.year if left_on else None
    return Office("X-1", "X", "某站", "C", "某縣", rents, contracted, left, periods)


def figures(row) -> tuple:
    return (row.baseline_rent_ntd, row.baseline_basis, row.target_rent_ntd, row.actual_rent_ntd,
            row.reduction_ntd, row.reduction_pct, row.status)  # fmt: skip


# a lease from 2 January 2013
FROM_2_JAN = office({2013: 996_000, 2014: 898_000}, [(D(2013, 1, 2), D(2016, 1, 1), None)])
# lease A ended on 31 March 2013, lease B from 1 July 2013
GAP = office({2013: 600_000, 2014: 700_000}, [(D(2010, 1, 1), D(2013, 3, 31), D(2013, 3, 31)),
                                             (D(2013, 7, 1), D(2016, 6, 30), None)])  # fmt: skip
# moved to an owned building on 1 July 2014; the lease ended the day before
MOVED = office({2013: 1_200_000, 2014: 600_000}, [(D(2010, 1, 1), D(2016, 12, 31), D(2014, 6, 30))],
               left_on=D(2014, 7, 1))  # fmt: skip


def test_the_spans_in_rented_space_come_from_the_leases():
    assert leased_periods([(D(2010, 1, 1), D(2012, 12, 31), None)]) == ((D(2010, 1, 1), None),)
    # a lease past its end with no later one is held over; an earlier one ends at its end date
    assert leased_periods([(D(2013, 7, 1), D(2016, 6, 30), None),
                           (D(2010, 1, 1), D(2013, 3, 31), None)]) == (
        (D(2010, 1, 1), D(2013, 3, 31)), (D(2013, 7, 1), None))  # fmt: skip
    # leases that touch (the next starts the day after, or on the end date) are one span
    touching = [(D(2010, 1, 1), D(2012, 6, 30), None), (D(2012, 7, 1), D(2014, 6, 30), None)]
    assert leased_periods(touching) == ((D(2010, 1, 1), None),)
    same_day = [(D(2010, 1, 1), D(2012, 7, 1), None), (D(2012, 7, 1), D(2014, 6, 30), None)]
    assert leased_periods(same_day) == ((D(2010, 1, 1), None),)
    # leaving rented space ends every span, and drops a lease that starts after
    assert leased_periods([(D(2010, 1, 1), D(2016, 12, 31), None),
                           (D(2017, 1, 1), D(2019, 12, 31), None)], D(2014, 7, 1)) == (
        (D(2010, 1, 1), D(2014, 6, 30)),)  # fmt: skip


def test_days_leased_in_a_year():
    assert days_leased(FROM_2_JAN, 2013) == 364  # 2 January to 31 December
    assert days_leased(GAP, 2013) == 90 + 184  # Jan-Mar (31 + 28 + 31) and Jul-Dec
    assert days_leased(MOVED, 2014) == 181  # Jan-Jun: 31 + 28 + 31 + 30 + 31 + 30
    assert (days_leased(MOVED, 2013), days_leased(MOVED, 2015)) == (365, 0)
    leap = office({}, [(D(2012, 7, 1), D(2015, 1, 1), None)])
    assert (days_leased(leap, 2012), days_leased(leap, 2011)) == (184, 0)


def test_a_lease_from_2_january_is_annualised_not_no_baseline():
    # 996,000 x 365 / 364 = 998,736.26 -> 998,736; target floor(898,862.4) = 898,862;
    # paid 898,000: met, 100,736 less, 100,736 / 998,736 = 10.09% -> 10.1
    assert figures(assess(FROM_2_JAN, ONE_OFF, 2014)) == (
        998_736,
        "annualised from 364 days",
        898_862,
        898_000,
        100_736,
        10.1,
        Status.met,
    )
    assert assess(FROM_2_JAN, YEARLY, 2014) == assess(FROM_2_JAN, ONE_OFF, 2014)
    # the other reading of part years: no baseline
    excluded = assess(FROM_2_JAN, EXCLUDE, 2014)
    assert (excluded.baseline_rent_ntd, excluded.status) == (None, Status.no_baseline)
    assert excluded.baseline_basis == "part year (364 days): not counted"


def test_a_gap_inside_the_baseline_year_is_annualised_over_the_days_leased():
    # as a full year: 600,000 -> 700,000, "not met, -16.7%"; over the 274 days leased:
    # 600,000 x 365 / 274 = 799,270.07 -> 799,270; target floor(719,343.0) = 719,343;
    # paid 700,000: met, 99,270 less, 99,270 / 799,270 = 12.42% -> 12.4
    row = assess(GAP, ONE_OFF, 2014)
    assert figures(row) == (799_270, "annualised from 274 days", 719_343, 700_000, 99_270, 12.4,
                            Status.met)  # fmt: skip
    assert (row.reference_rent_paid_ntd, row.reference_days_leased, row.days_leased) == (
        600_000, 274, 365)  # fmt: skip


@pytest.mark.parametrize("rule", [ONE_OFF, YEARLY])
def test_a_move_in_mid_year_counts_the_rent_avoided_for_the_rest_of_the_year(rule):
    # FY2014 against the full FY2013: paid 600,000 for 181 days, 600,000 less, 50.0%
    row = assess(MOVED, rule, 2014)
    assert figures(row) == (1_200_000, "full year", 1_080_000, 600_000, 600_000, 50.0,
                            Status.ended)  # fmt: skip
    assert row.days_leased == 181


def test_the_year_after_a_move_out():
    # one-off: against FY2013; nothing paid in FY2015
    assert figures(assess(MOVED, ONE_OFF, 2015)) == (
        1_200_000, "full year", 1_080_000, 0, 1_200_000, 100.0, Status.ended)  # fmt: skip
    # year on year: against FY2014 annualised, 600,000 x 365 / 181 = 1,209,944.75 -> 1,209,945
    # (not the part-year 600,000); target floor(1,088,950.5) = 1,088,950
    assert figures(assess(MOVED, YEARLY, 2015)) == (
        1_209_945,
        "annualised from 181 days",
        1_088_950,
        0,
        1_209_945,
        100.0,
        Status.ended,
    )
    # part years excluded: no baseline, ended
    excluded = assess(MOVED, Rule(2013, mode=Mode.year_on_year, part_year=PartYear.exclude), 2015)
    assert (excluded.baseline_rent_ntd, excluded.actual_rent_ntd, excluded.status) == (
        None, 0, Status.ended)  # fmt: skip


def test_a_lease_that_began_after_the_baseline_year_keeps_no_baseline():
    late = office({2014: 800_000}, [(D(2014, 1, 1), D(2016, 12, 31), None)])
    row = assess(late, ONE_OFF, 2014)
    assert (row.baseline_rent_ntd, row.status, row.baseline_basis) == (
        None, Status.no_baseline, "not in rented space in FY2013")  # fmt: skip


def test_an_unrecorded_year_counts_the_contracted_rent_for_the_days_leased():
    moved = MOVED._replace(rents={2013: 1_200_000})
    # 1,200,000 x 181 / 365 = 595,068.49 -> 595,068
    assert annual_rent(moved, 2014) == (595_068, "contracted")
    assert annual_rent(moved, 2015) == (0, "none")
    # a recorded rent is rent paid in a closed year, the contracted rent in one still open
    assert annual_rent(MOVED, 2014, closed=True) == (600_000, "paid")
    assert annual_rent(MOVED, 2014, closed=False) == (600_000, "contracted")


def test_the_rule_says_how_part_years_count():
    assert "annualised by days" in ONE_OFF.describe()
    assert "換算全年" in ONE_OFF.describe_zh()
    assert "no baseline" in EXCLUDE.describe() and "不列基準" in EXCLUDE.describe_zh()
