"""`facilities serve` as a user deploys it: several worker processes on one port, each its own
app on the shared database, answering gzip to a client that accepts it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.factories import auth_headers
from tests.system.server import free_port

FACILITIES = Path(sys.executable).with_name("facilities")


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def test_serve_with_two_workers_answers_compressed(settings):
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir),
        "FACILITIES_AS_OF": str(settings.as_of), "FACILITIES_SCHEDULER": "off",
    }  # fmt: skip
    server = subprocess.Popen(
        [str(FACILITIES), "serve", "--port", str(port), "--workers", "2"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if (
                    httpx.get(f"{base}/health").status_code == 200
                    and len(children(server.pid)) >= 2
                ):
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "two workers did not start in 60 s"
            time.sleep(0.2)
        headers = auth_headers(settings, "liaison") | {"Accept-Encoding": "gzip"}
        with httpx.Client(base_url=base, headers=headers) as http:
            for _ in range(8):  # whichever worker answers
                sites = http.get("/api/v1/sites", params={"limit": 1000})
                assert sites.status_code == 200 and sites.headers["content-encoding"] == "gzip"
                assert sites.json()["total"] == 65
                assert sites.num_bytes_downloaded < len(sites.content) / 3
            raw = http.get(
                "/api/v1/sites", params={"limit": 1000}, headers={"Accept-Encoding": "identity"}
            )
            assert "content-encoding" not in raw.headers and raw.content == sites.content
            small = http.get("/health")
            assert "content-encoding" not in small.headers  # under 1 kB: as it is
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
