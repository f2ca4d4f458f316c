"""The secret key made in a fresh data directory by several processes starting at once: they all
end up with the one same key, and none reads an empty or half-written file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

PROCESSES = 6
ROUNDS = 20
SPACING = 0.05
"""Seconds between rounds: every process starts round i at the same moment."""

STARTER = """
import sys, time
from pathlib import Path
from facilities.auth.middleware import session_secret
from facilities.core.settings import Settings

start, spacing, dirs = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
for i, data_dir in enumerate(dirs):
    time.sleep(max(0.0, start + i * spacing - time.time()))
    print(data_dir, session_secret(Settings(data_dir=Path(data_dir))).hex(), flush=True)
"""


def test_processes_starting_at_once_share_one_key(tmp_path: Path):
    dirs = [str(tmp_path / f"fresh{i}" / "var") for i in range(ROUNDS)]
    start = time.time() + 4  # after every process has imported the product
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start), str(SPACING), *dirs],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    keys: dict[str, set[str]] = {d: set() for d in dirs}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            data_dir, _, key = line.partition(" ")
            keys[data_dir].add(key)
    for data_dir, seen in keys.items():
        assert len(seen) == 1, f"{data_dir}: {len(seen)} different keys: {seen}"
        (key,) = seen
        assert len(key) == 64, f"{data_dir}: a key of {len(key) // 2} bytes"
        assert (Path(data_dir) / "secret_key").read_text().strip() == key
        assert sorted(p.name for p in Path(data_dir).iterdir()) == ["secret_key"]
        assert (Path(data_dir) / "secret_key").stat().st_mode & 0o077 == 0
