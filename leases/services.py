"""The lease register and the rent-reduction report. Services flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, case, select
from sqlalchemy.orm import Session, contains_eager, subqueryload

from facilities.audit.services import record, record_changes
from facilities.core.concurrency import check_if_match
from facilities.core.db import find_one
from facilities.core.errors import NotFound, PreconditionFailed, RuleViolation
from facilities.core.paging import Paged, paginate
from facilities.core.sheets import (
    CREATED,
    UNCHANGED,
    Importing,
    Outcome,
    changed_names,
    differing,
    each_row,
)
from facilities.ops.agency import NOT_SET, Identity, current_agency
from facilities.sites.models import County, OwnershipChange, Site
from facilities.sites.services import counties_by_name, get_site
from leases.models import CenterReplacement, Lease, LeaseRent, RentMandate, ServiceCenter
from leases.rules import (
    Assessment,
    Mode,
    Office,
    PartYear,
    Rule,
    Totals,
    annual_rent,
    assess,
    leased_periods,
    report_year,
    totals,
)  # fmt: skip

LEASE_FIELDS = (
    "landlord", "start_date", "end_date", "notice_days", "renewal_option",
    "leased_floor_area_m2", "contracted_annual_rent_ntd", "ended_on", "provenance",
)  # fmt: skip


def lease_fields(lease: Lease) -> dict[str, Any]:
    return {"site_code": lease.site.code} | {f: getattr(lease, f) for f in LEASE_FIELDS}


def list_leases(
    session: Session,
    *,
    today: date,
    site_code: str | None = None,
    expiring_within_days: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Paged[Lease]:
    """The register by site; or, with `expiring_within_days`, the leases whose end or notice
    date falls that soon, the soonest first."""
    query = select(Lease).join(Lease.site).options(contains_eager(Lease.site))
    if site_code:
        query = query.where(Site.code == site_code)
    if expiring_within_days is None:
        return paginate(session, query.order_by(Site.code, Lease.start_date), limit=limit,
                        offset=offset)  # fmt: skip
    horizon = today + timedelta(days=expiring_within_days)
    due = case((Lease.notice_date >= today, Lease.notice_date), else_=Lease.end_date)
    query = query.where(
        Lease.ended_on.is_(None),
        Lease.end_date.between(today, horizon) | Lease.notice_date.between(today, horizon),
    ).order_by(due, Site.code, Lease.start_date)
    return paginate(session, query, limit=limit, offset=offset)


def get_lease(session: Session, lease_id: int, *, for_update: bool = False) -> Lease:
    return find_one(session, Lease, Lease.id == lease_id, for_update=for_update,
                    missing=f"No lease has the id {lease_id}.")  # fmt: skip


def lease_problems(lease: dict[str, Any], site: Site, others: Sequence[Lease]) -> list[str]:
    problems = []
    if lease["end_date"] <= lease["start_date"]:
        problems.append(
            f"end_date {lease['end_date']} must be after start_date {lease['start_date']}"
        )
    if lease.get("ended_on") and lease["ended_on"] < lease["start_date"]:
        problems.append(f"ended_on {lease['ended_on']} is before start_date {lease['start_date']}")
    for other in others:
        if other.start_date < lease["end_date"] and lease["start_date"] < other.end_date:
            problems.append(
                f"site {site.code} already has a lease from {other.start_date} to "
                f"{other.end_date} (id {other.id}): leases of one site may not overlap"
            )
    return problems


def create_lease(session: Session, fields: dict[str, Any], *, actor: str) -> Lease:
    site = get_site(session, fields["site_code"], for_update=True)
    if site.ownership != "leased":
        raise RuleViolation(
            f"site {site.code} is {site.ownership}, not leased: record the change of ownership "
            "first (PATCH /api/v1/sites/{code}), then its lease"
        )
    others = session.scalars(select(Lease).where(Lease.site_id == site.id)).all()
    values = {k: v for k, v in fields.items() if k != "site_code"}
    if problems := lease_problems(values, site, others):
        raise RuleViolation("; ".join(problems), errors=problems)
    lease = Lease(site=site, **values)
    session.add(lease)
    session.flush()
    record(session, actor=actor, entity="lease", entity_id=str(lease.id), action="create",
           before=None, after=lease_fields(lease))  # fmt: skip
    return lease


def update_lease(
    session: Session, lease_id: int, changes: dict[str, Any], if_match: str | None, *, actor: str
) -> Lease:
    lease = get_lease(session, lease_id, for_update=True)
    check_if_match(lease, if_match, "lease", f"/api/v1/leases/{lease_id}")
    return change_lease(session, lease, changes, actor=actor)


def change_lease(session: Session, lease: Lease, changes: dict[str, Any], *, actor: str) -> Lease:
    """Apply changes to a lease the caller holds (locked, its version checked), by the rules
    every lease keeps."""
    before = lease_fields(lease)
    others = session.scalars(
        select(Lease).where(Lease.site_id == lease.site_id, Lease.id != lease.id)
    ).all()
    if problems := lease_problems(before | changes, lease.site, others):
        raise RuleViolation("; ".join(problems), errors=problems)
    for name, value in changes.items():
        setattr(lease, name, value)
    session.flush()
    record_changes(session, actor=actor, entity="lease", entity_id=str(lease.id),
                   before=before, after=lease_fields(lease))  # fmt: skip
    return lease


def put_rent(
    session: Session, lease_id: int, fiscal_year: int, rent_ntd: int, *, actor: str,
    if_match: str | None = None, provenance: str | None = None,
) -> tuple[LeaseRent, bool]:  # fmt: skip
    """Record the rent paid on a lease in a fiscal year; returns it and whether it is new. A
    year already recorded changes only with If-Match (its ETag, from the lease's rents).
    `provenance`: where the figure comes from, if it is said (a new one: illustrative)."""
    lease = get_lease(session, lease_id, for_update=True)
    if not lease.start_date.year <= fiscal_year <= lease.end_date.year:
        raise RuleViolation(
            f"fiscal year {fiscal_year} is outside the lease's term "
            f"({lease.start_date} to {lease.end_date})"
        )
    row = session.scalar(
        select(LeaseRent).where(
            LeaseRent.lease_id == lease.id, LeaseRent.fiscal_year == fiscal_year
        )
    )
    if row is not None:
        check_if_match(row, if_match, f"FY{fiscal_year} rent", f"/api/v1/leases/{lease_id}")
    elif if_match:
        raise PreconditionFailed(f"no rent is recorded for FY{fiscal_year} yet: send no If-Match")
    before = {"rent_ntd": row.rent_ntd} if row else None
    created = row is None
    if row is None:
        row = LeaseRent(lease=lease, fiscal_year=fiscal_year, rent_ntd=rent_ntd,
                        provenance=provenance or "illustrative")  # fmt: skip
        session.add(row)
    row.rent_ntd = rent_ntd
    if provenance:
        row.provenance = provenance
    session.flush()
    if before != {"rent_ntd": rent_ntd}:
        record(
            session, actor=actor, entity="lease_rent", entity_id=f"{lease.id}/{fiscal_year}",
            action="create" if created else "update", before=before, after={"rent_ntd": rent_ntd},
        )  # fmt: skip
    return row, created


def add_mandate(session: Session, fields: dict[str, Any], *, actor: str) -> RentMandate:
    """A rule of the mandate, as data; at most one is the default that reports apply."""
    for name, kind in (("mode", Mode), ("part_year", PartYear)):
        if name in fields and fields[name] not in set(kind):
            raise RuleViolation(f"{name} {fields[name]!r} is not one of {', '.join(kind)}")
    if fields.get("is_default") and session.scalar(
        select(RentMandate.id).where(RentMandate.is_default.is_(True))
    ):
        raise RuleViolation("another mandate rule is already the default")
    mandate = RentMandate(**fields)
    session.add(mandate)
    session.flush()
    record(session, actor=actor, entity="rent_mandate", entity_id=mandate.name, action="create",
           before=None, after={**fields, "rate_pct": str(fields["rate_pct"])})  # fmt: skip
    return mandate


def default_rule(session: Session) -> Rule:
    mandate = session.scalar(select(RentMandate).where(RentMandate.is_default.is_(True)))
    if mandate is None:
        return Rule()
    return Rule(mandate.baseline_fiscal_year, Decimal(mandate.rate_pct), Mode(mandate.mode),
                PartYear(mandate.part_year))  # fmt: skip


def rule_for(
    session: Session,
    mode: Mode | None = None,
    rate_pct: Decimal | None = None,
    baseline_fiscal_year: int | None = None,
    part_year: PartYear | None = None,
) -> Rule:
    """The default rule of the database, with whatever the caller overrides."""
    default = default_rule(session)
    return Rule(
        baseline_fiscal_year or default.baseline_fiscal_year,
        rate_pct if rate_pct is not None else default.rate_pct,
        mode or default.mode,
        part_year or default.part_year,
    )


def offices(session: Session, years: Collection[int] | None = None) -> list[Office]:
    """Every site that has had a lease, by code, with its rents summed by fiscal year (`years`
    only, if given) and its spans in rented space: 3 queries of plain rows, no ORM objects, so
    that the 1000x register reads fast (sorted and summed here, which costs less than SQL's
    ORDER BY and GROUP BY)."""
    connection = session.connection()  # Core rows: no ORM result processing
    sites, dates, site_of = leased_sites(connection)
    rents = rents_by_site(connection, site_of, years)
    moved = moved_out_dates(connection)
    result = []
    for site_id, site in sites.items():
        _, contracted, code, name, name_zh, closed_on, county, county_zh = site
        moved_on = moved.get(site_id)
        left_on = min(moved_on, closed_on) if moved_on and closed_on else moved_on or closed_on
        result.append(Office(
            code, name, name_zh, county, county_zh, rents.get(site_id, {}), contracted,
            left_on.year if left_on else None, leased_periods(dates[site_id], left_on),
        ))  # fmt: skip
    result.sort(key=attrgetter("site_code"))
    return result


def leased_sites(
    connection: Connection,
) -> tuple[dict[int, tuple], dict[int, list], dict[int, int]]:
    """By site id, the site's names with its latest lease's start and contracted rent, and its
    leases' (start, end date, ended_on); and the site of each lease, by lease id."""
    rows = connection.execute(
        select(
            Lease.id, Lease.site_id, Lease.start_date, Lease.end_date, Lease.ended_on,
            Lease.contracted_annual_rent_ntd, Site.code, Site.name, Site.name_zh, Site.closed_on,
            County.name.label("county"), County.name_zh.label("county_zh"),
        )
        .join(Site, Site.id == Lease.site_id)
        .join(County, County.id == Site.county_id)
    ).all()  # fmt: skip
    sites: dict[int, tuple] = {}
    dates: dict[int, list[tuple[date, date, date | None]]] = defaultdict(list)
    site_of: dict[int, int] = {}
    # rows unpacked by name: a Row's attribute access, or a starred unpacking, costs more than
    # the rest of the loop
    for (lease_id, site_id, start, end, ended_on, contracted, code, name, name_zh, closed_on,
         county, county_zh) in rows:  # fmt: skip
        site_of[lease_id] = site_id
        dates[site_id].append((start, end, ended_on))
        latest = sites.get(site_id)
        if latest is None or start > latest[0]:
            sites[site_id] = (start, contracted, code, name, name_zh, closed_on, county, county_zh)
    return sites, dates, site_of


def rents_by_site(
    connection: Connection, site_of: dict[int, int], years: Collection[int] | None = None
) -> dict[int, dict[int, int]]:
    """The rent recorded by site and fiscal year (of `years`, if given), summed over the site's
    leases."""
    query = select(LeaseRent.lease_id, LeaseRent.fiscal_year, LeaseRent.rent_ntd)
    if years is not None:
        query = query.where(LeaseRent.fiscal_year.in_(sorted(years)))
    rents: dict[int, dict[int, int]] = defaultdict(dict)
    for lease_id, year, rent in connection.execute(query).all():
        held = rents[site_of[lease_id]]
        held[year] = held.get(year, 0) + rent
    return rents


def rent_and_end_by_site(session: Session, fiscal_year: int) -> dict[str, tuple[int, date]]:
    """Site code -> (the rent recorded for `fiscal_year` summed over the site's leases, else its
    latest lease's contracted rent; the end of its latest lease), for every site that has had a
    lease: the map's and the road's figures, in two queries of plain rows."""
    connection = session.connection()
    latest: dict[int, tuple[str, date, date, int | None]] = {}
    site_of: dict[int, int] = {}
    for lease_id, site_id, code, start, end, contracted in connection.execute(
        select(Lease.id, Lease.site_id, Site.code, Lease.start_date, Lease.end_date,
               Lease.contracted_annual_rent_ntd).join(Site, Site.id == Lease.site_id)
    ):  # fmt: skip
        site_of[lease_id] = site_id
        held = latest.get(site_id)
        if held is None or start > held[1]:
            latest[site_id] = (code, start, end, contracted)
    rents: dict[int, int] = {}
    for lease_id, rent in connection.execute(
        select(LeaseRent.lease_id, LeaseRent.rent_ntd).where(LeaseRent.fiscal_year == fiscal_year)
    ):
        site_id = site_of[lease_id]
        rents[site_id] = rents.get(site_id, 0) + rent
    return {
        code: (rents.get(site_id, contracted or 0), end)
        for site_id, (code, _start, end, contracted) in latest.items()
    }


def moved_out_dates(connection: Connection) -> dict[int, date]:
    """For each once-leased site that is no longer leased, the day it left rented space: its
    first change away from leased after its last change to leased."""
    left: dict[int, date] = {}
    for site_id, ownership, effective in connection.execute(
        select(OwnershipChange.site_id, OwnershipChange.ownership, OwnershipChange.effective_date)
        .join(Site, Site.id == OwnershipChange.site_id)
        .where(Site.ownership != "leased", Site.id.in_(select(Lease.site_id)))
        .order_by(OwnershipChange.effective_date)
    ):  # fmt: skip
        if ownership == "leased":
            left.pop(site_id, None)
        else:
            left.setdefault(site_id, effective)
    return left


@dataclass(frozen=True)
class RentReport:
    fiscal_year: int
    rule: Rule
    generated_on: date
    rows: list[Assessment]
    totals: Totals
    year_note: str = ""
    """Why the report is for this year, when it was not asked for and is not the current one."""
    agency: Identity = NOT_SET
    """Whose report it is: its title and page header name the agency."""

    @property
    def closed(self) -> bool:
        """The fiscal year is over on the report's date: its rent is rent paid (else the
        year's contracted rent)."""
        return closed_year(self.fiscal_year, self.generated_on)


def closed_year(fiscal_year: int, on: date) -> bool:
    """A fiscal year (the calendar year) is closed once it has ended."""
    return fiscal_year < on.year


def rent_years(session: Session) -> set[int]:
    """The fiscal years with rent recorded."""
    return set(session.scalars(select(LeaseRent.fiscal_year).distinct()))


def years_of(everyone: Sequence[Office]) -> set[int]:
    return {year for office in everyone for year in office.rents}


def require_rent_year(recorded: Collection[int], fiscal_year: int) -> None:
    """NotFound, naming the years there are, unless rent is recorded for the year."""
    if fiscal_year in recorded:
        return
    years = sorted(recorded)
    span = f"{years[0]} to {years[-1]}" if years else "no year yet"
    raise NotFound(f"No rent is recorded for fiscal year {fiscal_year} (the register has {span}).")


def fiscal_year_for(recorded: Collection[int], asked: int | None, today: date) -> tuple[int, str]:
    """The year asked for, else the latest with rent recorded (and why; see `report_year`)."""
    try:
        return report_year(recorded, asked, today)
    except LookupError as exc:
        raise NotFound(str(exc)) from None


def rent_reduction_report(
    session: Session,
    fiscal_year: int | None,
    rule: Rule,
    generated_on: date,
    everyone: list[Office] | None = None,
) -> RentReport:
    """The report on every office, for the year asked for or by default the latest with rent
    recorded; `everyone` saves reading the offices again when the caller already holds them
    (the dashboard); else only the years the report reads are read."""
    recorded = rent_years(session) if everyone is None else years_of(everyone)
    fiscal_year, note = fiscal_year_for(recorded, fiscal_year, generated_on)
    if fiscal_year <= rule.baseline_fiscal_year:
        raise RuleViolation(
            f"fiscal year {fiscal_year} is not after the baseline year "
            f"{rule.baseline_fiscal_year}: the mandate asks for a cut from "
            f"FY{rule.baseline_fiscal_year + 1} on"
        )
    require_rent_year(recorded, fiscal_year)
    if everyone is None:
        everyone = offices(session, {fiscal_year, rule.reference_year(fiscal_year)})
    closed = closed_year(fiscal_year, generated_on)
    rows = [assess(office, rule, fiscal_year, closed) for office in everyone]
    rows = [r for r in rows if r.actual_rent_ntd or r.baseline_rent_ntd is not None]
    rows.sort(key=lambda r: r.site_code)
    return RentReport(fiscal_year, rule, generated_on, rows, totals(rows), note,
                      current_agency(session))  # fmt: skip


@dataclass(frozen=True)
class ReplacedOffice:
    site_code: str
    name: str
    name_zh: str
    ownership: str
    annual_rent_ntd: int
    basis: str
    """As in the rent report: "paid", "contracted" or "none" (not in rented space that year)."""


@dataclass(frozen=True)
class CenterSavings:
    center: ServiceCenter
    offices: list[ReplacedOffice]

    @property
    def annual_rent_avoided_ntd(self) -> int:
        return sum(o.annual_rent_ntd for o in self.offices)


def create_center(
    session: Session, fields: dict[str, Any], site_codes: Sequence[str], *, actor: str
) -> ServiceCenter:
    """A new service center and the leased offices it will replace (each must be leased)."""
    county = counties_by_name(session).get(fields["county"])
    if county is None:
        raise RuleViolation(f"unknown county {fields['county']!r}")
    center = ServiceCenter(**{k: v for k, v in fields.items() if k != "county"}, county=county)
    for code in site_codes:
        site = get_site(session, code)
        if site.ownership != "leased":
            raise RuleViolation(
                f"site {code} is {site.ownership}: a center replaces leased offices"
            )
        center.replaces.append(CenterReplacement(site=site, provenance=center.provenance))
    session.add(center)
    session.flush()
    record(session, actor=actor, entity="lease_service_center", entity_id=center.key,
           action="create", before=None, after=fields | {"replaces": list(site_codes)})  # fmt: skip
    return center


def relocation_savings(
    session: Session, fiscal_year: int, as_of: date, everyone: list[Office] | None = None
) -> list[CenterSavings]:
    """For each new service center, the annual rent of the leased offices it will replace: the
    rent recorded for the fiscal year (paid, or contracted for a year not closed on `as_of`),
    else the lease's contracted rent (0 once an office has left rented space). `everyone`: the
    offices, if the caller holds them already."""
    everyone = offices(session) if everyone is None else everyone
    require_rent_year(years_of(everyone), fiscal_year)
    by_code = {office.site_code: office for office in everyone}
    closed = closed_year(fiscal_year, as_of)
    centers = session.scalars(
        select(ServiceCenter).options(subqueryload(ServiceCenter.replaces))
        .order_by(ServiceCenter.id)
    ).all()  # fmt: skip
    result = []
    for center in centers:
        replaced = []
        for link in sorted(center.replaces, key=lambda r: r.site.code):
            site, office = link.site, by_code.get(link.site.code)
            rent, basis = annual_rent(office, fiscal_year, closed) if office else (0, "none")
            replaced.append(ReplacedOffice(site.code, site.name, site.name_zh, site.ownership,
                                           rent, basis))  # fmt: skip
        result.append(CenterSavings(center, replaced))
    return result


# The register workbook's sheets: each sheet's rows as the register holds them, and the rows of
# a sheet loaded through the services above (the API's rules), each problem by its line.


def lease_rows(session: Session) -> list[dict[str, Any]]:
    leases = session.scalars(
        select(Lease).join(Lease.site).options(contains_eager(Lease.site))
        .order_by(Lease.id)  # as entered: an import elsewhere gives the same ids
    )  # fmt: skip
    return [lease_fields(lease) for lease in leases]


def load_leases_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert leases by site and first day."""
    known = {
        (lease.site.code, lease.start_date): lease
        for lease in session.scalars(
            select(Lease).join(Lease.site).options(contains_eager(Lease.site))
        )
    }

    def apply(row: dict[str, Any]) -> str | None:
        key = (row["site_code"], row["start_date"])
        fields = {k: v for k, v in row.items() if k == "site_code" or k in LEASE_FIELDS}
        lease = known.get(key)
        if lease is None:
            known[key] = create_lease(session, fields, actor=importing.actor)
            return CREATED
        changed = differing(lease_fields(lease), fields)
        if changed:
            change_lease(session, lease, changed, actor=importing.actor)
        return changed_names(f"{key[0]} from {key[1]}", changed)

    return each_row(session, rows, apply, Outcome())


def rent_rows(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Site.code, Lease.start_date, LeaseRent.fiscal_year, LeaseRent.rent_ntd,
               LeaseRent.provenance)
        .join(Lease, Lease.id == LeaseRent.lease_id).join(Site, Site.id == Lease.site_id)
        .order_by(Site.code, Lease.start_date, LeaseRent.fiscal_year)
    )  # fmt: skip
    names = ("site_code", "lease_start", "fiscal_year", "rent_ntd", "provenance")
    return [dict(zip(names, row, strict=True)) for row in rows]


def load_rents_sheet(session: Session, rows: list[dict[str, Any]], importing: Importing) -> Outcome:
    """Upsert yearly rents by site, lease and fiscal year."""
    leases = {
        (code, start): lease_id
        for lease_id, code, start in session.execute(
            select(Lease.id, Site.code, Lease.start_date).join(Site, Site.id == Lease.site_id)
        )
    }
    recorded = {(lease_id, year): (rent, provenance) for lease_id, year, rent, provenance in
                session.execute(select(LeaseRent.lease_id, LeaseRent.fiscal_year,
                                       LeaseRent.rent_ntd, LeaseRent.provenance))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        code, start, year = row["site_code"], row["lease_start"], row["fiscal_year"]
        lease_id = leases.get((code, start))
        if lease_id is None:
            raise NotFound(f"site {code} has no lease from {start} (see the leases sheet)")
        now = recorded.get((lease_id, year))
        wanted = (row["rent_ntd"], row.get("provenance") or (now[1] if now else "illustrative"))
        if now == wanted:
            return UNCHANGED
        put_rent(session, lease_id, year, wanted[0], actor=importing.actor,
                 if_match="*" if now else None, provenance=wanted[1])  # fmt: skip
        recorded[(lease_id, year)] = wanted
        if now is None:
            return CREATED
        names = ("rent_ntd", "provenance")
        return changed_names(
            f"{code} FY{year}", [n for n, a, b in zip(names, now, wanted, strict=True) if a != b]
        )

    return each_row(session, rows, apply, Outcome())


MANDATE_FIELDS = ("baseline_fiscal_year", "rate_pct", "mode", "part_year", "is_default", "source")


def mandate_fields(mandate: RentMandate) -> dict[str, Any]:
    return {"name": mandate.name} | {f: getattr(mandate, f) for f in MANDATE_FIELDS}


def mandate_rows(session: Session) -> list[dict[str, Any]]:
    rules = session.scalars(select(RentMandate).order_by(RentMandate.id))
    return [mandate_fields(m) for m in rules]


def update_mandate(
    session: Session, mandate: RentMandate, changes: dict[str, Any], *, actor: str
) -> RentMandate:
    """Change a rule of the mandate: its words from the closed lists, one default at most."""
    for name, kind in (("mode", Mode), ("part_year", PartYear)):
        if name in changes and changes[name] not in set(kind):
            raise RuleViolation(f"{name} {changes[name]!r} is not one of {', '.join(kind)}")
    others = select(RentMandate.id).where(
        RentMandate.is_default.is_(True), RentMandate.id != mandate.id
    )
    if changes.get("is_default") and session.scalar(others):
        raise RuleViolation("another mandate rule is already the default")
    before = mandate_fields(mandate)
    for name, value in changes.items():
        setattr(mandate, name, value)
    session.flush()
    after = mandate_fields(mandate)
    record_changes(session, actor=actor, entity="rent_mandate", entity_id=mandate.name,
                   before=before | {"rate_pct": str(before["rate_pct"])},
                   after=after | {"rate_pct": str(after["rate_pct"])})  # fmt: skip
    return mandate


def make_default_rule(session: Session, name: str, *, actor: str) -> None:
    """The rule named becomes the one reports apply (the one before it no longer is)."""
    mandate = find_one(session, RentMandate, RentMandate.name == name, for_update=True,
                       missing=f"No mandate rule is named {name!r}.")  # fmt: skip
    for other in session.scalars(select(RentMandate).where(RentMandate.is_default.is_(True))):
        if other.id != mandate.id:
            update_mandate(session, other, {"is_default": False}, actor=actor)
    update_mandate(session, mandate, {"is_default": True}, actor=actor)


def load_mandate_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert the mandate's rules by name; the rules no longer default first, so that the
    default may move from one rule to another."""
    known = {m.name: m for m in session.scalars(select(RentMandate))}

    def apply(row: dict[str, Any]) -> str | None:
        fields = {k: v for k, v in row.items() if k == "name" or k in MANDATE_FIELDS}
        mandate = known.get(row["name"])
        if mandate is None:
            known[row["name"]] = add_mandate(session, fields, actor=importing.actor)
            return CREATED
        changed = differing(mandate_fields(mandate), fields)
        if changed:
            update_mandate(session, mandate, changed, actor=importing.actor)
        return changed_names(row["name"], changed)

    ordered = sorted(rows, key=lambda row: bool(row.get("is_default")))
    return each_row(session, ordered, apply, Outcome())


CENTER_FIELDS = ("name", "name_zh", "county", "note", "provenance")


def center_fields(center: ServiceCenter) -> dict[str, Any]:
    fields = {f: getattr(center, f) for f in CENTER_FIELDS if f != "county"}
    replaces = tuple(link.site.code for link in center.replaces)  # in the order they were named
    return {"key": center.key, **fields, "county": center.county.name, "replaces": replaces}


def center_rows(session: Session) -> list[dict[str, Any]]:
    centers = session.scalars(
        select(ServiceCenter).options(subqueryload(ServiceCenter.replaces))
        .order_by(ServiceCenter.id)
    )  # fmt: skip
    return [center_fields(center) for center in centers]


def update_center(
    session: Session, center: ServiceCenter, changes: dict[str, Any], *, actor: str
) -> ServiceCenter:
    """Change a new center's names, county or note, or the leased offices it replaces (each
    added one must be leased)."""
    before = center_fields(center)
    if "county" in changes:
        county = counties_by_name(session).get(changes["county"])
        if county is None:
            raise RuleViolation(f"unknown county {changes['county']!r}")
        center.county = county
    for name in ("name", "name_zh", "note", "provenance"):
        if name in changes:
            setattr(center, name, changes[name])
    if "replaces" in changes:
        _replace_offices(session, center, changes["replaces"])
    session.flush()
    record_changes(session, actor=actor, entity="lease_service_center", entity_id=center.key,
                   before=before, after=center_fields(center))  # fmt: skip
    return center


def _replace_offices(session: Session, center: ServiceCenter, codes: Sequence[str]) -> None:
    for link in [link for link in center.replaces if link.site.code not in codes]:
        center.replaces.remove(link)
    held = {link.site.code for link in center.replaces}
    for code in codes:
        if code in held:
            continue
        site = get_site(session, code)
        if site.ownership != "leased":
            raise RuleViolation(
                f"site {code} is {site.ownership}: a center replaces leased offices"
            )
        center.replaces.append(CenterReplacement(site=site, provenance=center.provenance))


def load_centers_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert the new centers by key, with the offices each replaces."""
    known = {c.key: c for c in session.scalars(
        select(ServiceCenter).options(subqueryload(ServiceCenter.replaces)))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        center = known.get(row["key"])
        if center is None:
            fields = {k: row[k] for k in ("key", *CENTER_FIELDS) if k in row}
            known[row["key"]] = create_center(session, fields, row.get("replaces", ()),
                                              actor=importing.actor)  # fmt: skip
            return CREATED
        current = center_fields(center)
        changed = differing(current, row)
        if sorted(changed.get("replaces", current["replaces"])) == sorted(current["replaces"]):
            changed.pop("replaces", None)  # the same offices, named in another order
        if changed:
            update_center(session, center, changed, actor=importing.actor)
        return changed_names(row["key"], changed)

    return each_row(session, rows, apply, Outcome())
