"""A real server for tests that need one: uvicorn on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from facilities.core.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(
    settings: Settings,
    workers: int = 1,
    app: str = "facilities.app:create_app",
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve an app factory for `settings`; yields its base URL (loopback only). Without
    uvicorn's proxy headers, as `facilities serve` runs it: the app decides whose
    X-Forwarded-For to believe."""
    port = free_port()
    environment = os.environ | {
        "DATABASE_URL": settings.sqlalchemy_url, "FACILITIES_DATA_DIR": str(settings.data_dir),
        "FACILITIES_AS_OF": str(settings.as_of or ""), "FACILITIES_SCHEDULER": "off",
    } | (env or {})  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning",
         "--no-access-log", "--no-proxy-headers"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
