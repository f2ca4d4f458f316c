"""Years and dates as people in Taiwan read them: the ROC (民國) year beside the Gregorian."""

from __future__ import annotations

from datetime import date

ROC_OFFSET = 1911


def roc_year(year: int) -> int:
    """2014 -> 103."""
    return year - ROC_OFFSET


def roc_date(day: date) -> str:
    """2014-06-30 -> 民國103年6月30日."""
    return f"民國{roc_year(day.year)}年{day.month}月{day.day}日"


def fiscal_year_label(first: int, last: int | None = None) -> str:
    """FY2014 (103年), or FY2014-2017 (103-106年) for a span."""
    if last is None or first == last:
        return f"FY{first} ({roc_year(first)}年)"
    return f"FY{first}-{last} ({roc_year(first)}-{roc_year(last)}年)"
