"""Simple payback: a new center's cost over the rent it saves a year, to one decimal."""

from __future__ import annotations

from construction.rules import payback_years


def test_payback_in_years_to_one_decimal_half_away_from_zero():
    assert payback_years(420_000_000, 7_782_000) == 54.0  # 53.97
    assert payback_years(400_000_000, 7_729_000) == 51.8  # 51.753
    assert payback_years(1_005, 100) == 10.1  # exactly 10.05: half away from zero
    assert payback_years(1_000, 3) == 333.3


def test_no_payback_without_savings_or_a_cost():
    assert payback_years(260_000_000, 0) is None
    assert payback_years(None, 1_000_000) is None
