"""The whole register at 100x as one workbook: `facilities export workbook` of the grown register
(6,500 sites with their ownership history, leases and rents, the centers, the projects with
their budget lines, work packages, milestones and progress), then `facilities import workbook`
of it into an empty install (`facilities init --empty`), in one transaction, on SQLite and on
PostgreSQL; and the same workbook imported again over what it made (every row unchanged).

`make bench` runs it (`python -m bench.run workbook` runs it alone)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from facilities.core.db import Database
from facilities.core.settings import Settings, normalize_database_url
from facilities.sites.models import Site
from leases.models import Lease, LeaseRent


def facilities(settings: Settings, *args: str) -> tuple[float, str]:
    """A `facilities` command in a process of its own: its seconds and its output."""
    env = os.environ | {"DATABASE_URL": settings.sqlalchemy_url,
                        "FACILITIES_DATA_DIR": str(settings.data_dir),
                        "FACILITIES_AS_OF": str(settings.as_of)}  # fmt: skip
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "facilities.cli", *args], env=env,
                          capture_output=True, text=True)  # fmt: skip
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"facilities {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return seconds, done.stdout


def counts(settings: Settings) -> dict[str, int]:
    db = Database(settings)
    with db.session() as session:
        found = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                 for model in (Site, Lease, LeaseRent)}  # fmt: skip
    db.dispose()
    return found


def empty_install(settings: Settings, engine: str, pg_admin_url: str) -> Settings:
    folder = settings.data_dir.parent / f"workbook-{engine}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = replace(settings, data_dir=folder, database_url=None)
    if engine == "postgresql":
        name = "facilities_bench_workbook"
        admin = create_engine(normalize_database_url(pg_admin_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(normalize_database_url(pg_admin_url)).set(database=name)
        target = replace(target, database_url=url.render_as_string(hide_password=False))
    facilities(target, "init", "--empty")
    return target


def measure(grown: Settings, pg_admin_url: str, engines=("sqlite", "postgresql")) -> dict:
    """`grown`: the 100x register (bench.run.prepare(100))."""
    path = Path(grown.data_dir) / "register-100x.xlsx"
    export_seconds, _ = facilities(grown, "export", "workbook", str(path))
    result = {"export_seconds": round(export_seconds, 1), "bytes": path.stat().st_size,
              "rows": counts(grown)}  # fmt: skip
    for engine in engines:
        target = empty_install(grown, engine, pg_admin_url)
        first, output = facilities(target, "import", "workbook", str(path))
        again, unchanged = facilities(target, "import", "workbook", str(path))
        assert counts(target) == result["rows"], (counts(target), result["rows"])
        assert " 0 rows created, 0 updated." in unchanged, unchanged
        result[engine] = {"import_seconds": round(first, 1), "again_seconds": round(again, 1),
                          "summary": output.strip().splitlines()[-1]}  # fmt: skip
    return result
