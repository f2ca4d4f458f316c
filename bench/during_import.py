"""A milestone PATCH from another client while a 20,000-row site import runs, on PostgreSQL:
no row that every write must lock, so the PATCH does not wait for the import's transaction.

`make bench` runs it (`python -m bench.run during-import` runs it alone)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from facilities.core.settings import Settings
from tests.system.server import running_server

ROWS = 20_000
COUNTIES = ["Taipei City", "New Taipei City", "Taichung City", "Tainan City", "Kaohsiung City"]


def sites_file(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "name_zh", "county", "site_type", "ownership",
                         "ownership_since", "lat", "lon", "floor_area_m2"])  # fmt: skip
        for i in range(ROWS):
            row = [f"IMP-{i:05d}", f"Imported {i}", f"匯入{i}", COUNTIES[i % 5],
                   "service_station", "owned", "2013-01-01", 24.0, 121.0, 100]  # fmt: skip
            writer.writerow(row)
    return path


def measure(settings: Settings, token: str) -> dict:
    path = sites_file(settings.data_dir / f"import-{ROWS}.csv")
    env = os.environ | {"DATABASE_URL": settings.sqlalchemy_url,
                        "FACILITIES_DATA_DIR": str(settings.data_dir),
                        "FACILITIES_AS_OF": str(settings.as_of)}  # fmt: skip
    headers = {"Authorization": f"Bearer {token}", "If-Match": "*"}
    with running_server(settings) as base, httpx.Client(base_url=base, timeout=120) as http:
        started = time.monotonic()
        importer = subprocess.Popen([sys.executable, "-m", "facilities.cli", "import", "sites",
                                     str(path)], env=env, stdout=subprocess.DEVNULL)  # fmt: skip
        latencies, statuses = [], []
        time.sleep(1.0)  # the import's transaction is under way
        while importer.poll() is None:
            sent = time.monotonic()
            response = http.patch("/api/v1/milestones/4", json={"note": f"during {sent:.3f}"},
                                  headers=headers)  # fmt: skip
            latencies.append(time.monotonic() - sent)
            statuses.append(response.status_code)
            time.sleep(0.2)
        import_seconds = time.monotonic() - started
    return {
        "engine": "postgresql",
        "rows": ROWS,
        "import_exit": importer.returncode,
        "import_seconds": round(import_seconds, 1),
        "patches": len(latencies),
        "statuses": sorted(set(statuses)),
        "max_seconds": round(max(latencies, default=0), 3),
        "median_seconds": round(sorted(latencies)[len(latencies) // 2], 3) if latencies else None,
    }
