"""Money as budget tables print it: whole NT$, NT$ thousand, percents, all half away from zero."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from facilities.core.money import divide_half_away, pct, round_half_away, thousands, whole_ntd


def thousand(amount: int) -> int:
    """Half up, as a budget table prints 仟元: 1,306,500 -> 1,307."""
    return int((Decimal(amount) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def half_up(numerator: int, denominator: int) -> int:
    """The quotient rounded by Decimal's ROUND_HALF_UP (away from zero for negatives too): its 28
    digits are exact enough for the small quotients here."""
    quotient = Decimal(numerator) / Decimal(denominator)
    return int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_thousands_round_half_away_from_zero_like_the_budget_tables():
    amounts = [1_306_500, 1_306_499, 499, 500, 0, -499, -500, -1_500, -1_499, 10**15 + 500]
    got = [thousands(a) for a in amounts]
    assert got == [thousand(a) for a in amounts]
    assert got == [1307, 1306, 0, 1, 0, 0, -1, -2, -1, 10**12 + 1]


def test_a_quotient_rounds_half_away_from_zero_in_integers():
    assert [divide_half_away(n, 2) for n in (1, 3, 5, -1, -3, -5)] == [1, 2, 3, -1, -2, -3]
    assert [divide_half_away(n, -2) for n in (1, 3, -1, -3)] == [-1, -2, 1, 2]
    assert [divide_half_away(n, 3) for n in (1, 2, 4, 5, -1, -2, -4, -5)] == [
        0, 1, 1, 2, 0, -1, -1, -2,
    ]  # fmt: skip
    assert divide_half_away(0, 7) == 0 and divide_half_away(0, -7) == 0
    assert divide_half_away(10**30 + 5, 10) == 10**29 + 1  # beyond a float's 53 bits
    assert divide_half_away(-(10**30) - 4, 10) == -(10**29)


def test_a_quotient_rounds_as_decimal_half_up_does():
    pairs = [(n, d) for n in range(-60, 61) for d in (-16, -7, -4, -3, -2, -1, 1, 2, 3, 4, 7, 16)]
    pairs += [(365 * 1_234_567, 181), (-(2 * 10**12 + 1), 2 * 10**3), (999 * 185, 200)]
    assert [divide_half_away(n, d) for n, d in pairs] == [half_up(n, d) for n, d in pairs]


def test_whole_dollars_and_percents_round_half_away_from_zero():
    assert [whole_ntd(x) for x in (0.5, 1.5, 2.5, -0.5, -2.5)] == [1, 2, 3, -1, -3]
    assert [whole_ntd(Fraction(n, 4)) for n in (2, 6, -2, -6, 5, -5)] == [1, 2, -1, -2, 1, -1]
    assert whole_ntd(Decimal("2.5")) == 3 and whole_ntd(Decimal("-2.5")) == -3
    assert whole_ntd(7) == 7 and whole_ntd(-7) == -7
    assert pct(1, 8) == 12.5 and pct(1, 16, 1) == 6.3 and pct(-1, 16, 1) == -6.3
    assert pct(1, -16, 1) == -6.3 and pct(-1, -16, 1) == 6.3
    assert pct(1, 3, 0) == 33.0 and pct(2, 3, 2) == 66.67 and pct(1, 8, 0) == 13.0
    assert pct(5, 0) is None


def test_a_float_rounds_at_its_exact_binary_value():
    # 2.675 is 2.67499999... in binary, 0.125 is exact
    assert round_half_away(2.675, 2) == Decimal("2.67")
    assert round_half_away(0.125, 2) == Decimal("0.13")
    assert round_half_away(-0.125, 2) == Decimal("-0.13")
    assert round_half_away(Fraction(1, 3), 3) == Decimal("0.333")
    assert str(round_half_away(Fraction(5, 2))) == "3" and str(round_half_away(1, 1)) == "1.0"
