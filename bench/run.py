"""`make bench`: the product against its floor at 1x, 10x and 100x the agency, and at 1000x on
PostgreSQL.

Writes bench/RESULTS.md and bench/results.json. Load comes from wrk on loopback only; the
servers (the product, and the bare framework beside it) are one uvicorn worker each, started and
stopped here."""

from __future__ import annotations

import cProfile
import io
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from litestar.testing import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench import during_import, workbook
from bench.generate import grow_sites
from construction.services import list_projects
from facilities.app import create_app
from facilities.auth.models import Role
from facilities.auth.services import create_token
from facilities.core.db import Database
from facilities.core.settings import SEED_DATA_DATE, Settings, normalize_database_url
from facilities.domains import migration_locations, seed_loaders
from facilities.ops.seeding import prepare as prepare_database
from leases import services as lease_services
from leases.routes import RENDERERS, ReportFormat
from maps.data import map_sites, ownership_road
from tests.system.server import running_server

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("BENCH_WORK", HERE / "var"))
SCALES = (1, 10, 100)
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = (1, 16)
THROUGHPUT_ENDPOINTS = {
    "sites_list": "/api/v1/sites",
    "summary": "/api/v1/ownership/summary",
}
STATEMENT_ENDPOINTS = {
    "sites_list": "/api/v1/sites?limit=1000",
    "sites_filtered": "/api/v1/sites?ownership=leased&county=Taipei%20City",
    "summary": "/api/v1/ownership/summary",
    "pipeline": "/api/v1/ownership/pipeline",
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
    "ownership_map_sites": "/maps/ownership/sites",
    "projects_map": "/maps/projects",
    "projects_map_features": "/maps/projects/features",
    "dashboard": "/dashboard",
}
PAGES = {"ownership_map": "/maps/ownership", "ownership_map_sites": "/maps/ownership/sites",
         "projects_map": "/maps/projects", "projects_map_features": "/maps/projects/features",
         "dashboard": "/dashboard"}  # fmt: skip
BIG = 1000
"""The ministry's scale, on PostgreSQL only: 65,000 sites."""
BIG_ROUNDS = 3
ROUNDS = 9
"""Timed runs alternate with their floor, best of ROUNDS each: both see the same noise."""
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "facilities_bench")
TARGETS = {"sites_list_bare_ratio": 0.6, "summary_bare_ratio": 0.6,
           "sites_list_ratio": 0.5, "summary_ratio": 0.5, "report_100x_floor_ratio": 3.0,
           "xlsx_100x_floor_ratio": 3.0, "map_100x_bytes": 3_000_000,
           "map_100x_wire_bytes": 500_000, "report_1000x_floor_ratio": 3.0,
           "map_1000x_ready_seconds": 60.0, "map_1000x_cached_ready_seconds": 10.0}  # fmt: skip
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


def prepare(scale: int, settings: Settings | None = None) -> tuple[Settings, str]:
    settings = settings or settings_for(scale)
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    settings.data_dir.mkdir(parents=True)
    db = Database(settings)
    prepare_database(db, migration_locations(), seed_loaders(), settings.seed_dir)
    grow_sites(db, scale)
    with db.session() as session:
        token = create_token(session, "bench", Role.admin)
    db.dispose()
    return settings, token


def prepare_postgresql(scale: int = 1) -> tuple[Settings, str]:
    """The register at `scale` in a database of its own on the local PostgreSQL, created
    afresh."""
    name = PG_DATABASE if scale == 1 else f"{PG_DATABASE}_{scale}x"
    admin = create_engine(normalize_database_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(normalize_database_url(PG_ADMIN_URL)).set(database=name)
    folder = WORK / ("pg" if scale == 1 else f"pg-{scale}x")
    settings = replace(settings_for(scale), data_dir=folder,
                       database_url=url.render_as_string(hide_password=False))  # fmt: skip
    return prepare(scale, settings)


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


def clock(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def best_of(runs: int, action) -> float:
    return min(clock(action) for _ in range(runs))


@contextmanager
def client_for(settings: Settings, token: str):
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


COLD = {"If-None-Match": '"bench-cold"'}
"""A conditional request goes the whole way, past the answers replayed in front of the router
(facilities/core/replay.py); this tag matches no answer."""


def cold(client: TestClient, path: str) -> None:
    """A request answered afresh, as after any write: the answer cache emptied first."""
    client.app.state.cache.clear()
    assert client.get(path, headers=COLD).status_code == 200, path


def statement_counts(settings: Settings, token: str) -> dict[str, int]:
    return {name: count for name, (count, _) in counted_and_timed(settings, token).items()}


def counted_and_timed(settings: Settings, token: str) -> dict[str, tuple[int, float]]:
    """Each endpoint's SQL statements and seconds, answered cold."""
    counts = {}
    with client_for(settings, token) as client:
        for name, path in STATEMENT_ENDPOINTS.items():
            # the login is looked up and held for a while: at 1000x a request can outlast that
            client.get("/api/v1/sites?limit=1", headers=COLD)
            with counting(client.app.state.db.engine) as statements:
                seconds = clock(lambda p=path: cold(client, p))
            counts[name] = (len(statements), round(seconds, 2))
    return counts


@contextmanager
def server(settings: Settings, floor_dir: Path):
    """The product (with its middleware floor) and the bare framework, in the same server."""
    env = {"BENCH_FLOOR_DIR": str(floor_dir)}
    with (running_server(settings, app="bench.floor:app_with_floor", env=env) as base,
          running_server(settings, app="bench.floor:bare_app", env=env) as bare):  # fmt: skip
        yield base, bare


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
    with client_for(settings, token) as client:
        for name, path in THROUGHPUT_ENDPOINTS.items():
            (floor_dir / name).write_bytes(client.get(path).content)
    results = {}
    with server(settings, floor_dir) as (base, bare_base):
        for name, path in THROUGHPUT_ENDPOINTS.items():
            for connections in CONNECTIONS:
                product = wrk(base + path, token, connections)
                floor = wrk(f"{base}/api/bench/floor/{name}", token, connections)
                bare = wrk(f"{bare_base}/api/bench/floor/{name}", token, connections)
                results[f"{name}@c{connections}"] = {
                    "product": product, "floor": floor, "bare": bare,
                    "ratio": round(product["rps"] / floor["rps"], 3),
                    "bare_ratio": round(product["rps"] / bare["rps"], 3),
                }  # fmt: skip
        script = settings.data_dir / "patch.lua"
        script.write_text(PATCH_SCRIPT)
        for connections in CONNECTIONS:
            results[f"milestone_patch@c{connections}"] = {
                "product": wrk(f"{base}/api/v1/milestones/4", token, connections, script)
            }
    return results


def pages(settings: Settings, token: str) -> dict[str, dict]:
    """Each page's time on the server, cold (best of 3) and warm, and its size in bytes."""
    results = {}
    with client_for(settings, token) as client:
        for name, path in PAGES.items():
            size = len(client.get(path).content)
            wire = client.get(path, headers={"Accept-Encoding": "gzip"}).num_bytes_downloaded
            results[name] = {
                "wire_bytes": wire,
                "seconds": round(best_of(3, lambda p=path: cold(client, p)), 3),
                "warm_seconds": round(best_of(3, lambda p=path: client.get(p)), 4),
                "bytes": size,
            }
    return results


SIZES = """() => {
  const page = performance.getEntriesByType('navigation')[0];
  const sites = performance.getEntriesByType('resource')
    .find(e => e.name.includes('/maps/ownership/sites'));
  return {html_bytes: page.decodedBodySize, html_wire_bytes: page.encodedBodySize,
          sites_bytes: sites.decodedBodySize, sites_wire_bytes: sites.encodedBodySize,
          sites_in_seconds: Math.round(sites.responseEnd / 10) / 100};
}"""
"""The page's and its sites' bytes, decoded and as sent, and when the sites were in (Resource
Timing)."""


def browser(settings: Settings, token: str, sites: int) -> dict[str, float | bool]:
    """The ownership map opened in headless Chromium: seconds until every site is drawn
    (`<html data-map=ready>`), with the page and its sites made afresh on the server, then
    served from its cache (the browser's own time); the page's and the sites' bytes, as sent."""
    from tests.system.browser import chromium

    def visit(page, url: str) -> tuple[float, dict[str, float]]:
        page.goto(url, timeout=900_000)
        page.wait_for_selector("html[data-map=ready]", state="attached", timeout=900_000)
        return page.evaluate("performance.now()") / 1000, page.evaluate(SIZES)

    headers = {"Authorization": f"Bearer {token}"}
    with running_server(settings) as base, chromium(headers) as opened:
        first, sizes = visit(opened.page, f"{base}/maps/ownership")
        again = visit(opened.page, f"{base}/maps/ownership")[0]
        drawn = opened.page.evaluate("window.NIA_SITES.getLayers().length")
    return sizes | {
        "first_seconds": round(first, 2),
        "cached_seconds": round(again, 2),
        "sites_drawn": drawn,
        "all_sites": drawn == sites,
        "outside_requests": len(opened.outside),
    }


def report_floor(settings: Settings):
    """Reading the report's rows into pandas; and, for the workbook, writing the same cells
    with XlsxWriter in its fastest mode (constant memory, no formats)."""
    db = Database(settings)

    def floor() -> pd.DataFrame:
        with db.engine.connect() as conn:
            return pd.read_sql(text(REPORT_FLOOR_QUERY), conn)

    def xlsx_floor() -> None:
        rows = floor()
        book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True, "in_memory": True})
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, list(rows.columns))
        for number, row in enumerate(rows.itertuples(index=False), start=1):
            sheet.write_row(number, 0, row)
        book.close()

    return floor, xlsx_floor, db


def timed(
    settings: Settings, token: str, rounds: int = ROUNDS, endpoints: dict = TIMED_ENDPOINTS
) -> dict[str, dict]:
    """Each report cold and warm beside reading the same rows into pandas (its floor; and for
    a workbook, writing its cells), alternated so that the machine's noise falls on both."""
    floor, xlsx_floor, db = report_floor(settings)
    floors = {"floor": floor, "xlsx_floor": xlsx_floor}
    if not any(name.endswith("xlsx") for name in endpoints):
        floors.pop("xlsx_floor")
    with client_for(settings, token) as client:
        sizes = {name: len(client.get(path).content) for name, path in endpoints.items()}
        best = dict.fromkeys([*endpoints, *floors], float("inf"))
        for _ in range(rounds):
            for name, floor in floors.items():
                best[name] = min(best[name], clock(floor))
            for name, path in endpoints.items():
                best[name] = min(best[name], clock(lambda p=path: cold(client, p)))
        warm = {name: best_of(5, lambda p=path: client.get(p))
                for name, path in endpoints.items()}  # fmt: skip
    db.dispose()
    return {
        name: {"seconds": round(best[name], 4), "warm_seconds": round(warm[name], 4),
               "bytes": sizes[name]}
        | {f"{floor}_seconds": round(best[floor], 4) for floor in floors}
        | {f"{floor}_ratio": round(best[name] / best[floor], 2) for floor in floors}
        for name in endpoints
    }  # fmt: skip


def report_profile(settings: Settings, report_format: str, limit: int = 12) -> dict:
    """Where a cold report's time goes: the route's work (rule, assessment, rendering) run in
    this thread under cProfile; the time each package spends itself, and the functions that
    spend the most."""
    render = RENDERERS[ReportFormat(report_format)][0]
    db = Database(settings)

    def compute() -> None:
        with db.session() as session:
            rule = lease_services.rule_for(session)
            render(lease_services.rent_reduction_report(session, 2014, rule, SEED_DATA_DATE))

    compute()
    found = profiled(compute, limit)
    db.dispose()
    return found


def map_profile(settings: Settings, limit: int = 12) -> dict:
    """Where the ownership map's cold time goes on the server: what the page and its sites
    read (the projects with their burn, the sites on the date, every county's road to full
    ownership), run once in this thread under cProfile."""
    db = Database(settings)
    day = SEED_DATA_DATE

    def compute() -> None:
        with db.session() as session:
            heads = list_projects(session, day)
            map_sites(session, day, day, heads)
            ownership_road(session, day, day, heads)

    found = profiled(compute, limit)
    db.dispose()
    return found


def profiled(compute, limit: int) -> dict:
    """The time each package spends itself under cProfile, and the functions that spend most."""
    profiler = cProfile.Profile()
    profiler.runcall(compute)
    stats = pstats.Stats(profiler).stats
    total = sum(own for _, _, own, _, _ in stats.values())
    packages: dict[str, float] = {}
    for key, (_, _, own, _, callers) in stats.items():
        package = package_of(key, callers)
        packages[package] = packages.get(package, 0.0) + own
    top = sorted(stats.items(), key=lambda item: -item[1][2])[:limit]
    return {
        "seconds": round(total, 4),
        "packages": {k: round(v * 100 / total, 1)
                     for k, v in sorted(packages.items(), key=lambda kv: -kv[1])[:6]},
        "top": [
            {"function": called_from(key, callers), "calls": calls, "own_seconds": round(own, 4),
             "share_pct": round(own * 100 / total, 1), "cumulative_seconds": round(cumul, 4)}
            for key, (_, calls, own, cumul, callers) in top
        ],
    }  # fmt: skip


def called_from(key: tuple, callers: dict) -> str:
    """A function; a C function with its main caller (whose work it does)."""
    if key[0] != "~" or not callers:
        return where(*key)
    return f"{where(*key)} from {where(*main_caller(callers))}"


def package_of(key: tuple, callers: dict) -> str:
    """The package a function belongs to; a C function's time goes to its main caller's."""
    if key[0] == "~" and callers:
        key = main_caller(callers)
    return where(*key).split("/", 1)[0].split(" ", 1)[0]


def main_caller(callers: dict) -> tuple:
    return max(callers, key=lambda caller: callers[caller][2])


def where(file: str, line: int, name: str) -> str:
    """`package/module.py:line function`; C functions by their name."""
    if file == "~":
        return f"built-in {name}"
    for marker in ("site-packages/", f"{HERE.parent}/"):
        if marker in file:
            return f"{file.split(marker, 1)[1]}:{line} {name}"
    return f"stdlib/{Path(file).name}:{line} {name}"


def machine() -> str:
    return f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"


def main() -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    started = time.monotonic()
    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    statements: dict[str, dict[str, int]] = {}
    results["timed"], results["pages"], results["browser"] = {}, {}, {}
    for scale in SCALES:
        settings, token = prepare(scale)
        for name, count in statement_counts(settings, token).items():
            statements.setdefault(name, {})[f"{scale}x"] = count
        results["timed"][f"{scale}x"] = timed(settings, token)
        results["pages"][f"{scale}x"] = pages(settings, token)
        results["browser"][f"{scale}x"] = browser(settings, token, 65 * scale)
        if scale == 1:
            results["throughput"] = throughput(settings, token)
    results["throughput_postgresql"] = postgresql_throughput(statements)
    results["during_import"] = during_import.measure(*prepare_postgresql())
    results["workbook"] = workbook.measure(settings_for(100), PG_ADMIN_URL, ("postgresql",))
    results["big"] = big_scale(statements)
    results["statements"] = {k: {s: v[s] for s in ("1x", "100x")} for k, v in statements.items()}
    results["statements_all_scales"] = statements
    load = results["throughput"]
    for name in THROUGHPUT_ENDPOINTS:
        for ratio in ("ratio", "bare_ratio"):
            results[f"{name}_{ratio}"] = min(load[f"{name}@c{c}"][ratio] for c in CONNECTIONS)
    at_100x = results["pages"]["100x"]
    results["map_100x_bytes"] = at_100x["ownership_map"]["bytes"]
    map_parts = ("ownership_map", "ownership_map_sites")
    results["map_100x_wire_bytes"] = sum(at_100x[name]["wire_bytes"] for name in map_parts)
    big = results["big"]
    results["report_1000x_floor_ratio"] = big["timed"]["rent_report_json"]["floor_ratio"]
    results["map_1000x_ready_seconds"] = big["browser"]["first_seconds"]
    results["map_1000x_cached_ready_seconds"] = big["browser"]["cached_seconds"]
    at_100x = results["timed"]["100x"]
    results["report_100x_floor_ratio"] = at_100x["rent_report_json"]["floor_ratio"]
    results["report_xlsx_100x_floor_ratio"] = at_100x["rent_report_xlsx"]["floor_ratio"]
    results["xlsx_100x_floor_ratio"] = at_100x["rent_report_xlsx"]["xlsx_floor_ratio"]
    results["profiles"] = {
        name: report_profile(settings_for(100), name.removeprefix("rent_report_"))
        for name, row in at_100x.items() if target_ratio(name, row) > TARGETS[
            "xlsx_100x_floor_ratio" if name.endswith("xlsx") else "report_100x_floor_ratio"]
    }  # fmt: skip
    results["targets"] = {
        key: {"target": target, "measured": results[key],
              "met": results[key] < target if key.endswith(("bytes", "floor_ratio", "seconds"))
              else results[key] >= target}
        for key, target in TARGETS.items()
    }  # fmt: skip
    flat = [k for k, v in results["statements"].items() if v["1x"] == v["100x"]]
    results["targets"]["statements_flat"] = {
        "target": "equal at 1x and 100x", "measured": f"{len(flat)} of {len(statements)} flat",
        "met": len(flat) == len(statements),
    }  # fmt: skip
    results["targets"]["statements_flat_1000x"] = flat_at(BIG, statements)
    results["targets"]["map_1000x_all_sites"] = {
        "target": "every one of 65,000 sites drawn", "met": big["browser"]["all_sites"],
        "measured": f"{'all' if big['browser']['all_sites'] else 'not all'} drawn",
    }  # fmt: skip
    results["seconds"] = round(time.monotonic() - started)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (HERE / "RESULTS.md").write_text(render(results))
    print((HERE / "RESULTS.md").read_text())


def target_ratio(name: str, row: dict) -> float:
    """A workbook against the floor that writes its cells; JSON against the rows read."""
    return row["xlsx_floor_ratio"] if name.endswith("xlsx") else row["floor_ratio"]


def postgresql_throughput(statements: dict[str, dict[str, int]]) -> dict:
    """The same load on PostgreSQL, the production engine, when one answers on loopback; and
    the statements at 1x there, the base the 1000x counts are held to."""
    try:
        settings, token = prepare_postgresql()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported, not fatal
        return {"not_measured": f"PostgreSQL at {PG_ADMIN_URL}: {exc.__class__.__name__}"}
    for name, count in statement_counts(settings, token).items():
        statements[name]["1x PG"] = count
    return throughput(settings, token)


def big_scale(statements: dict[str, dict[str, int]]) -> dict:
    """The register at 1000x on PostgreSQL, each part timed: growing it; each endpoint cold
    with its statements; the rent report against its floor; the
    ownership map in Chromium; and, where a target is missed, a profile."""
    seconds: dict[str, float] = {}
    result: dict[str, Any] = {"seconds": seconds}

    def part(name: str, action):
        started = time.monotonic()
        answer = action()
        seconds[name] = round(time.monotonic() - started, 1)
        return answer

    settings, token = part("prepare", lambda: prepare_postgresql(BIG))
    counted = part("statements", lambda: counted_and_timed(settings, token))
    for name, (count, _) in counted.items():
        statements[name][f"{BIG}x PG"] = count
    result["cold_seconds"] = {name: cold_seconds for name, (_, cold_seconds) in counted.items()}
    report = {"rent_report_json": TIMED_ENDPOINTS["rent_report_json"]}
    result["timed"] = part("report", lambda: timed(settings, token, BIG_ROUNDS, report))
    result["browser"] = part("browser", lambda: browser(settings, token, 65 * BIG))
    result["profiles"] = {}
    if result["timed"]["rent_report_json"]["floor_ratio"] > TARGETS["report_1000x_floor_ratio"]:
        result["profiles"]["rent_report_json"] = part(
            "report_profile", lambda: report_profile(settings, "json")
        )
    if result["browser"]["first_seconds"] > TARGETS["map_1000x_ready_seconds"]:
        result["profiles"]["ownership_map"] = part("map_profile", lambda: map_profile(settings))
    return result


def flat_at(scale: int, statements: dict[str, dict[str, int]]) -> dict:
    """The statements at `scale` on PostgreSQL against 1x there, for the endpoints counted."""
    counted = {k: v for k, v in statements.items() if f"{scale}x PG" in v and "1x PG" in v}
    flat = [k for k, v in counted.items() if v["1x PG"] == v[f"{scale}x PG"]]
    missing = [k for k in statements if k not in counted]
    return {"target": f"equal at 1x and {scale}x (PostgreSQL)",
            "measured": f"{len(flat)} of {len(counted)} counted flat; not counted at {scale}x: "
                        f"{', '.join(missing) or 'none'}",
            "met": len(flat) == len(statements)}  # fmt: skip


TARGET_TEXT = {
    "sites_list_bare_ratio": "sites list: at least {target} of the bare framework's throughput",
    "summary_bare_ratio": "ownership summary: at least {target} of the bare framework's throughput",
    "sites_list_ratio": "sites list: at least {target} of the middleware floor's throughput",
    "summary_ratio": "ownership summary: at least {target} of the middleware floor's throughput",
    "report_100x_floor_ratio": "rent report (JSON) at 100x: within {target}x its floor",
    "xlsx_100x_floor_ratio": "rent report (xlsx) at 100x: within {target}x its floor (the rows "
    "read, the same cells written by XlsxWriter)",
    "map_100x_bytes": "ownership map at 100x: under {target:,} bytes of HTML",
    "map_100x_wire_bytes": "ownership map at 100x: under {target:,} bytes on the wire (gzip), "
    "the page and its sites",
    "statements_flat": "SQL statements per request: {target}",
    "report_1000x_floor_ratio": "rent report (JSON) at 1000x on PostgreSQL: within {target}x its "
    "floor",
    "map_1000x_ready_seconds": "ownership map at 1000x in Chromium, cold on the server: every "
    "site drawn within {target} s",
    "map_1000x_cached_ready_seconds": "ownership map at 1000x in Chromium, the page and its "
    "sites cached on the server (the browser's own time): every site drawn within {target} s",
    "statements_flat_1000x": "SQL statements per request: {target}",
    "map_1000x_all_sites": "ownership map at 1000x: {target}",
}


def render(results: dict) -> str:
    lines = [
        "# Benchmark results", "",
        f"Measured {results['date']} on {results['machine']}, by `make bench` in "
        f"{results['seconds']} s (wrk on loopback, {LOAD_SECONDS} s a run, one uvicorn worker; "
        "SQLite unless marked PostgreSQL). To fit the 1000x register in the 15 minutes `make "
        f"bench` may take on two cores, the wrk runs are {LOAD_SECONDS} s (were 8), the reports "
        f"best of {ROUNDS} (were 15), and the workbook is imported on PostgreSQL only (SQLite's "
        "import was the slowest part left).", "",
        "## Targets", "",
        "| target | measured | met |", "|---|---|---|",
        *[f"| {TARGET_TEXT[k].format(target=t['target'])} | {readable(t['measured'])} | "
          f"{'yes' if t['met'] else '**no**'} |" for k, t in results["targets"].items()],
        "", "Statement counts are in the last table; `tests/api/platform/test_scale.py` also "
        "holds them equal at 1x and 3x.", "",
    ]  # fmt: skip
    lines += throughput_section("Throughput against the floor (1x: the 65-site register)",
                                results["throughput"])  # fmt: skip
    pg = results["throughput_postgresql"]
    if "not_measured" in pg:
        lines += ["## The same on PostgreSQL", "", f"Not measured: {pg['not_measured']}.", ""]
    else:
        lines += throughput_section("The same on PostgreSQL (1x)", pg)
    lines += during_import_section(results["during_import"])
    lines += workbook_section(results["workbook"])
    lines += (
        reports_section(results["timed"]) + pages_section(results) + big_section(results["big"])
    )
    lines += profiles_section(results["profiles"]) + statements_section(results)
    return "\n".join(lines) + "\n"


def during_import_section(row: dict) -> list[str]:
    return [
        "## A write during a 20,000-row import (PostgreSQL)", "",
        f"`facilities import sites` of {row['rows']:,} rows took {row['import_seconds']} s in "
        f"one transaction; meanwhile another client sent {row['patches']} milestone PATCHes "
        f"(answers {row['statuses']}): median {row['median_seconds']} s, slowest "
        f"{row['max_seconds']} s (target: under 1 s). Nothing locks a row that every write "
        "touches (`facilities/core/versions.py`).", "",
    ]  # fmt: skip


def workbook_section(row: dict) -> list[str]:
    rows = row["rows"]
    lines = [
        "## The register at 100x as one workbook", "",
        f"`facilities export workbook` of the 100x register ({rows['sites']:,} sites, "
        f"{rows['leases']:,} leases, {rows['lease_rents']:,} yearly rents, and the ownership "
        "history, centers, projects, budget lines, work packages, milestones and progress "
        f"grown with them): {row['export_seconds']} s, {row['bytes']:,} bytes. `facilities "
        "import workbook` of it into an empty install (`facilities init --empty`), every row "
        "checked through the services the API uses, in one transaction; then the same "
        "workbook again over what it made (every row unchanged, nothing written).", "",
        "| engine | import s | rows | again, unchanged s |", "|---|---|---|---|",
    ]  # fmt: skip
    for engine in ("sqlite", "postgresql"):
        if engine in row:
            done = row[engine]
            created = re.search(r"(\d+) rows created", done["summary"]).group(1)
            lines.append(f"| {engine} | {done['import_seconds']} | {int(created):,} | "
                         f"{done['again_seconds']} |")  # fmt: skip
    return [*lines, ""]


def readable(value) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def throughput_section(title: str, rows: dict) -> list[str]:
    lines = [
        f"## {title}", "",
        "Two floors answer the same JSON bytes from memory, in the same server (uvicorn, "
        "httptools, uvloop): the bare framework (a Litestar app with no middleware) and a "
        "handler behind the product's middleware (compression, headers, login and role, CSRF), "
        "so that each layer's cost shows. The product answers a token client's repeated GET of "
        "a hot read with the bytes it sent last time, before routing "
        "(`facilities/core/replay.py`; the data version, the date, the token's role and the "
        "negotiating headers checked on every request): it does less than the bare framework, "
        "which routes every request to a handler. The milestone PATCH checks its ETag "
        "(`If-Match: *` here), writes the change and its audit row.", "",
        "| endpoint | connections | product req/s | p50 ms | p99 ms | bare req/s | product / "
        "bare | middleware floor req/s | product / middleware floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for key, row in rows.items():
        name, conns = key.split("@c")
        p, f, b = row["product"], row.get("floor"), row.get("bare")
        floor = (f"{b['rps']:.0f} | {row['bare_ratio']:.2f} | {f['rps']:.0f} | "
                 f"{row['ratio']:.2f}" if f else f"non-2xx: {p['non_2xx']} | | |")  # fmt: skip
        lines.append(f"| {name} | {conns} | {p['rps']:.0f} | {p['p50']:.2f} | "
                     f"{p['p99']:.2f} | {floor} |")  # fmt: skip
    return [*lines, ""]


def reports_section(timed_rows: dict) -> list[str]:
    lines = [
        "## Reports against their floor (reading the same rows into pandas)", "",
        f"Cold: computed afresh, as after any write (best of {ROUNDS}, each run alternated with "
        "a run of the floor; the answer cache emptied, and the request conditional on a tag that "
        "matches nothing, so that it goes past the answers replayed in front of the router); "
        "warm: served from the answer cache.", "",
        "The xlsx floor reads the same rows and writes the same cells with XlsxWriter in its "
        "fastest mode (constant memory, no formats).", "",
        "| scale | report | cold s | warm s | bytes | floor s | cold / floor | xlsx floor s | "
        "cold / xlsx floor |", "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for scale, reports in timed_rows.items():
        for name, row in reports.items():
            lines.append(
                f"| {scale} | {name} | {row['seconds']:.3f} | {row['warm_seconds']:.4f} | "
                f"{row['bytes']:,} | {row['floor_seconds']:.3f} | {row['floor_ratio']:.2f} | "
                f"{row['xlsx_floor_seconds']:.3f} | {row['xlsx_floor_ratio']:.2f} |"
            )
    return [*lines, ""]


def pages_section(results: dict) -> list[str]:
    lines = [
        "## Pages", "",
        "On the server: cold (drawn afresh, best of 3) and warm (from the answer cache). The "
        "dashboard draws the 12 projects needing attention first and counts the rest.", "",
        "| scale | page | cold s | warm s | bytes | on the wire (gzip) |",
        "|---|---|---|---|---|---|",
        *[f"| {scale} | {name} | {row['seconds']:.3f} | {row['warm_seconds']:.4f} | "
          f"{row['bytes']:,} | {row['wire_bytes']:,} |"
          for scale, by_page in results["pages"].items() for name, row in by_page.items()],
        "", *browser_lines(results["browser"]),
    ]  # fmt: skip
    return [*lines, ""]


def browser_lines(rows: dict) -> list[str]:
    return [
        "The ownership map in headless Chromium: seconds until every site is drawn (`<html "
        "data-map=ready>`), with the page and its sites made afresh on the server, then served "
        "from its cache; the page and the sites it fetches, in bytes and on the wire.", "",
        "| scale | first open s | again s | every site on the map | page bytes | on the wire | "
        "sites bytes | on the wire | requests off the machine |",
        "|---|---|---|---|---|---|---|---|---|",
        *[f"| {scale} | {row['first_seconds']:.2f} | {row['cached_seconds']:.2f} | "
          f"{'yes' if row['all_sites'] else '**no**'} | {row['html_bytes']:,} | "
          f"{row['html_wire_bytes']:,} | {row['sites_bytes']:,} | {row['sites_wire_bytes']:,} | "
          f"{row['outside_requests']} |" for scale, row in rows.items()],
    ]  # fmt: skip


def big_section(big: dict) -> list[str]:
    report = big["timed"]["rent_report_json"]
    parts = ", ".join(f"{name} {seconds} s" for name, seconds in big["seconds"].items())
    return [
        f"## {BIG}x (65,000 sites) on PostgreSQL", "",
        f"The seed cloned {BIG - 1} times with every table in proportion (`bench/generate.py`), "
        f"in a database of its own. Each part's time: {parts}.", "",
        f"Rent report (JSON), cold: {report['seconds']:.3f} s against its floor "
        f"{report['floor_seconds']:.3f} s ({report['floor_ratio']:.2f}x; best of {BIG_ROUNDS}); "
        f"warm {report['warm_seconds']:.4f} s; {report['bytes']:,} bytes.", "",
        "Each endpoint once, cold, while its statements were counted (seconds): "
        + ", ".join(f"{name} {cold_s}" for name, cold_s in big["cold_seconds"].items())
        + ".", "",
        *browser_lines({f"{BIG}x": big["browser"]}), "",
        *profiles_section(big["profiles"], f"{BIG}x, cold, in-process"),
    ]  # fmt: skip


def profiles_section(profiles: dict, where: str = "100x, cold, in-process") -> list[str]:
    if not profiles:
        return [f"## Profiles ({where})", "", "Every part is within its target: nothing to "
                "profile.", ""]  # fmt: skip
    lines = [f"## Profiles of what missed its target ({where})", ""]
    for name, profile in profiles.items():
        packages = ", ".join(f"{k} {v}%" for k, v in profile["packages"].items())
        lines += [
            f"### {name}: {profile['seconds']:.3f} s under the profiler", "",
            f"Time spent in each package's own code (a C function's in its caller's): "
            f"{packages}.", "",
            "| function | calls | own s | share | cumulative s |", "|---|---|---|---|---|",
            *[f"| `{row['function']}` | {row['calls']:,} | {row['own_seconds']:.4f} | "
              f"{row['share_pct']}% | {row['cumulative_seconds']:.4f} |"
              for row in profile["top"]],
            "",
        ]  # fmt: skip
    return lines


def statements_section(results: dict) -> list[str]:
    every = results["statements_all_scales"]
    columns = [*[f"{s}x" for s in SCALES], "1x PG", f"{BIG}x PG"]
    lines = [
        "## SQL statements per request (cold answer)", "",
        "SQLite, and PostgreSQL (PG), where the 1000x register is; a dash: not counted.", "",
        "| endpoint | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns),
    ]  # fmt: skip
    for name, by_scale in every.items():
        lines.append(f"| {name} | " + " | ".join(str(by_scale.get(c, "—")) for c in columns)
                     + " |")  # fmt: skip
    return lines


if __name__ == "__main__":
    if sys.argv[1:] == ["during-import"]:
        print(during_import_section(during_import.measure(*prepare_postgresql()))[2])
    elif sys.argv[1:] == ["big"]:
        counted = {name: {} for name in STATEMENT_ENDPOINTS}
        for name, count in statement_counts(*prepare_postgresql()).items():
            counted[name]["1x PG"] = count
        measured = big_scale(counted)
        print(json.dumps(measured | {"statements": counted}, indent=2, ensure_ascii=False))
        print("\n".join(big_section(measured)))
    elif sys.argv[1:] == ["workbook"]:
        measured = workbook.measure(prepare(100)[0], PG_ADMIN_URL)
        print(json.dumps(measured, indent=2, ensure_ascii=False))
        print("\n".join(workbook_section(measured)))
    else:
        main()
