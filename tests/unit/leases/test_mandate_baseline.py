"""The mandate's pure rules beyond test_mandate.py: rounding at odd rates, the part-year baseline,
and what an office pays in a year it has not paid yet or after it left rented space. (The
part-year cases in full: test_part_year.py.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from leases.rules import Office, PartYear, Rule, Status, annual_rent, assess, target_rent


def office(rents: dict[int, int], **kw) -> Office:
    fields = dict(site_code="X-1", name="X", name_zh="某站", county="C", county_zh="某縣",
                  rents=rents, contracted_rent=None,
                  periods=((date(2010, 1, 1), None),))  # fmt: skip
    return Office(**(fields | kw))


@pytest.mark.parametrize(
    ("reference", "rate", "expected"),
    [
        (1_000_001, Decimal("7.5"), 925_000),  # 925,000.925 rounds down
        (1_000_000, Decimal("7.5"), 925_000),
        (999, Decimal(0), 999),
        (999, Decimal(100), 0),
        (3, Decimal("33.33"), 2),  # 2.0001
        (10**12, Decimal("0.01"), 999_900_000_000),
    ],
)
def test_target_is_rounded_down_to_the_whole_dollar(reference, rate, expected):
    assert target_rent(reference, rate) == expected


def test_a_part_year_baseline_is_annualised_by_default_and_none_when_excluded():
    """Changed by issue 17: a part-year baseline was always no baseline; it is now annualised
    by days unless the rule excludes part years."""
    part = office({2013: 500_000, 2014: 1_000_000}, periods=((date(2013, 7, 1), None),))
    row = assess(part, Rule(), 2014)
    # 1 July to 31 December: 184 days; 500,000 x 365 / 184 = 991,847.83 -> 991,848
    assert (row.baseline_rent_ntd, row.baseline_basis, row.reference_rent_paid_ntd) == (
        991_848, "annualised from 184 days", 500_000)  # fmt: skip
    assert (row.target_rent_ntd, row.reduction_ntd, row.reduction_pct, row.status) == (
        892_663, -8_152, -0.8, Status.not_met)  # fmt: skip
    row = assess(part, Rule(part_year=PartYear.exclude), 2014)
    assert (row.status, row.baseline_rent_ntd, row.reduction_ntd) == (Status.no_baseline, None,
                                                                       None)  # fmt: skip
    whole = office({2013: 1_000_000, 2014: 1_000_000}, periods=((date(2013, 1, 1), None),))
    assert assess(whole, Rule(), 2014).status is Status.not_met
    assert assess(whole, Rule(), 2014).baseline_basis == "full year"


def test_what_an_office_pays_in_a_year():
    paid = office({2014: 300_000}, contracted_rent=1_200_000, left_rented_space_in=2014)
    assert annual_rent(paid, 2014) == (300_000, "paid")
    assert annual_rent(paid, 2015) == (0, "none")
    assert annual_rent(office({}, contracted_rent=1_200_000), 2015) == (1_200_000, "contracted")
    assert annual_rent(office({}, contracted_rent=1_200_000, left_rented_space_in=2016), 2015) == (
        1_200_000, "contracted")  # fmt: skip
