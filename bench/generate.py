"""Synthetic registers at k times the agency: the seed cloned k-1 times, every table in
proportion (sites with their ownership history, leases and yearly rents, the service centers
and the offices they replace, projects with their sites, budget lines, work packages,
milestones and progress history). A clone keeps its county, type and ownership, sits near its
original, and carries a code suffixed `-Z001`, `-Z002`...

Rows are copied in bulk (COPY on PostgreSQL, batched INSERTs elsewhere) with explicit ids
(copy c of row i gets i + c * stride, stride being the table's largest seed id), so foreign
keys are remapped without a lookup. The product's own import checks are exercised by the
tests, not here."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from facilities.core.db import Database
from facilities.core.orm import Base, utcnow

CLONED = (
    "sites", "ownership_changes", "leases", "lease_rents", "lease_service_centers",
    "lease_center_replacements", "projects", "project_sites", "budget_lines", "work_packages",
    "milestones", "progress_reports",
)  # fmt: skip
"""In dependency order: a table's references to an earlier one are remapped to the copy."""

Row = dict[str, Any]


def suffix(copy: int) -> str:
    return f"-Z{copy:03d}"


def relabel_site(row: Row, copy: int, rng: random.Random) -> None:
    row["code"] += suffix(copy)
    row["name"] = f"{row['name']} (synthetic {copy})"
    row["name_zh"] = f"{row['name_zh']}（合成{copy}）"
    row["lat"] = round(row["lat"] + rng.uniform(-0.05, 0.05), 5)
    row["lon"] = round(row["lon"] + rng.uniform(-0.05, 0.05), 5)


def relabel_project(row: Row, copy: int, rng: random.Random) -> None:
    row["code"] += suffix(copy)
    row["name"] = f"{row['name']} (synthetic {copy})"
    row["name_zh"] = f"{row['name_zh']}（合成{copy}）"
    if row["lease_center_key"]:
        row["lease_center_key"] += suffix(copy).lower()


def relabel_center(row: Row, copy: int, rng: random.Random) -> None:
    row["key"] += suffix(copy).lower()
    row["name"] = f"{row['name']} (synthetic {copy})"
    row["name_zh"] = f"{row['name_zh']}（合成{copy}）"


RELABEL: dict[str, Callable[[Row, int, random.Random], None]] = {
    "sites": relabel_site, "projects": relabel_project,
    "lease_service_centers": relabel_center,
}  # fmt: skip


def grow_sites(db: Database, scale: int, seed: int = 103) -> int:
    """Clone the seed scale-1 times; returns the number of sites in the register."""
    rng = random.Random(seed)
    tables = [Base.metadata.tables[name] for name in CLONED]
    with db.session() as session:
        strides = {t.name: session.scalar(select(func.max(t.c.id))) or 0 for t in tables}
        now = utcnow()
        for table in tables:
            originals = [dict(row) for row in session.execute(select(table)).mappings()]
            copies = [
                clone(row, table, copy, strides, now, rng)
                for copy in range(1, scale)
                for row in originals
            ]
            bulk_insert(session, table, copies)
        if session.get_bind().dialect.name == "postgresql" and scale > 1:
            for table in tables:  # explicit ids: move each sequence past them
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT max(id) FROM {table.name}))"
                ))  # fmt: skip
                # the planner's row counts, as autovacuum would leave them after a bulk load
                session.execute(text(f'ANALYZE "{table.name}"'))
        return session.scalar(select(func.count()).select_from(Base.metadata.tables["sites"]))


def bulk_insert(session: Session, table: Table, rows: list[Row]) -> None:
    """PostgreSQL takes the rows by COPY, far quicker than INSERTs at 1000x; other engines by
    batched INSERTs."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def clone(
    row: Row, table: Table, copy: int, strides: dict[str, int], now, rng: random.Random
) -> Row:
    new = dict(row, id=row["id"] + copy * strides[table.name], created_at=now, updated_at=now)
    for key in table.foreign_keys:
        target = key.column.table.name
        if target in strides and new[key.parent.name] is not None:
            new[key.parent.name] += copy * strides[target]
    if "provenance" in new:
        new["provenance"] = "illustrative"
    if relabel := RELABEL.get(table.name):
        relabel(new, copy, rng)
    return new
