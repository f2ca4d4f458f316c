"""Schema migrations (Alembic), run by `facilities init` under a lock so that several
processes starting at once migrate and seed one time. Each package keeps its own revisions;
the composition root hands in where they are."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from facilities.core.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

# alembic is imported where it is used, not at start-up: every CLI command and job imports this
# module, and only `init` and `db` commands migrate.
INIT_LOCK_KEY = 0x4E49_4101  # "NIA" + 1: the advisory lock that serializes `facilities init`


def alembic_config(locations: Sequence[Path], connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", ":".join(str(p) for p in locations))
    config.attributes["connection"] = connection
    return config


def heads(locations: Sequence[Path]) -> list[str]:
    """The schema's latest revisions (one per package's branch)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config(locations)).get_heads())


def upgrade(connection: Connection, locations: Sequence[Path]) -> None:
    from alembic import command

    command.upgrade(alembic_config(locations, connection), "heads")


@contextmanager
def init_lock(db: Database) -> Iterator[None]:
    """Hold a lock across processes: a PostgreSQL advisory lock, or a file lock beside SQLite."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": INIT_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": INIT_LOCK_KEY})
                conn.commit()
        return
    path = Path(db.engine.url.database or "facilities.db")
    with open(path.with_name(path.name + ".init-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
