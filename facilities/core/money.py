"""Money is whole NT$ in integers, rounded half away from zero (四捨五入) wherever a figure is
rounded: never a float's half-to-even."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated

from msgspec import Meta


def round_half_away(value: int | float | Decimal | Fraction, places: int = 0) -> Decimal:
    """`value` rounded half away from zero to `places` decimals (ROUND_HALF_UP is away from
    zero for negatives too). A float is taken at its exact binary value."""
    exact = Decimal(value) if not isinstance(value, Fraction) else _decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def whole_ntd(value: int | float | Decimal | Fraction) -> int:
    """A sum of money as whole NT$, half away from zero."""
    return int(round_half_away(value))


def thousands(amount: int) -> int:
    """NT$ thousand, as budget tables print 仟元: 1,306,500 -> 1,307; -1,500 -> -2."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) + 500) // 1000)


def pct(numerator: int | float, denominator: int | float, places: int = 1) -> float | None:
    """numerator / denominator as a percent, half away from zero; None when there is no base."""
    if not denominator:
        return None
    return float(round_half_away(Fraction(numerator) * 100 / Fraction(denominator), places))


MAX_NTD = 10**12
"""The largest sum the register takes, in an API body or a spreadsheet cell."""
Money = Annotated[int, Meta(ge=0, le=MAX_NTD, description="Whole NT$")]
"""A sum of money in an API body."""
