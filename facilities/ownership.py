"""Ownership ratios: pure functions over plain rows (no database, no web)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from facilities.vocabulary import Ownership


@dataclass(frozen=True)
class Holding:
    """One site held under one ownership on the summary's date."""

    county: str
    county_zh: str
    ownership: str


@dataclass(frozen=True)
class Share:
    ownership: str
    label_zh: str
    count: int
    share_pct: float
    """Rounded half up to one decimal: 14 of 65 is 21.5."""
    share_pct_printed: int
    """Truncated to a whole percent, as the FY2014 budget document prints it: 14 of 65 is 21."""


@dataclass(frozen=True)
class Breakdown:
    total: int
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class CountyBreakdown:
    county: str
    county_zh: str
    breakdown: Breakdown


@dataclass(frozen=True)
class Summary:
    as_of: date
    national: Breakdown
    counties: tuple[CountyBreakdown, ...]


def pct_tenths(count: int, total: int) -> int:
    """count/total in tenths of a percent, rounded half up, in integers (no float drift)."""
    if total == 0:
        return 0
    return (count * 2000 + total) // (2 * total)


def breakdown(ownerships: Sequence[str]) -> Breakdown:
    total = len(ownerships)
    shares = []
    for kind in Ownership:
        count = sum(1 for o in ownerships if o == kind.value)
        shares.append(
            Share(
                ownership=kind.value,
                label_zh=kind.zh,
                count=count,
                share_pct=pct_tenths(count, total) / 10,
                share_pct_printed=count * 100 // total if total else 0,
            )
        )
    return Breakdown(total=total, shares=tuple(shares))


def summarize(holdings: Iterable[Holding], as_of: date, county_order: Sequence[str]) -> Summary:
    """National and per-county shares; counties in `county_order`, those with no site left out."""
    rows = list(holdings)
    by_county: dict[str, list[Holding]] = {}
    for row in rows:
        by_county.setdefault(row.county, []).append(row)
    counties = tuple(
        CountyBreakdown(
            county=name,
            county_zh=by_county[name][0].county_zh,
            breakdown=breakdown([h.ownership for h in by_county[name]]),
        )
        for name in county_order
        if name in by_county
    )
    return Summary(as_of=as_of, national=breakdown([h.ownership for h in rows]), counties=counties)


def ownership_on(history: Sequence[tuple[date, str]], on: date) -> str | None:
    """The ownership in force on a date, from (effective_date, ownership) pairs; None before."""
    current = None
    for effective, ownership in sorted(history):
        if effective > on:
            break
        current = ownership
    return current
