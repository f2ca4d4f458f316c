"""Money as budget tables print it: whole NT$, NT$ thousand, percents, all half away from zero."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from facilities.core.money import pct, thousands, whole_ntd


def thousand(amount: int) -> int:
    """Half up, as a budget table prints 仟元: 1,306,500 -> 1,307."""
    return int((Decimal(amount) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_thousands_round_half_away_from_zero_like_the_budget_tables():
    amounts = [1_306_500, 1_306_499, 499, 500, 0, -499, -500, -1_500, -1_499, 10**15 + 500]
    got = [thousands(a) for a in amounts]
    assert got == [thousand(a) for a in amounts]
    assert got == [1307, 1306, 0, 1, 0, 0, -1, -2, -1, 10**12 + 1]


def test_whole_dollars_and_percents_round_half_away_from_zero():
    assert [whole_ntd(x) for x in (0.5, 1.5, 2.5, -0.5, -2.5)] == [1, 2, 3, -1, -3]
    assert pct(1, 8) == 12.5 and pct(1, 16, 1) == 6.3 and pct(-1, 16, 1) == -6.3
    assert pct(5, 0) is None
