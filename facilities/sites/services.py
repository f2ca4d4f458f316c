"""The site register's service functions. They flush but never commit: the caller's unit of
work (the request, the CLI command, the job) commits or rolls back."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from facilities.audit.services import record, record_changes
from facilities.core.concurrency import check_if_match
from facilities.core.db import find_one
from facilities.core.errors import Conflict, NotFound, RuleViolation
from facilities.core.orm import utcnow
from facilities.core.paging import Paged, paginate
from facilities.core.sheets import (
    CREATED,
    LINE,
    UNCHANGED,
    Importing,
    Outcome,
    changed_names,
    each_row,
)
from facilities.sites.files import ParsedSites
from facilities.sites.models import (
    County,
    OwnershipChange,
    Pipeline,
    PipelineChange,
    PipelineTrack,
    Site,
)
from facilities.sites.rules import (
    CLOSED,
    CREATE_DEFAULTS,
    SITE_COLUMNS,
    CountyRoad,
    Holding,
    Holdings,
    Ownership,
    Provenance,
    RoadInputs,
    Stage,
    StageChange,
    Summary,
    Track,
    county_roads,
    create_problems,
    move_problems,
    summarize_holdings,
    update_problems,
)


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
    sort: str = "code",
    descending: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> Paged[Site]:
    query = select(Site).join(Site.county).options(contains_eager(Site.county))
    if ownership:
        query = query.where(Site.ownership == ownership)
    if county:
        query = query.where((County.name == county) | (County.name_zh == county))
    if site_type:
        query = query.where(Site.site_type == site_type)
    column = SORTS.get(sort, Site.code)
    order = [column.desc() if descending else column, Site.code]
    return paginate(session, query.order_by(*order), limit=limit, offset=offset)


SORTS = {"code": Site.code, "name_zh": Site.name_zh, "county": County.id,
         "site_type": Site.site_type, "ownership": Site.ownership,
         "floor_area_m2": Site.floor_area_m2, "ownership_since": Site.ownership_since}  # fmt: skip
"""The columns the register may be sorted by."""


def get_site(session: Session, code: str, *, for_update: bool = False) -> Site:
    return find_one(session, Site, Site.code == code, for_update=for_update,
                    missing=f"No site has the code '{code}'.")  # fmt: skip


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0


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
    session: Session, code: str, changes: dict[str, Any], if_match: str | None, *, actor: str,
    today: date,
) -> Site:  # fmt: skip
    site = get_site(session, code, for_update=True)
    check_if_match(site, if_match, "site", f"/api/v1/sites/{code}")
    counties = counties_by_name(session)
    note = changes.pop("ownership_note", None) or ""
    problems = update_problems(site_fields(site), changes, counties, today)
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    _apply(session, site, changes, counties, actor, note)
    return site


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
            found = update_problems(current, fields, counties, today)
            plan.append((site, fields))
        problems.extend((line, p) for p in found)
    return plan, problems


IMPORT_BATCH = 1000
"""New sites flushed together: one flush per site cost most of a 20,000-row import's time."""


def apply_import(session: Session, plan: ImportPlan, *, actor: str) -> ImportResult:
    counties = counties_by_name(session)
    result = ImportResult()
    added: list[Site] = []
    for site, fields in plan:
        if site is None:
            added.append(_new_site(session, fields, counties))
            result.created.append(fields["code"])
            if len(added) == IMPORT_BATCH:
                _record_created(session, added, actor)
        elif fields:
            if added:  # the audit keeps the file's order
                _record_created(session, added, actor)
            result.updated[site.code] = sorted(fields)
            _apply(session, site, fields, counties, actor, "imported")
        else:
            result.unchanged += 1
    _record_created(session, added, actor)
    return result


def _record_created(session: Session, added: list[Site], actor: str) -> None:
    """Flush the new sites at once, then record each as created (with what the flush gave
    it), in the file's order; `added` is emptied."""
    session.flush()
    for site in added:
        record(session, actor=actor, entity="site", entity_id=site.code, action="create",
               before=None, after=site_fields(site))  # fmt: skip
    added.clear()


class ImportRejected(RuleViolation):
    """A file with any bad row: nothing of it was imported."""


def import_sites(session: Session, parsed: ParsedSites, *, actor: str, today: date) -> ImportResult:
    """Upsert a file's rows by site code, all or nothing: any problem in any row imports none."""
    plan, more = plan_import(session, parsed.rows, today=today)
    if problems := sorted(parsed.problems + more):
        raise ImportRejected(
            f"Nothing was imported: {len(problems)} problem(s) in {parsed.name}.",
            problems=[f"line {line}: {problem}" for line, problem in problems],
        )
    return apply_import(session, plan, actor=actor)


def _insert(
    session: Session, fields: dict[str, Any], counties: dict[str, County], actor: str
) -> Site:
    site = _new_site(session, fields, counties)
    _record_created(session, [site], actor)
    return site


def _new_site(session: Session, fields: dict[str, Any], counties: dict[str, County]) -> Site:
    values = {k: v for k, v in fields.items() if k != "county"}
    site = Site(**values, county=counties[fields["county"]])
    site.history.append(
        OwnershipChange(ownership=site.ownership, effective_date=site.ownership_since)
    )
    session.add(site)
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
    record_changes(session, actor=actor, entity="site", entity_id=site.code, before=before,
                   after=site_fields(site))  # fmt: skip


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


def recorded_holdings(session: Session, as_of: date) -> Holdings:
    """Every site open on `as_of` and how it was held that day, from the ownership history."""
    return recorded_series(session, [as_of])[0]


def recorded_series(session: Session, days: Sequence[date]) -> list[Holdings]:
    """The recorded holdings on each of `days`, from one read of the history as plain rows: a
    site's latest change by each day, while it is open (a trajectory's year-ends cost one read
    and one pass, not one grouped query each)."""
    changes = session.connection().execute(
        select(OwnershipChange.effective_date, OwnershipChange.id, Site.code, County.name,
               County.name_zh, Site.closed_on, OwnershipChange.ownership)
        .join(Site, Site.id == OwnershipChange.site_id)
        .join(County, County.id == Site.county_id)
    ).all()  # fmt: skip
    changes.sort(key=itemgetter(0, 1))  # by day, then as recorded: cheaper than ORDER BY
    closing = {code: closed_on for _, _, code, _, _, closed_on, _ in changes if closed_on}
    held: dict[str, Holding] = {}
    on: dict[date, Holdings] = {}
    applied = 0
    for day in sorted(set(days)):
        for effective, _id, code, county, county_zh, _closed, ownership in changes[applied:]:
            if effective > day:
                break
            held[code] = Holding(county, county_zh, ownership)
            applied += 1
        gone = {code for code, closed_on in closing.items() if closed_on <= day}
        on[day] = Holdings(day, False, {k: v for k, v in held.items() if k not in gone})
    return [on[day] for day in days]


def county_order(session: Session) -> list[str]:
    return list(session.scalars(select(County.name).order_by(County.id)))


def ownership_summary(session: Session, as_of: date) -> Summary:
    """Shares on `as_of`, as recorded in each site's ownership history."""
    return summarize_holdings(recorded_holdings(session, as_of), county_order(session))


def add_county(session: Session, name: str, name_zh: str, region: str) -> County:
    """A county or city of the register; one already known is kept as it is."""
    county = session.scalar(select(County).where(County.name == name))
    if county is None:
        county = County(name=name, name_zh=name_zh, region=region)
        session.add(county)
        session.add(Pipeline(county=county))
        session.flush()
    return county


def record_earlier_holding(
    session: Session, code: str, ownership: str, effective_date: date, note: str, *, actor: str
) -> OwnershipChange:
    """How a site was held before its current ownership began (its history's earlier rows)."""
    site = get_site(session, code, for_update=True)
    if effective_date >= site.ownership_since:
        raise RuleViolation(
            f"an earlier holding of {code} must precede its current ownership "
            f"({site.ownership_since}), not begin on {effective_date}"
        )
    if any(h.effective_date == effective_date for h in site.history):
        raise Conflict(f"site {code} already has a holding from {effective_date}")
    change = OwnershipChange(ownership=ownership, effective_date=effective_date, note=note)
    site.history.append(change)
    session.flush()
    after = {"ownership": ownership, "effective_date": effective_date}
    record(session, actor=actor, entity="site", entity_id=code, action="history", before=None,
           after=after)  # fmt: skip
    return change


def counties(session: Session) -> list[County]:
    return list(session.scalars(select(County).order_by(County.id)))


def ensure_pipelines(session: Session) -> None:
    """A pipeline for every county that has none (counties registered before pipelines were)."""
    have = set(session.scalars(select(Pipeline.county_id)))
    for county in session.scalars(select(County).order_by(County.id)):
        if county.id not in have:
            session.add(Pipeline(county=county))
    session.flush()


def pipelines(session: Session) -> Sequence[Pipeline]:
    """Every county's pipeline, in the register's order, with its tracks and their history."""
    query = (
        select(Pipeline)
        .order_by(Pipeline.county_id)
        .options(selectinload(Pipeline.tracks).selectinload(PipelineTrack.changes))
    )
    return session.scalars(query).all()


def plain_change(change: PipelineChange) -> StageChange:
    return StageChange(Stage(change.stage), change.reached_on, change.actor, change.note,
                       change.reason, change.project_code, change.provenance)  # fmt: skip


def plain_tracks(found: Sequence[Pipeline]) -> list[Track]:
    return [
        Track(p.county.name, t.site.code if t.site else None, tuple(map(plain_change, t.changes)))
        for p in found for t in p.tracks
    ]  # fmt: skip


def state_land_counties(session: Session) -> frozenset[str]:
    """Counties where state land has been obtained for a site."""
    query = select(County.name).join(Site, Site.county_id == County.id)
    return frozenset(session.scalars(query.where(Site.state_land_obtained.is_(True))))


def get_pipeline(session: Session, county: str, *, for_update: bool = False) -> Pipeline:
    """A county's pipeline by its English or Chinese name."""
    where = (County.name == county) | (County.name_zh == county)
    county_id = session.scalar(select(County.id).where(where))
    if county_id is None:
        raise NotFound(f"'{county}' is not a county or city of Taiwan (English or Chinese name).")
    return find_one(session, Pipeline, Pipeline.county_id == county_id, for_update=for_update,
                    missing=f"No pipeline is recorded for {county}.")  # fmt: skip


def track_of(session: Session, pipeline: Pipeline, site_code: str | None) -> PipelineTrack:
    """The county's own track, or the site's (a new one, not yet added, if it has none)."""
    site = None
    if site_code is not None:
        site = session.scalar(select(Site).where(Site.code == site_code))
        if site is None or site.county_id != pipeline.county_id:
            raise RuleViolation(f"{pipeline.county.name} has no site with the code '{site_code}'")
    for track in pipeline.tracks:
        if track.site_id == (site.id if site else None):
            return track
    return PipelineTrack(site=site)


def not_owned_on(
    session: Session, pipeline: Pipeline, track: PipelineTrack, today: date
) -> list[str]:
    """The sites on a track that the register does not record as owned (open ones only)."""
    if track.site is not None:
        sites = [track.site]
    else:
        own = {t.site_id for t in pipeline.tracks if t.site_id is not None}
        query = select(Site).where(Site.county_id == pipeline.county_id).order_by(Site.code)
        sites = [s for s in session.scalars(query) if s.id not in own]
    return [s.code for s in sites if s.ownership != Ownership.owned
            and (s.closed_on is None or s.closed_on > today)]  # fmt: skip


def move_stage(
    session: Session, county: str, fields: dict[str, Any], if_match: str | None, *, actor: str,
    today: date,
) -> Pipeline:  # fmt: skip
    """Move one track of a county's pipeline (the county's own, or `site`'s) to a stage: forward,
    or back with a reason; never to a date after the product's or before the track's last."""
    pipeline = get_pipeline(session, county, for_update=True)
    check_if_match(pipeline, if_match, "county's pipeline", "/api/v1/ownership/pipeline")
    track = track_of(session, pipeline, fields.get("site"))
    current = plain_change(track.changes[-1]) if track.changes else None
    change = StageChange(
        Stage(fields["stage"]), fields.get("reached_on") or today, actor, fields.get("note", ""),
        fields.get("reason", ""),
        fields.get("project_code", track.project_code),
        fields.get("provenance", Provenance.illustrative.value),
    )  # fmt: skip
    problems = move_problems(current, change.stage, change.reached_on, change.reason, today,
                             not_owned_on(session, pipeline, track, today))  # fmt: skip
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    _record_move(session, pipeline, track, change)
    return pipeline


def advance_linked(
    session: Session, project_code: str, stage: Stage, on: date, *, actor: str, note: str
) -> list[str]:
    """Move every track the project carries forward to `stage` (never back, never out of a
    closed stage); returns the counties moved."""
    query = select(PipelineTrack).where(PipelineTrack.project_code == project_code)
    moved = []
    for track in session.scalars(query.order_by(PipelineTrack.id)).all():
        if Stage(track.stage) in CLOSED or Stage(track.stage).rank >= stage.rank:
            continue
        pipeline = find_one(session, Pipeline, Pipeline.id == track.pipeline_id, for_update=True,
                            missing=f"No pipeline has the id {track.pipeline_id}.")  # fmt: skip
        _record_move(session, pipeline, track, StageChange(
            stage, max(on, track.reached_on), actor, note, "", project_code))  # fmt: skip
        moved.append(pipeline.county.name)
    return moved


def track_fields(track: PipelineTrack) -> dict[str, Any]:
    return {"site": track.site.code if track.site else None, "stage": track.stage,
            "reached_on": track.reached_on, "project_code": track.project_code}  # fmt: skip


def _record_move(
    session: Session, pipeline: Pipeline, track: PipelineTrack, change: StageChange
) -> None:
    before = track_fields(track) if track.id else None
    track.stage, track.reached_on = change.stage.value, change.reached_on
    track.project_code = change.project_code
    track.changes.append(PipelineChange(
        stage=change.stage.value, reached_on=change.reached_on, actor=change.actor,
        note=change.note, reason=change.reason, project_code=change.project_code,
        provenance=change.provenance,
    ))  # fmt: skip
    if track.id is None:
        pipeline.tracks.append(track)
    pipeline.updated_at = utcnow()  # the county's version moves with any of its tracks
    session.flush()
    after = track_fields(track) | {"note": change.note, "reason": change.reason}
    record(session, actor=change.actor, entity="pipeline", entity_id=pipeline.county.name,
           action="stage", before=before, after=after)  # fmt: skip


def pipeline_view(session: Session, pipeline: Pipeline, today: date) -> CountyRoad:
    """A county's pipeline as the register holds it on the product's date (no projection: the
    projects' forecasts are the construction register's, composed in `maps`)."""
    held = recorded_holdings(session, today)
    county = [(pipeline.county.name, pipeline.county.name_zh)]
    data = RoadInputs(today, today, county, plain_tracks([pipeline]), held, held, (), {}, {},
                      state_land_counties(session))  # fmt: skip
    return county_roads(data)[0]


# The register workbook's sheets: each sheet's rows as the register holds them, and the rows of
# a sheet loaded through the checks above, each problem by its line.


def county_choices(session: Session) -> dict[str, list[str]]:
    """The county column's drop-down list: every county by its English and Chinese names."""
    return {"county": list(counties_by_name(session))}


def site_rows(session: Session) -> list[dict[str, Any]]:
    sites = list_sites(session, limit=sys.maxsize).items
    return [site_fields(site) for site in sites]


def load_sites_sheet(session: Session, rows: list[dict[str, Any]], importing: Importing) -> Outcome:
    """Upsert sites by code, as `import_sites` does; the rows without a problem are applied so
    that the sheets after this one are checked against them."""
    plan, problems = plan_import(session, rows, today=importing.today)
    refused = {line for line, _ in problems}
    good = [step for step, row in zip(plan, rows, strict=True) if row[LINE] not in refused]
    result = apply_import(session, good, actor=importing.actor)
    return Outcome(
        created=len(result.created),
        updated=[changed_names(code, fields) for code, fields in result.updated.items()],
        unchanged=result.unchanged, problems=problems,
    )  # fmt: skip


HISTORY_FIELDS = ("site_code", "effective_date", "ownership", "note")


def history_rows(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Site.code, OwnershipChange.effective_date, OwnershipChange.ownership,
               OwnershipChange.note)
        .join(Site, Site.id == OwnershipChange.site_id)
        .order_by(Site.code, OwnershipChange.effective_date)
    )  # fmt: skip
    return [dict(zip(HISTORY_FIELDS, row, strict=True)) for row in rows]


def load_history_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """A site's earlier holdings, added before its current ownership; a holding already
    recorded keeps its ownership (a change of ownership is made on the sites sheet) and may
    change its note."""
    sites = {s.code: s for s in session.scalars(select(Site).options(selectinload(Site.history)))}

    def apply(row: dict[str, Any]) -> str | None:
        code, day = row["site_code"], row["effective_date"]
        site = sites.get(code)
        if site is None:
            raise NotFound(f"No site has the code '{code}'.")
        held = next((h for h in site.history if h.effective_date == day), None)
        if held is None:
            record_earlier_holding(session, code, row["ownership"], day, row.get("note", ""),
                                   actor=importing.actor)  # fmt: skip
            return CREATED
        return change_holding(session, code, held, row, actor=importing.actor)

    return each_row(session, rows, apply, Outcome())


def change_holding(
    session: Session, code: str, held: OwnershipChange, row: dict[str, Any], *, actor: str
) -> str:
    """A recorded holding's note; its ownership changes only through the site's."""
    if row["ownership"] != held.ownership:
        raise RuleViolation(
            f"site {code} is recorded as {held.ownership} from {held.effective_date}, not "
            f"{row['ownership']}: a change of ownership is made on the sites sheet (ownership "
            "and ownership_since)"
        )
    note = row.get("note", held.note)
    if note == held.note:
        return UNCHANGED
    before = {"note": held.note, "effective_date": held.effective_date}
    held.note = note
    session.flush()
    record_changes(session, actor=actor, entity="site", entity_id=code, before=before,
                   after={"note": note, "effective_date": held.effective_date})  # fmt: skip
    return changed_names(f"{code} from {held.effective_date}", ["note"])


PIPELINE_FIELDS = ("county", "site_code", "stage", "reached_on", "project_code", "note",
                   "reason", "provenance")  # fmt: skip


def pipeline_rows(session: Session) -> list[dict[str, Any]]:
    """Every move of every track, county by county, each track's in the order it was made."""
    rows = []
    for pipeline in pipelines(session):
        for track in sorted(pipeline.tracks, key=lambda t: t.id):
            for change in track.changes:
                rows.append(dict(zip(PIPELINE_FIELDS, (
                    pipeline.county.name, track.site.code if track.site else None,
                    change.stage, change.reached_on, change.project_code, change.note,
                    change.reason, change.provenance), strict=True)))  # fmt: skip
    return rows


def load_pipeline_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Moves a track has not made yet are made, in order, through `move_stage` (the same rules
    as PUT /api/v1/ownership/pipeline/{county}); a move already on the track is left as it is."""
    ensure_pipelines(session)
    made = {(row["county"], row["site_code"], row["stage"], row["reached_on"])
            for row in pipeline_rows(session)}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        county = get_pipeline(session, row["county"]).county.name
        if (county, row.get("site_code"), row["stage"], row["reached_on"]) in made:
            return UNCHANGED
        fields = {"stage": row["stage"], "reached_on": row["reached_on"],
                  "site": row.get("site_code"), "note": row.get("note", ""),
                  "reason": row.get("reason", ""), "provenance": row["provenance"]}  # fmt: skip
        if row.get("project_code"):
            fields["project_code"] = row["project_code"]
        move_stage(session, county, fields, "*", actor=importing.actor, today=importing.today)
        return CREATED

    return each_row(session, rows, apply, Outcome())
