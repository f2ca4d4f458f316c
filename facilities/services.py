"""The site register's service functions. They flush but never commit: the caller's unit of
work (the request, the CLI command, the job) commits or rolls back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from facilities import audit
from facilities.errors import Conflict, NotFound, RuleViolation
from facilities.models import County, OwnershipChange, Site
from facilities.ownership import Holding, Summary, summarize
from facilities.site_rules import county_problem, site_problems

SITE_COLUMNS = (
    "code", "name", "name_zh", "county", "site_type", "ownership", "ownership_since",
    "address_zh", "lat", "lon", "floor_area_m2", "lending_agency", "loan_end_date",
    "state_land_obtained", "closed_on", "provenance",
)  # fmt: skip
"""The register's columns, in the order files are exported and imported."""


def site_fields(site: Site) -> dict[str, Any]:
    fields = {name: getattr(site, name) for name in SITE_COLUMNS if name != "county"}
    fields["county"] = site.county.name
    return {name: fields[name] for name in SITE_COLUMNS}


def counties_by_name(session: Session) -> dict[str, County]:
    """Counties under their English and their Chinese names."""
    counties = session.scalars(select(County).order_by(County.id)).all()
    return {c.name: c for c in counties} | {c.name_zh: c for c in counties}


def list_sites(
    session: Session,
    *,
    ownership: str | None = None,
    county: str | None = None,
    site_type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[Sequence[Site], int]:
    query = select(Site).join(Site.county).options(contains_eager(Site.county))
    if ownership:
        query = query.where(Site.ownership == ownership)
    if county:
        query = query.where((County.name == county) | (County.name_zh == county))
    if site_type:
        query = query.where(Site.site_type == site_type)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    sites = session.scalars(query.order_by(Site.code).limit(limit).offset(offset)).all()
    return sites, total


def get_site(session: Session, code: str, *, for_update: bool = False) -> Site:
    query = select(Site).where(Site.code == code)
    site = session.scalar(query.with_for_update(of=Site) if for_update else query)
    if site is None:
        raise NotFound(f"No site has the code '{code}'.")
    return site


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0


def create_problems(
    fields: dict[str, Any], counties: dict[str, County], existing: bool, today: date
) -> list[str]:
    problems = []
    if existing:
        problems.append(f"site code '{fields['code']}' already exists")
    if problem := county_problem(fields["county"], counties):
        problems.append(problem)
    return problems + site_problems(fields, today)


def update_problems(
    site: Site, changes: dict[str, Any], counties: dict[str, County], today: date
) -> list[str]:
    """What is wrong with applying `changes` to `site` (`changes` is normalized in place)."""
    problems = []
    current = site_fields(site)
    effective = changes.pop("ownership_effective_date", None)
    new_ownership = changes.get("ownership", current["ownership"])
    if new_ownership != current["ownership"]:
        effective = effective or changes.get("ownership_since") or today
        changes["ownership_since"] = effective
        if effective <= current["ownership_since"]:
            problems.append(
                f"the ownership change must take effect after the current ownership began "
                f"({current['ownership_since']}), not on {effective}"
            )
        if current["ownership"] == "borrowed":
            changes.setdefault("lending_agency", None)
            changes.setdefault("loan_end_date", None)
    elif effective is not None:
        problems.append("ownership_effective_date is given but ownership does not change")
    elif changes.get("ownership_since", current["ownership_since"]) != current["ownership_since"]:
        problems.append(
            "ownership_since changes only with a change of ownership "
            f"(it is {current['ownership_since']})"
        )
    if "county" in changes and (problem := county_problem(changes["county"], counties)):
        problems.append(problem)
    return problems + site_problems(current | changes, today)


def create_site(session: Session, fields: dict[str, Any], *, actor: str, today: date) -> Site:
    fields = {**fields, "ownership_since": fields.get("ownership_since") or today}
    counties = counties_by_name(session)
    existing = session.scalar(select(Site.id).where(Site.code == fields["code"])) is not None
    problems = create_problems(fields, counties, existing, today)
    if existing:
        raise Conflict(problems[0])
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    return _insert(session, fields, counties, actor)


def update_site(
    session: Session, code: str, changes: dict[str, Any], *, actor: str, today: date
) -> Site:
    site = get_site(session, code, for_update=True)
    counties = counties_by_name(session)
    note = changes.pop("ownership_note", None) or ""
    problems = update_problems(site, changes, counties, today)
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    _apply(session, site, changes, counties, actor, note)
    return site


CREATE_DEFAULTS: dict[str, Any] = {
    "address_zh": "", "lending_agency": None, "loan_end_date": None,
    "state_land_obtained": False, "closed_on": None, "provenance": "illustrative",
}  # fmt: skip

ImportPlan = list[tuple[Site | None, dict[str, Any]]]


def plan_import(
    session: Session, rows: list[dict[str, Any]], *, today: date
) -> tuple[ImportPlan, list[tuple[int, str]]]:
    """What upserting parsed rows by code would create and change, and each row's problems.

    Rows carry their file line number under "_line"; absent optional columns keep their value."""
    counties = counties_by_name(session)
    sites = {s.code: s for s in session.scalars(select(Site))}
    problems: list[tuple[int, str]] = []
    plan: ImportPlan = []
    for row in rows:
        line, fields = row["_line"], {k: v for k, v in row.items() if k != "_line"}
        site = sites.get(fields["code"])
        if site is None:
            fields = CREATE_DEFAULTS | fields
            found = create_problems(fields, counties, False, today)
            plan.append((None, fields))
        else:
            current = site_fields(site)
            fields = {k: v for k, v in fields.items() if current[k] != v}
            found = update_problems(site, fields, counties, today)
            plan.append((site, fields))
        problems.extend((line, p) for p in found)
    return plan, problems


def apply_import(session: Session, plan: ImportPlan, *, actor: str) -> ImportResult:
    counties = counties_by_name(session)
    result = ImportResult()
    for site, fields in plan:
        if site is None:
            _insert(session, fields, counties, actor)
            result.created.append(fields["code"])
        elif fields:
            result.updated[site.code] = sorted(fields)
            _apply(session, site, fields, counties, actor, "imported")
        else:
            result.unchanged += 1
    return result


def _insert(
    session: Session, fields: dict[str, Any], counties: dict[str, County], actor: str
) -> Site:
    values = {k: v for k, v in fields.items() if k != "county"}
    site = Site(**values, county=counties[fields["county"]])
    site.history.append(
        OwnershipChange(ownership=site.ownership, effective_date=site.ownership_since)
    )
    session.add(site)
    session.flush()
    audit.record(
        session, actor=actor, entity="site", entity_id=site.code, action="create",
        before=None, after=site_fields(site),
    )  # fmt: skip
    return site


def _apply(
    session: Session,
    site: Site,
    changes: dict[str, Any],
    counties: dict[str, County],
    actor: str,
    note: str,
) -> None:
    before = site_fields(site)
    for name, value in changes.items():
        if name == "county":
            site.county = counties[value]
        else:
            setattr(site, name, value)
    if changes.get("ownership", before["ownership"]) != before["ownership"]:
        site.history.append(
            OwnershipChange(
                ownership=site.ownership, effective_date=site.ownership_since, note=note
            )
        )
    session.flush()
    after = site_fields(site)
    changed = [k for k in SITE_COLUMNS if before[k] != after[k]]
    if changed:
        audit.record(
            session, actor=actor, entity="site", entity_id=site.code, action="update",
            before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )  # fmt: skip


def holdings_query(as_of: date):
    """(site, county, ownership on `as_of`) for every site open on that date, from the history."""
    latest = (
        select(OwnershipChange.site_id, func.max(OwnershipChange.effective_date).label("day"))
        .where(OwnershipChange.effective_date <= as_of)
        .group_by(OwnershipChange.site_id)
        .subquery()
    )
    return (
        select(Site, County, OwnershipChange.ownership)
        .join(
            latest,
            (latest.c.site_id == OwnershipChange.site_id)
            & (latest.c.day == OwnershipChange.effective_date),
        )
        .join(Site, Site.id == OwnershipChange.site_id)
        .join(County, County.id == Site.county_id)
        .where(Site.closed_on.is_(None) | (Site.closed_on > as_of))
    )


def holdings_on(session: Session, as_of: date) -> list[tuple[Site, str]]:
    """Every site open on `as_of` with its ownership that day."""
    rows = session.execute(holdings_query(as_of).order_by(Site.code)).all()
    return [(site, ownership) for site, _county, ownership in rows]


def ownership_by_code(session: Session, as_of: date) -> dict[str, str]:
    """Site code -> ownership on `as_of`, for every site open that day (plain rows)."""
    query = holdings_query(as_of).with_only_columns(Site.code, OwnershipChange.ownership)
    return dict(session.execute(query).all())


def ownership_summary(session: Session, as_of: date) -> Summary:
    """Shares on `as_of`, from each site's ownership history."""
    query = holdings_query(as_of).with_only_columns(
        County.name, County.name_zh, OwnershipChange.ownership
    )
    rows = session.execute(query).all()
    order = session.scalars(select(County.name).order_by(County.id)).all()
    return summarize((Holding(*row) for row in rows), as_of, order)
