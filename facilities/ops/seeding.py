"""Preparing a database: migrate it, then load each domain's seed that it does not hold yet.
The one way `facilities init`, the tests and the bench make a database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.core.db import Database
from facilities.ops.migrate import init_lock, upgrade
from facilities.ops.models import SeedState

SeedLoader = Callable[[Session, Path], str]
"""Loads one domain's seed files from a folder; returns a line saying what it loaded."""


def load_missing(session: Session, seed_dir: Path, loaders: dict[str, SeedLoader]) -> list[str]:
    """Load each domain's seed that this database has not loaded yet, in the given order."""
    done = set(session.scalars(select(SeedState.domain)))
    lines = []
    for domain, loader in loaders.items():
        if domain in done:
            lines.append(f"{domain}: already loaded")
            continue
        lines.append(f"{domain}: {loader(session, seed_dir)}")
        session.add(SeedState(domain=domain))
        session.flush()
    return lines


def prepare(
    db: Database, migrations: Sequence[Path], loaders: dict[str, SeedLoader] | None, seed_dir: Path
) -> list[str]:
    """Migrate to the latest schema and load the seeds not yet loaded (none if `loaders` is
    None), under a lock held across processes; returns what each seed did."""
    with init_lock(db):
        with db.engine.begin() as connection:
            upgrade(connection, migrations)
        if loaders is None:
            return []
        with db.session(write=True) as session:
            return load_missing(session, seed_dir, loaders)
