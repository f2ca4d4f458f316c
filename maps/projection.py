"""How ownership moves as the construction projects complete: pure, over plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from facilities.ownership import pct_tenths


@dataclass(frozen=True)
class Completion:
    """A project finishing: the sites it makes owned, and the new owned sites it opens."""

    project: str
    on: date
    becomes_owned: tuple[str, ...] = ()
    new_sites: int = 0


@dataclass(frozen=True)
class YearShares:
    year: int
    owned: int
    borrowed: int
    leased: int
    completed: tuple[str, ...]
    """Projects that complete in this year."""

    @property
    def total(self) -> int:
        return self.owned + self.borrowed + self.leased

    @property
    def owned_pct(self) -> float:
        return pct_tenths(self.owned, self.total) / 10

    @property
    def to_full_ownership(self) -> int:
        return self.total - self.owned


def project_ownership(
    now: Mapping[str, str], completions: Iterable[Completion], years: range
) -> list[YearShares]:
    """Ownership at the end of each year, from today's holdings (site code -> ownership) and
    the planned (or forecast) completions."""
    holdings = dict(now)
    pending = sorted(completions, key=lambda c: c.on)
    result = []
    for year in years:
        done = [c for c in pending if c.on.year <= year]
        pending = [c for c in pending if c.on.year > year]
        for completion in done:
            for code in completion.becomes_owned:
                if code in holdings:
                    holdings[code] = "owned"
            for n in range(completion.new_sites):
                holdings[f"{completion.project}#{n}"] = "owned"
        counts = {
            k: sum(1 for v in holdings.values() if v == k) for k in ("owned", "borrowed", "leased")
        }
        result.append(YearShares(year, counts["owned"], counts["borrowed"], counts["leased"],
                                 tuple(c.project for c in done)))  # fmt: skip
    return result
