"""`make bench`: the product against its floor at 1x, 10x and 100x the agency.

Writes bench/RESULTS.md and bench/results.json. Load comes from wrk on loopback only; the
server is one uvicorn worker started and stopped here."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from litestar.testing import TestClient
from sqlalchemy import event, text

from bench.generate import grow_sites
from facilities.app import create_app
from facilities.auth import Role, create_token
from facilities.cache import AnswerCache
from facilities.db import Database
from facilities.domains import seed_loaders
from facilities.migrate import upgrade
from facilities.seeding import load_missing
from facilities.settings import SEED_DATA_DATE, Settings
from tests.server import running_server

HERE = Path(__file__).resolve().parent
WORK = HERE / "var"
SCALES = (1, 10, 100)
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = (1, 16)
THROUGHPUT_ENDPOINTS = {
    "sites_list": "/api/v1/sites",
    "summary": "/api/v1/ownership/summary",
}
STATEMENT_ENDPOINTS = {
    "sites_list": "/api/v1/sites?limit=1000",
    "sites_filtered": "/api/v1/sites?ownership=leased&county=Taipei%20City",
    "summary": "/api/v1/ownership/summary",
    "audit": "/api/v1/audit",
    "snapshots": "/api/v1/snapshots",
    "alerts": "/api/v1/alerts",
    "leases": "/api/v1/leases?limit=1000",
    "leases_expiring": "/api/v1/leases?expiring_within_days=180&limit=1000",
    "rent_report": "/api/v1/reports/rent-reduction?fiscal_year=2014",
    "rent_report_xlsx": "/api/v1/reports/rent-reduction?fiscal_year=2014&format=xlsx",
    "relocation_savings": "/api/v1/reports/relocation-savings?fiscal_year=2014",
    "projects": "/api/v1/projects",
    "burn": "/api/v1/projects/SDC-KHH/burn",
    "milestones": "/api/v1/projects/SDC-KHH/milestones",
    "ownership_map": "/maps/ownership",
    "projects_map": "/maps/projects",
    "dashboard": "/dashboard",
}
PAGES = {"ownership_map": "/maps/ownership", "dashboard": "/dashboard"}
PATCH_SCRIPT = """wrk.method = "PATCH"
wrk.body = '{"percent_complete": 75, "note": "bench"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["If-Match"] = "*"
"""
TIMED_ENDPOINTS = {
    "rent_report_json": "/api/v1/reports/rent-reduction?fiscal_year=2014",
    "rent_report_xlsx": "/api/v1/reports/rent-reduction?fiscal_year=2014&format=xlsx",
}
REPORT_FLOOR_QUERY = (
    "SELECT s.code, s.name, s.name_zh, c.name AS county, l.contracted_annual_rent_ntd, "
    "r.fiscal_year, r.rent_ntd FROM lease_rents r JOIN leases l ON l.id = r.lease_id "
    "JOIN sites s ON s.id = l.site_id JOIN counties c ON c.id = s.county_id"
)


def settings_for(scale: int) -> Settings:
    return Settings(data_dir=WORK / f"{scale}x", as_of=SEED_DATA_DATE)


def prepare(scale: int) -> tuple[Settings, str]:
    settings = settings_for(scale)
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    db = Database(settings)
    with db.engine.begin() as connection:
        upgrade(connection)
    with db.session() as session:
        load_missing(session, settings.seed_dir, seed_loaders())
    grow_sites(db, scale)
    with db.session() as session:
        token = create_token(session, "bench", Role.admin)
    db.dispose()
    return settings, token


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statement_counts(settings: Settings, token: str) -> dict[str, int]:
    counts = {}
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        client.get("/api/v1/sites?limit=1")
        for name, path in STATEMENT_ENDPOINTS.items():
            client.app.state.cache = AnswerCache(client.app.state.db.engine)
            with counting(client.app.state.db.engine) as statements:
                response = client.get(path)
            assert response.status_code == 200, (path, response.text)
            counts[name] = len(statements)
    return counts


@contextmanager
def server(settings: Settings, floor_dir: Path):
    with running_server(settings, app="bench.floor:app_with_floor",
                        env={"BENCH_FLOOR_DIR": str(floor_dir)}) as base:  # fmt: skip
        yield base


def wrk(url: str, token: str, connections: int, script: Path | None = None) -> dict[str, float]:
    extra = ["-s", str(script)] if script else []
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{LOAD_SECONDS}s", "--latency", *extra,
         "-H", f"Authorization: Bearer {token}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {m[0]: m[1] for m in re.findall(r"\s(50|99)%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": to_ms(latency["50"]), "p99": to_ms(latency["99"]),
            "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def throughput(settings: Settings, token: str) -> dict[str, dict]:
    floor_dir = settings.data_dir / "floor"
    floor_dir.mkdir(exist_ok=True)
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for name, path in THROUGHPUT_ENDPOINTS.items():
            (floor_dir / name).write_bytes(client.get(path).content)
    results = {}
    with server(settings, floor_dir) as base:
        for name, path in THROUGHPUT_ENDPOINTS.items():
            for connections in CONNECTIONS:
                product = wrk(base + path, token, connections)
                floor = wrk(f"{base}/bench/floor/{name}", token, connections)
                results[f"{name}@c{connections}"] = {
                    "product": product, "floor": floor,
                    "ratio": round(product["rps"] / floor["rps"], 3),
                }  # fmt: skip
        script = settings.data_dir / "patch.lua"
        script.write_text(PATCH_SCRIPT)
        for connections in CONNECTIONS:
            results[f"milestone_patch@c{connections}"] = {
                "product": wrk(f"{base}/api/v1/milestones/4", token, connections, script)
            }
    return results


def pages(settings: Settings, token: str) -> dict[str, dict]:
    """Each page's time (best of 3, cold) and size in bytes."""
    results = {}
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for name, path in PAGES.items():
            size = len(client.get(path).content)
            results[name] = {"seconds": round(best_of(3, lambda p=path: client.get(p)), 3),
                             "bytes": size}  # fmt: skip
    return results


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def timed(settings: Settings, token: str) -> dict[str, dict]:
    """Each report's time and size, beside reading the same rows into pandas (its floor)."""
    db = Database(settings)

    def floor() -> None:
        with db.engine.connect() as conn:
            pd.read_sql(text(REPORT_FLOOR_QUERY), conn)

    floor_seconds = best_of(5, floor)
    db.dispose()
    results = {}
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        state = client.app.state

        def cold(path: str) -> None:
            state.cache = AnswerCache(state.db.engine)  # computed afresh, as after any write
            client.get(path)

        for name, path in TIMED_ENDPOINTS.items():
            size = len(client.get(path).content)
            seconds = best_of(5, lambda path=path: cold(path))
            warm = best_of(5, lambda path=path: client.get(path))
            results[name] = {
                "seconds": round(seconds, 4), "warm_seconds": round(warm, 4), "bytes": size,
                "floor_seconds": round(floor_seconds, 4),
                "floor_ratio": round(seconds / floor_seconds, 2),
            }  # fmt: skip
    return results


def machine() -> str:
    return f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"


def main() -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    statements: dict[str, dict[str, int]] = {}
    results["timed"], results["pages"] = {}, {}
    for scale in SCALES:
        settings, token = prepare(scale)
        for name, count in statement_counts(settings, token).items():
            statements.setdefault(name, {})[f"{scale}x"] = count
        results["timed"][f"{scale}x"] = timed(settings, token)
        results["pages"][f"{scale}x"] = pages(settings, token)
        if scale == 1:
            results["throughput"] = throughput(settings, token)
    results["statements"] = {k: {s: v[s] for s in ("1x", "100x")} for k, v in statements.items()}
    results["statements_all_scales"] = statements
    load = results["throughput"]
    results["sites_list_ratio"] = min(load[f"sites_list@c{c}"]["ratio"] for c in CONNECTIONS)
    results["summary_ratio"] = min(load[f"summary@c{c}"]["ratio"] for c in CONNECTIONS)
    results["map_100x_bytes"] = results["pages"]["100x"]["ownership_map"]["bytes"]
    results["report_100x_floor_ratio"] = results["timed"]["100x"]["rent_report_json"]["floor_ratio"]
    results["report_xlsx_100x_floor_ratio"] = results["timed"]["100x"]["rent_report_xlsx"][
        "floor_ratio"
    ]
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (HERE / "RESULTS.md").write_text(render(results))
    print((HERE / "RESULTS.md").read_text())


def render(results: dict) -> str:
    lines = [
        "# Benchmark results", "",
        f"Measured {results['date']} on {results['machine']}, by `make bench` "
        f"(wrk on loopback, {LOAD_SECONDS} s a run, one uvicorn worker, SQLite).", "",
        "## Throughput against the floor (1x: the 65-site register)", "",
        "The floor is a bare handler in the same server, behind the same middleware "
        "(login, guard, headers), answering the same JSON bytes from memory.", "",
        "| endpoint | connections | product req/s | p50 ms | p99 ms | floor req/s | ratio |",
        "|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for key, row in results["throughput"].items():
        name, conns = key.split("@c")
        p, f = row["product"], row.get("floor")
        if f is None:
            lines.append(f"| {name} | {conns} | {p['rps']:.0f} | {p['p50']:.2f} | "
                         f"{p['p99']:.2f} | non-2xx: {p['non_2xx']} | |")  # fmt: skip
            continue
        lines.append(
            f"| {name} | {conns} | {p['rps']:.0f} | {p['p50']:.2f} | {p['p99']:.2f} "
            f"| {f['rps']:.0f} | {row['ratio']:.2f} |"
        )
    lines += [
        "",
        "## Reports against their floor (reading the same rows into pandas)",
        "",
        "Cold: computed afresh (as after any write); warm: served from the answer cache.",
        "",
        "| scale | report | cold s | warm s | bytes | floor s | cold / floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for scale, reports in results["timed"].items():
        for name, row in reports.items():
            lines.append(
                f"| {scale} | {name} | {row['seconds']:.3f} | {row['warm_seconds']:.4f} | "
                f"{row['bytes']:,} | "
                f"{row['floor_seconds']:.3f} | {row['floor_ratio']:.2f} |"
            )
    lines += [
        "",
        "## Pages (time to render on the server, cold, and size)",
        "",
        "| scale | page | seconds | bytes |",
        "|---|---|---|---|",
        *[
            f"| {scale} | {name} | {row['seconds']:.3f} | {row['bytes']:,} |"
            for scale, by_page in results["pages"].items()
            for name, row in by_page.items()
        ],
        "",
        "## SQL statements per request (cold answer)",
        "",
        "| endpoint | " + " | ".join(f"{s}x" for s in SCALES) + " |",
        "|---|" + "---|" * len(SCALES),
    ]
    for name, by_scale in results["statements_all_scales"].items():
        lines.append(f"| {name} | " + " | ".join(str(by_scale[f"{s}x"]) for s in SCALES) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
