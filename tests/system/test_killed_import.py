"""An import killed part-way leaves the database as it was before the import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.api.platform.test_backup import everything
from tests.api.sites.test_site_files import HEADER

ROWS = 6000


def big_file(path: Path) -> Path:
    lines = [
        f"BULK-{i:05d},Bulk site {i},批次{i},Taichung City,service_station,leased,2013-01-01,,"
        f"24.15,120.67,300,,,false,,illustrative\n"
        for i in range(ROWS)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def writing_has_begun(settings) -> bool:
    """True once the import's transaction has started writing (and not committed)."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        wal = Path(make_url(url).database + "-wal")
        return wal.exists() and wal.stat().st_size > 256 * 1024
    engine = create_engine(url)
    with engine.connect() as conn:
        busy = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            )
        ).scalar()
    engine.dispose()
    return busy > 0


def test_an_import_killed_part_way_changes_nothing(settings, db, tmp_path):
    before = everything(db)
    env = os.environ | {
        "DATABASE_URL": settings.sqlalchemy_url,
        "FACILITIES_DATA_DIR": str(settings.data_dir),
        "FACILITIES_AS_OF": "2014-06-30",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "facilities.cli",
            "import",
            "sites",
            str(big_file(tmp_path / "bulk.csv")),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not writing_has_begun(settings):
        assert proc.poll() is None, (
            "the import ended before it could be interrupted: " + proc.stdout.read()
        )
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert everything(db) == before
