"""The site register's rules, pure: its controlled words, the checks every site must pass
whether it arrives through the API or in a file, ownership shares on a date, and how ownership
moves as projects complete. Plain data in, plain data out: no database, no web."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any


class Ownership(StrEnum):
    owned = "owned"
    borrowed = "borrowed"
    leased = "leased"

    @property
    def zh(self) -> str:
        return {"owned": "自有", "borrowed": "無償借用", "leased": "有償租用"}[self.value]


class SiteType(StrEnum):
    headquarters = "headquarters"
    service_station = "service_station"
    specialized_operation_team = "specialized_operation_team"
    airport_border_post = "airport_border_post"
    port_border_post = "port_border_post"
    detention_centre = "detention_centre"
    service_center = "service_center"

    @property
    def zh(self) -> str:
        return {
            "headquarters": "署本部",
            "service_station": "服務站",
            "specialized_operation_team": "專勤隊",
            "airport_border_post": "機場國境事務隊",
            "port_border_post": "港口國境事務隊",
            "detention_centre": "收容所",
            "service_center": "移民服務中心",
        }[self.value]


class Provenance(StrEnum):
    budget_fy2014 = "budget_fy2014"
    illustrative = "illustrative"


def one_of(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)


SITE_COLUMNS = (
    "code", "name", "name_zh", "county", "site_type", "ownership", "ownership_since",
    "address_zh", "lat", "lon", "floor_area_m2", "lending_agency", "loan_end_date",
    "state_land_obtained", "closed_on", "provenance",
)  # fmt: skip
"""The register's fields, in the order files are exported and imported."""
REQUIRED_COLUMNS = (
    "code", "name", "name_zh", "county", "site_type", "ownership", "ownership_since",
    "lat", "lon", "floor_area_m2",
)  # fmt: skip
CREATE_DEFAULTS: dict[str, Any] = {
    "address_zh": "", "lending_agency": None, "loan_end_date": None,
    "state_land_obtained": False, "closed_on": None, "provenance": "illustrative",
}  # fmt: skip
LAT_RANGE = (21.0, 27.0)
LON_RANGE = (118.0, 123.0)
"""Taiwan, Penghu, Kinmen and Matsu lie inside these bounds."""
SITE_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,31}$"
MAX_FLOOR_AREA_M2 = 1_000_000
MAX_TEXT = 200
MAX_TEXT_ZH = 100
"""A Chinese name: as long as its column holds."""


def county_problem(name: str, known: Iterable[str]) -> str | None:
    known = list(known)
    if name in known:
        return None
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else " (see seed/counties.csv)"
    return f"county '{name}' is not a county or city of Taiwan{hint}"


def site_problems(site: Mapping[str, Any], today: date) -> list[str]:
    """Cross-field rules over a whole site's fields (after types are checked)."""
    problems = []
    borrowed = site["ownership"] == Ownership.borrowed
    for field in ("lending_agency", "loan_end_date"):
        if borrowed and not site.get(field):
            problems.append(f"{field} is required for a borrowed site")
        if not borrowed and site.get(field):
            problems.append(f"{field} is only kept for borrowed sites, not {site['ownership']}")
    since = site.get("ownership_since")
    if since and since > today:
        problems.append(
            f"ownership_since {since} is after the product's date {today}: "
            "the register records what has happened"
        )
    closed = site.get("closed_on")
    if closed and since and closed < since:
        problems.append(f"closed_on {closed} is before ownership_since {since}")
    return problems


def create_problems(
    fields: Mapping[str, Any], county_names: Iterable[str], existing: bool, today: date
) -> list[str]:
    problems = []
    if existing:
        problems.append(f"site code '{fields['code']}' already exists")
    if problem := county_problem(fields["county"], county_names):
        problems.append(problem)
    return problems + site_problems(fields, today)


def update_problems(
    current: Mapping[str, Any], changes: dict[str, Any], county_names: Iterable[str], today: date
) -> list[str]:
    """What is wrong with applying `changes` to a site's `current` fields (`changes` is
    normalized in place: a change of ownership carries its effective date as
    `ownership_since`, and leaving a loan clears its lender)."""
    problems = []
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
    if "county" in changes and (problem := county_problem(changes["county"], county_names)):
        problems.append(problem)
    return problems + site_problems({**current, **changes}, today)


@dataclass(frozen=True)
class Holding:
    """One site held under one ownership on the summary's date."""

    county: str
    county_zh: str
    ownership: str


@dataclass(frozen=True)
class Share:
    ownership: str
    label_zh: str
    count: int
    share_pct: float
    """Rounded half up to one decimal: 14 of 65 is 21.5."""
    share_pct_printed: int
    """Truncated to a whole percent, as the FY2014 budget document prints it: 14 of 65 is 21."""


@dataclass(frozen=True)
class Breakdown:
    total: int
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class CountyBreakdown:
    county: str
    county_zh: str
    breakdown: Breakdown


@dataclass(frozen=True)
class Summary:
    as_of: date
    national: Breakdown
    counties: tuple[CountyBreakdown, ...]


def pct_tenths(count: int, total: int) -> int:
    """count/total in tenths of a percent, rounded half up, in integers (no float drift)."""
    if total == 0:
        return 0
    return (count * 2000 + total) // (2 * total)


def breakdown(ownerships: Sequence[str]) -> Breakdown:
    total = len(ownerships)
    shares = []
    for kind in Ownership:
        count = sum(1 for o in ownerships if o == kind.value)
        shares.append(
            Share(
                ownership=kind.value,
                label_zh=kind.zh,
                count=count,
                share_pct=pct_tenths(count, total) / 10,
                share_pct_printed=count * 100 // total if total else 0,
            )
        )
    return Breakdown(total=total, shares=tuple(shares))


def summarize(holdings: Iterable[Holding], as_of: date, county_order: Sequence[str]) -> Summary:
    """National and per-county shares; counties in `county_order`, those with no site left out."""
    rows = list(holdings)
    by_county: dict[str, list[Holding]] = {}
    for row in rows:
        by_county.setdefault(row.county, []).append(row)
    counties = tuple(
        CountyBreakdown(
            county=name,
            county_zh=by_county[name][0].county_zh,
            breakdown=breakdown([h.ownership for h in by_county[name]]),
        )
        for name in county_order
        if name in by_county
    )
    return Summary(as_of=as_of, national=breakdown([h.ownership for h in rows]), counties=counties)


@dataclass(frozen=True)
class Completion:
    """A project finishing: the sites it makes owned, and the new owned sites it opens (in the
    project's county)."""

    project: str
    on: date
    becomes_owned: tuple[str, ...] = ()
    new_sites: int = 0
    county: str = ""
    county_zh: str = ""


@dataclass(frozen=True)
class Holdings:
    """Every site (by code) and how it is held on a date: recorded from the ownership history
    up to the product's date, projected after it from the projects' forecast completions."""

    as_of: date
    projected: bool
    sites: dict[str, Holding]
    completed: tuple[str, ...] = ()
    """Projects taken as complete by the date (projected holdings only)."""

    def counts(self) -> dict[str, int]:
        found = Counter(h.ownership for h in self.sites.values())
        return {k.value: found[k.value] for k in Ownership}

    @cached_property
    def by_county(self) -> dict[str, list[tuple[str, Holding]]]:
        """Each county's sites by code (sorted once: every county track reads them)."""
        counties: dict[str, list[tuple[str, Holding]]] = {}
        for code, held in sorted(self.sites.items()):
            counties.setdefault(held.county, []).append((code, held))
        return counties


def project_holdings(now: Holdings, completions: Iterable[Completion], on: date) -> Holdings:
    """The holdings on `on`, from those recorded on `now.as_of`: each project forecast to finish
    by then makes its sites owned and adds its new ones. The one projection of future ownership
    that the summary, the maps, the dashboard and the snapshots all use."""
    return next(projected(now, completions, [on]))


def projected(
    now: Holdings, completions: Iterable[Completion], days: Iterable[date]
) -> Iterator[Holdings]:
    """The holdings on each of `days` (ascending), the completions applied in order once each
    however many days are asked: the outlook's years at a ministry's scale."""
    done = sorted((c for c in completions), key=lambda c: (c.on, c.project))
    sites, applied = dict(now.sites), 0
    for on in days:
        if on <= now.as_of:
            yield now
            continue
        while applied < len(done) and done[applied].on <= on:
            complete(sites, done[applied])
            applied += 1
        yield Holdings(on, True, dict(sites), tuple(c.project for c in done[:applied]))


def complete(sites: dict[str, Holding], c: Completion) -> None:
    for code in c.becomes_owned:
        if code in sites:
            sites[code] = replace(sites[code], ownership=Ownership.owned.value)
    for n in range(c.new_sites):
        sites[f"{c.project}#{n}"] = Holding(c.county, c.county_zh, Ownership.owned.value)


@dataclass(frozen=True)
class YearShares:
    year: int
    owned: int
    borrowed: int
    leased: int
    completed: tuple[str, ...]
    """Projects that complete in this year."""
    projected: bool = True

    @property
    def total(self) -> int:
        return self.owned + self.borrowed + self.leased

    @property
    def owned_pct(self) -> float:
        return pct_tenths(self.owned, self.total) / 10

    @property
    def to_full_ownership(self) -> int:
        return self.total - self.owned


def project_ownership(
    now: Holdings, completions: Iterable[Completion], years: range
) -> list[YearShares]:
    """Ownership at the end of each year, projected from the holdings recorded `now`."""
    result, before = [], set()
    ends = [date(year, 12, 31) for year in years]
    for year, held in zip(years, projected(now, completions, ends), strict=True):
        counts = held.counts()
        result.append(YearShares(year, counts["owned"], counts["borrowed"], counts["leased"],
                                 tuple(p for p in held.completed if p not in before),
                                 held.projected))  # fmt: skip
        before |= set(held.completed)
    return result


def summarize_holdings(holdings: Holdings, county_order: Sequence[str]) -> Summary:
    return summarize(holdings.sites.values(), holdings.as_of, county_order)


# The road to full ownership (完全自有化): each county's sites move along the state-land
# pipeline, on the county's own track or, for a site that goes its own way (a border post in a
# terminal, an office a different project replaces), on a track of the site's own.


class Stage(StrEnum):
    """The pipeline's stages, in order: a move to an earlier one needs a reason."""

    not_needed = "not_needed"
    land_sought = "land_sought"
    land_identified = "land_identified"
    transfer_applied = "transfer_applied"
    transferred = "transferred"
    designed = "designed"
    funded = "funded"
    under_construction = "under_construction"
    owned = "owned"

    @property
    def zh(self) -> str:
        return {
            "not_needed": "無須自建", "land_sought": "覓地中", "land_identified": "已覓得國有土地",
            "transfer_applied": "撥用申請中", "transferred": "已完成撥用", "designed": "設計完成",
            "funded": "工程經費已編列", "under_construction": "興建中", "owned": "已自有",
        }[self.value]  # fmt: skip

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def rank(self) -> int:
        return STAGE_ORDER.index(self)


STAGE_ORDER = tuple(Stage)
ROAD = STAGE_ORDER[1:]
"""The stages a county walks on its way to owning its sites (not_needed lies off the road)."""
LAND_IN_HAND = frozenset({Stage.transferred, Stage.designed, Stage.funded,
                          Stage.under_construction})  # fmt: skip
"""Land held or transferred, not yet owned: the plan's short term (build now)."""
CLOSED = frozenset({Stage.not_needed, Stage.owned})
STUCK_AFTER_DAYS = 730
"""A track that has not moved for two years before construction begins counts as stuck."""


class Horizon(StrEnum):
    """The FY2014 plan's three horizons toward full ownership, and done."""

    short = "short"
    mid = "mid"
    long = "long"
    done = "done"

    @property
    def zh(self) -> str:
        return {"short": "短期", "mid": "中期", "long": "長期", "done": "已完成"}[self.value]


@dataclass(frozen=True)
class StageChange:
    """From `reached_on` on, the track stands at `stage`."""

    stage: Stage
    reached_on: date
    actor: str = ""
    note: str = ""
    reason: str = ""
    project_code: str | None = None
    provenance: str = Provenance.illustrative.value


@dataclass(frozen=True)
class Track:
    """A county's own track (`site` None: its sites with no track of their own), or one site's;
    `history` in the order it happened (by date, then as recorded)."""

    county: str
    site: str | None
    history: tuple[StageChange, ...]

    def on(self, day: date) -> StageChange | None:
        reached = [c for c in self.history if c.reached_on <= day]
        return reached[-1] if reached else None


def move_problems(
    current: StageChange | None, stage: Stage, reached_on: date, reason: str, today: date,
    not_owned: Sequence[str],
) -> list[str]:  # fmt: skip
    """What is wrong with moving a track from `current` to `stage` on `reached_on`;
    `not_owned`: the sites on the track that the register does not record as owned."""
    problems = []
    if reached_on > today:
        problems.append(f"reached_on {reached_on} is after the product's date {today}: "
                        "the pipeline records what has happened")  # fmt: skip
    if current is not None and reached_on < current.reached_on:
        problems.append(f"reached_on {reached_on} is before {current.reached_on}, when the "
                        f"track reached '{current.stage}': record moves in the order they "
                        "happened")  # fmt: skip
    if current is not None and stage.rank < current.stage.rank and not reason.strip():
        problems.append(f"moving back from '{current.stage}' to '{stage}' needs a reason "
                        "(倒退須說明理由)")  # fmt: skip
    if stage is Stage.owned and not_owned:
        problems.append("'owned' needs every site on the track owned in the register; not "
                        f"yet: {', '.join(not_owned)}")  # fmt: skip
    return problems


@dataclass(frozen=True)
class ProjectLink:
    """A construction project as the pipeline shows it (`status` None: no project has the
    code)."""

    code: str
    status: str | None = None
    forecast_finish: date | None = None
    name_zh: str = ""


@dataclass(frozen=True)
class OwnedBy:
    """When every site on a track is projected to be owned, and why."""

    basis: str
    """"owned" (already), "forecast" (the last project that makes a site owned is forecast to
    finish on `day`), "no_date" (nothing under way for `waiting`), "not_needed", "no_site"."""
    day: date | None = None
    projects: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        if self.basis == "forecast":
            return (
                f"預估 {self.day} 全部自有 · all owned when {', '.join(self.projects)} "
                f"finish{'es' if len(self.projects) == 1 else ''} (forecast {self.day})"
            )
        if self.basis == "no_date":
            return f"無預定 · no date: nothing under way for {', '.join(self.waiting)}"
        return {"owned": "已全部自有 · every site owned", "not_needed": "無須自建 · no site needed",
                "no_site": "無據點 · no site on this track"}[self.basis]  # fmt: skip


def owned_by(not_owned: Sequence[str], completions: Iterable[Completion]) -> OwnedBy:
    """The day the last of `not_owned` becomes owned, each by the first project forecast to
    make it owned (the one projection: `project_holdings`)."""
    if not not_owned:
        return OwnedBy("owned")
    first: dict[str, Completion] = {}
    for c in sorted(completions, key=lambda c: (c.on, c.project)):
        for code in c.becomes_owned:
            first.setdefault(code, c)
    waiting = tuple(code for code in not_owned if code not in first)
    if waiting:
        return OwnedBy("no_date", waiting=waiting)
    last = max(first[code].on for code in not_owned)
    projects = tuple(sorted({first[code].project for code in not_owned}))
    return OwnedBy("forecast", last, projects)


def stuck(change: StageChange | None, day: date, project: ProjectLink | None) -> str | None:
    """Why a track counts as stuck on `day`, or None."""
    if change is None or change.stage in CLOSED:
        return None
    if project is not None and project.status == "red":
        return f"工程紅燈 · project {project.code} is red"
    waited = (day - change.reached_on).days
    if change.stage is not Stage.under_construction and waited > STUCK_AFTER_DAYS:
        return (f"{change.stage.zh} 已 {waited} 天未推進 · at '{change.stage.label}' for "
                f"{waited} days (more than {STUCK_AFTER_DAYS})")  # fmt: skip
    return None


@dataclass(frozen=True)
class TrackRoad:
    """A track on a date: the sites it covers and how they are held, its stage, and when its
    sites are projected to be owned (from the product's date)."""

    site: str | None
    held: dict[str, str]
    """Site code -> ownership on the date, for every site the track covers."""
    change: StageChange | None
    history: tuple[StageChange, ...]
    projected: bool
    """The stage is 'owned' because the projection makes every site owned by the date."""
    project: ProjectLink | None
    owned_by: OwnedBy
    stuck: str | None

    @property
    def stage(self) -> Stage | None:
        return self.change.stage if self.change else None

    @property
    def pending(self) -> list[str]:
        """Sites still to own on this track (none on a track that needs no site)."""
        if self.stage is Stage.not_needed:
            return []
        return [code for code, held in self.held.items() if held != Ownership.owned]


def classify(tracks: Sequence[TrackRoad], state_land: bool) -> tuple[Horizon | None, str]:
    """The plan's horizon for a county from its sites' tenure and land: short where land is in
    hand (transferred, or the agency's own), mid where a site is leased, long where only
    borrowed sites are left; with the reason, in Chinese and English."""
    if not any(t.held for t in tracks):
        return None, "此日無據點 · no site on this date"
    pending = [(t, code) for t in tracks for code in t.pending]
    if not pending:
        return Horizon.done, "每一據點皆自有或無須自建 · every site owned or needing none"
    built = sorted({t.stage.label for t, _ in pending if t.stage in LAND_IN_HAND})
    if built:
        return Horizon.short, f"已有土地，規劃興建 · land in hand, to build ({', '.join(built)})"
    leased = sum(1 for t, code in pending if t.held[code] == Ownership.leased)
    if leased:
        land = ("；已取得國有土地，待完成撥用 · state land obtained, its transfer to complete"
                if state_land or any(t.stage in (Stage.land_identified, Stage.transfer_applied)
                                     for t, _ in pending) else "")  # fmt: skip
        return Horizon.mid, f"有償租用 {leased} 處 · {leased} leased, to find state land{land}"
    return Horizon.long, f"無償借用 {len(pending)} 處 · {len(pending)} borrowed, to find state land"


@dataclass(frozen=True)
class CountyRoad:
    county: str
    county_zh: str
    state_land: bool
    tracks: tuple[TrackRoad, ...]
    horizon: Horizon | None
    horizon_reason: str
    owned_by: OwnedBy
    rent_avoided_ntd: int
    """The annual rent of the county's leased sites on the date: what owning them avoids."""

    @property
    def held(self) -> dict[str, int]:
        counts = {k.value: 0 for k in Ownership}
        for track in self.tracks:
            for ownership in track.held.values():
                counts[ownership] += 1
        return counts

    @property
    def change(self) -> StageChange | None:
        """The least advanced of its tracks that still lead somewhere (no site needed only
        when every track says so); of tracks at the same stage, the last to reach it."""
        changes = [t.change for t in self.tracks if t.change is not None]
        on_road = [c for c in changes if c.stage is not Stage.not_needed] or changes
        return min(on_road, key=lambda c: (c.stage.rank, -c.reached_on.toordinal()), default=None)

    @property
    def stuck(self) -> list[str]:
        return [f"{t.site}: {t.stuck}" if t.site else t.stuck for t in self.tracks if t.stuck]


def county_owned_by(tracks: Sequence[TrackRoad]) -> OwnedBy:
    """The county is owned when its last track is: no date if any track has none."""
    found = [t.owned_by for t in tracks if t.owned_by.basis not in ("not_needed", "no_site")]
    waiting = tuple(code for o in found for code in o.waiting)
    if waiting:
        return OwnedBy("no_date", waiting=waiting)
    dated = [o for o in found if o.basis == "forecast"]
    if not dated:
        return OwnedBy("owned") if found else OwnedBy("not_needed")
    projects = tuple(sorted({p for o in dated for p in o.projects}))
    return OwnedBy("forecast", max(o.day for o in dated if o.day), projects)


@dataclass(frozen=True)
class RoadInputs:
    """What the road is drawn from: the register's tracks and holdings (on the date asked
    about, and on the product's date), the projects' forecast completions and links, rents."""

    as_of: date
    today: date
    counties: Sequence[tuple[str, str]]
    """(name, name_zh) in the register's order."""
    tracks: Sequence[Track]
    held: Holdings
    now: Holdings
    completions: Sequence[Completion]
    projects: Mapping[str, ProjectLink]
    rents: Mapping[str, int]
    state_land: frozenset[str]
    """Counties where state land has been obtained for a site."""


def covered(track: Track, holdings: Holdings, own_tracks: set[str]) -> dict[str, str]:
    """The sites a track covers in `holdings`, and how each is held."""
    if track.site is not None:
        held = holdings.sites.get(track.site)
        return {track.site: held.ownership} if held else {}
    return {code: h.ownership for code, h in holdings.by_county.get(track.county, ())
            if code not in own_tracks}  # fmt: skip


def track_road(track: Track, own_tracks: set[str], data: RoadInputs) -> TrackRoad:
    day = min(data.as_of, data.today)
    change = track.on(day)
    project = None
    if change is not None and change.project_code:
        project = data.projects.get(change.project_code, ProjectLink(change.project_code))
    now = covered(track, data.now, own_tracks)
    if change is not None and change.stage is Stage.not_needed:
        by = OwnedBy("not_needed")
    elif not now:
        by = OwnedBy("no_site")
    else:
        by = owned_by([c for c, held in now.items() if held != Ownership.owned], data.completions)
    projected = (
        data.as_of > data.today
        and by.basis == "forecast"
        and by.day is not None
        and by.day <= data.as_of
        and (change is None or change.stage not in CLOSED)
    )
    if projected and by.day is not None:
        change = StageChange(Stage.owned, by.day, note=by.note)
    history = tuple(c for c in track.history if c.reached_on <= day)
    return TrackRoad(track.site, covered(track, data.held, own_tracks), change, history,
                     projected, project, by, stuck(change, day, project))  # fmt: skip


def county_roads(data: RoadInputs) -> list[CountyRoad]:
    """Every county's road on the date, the counties where state land is in hand first, each
    group in the register's order."""
    own_tracks = {t.site for t in data.tracks if t.site is not None}
    roads = []
    for name, name_zh in data.counties:
        tracks = tuple(track_road(t, own_tracks, data) for t in data.tracks if t.county == name)
        state_land = name in data.state_land
        horizon, reason = classify(tracks, state_land)
        rent = sum(data.rents.get(code, 0) for t in tracks for code, held in t.held.items()
                   if held == Ownership.leased)  # fmt: skip
        roads.append(CountyRoad(name, name_zh, state_land, tracks, horizon, reason,
                                county_owned_by(tracks), rent))  # fmt: skip
    return sorted(roads, key=lambda r: not r.state_land)


@dataclass(frozen=True)
class Rollup:
    """The nation's road: counties by stage, the share owned on the date and year by year, the
    year every county is projected to be owned, and the rent full ownership would avoid."""

    by_stage: dict[str, int]
    no_stage: int
    national: Breakdown
    outlook: Sequence[YearShares]
    full_ownership: OwnedBy
    counties_without_date: tuple[str, ...]
    rent_avoided_ntd: int
    stuck: int


def rollup(roads: Sequence[CountyRoad], held: Holdings, outlook: Sequence[YearShares]) -> Rollup:
    by_stage = {stage.value: 0 for stage in Stage}
    for road in roads:
        if road.change is not None:
            by_stage[road.change.stage.value] += 1
    dated = [r.owned_by for r in roads if r.owned_by.basis == "forecast"]
    without = tuple(r.county for r in roads if r.owned_by.basis == "no_date")
    if without:
        full = OwnedBy("no_date", waiting=without)
    elif dated:
        full = OwnedBy("forecast", max(o.day for o in dated if o.day),
                       tuple(sorted({p for o in dated for p in o.projects})))  # fmt: skip
    else:
        full = OwnedBy("owned")
    return Rollup(
        by_stage, sum(1 for r in roads if r.change is None),
        breakdown([h.ownership for h in held.sites.values()]), outlook, full, without,
        sum(r.rent_avoided_ntd for r in roads), sum(1 for r in roads if r.stuck),
    )  # fmt: skip
