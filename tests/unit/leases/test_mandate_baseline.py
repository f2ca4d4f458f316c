"""The mandate's pure rules beyond test_mandate.py: rounding at odd rates, the part-year baseline,
and what an office pays in a year it has not paid yet or after it left rented space."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from leases.rules import Office, Rule, Status, annual_rent, assess, target_rent


def office(rents: dict[int, int], **kw) -> Office:
    fields = dict(site_code="X-1", name="X", name_zh="某站", county="C", county_zh="某縣",
                  rents=rents, contracted_rent=None, rented_from=date(2010, 1, 1))  # fmt: skip
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


def test_a_part_year_baseline_is_no_baseline_not_a_rise():
    part = office({2013: 500_000, 2014: 1_000_000}, rented_from=date(2013, 7, 1))
    row = assess(part, Rule(), 2014)
    assert (row.status, row.baseline_rent_ntd, row.reduction_ntd) == (Status.no_baseline, None,
                                                                       None)  # fmt: skip
    whole = office({2013: 1_000_000, 2014: 1_000_000}, rented_from=date(2013, 1, 1))
    assert assess(whole, Rule(), 2014).status is Status.not_met


def test_what_an_office_pays_in_a_year():
    paid = office({2014: 300_000}, contracted_rent=1_200_000, left_rented_space_in=2014)
    assert annual_rent(paid, 2014) == (300_000, "paid")
    assert annual_rent(paid, 2015) == (0, "none")
    assert annual_rent(office({}, contracted_rent=1_200_000), 2015) == (1_200_000, "contracted")
    assert annual_rent(office({}, contracted_rent=1_200_000, left_rented_space_in=2016), 2015) == (
        1_200_000, "contracted")  # fmt: skip
