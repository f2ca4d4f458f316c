"""The agency whose register this is: its names in Chinese and English, long and short, on every
page, report and file. Data, not code: set by `facilities agency set`, by the agency sheet of
the register workbook, or by the seed (seed/agency.csv)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.audit.services import record
from facilities.core.db import Database
from facilities.core.errors import RuleViolation
from facilities.core.files import read_csv_rows
from facilities.core.sheets import (
    CREATED,
    LINE,
    Field,
    Importing,
    Outcome,
    Sheet,
    changed_names,
    text,
)
from facilities.ops.models import Agency

LIMITS = {"name_zh": 100, "name": 200, "short_name_zh": 20, "short_name": 40}
"""Each name's longest, as its column holds."""


@dataclass(frozen=True)
class Identity:
    name_zh: str
    name: str
    short_name_zh: str
    short_name: str

    @property
    def heading(self) -> str:
        """Chinese first, English beside it: `內政部入出國及移民署 National Immigration Agency`."""
        return f"{self.name_zh} {self.name}"


NOT_SET = Identity("未設定機關", "Agency not set", "未設定機關", "Agency not set")
"""What pages say before anyone names the agency (`facilities agency set`)."""


def current_agency(session: Session) -> Identity:
    row = session.scalar(select(Agency).order_by(Agency.id).limit(1))
    return NOT_SET if row is None else identity_of(row)


def agency_of(db: Database) -> Identity:
    """The agency's names, in a unit of work of their own (a page global's)."""
    with db.session() as session:
        return current_agency(session)


def identity_of(row: Agency) -> Identity:
    return Identity(row.name_zh, row.name, row.short_name_zh, row.short_name)


def agency_problems(fields: Mapping[str, Any]) -> list[str]:
    problems = []
    for name, limit in LIMITS.items():
        value = (fields.get(name) or "").strip()
        if not value:
            problems.append(f"{name} is missing")
        elif len(value) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    return problems


def set_agency(session: Session, changes: Mapping[str, Any], *, actor: str) -> list[str]:
    """Name the agency, or change some of its names (those not given stay); returns the names
    that changed. RuleViolation if a name is missing or too long."""
    row = session.scalar(select(Agency).order_by(Agency.id).limit(1).with_for_update())
    before = asdict(identity_of(row)) if row else dict.fromkeys(LIMITS, "")
    given = {k: v.strip() for k, v in changes.items() if k in LIMITS and v is not None}
    after = before | given
    if problems := agency_problems(after):
        raise RuleViolation("; ".join(problems), errors=problems)
    changed = [k for k in LIMITS if after[k] != before[k]]
    if not changed:
        return []
    if row is None:
        row = Agency()
        session.add(row)
        before = None
    for name in changed:
        setattr(row, name, after[name])
    session.flush()
    record(session, actor=actor, entity="agency", entity_id="agency",
           action="update" if before else "create",
           before={k: before[k] for k in changed} if before else None,
           after={k: after[k] for k in changed})  # fmt: skip
    return changed


AGENCY = Sheet(
    "agency", "機關",
    "The agency whose register this is: one row, its names as every page, report and file "
    "shows them.",
    (
        Field("name_zh", "機關全銜", text(LIMITS["name_zh"]), "The agency's full name in Chinese",
              True, 30),
        Field("name", "英文名稱", text(LIMITS["name"]), "The agency's full name in English", True,
              36),
        Field("short_name_zh", "簡稱", text(LIMITS["short_name_zh"]),
              "Its short name in Chinese (page titles)", True),
        Field("short_name", "英文簡稱", text(LIMITS["short_name"]),
              "Its short name or initials in English", True),
    ),
    key=("name_zh",),
    example={"name_zh": "勞動部", "name": "Ministry of Labor", "short_name_zh": "勞動部",
             "short_name": "MOL"},
)  # fmt: skip


def agency_rows(session: Session) -> list[dict[str, Any]]:
    row = session.scalar(select(Agency).order_by(Agency.id).limit(1))
    return [asdict(identity_of(row))] if row else []


def load_agency_sheet(
    session: Session, rows: Sequence[Mapping[str, Any]], importing: Importing
) -> Outcome:
    """The agency sheet's one row names the agency."""
    outcome = Outcome()
    if len(rows) > 1:
        outcome.problems += [(r[LINE], "the agency sheet holds one row: the agency's names")
                             for r in rows[1:]]  # fmt: skip
        return outcome
    for row in rows:
        named = session.scalar(select(Agency.id)) is not None
        changed = set_agency(session, row, actor=importing.actor)
        outcome.count(changed_names(row["short_name"], changed) if named else CREATED)
    return outcome


def load_agency(session: Session, seed_dir: Path) -> str:
    """The seed's agency (seed/agency.csv), unless the database names one already."""
    if session.scalar(select(Agency.id)) is not None:
        return "named already"
    (row,) = read_csv_rows(seed_dir / "agency.csv")
    set_agency(session, row, actor="seed")
    return f"{row['name_zh']} {row['name']}"
