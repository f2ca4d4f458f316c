"""Rules every site must keep, whether it arrives through the API or in a file. Pure."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from facilities.vocabulary import Ownership


def county_problem(name: str, known: Iterable[str]) -> str | None:
    known = list(known)
    if name in known:
        return None
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else " (see seed/counties.csv)"
    return f"county '{name}' is not a county or city of Taiwan{hint}"


def site_problems(site: Mapping[str, Any], today: date) -> list[str]:
    """Cross-field rules over a whole site's fields (after types are checked)."""
    problems = []
    borrowed = site["ownership"] == Ownership.borrowed
    for field in ("lending_agency", "loan_end_date"):
        if borrowed and not site.get(field):
            problems.append(f"{field} is required for a borrowed site")
        if not borrowed and site.get(field):
            problems.append(f"{field} is only kept for borrowed sites, not {site['ownership']}")
    since = site.get("ownership_since")
    if since and since > today:
        problems.append(
            f"ownership_since {since} is after the product's date {today}: "
            "the register records what has happened"
        )
    closed = site.get("closed_on")
    if closed and since and closed < since:
        problems.append(f"closed_on {closed} is before ownership_since {since}")
    return problems
