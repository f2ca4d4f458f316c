"""Preparing a database: migrate it, then load each domain's seed that it does not hold yet.
The one way `facilities init`, the tests and the bench make a database. An install for another
agency (`facilities init --empty`) leaves the seeds out for good: its register comes from its
own workbook."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.core.db import Database
from facilities.ops.migrate import init_lock, upgrade
from facilities.ops.models import SeedState

SeedLoader = Callable[[Session, Path], str]
"""Loads one domain's seed files from a folder; returns a line saying what it loaded."""


def load_missing(
    session: Session, seed_dir: Path, loaders: dict[str, SeedLoader],
    leave_empty: Collection[str] = (),
) -> list[str]:  # fmt: skip
    """Load each domain's seed that this database has not loaded yet, in the given order; the
    domains in `leave_empty` are marked as left empty instead, so no later init loads them."""
    done = {s.domain: s for s in session.scalars(select(SeedState))}
    lines = []
    for domain, loader in loaders.items():
        if domain in done:
            state = "left empty (facilities init --empty)" if done[domain].left_empty else (
                "already loaded")  # fmt: skip
            lines.append(f"{domain}: {state}")
        elif domain in leave_empty:
            lines.append(f"{domain}: left empty")
            session.add(SeedState(domain=domain, left_empty=True))
        else:
            lines.append(f"{domain}: {loader(session, seed_dir)}")
            session.add(SeedState(domain=domain))
        session.flush()
    return lines


def prepare(
    db: Database, migrations: Sequence[Path], loaders: dict[str, SeedLoader] | None,
    seed_dir: Path, leave_empty: Collection[str] = (),
) -> list[str]:  # fmt: skip
    """Migrate to the latest schema and load the seeds not yet loaded (none if `loaders` is
    None; those of `leave_empty` never), under a lock held across processes; returns what each
    seed did."""
    with init_lock(db):
        with db.engine.begin() as connection:
            upgrade(connection, migrations)
        if loaders is None:
            return []
        with db.session(write=True) as session:
            return load_missing(session, seed_dir, loaders, leave_empty)
