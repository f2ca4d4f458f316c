"""Money is whole NT$ in integers, rounded half away from zero (四捨五入) wherever a figure is
rounded: never a float's half-to-even. Every rounding here is exact integer arithmetic on the
value's ratio of integers (`divide_half_away`): no Fraction or Decimal on the way, which cost
several times more in the reports that round thousands of figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from msgspec import Meta

Exact = int | float | Decimal | Fraction
"""A number with an exact ratio of integers (`as_integer_ratio`); a float's is its binary value."""


def divide_half_away(numerator: int, denominator: int) -> int:
    """numerator / denominator to the whole number, half away from zero: 7/2 -> 4, -7/2 -> -4."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator < 0:
        return -((denominator - 2 * numerator) // (2 * denominator))
    return (2 * numerator + denominator) // (2 * denominator)


def round_half_away(value: Exact, places: int = 0) -> Decimal:
    """`value` rounded half away from zero to `places` decimals (0 or more)."""
    numerator, denominator = value.as_integer_ratio()
    return Decimal(divide_half_away(numerator * 10**places, denominator)).scaleb(-places)


def whole_ntd(value: Exact) -> int:
    """A sum of money as whole NT$, half away from zero."""
    return divide_half_away(*value.as_integer_ratio())


def thousands(amount: int) -> int:
    """NT$ thousand, as budget tables print 仟元: 1,306,500 -> 1,307; -1,500 -> -2."""
    return divide_half_away(amount, 1000)


def pct(numerator: int | float, denominator: int | float, places: int = 1) -> float | None:
    """numerator / denominator as a percent, half away from zero; None when there is no base."""
    if not denominator:
        return None
    top, bottom = numerator.as_integer_ratio()
    over, under = denominator.as_integer_ratio()
    scale = 10**places
    return divide_half_away(top * under * 100 * scale, bottom * over) / scale


MAX_NTD = 10**12
"""The largest sum the register takes, in an API body or a spreadsheet cell."""
Money = Annotated[int, Meta(ge=0, le=MAX_NTD, description="Whole NT$")]
"""A sum of money in an API body."""
