"""The one place that composes the packages: their routes, pages, seeds, jobs, migrations,
templates and the sheets of the register workbook. Every other module imports only what lies
below it; this one imports them all."""

from __future__ import annotations

from pathlib import Path

import swagger_ui

import construction
import facilities.audit
import facilities.auth
import facilities.core
import facilities.ops
import facilities.sites
import leases
import maps
from construction import files as construction_files
from construction import jobs as construction_jobs
from construction import models as construction_models  # noqa: F401  (tables in the metadata)
from construction import services as construction_services
from construction.routes import PAGES as construction_pages
from construction.routes import router as construction_routes
from construction.seed import load_projects
from facilities.audit import models as audit_models  # noqa: F401
from facilities.audit.routes import router as audit_routes
from facilities.auth import models as auth_models  # noqa: F401
from facilities.auth.routes import ROUTES as auth_routes
from facilities.core.chrome import Link
from facilities.core.http import static_router
from facilities.jobs import models as job_models  # noqa: F401
from facilities.jobs.builtin import alerts_job, snapshot_job
from facilities.jobs.routes import router as job_routes
from facilities.jobs.scheduler import JobSpec
from facilities.ops import agency
from facilities.ops import models as ops_models  # noqa: F401
from facilities.ops.routes import ROUTES as ops_routes
from facilities.ops.seeding import SeedLoader
from facilities.ops.workbook import RegisterSheet
from facilities.sites import files as site_files
from facilities.sites import jobs as site_jobs
from facilities.sites import services as site_services
from facilities.sites.routes import PAGES as site_pages
from facilities.sites.routes import router as site_routes
from facilities.sites.seed import load_counties, load_pipeline, load_sites
from leases import files as lease_files
from leases import jobs as lease_jobs
from leases import models as lease_models  # noqa: F401
from leases import services as lease_services
from leases.routes import PAGES as lease_pages
from leases.routes import router as lease_routes
from leases.seed import load_leases, load_relocation
from maps.assets import static_routers
from maps.pages import router as map_pages
from maps.routes import router as map_routes


def route_handlers() -> list:
    return [
        *ops_routes, *auth_routes, audit_routes, job_routes,
        site_routes, *site_pages, lease_routes, *lease_pages,
        construction_routes, *construction_pages, map_pages, map_routes, *static_routers(),
        static_router("/static/app", _folder(facilities.core, "static"), "app-static"),
        static_router("/static/swagger", _folder(swagger_ui, "static"), "swagger-static"),
    ]  # fmt: skip


EVERYONE_BUT_LIAISONS = frozenset({"admin", "staff", "executive"})
STAFF = frozenset({"admin", "staff"})
NAVIGATION = [
    Link("/dashboard", "儀表板", "Dashboard", EVERYONE_BUT_LIAISONS),
    Link("/work", "待辦", "Work", STAFF),
    Link("/maps/ownership", "權屬地圖", "Ownership map"),
    Link("/maps/projects", "工程地圖", "Projects map"),
    Link("/sites", "據點", "Sites"),
    Link("/leases", "租約", "Leases"),
    Link("/projects", "工程", "Projects"),
    Link("/reports", "報表", "Reports"),
    Link("/alerts", "警示", "Alerts", EVERYONE_BUT_LIAISONS),
    Link("/schema", "API 文件", "API docs"),
    Link("/admin/users", "使用者", "Users", frozenset({"admin"})),
    Link("/admin/import", "匯入", "Import", frozenset({"admin"})),
]
"""The navigation every page carries, each link for the roles that may open it."""
ROLE_LABELS = {"admin": "管理者", "staff": "承辦人", "executive": "主管", "liaison": "國會聯絡人"}


REFERENCE_DATA = ("counties",)
"""Seeds every install loads, an empty one (`facilities init --empty`) too."""


def seed_loaders() -> dict[str, SeedLoader]:
    """Each domain's seed loader, in the order their data depends on one another."""
    return {
        "counties": load_counties,
        "agency": agency.load_agency,
        "sites": load_sites,
        "pipeline": load_pipeline,
        "leases": load_leases,
        "lease_replacements": load_relocation,
        "construction": load_projects,
    }


def register_sheets() -> list[RegisterSheet]:
    """The register workbook's sheets, in the order their data depends on one another: each
    domain's sheet, its rows and its loader."""
    counties = site_services.county_choices
    return [
        RegisterSheet(agency.AGENCY, agency.agency_rows, agency.load_agency_sheet),
        RegisterSheet(site_files.SITES, site_services.site_rows, site_services.load_sites_sheet,
                      counties),
        RegisterSheet(site_files.HISTORY, site_services.history_rows,
                      site_services.load_history_sheet),
        RegisterSheet(site_files.PIPELINE, site_services.pipeline_rows,
                      site_services.load_pipeline_sheet, counties),
        RegisterSheet(lease_files.LEASES, lease_services.lease_rows,
                      lease_services.load_leases_sheet),
        RegisterSheet(lease_files.RENTS, lease_services.rent_rows, lease_services.load_rents_sheet),
        RegisterSheet(lease_files.MANDATE, lease_services.mandate_rows,
                      lease_services.load_mandate_sheet),
        RegisterSheet(lease_files.CENTERS, lease_services.center_rows,
                      lease_services.load_centers_sheet, counties),
        RegisterSheet(construction_files.PROJECTS, construction_services.project_rows,
                      construction_services.load_projects_sheet, counties),
        RegisterSheet(construction_files.BUDGET_LINES, construction_services.budget_rows,
                      construction_services.load_budget_sheet),
        RegisterSheet(construction_files.WORK_PACKAGES, construction_services.package_rows,
                      construction_services.load_packages_sheet),
        RegisterSheet(construction_files.MILESTONES, construction_services.milestone_rows,
                      construction_services.load_milestones_sheet),
        RegisterSheet(construction_files.PROGRESS, construction_services.progress_rows,
                      construction_services.load_progress_sheet),
    ]  # fmt: skip


def job_specs() -> list[JobSpec]:
    snapshot = snapshot_job({
        "ownership": site_jobs.ownership_snapshot, "rent": lease_jobs.rent_snapshot,
        "projects": construction_jobs.burn_snapshot,
    })  # fmt: skip
    alerts = alerts_job([lease_jobs.lease_alerts, construction_jobs.construction_alerts])
    return [snapshot, alerts, *lease_jobs.JOBS]


def _folder(package, *parts: str) -> Path:
    return Path(package.__file__).parent.joinpath(*parts)


def migration_locations() -> list[Path]:
    return [
        _folder(package, "migrations", "versions")
        for package in (facilities.ops, facilities.sites, leases, construction)
    ]


def template_folders() -> dict[str, Path]:
    """Each package's templates, named by the package: `auth/login.html`."""
    return {
        "core": _folder(facilities.core, "templates"),
        "auth": _folder(facilities.auth, "templates"),
        "sites": _folder(facilities.sites, "templates"),
        "leases": _folder(leases, "templates"),
        "construction": _folder(construction, "templates"),
        "ops": _folder(facilities.ops, "templates"),
        "maps": _folder(maps, "templates"),
    }
