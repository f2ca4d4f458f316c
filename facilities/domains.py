"""The one place that composes the domain packages: their routes, seeds and migrations.

`leases/`, `construction/` and `maps/` depend on `facilities/`; this module is where
`facilities/` reaches back to them, and only when an app, the CLI or a migration asks."""

from __future__ import annotations

from pathlib import Path

from facilities.seeding import SeedLoader


def route_handlers() -> list:
    from construction.routes import router as construction
    from facilities.audit_routes import router as audit
    from facilities.health import health
    from facilities.jobs_routes import router as jobs
    from facilities.login import login, login_page, logout
    from facilities.routes import router as sites
    from leases.routes import router as leases
    from maps.assets import static_routers
    from maps.pages import router as maps

    return [
        health,
        login_page,
        login,
        logout,
        audit,
        jobs,
        sites,
        leases,
        construction,
        maps,
        *static_routers(),
    ]


def seed_loaders() -> dict[str, SeedLoader]:
    """Each domain's seed loader, in the order their data depends on one another."""
    from construction.seed import load_projects
    from facilities.seed import load_sites
    from leases.seed import load_leases, load_relocation

    return {
        "sites": load_sites,
        "leases": load_leases,
        "lease_replacements": load_relocation,
        "construction": load_projects,
    }


def job_specs() -> list:
    from facilities.jobs import JOBS
    from leases.jobs import JOBS as LEASE_JOBS

    return [*JOBS, *LEASE_JOBS]


def snapshot_parts() -> dict:
    """Each domain's headline figures for the daily snapshot."""
    from construction.jobs import burn_snapshot
    from facilities.snapshots import ownership_part
    from leases.jobs import rent_snapshot

    return {"ownership": ownership_part, "rent": rent_snapshot, "projects": burn_snapshot}


def alert_sources() -> list:
    """Each domain's alert conditions for the nightly alert job."""
    from construction.jobs import construction_alerts
    from leases.jobs import lease_alerts

    return [lease_alerts, construction_alerts]


def migration_locations() -> list[Path]:
    import construction
    import facilities
    import leases

    return [
        Path(package.__file__).parent / "migrations" / "versions"
        for package in (facilities, leases, construction)
    ]


def model_modules() -> None:
    """Import every model so that the metadata knows every table."""
    import construction.models  # noqa: F401
    import facilities.alerts  # noqa: F401
    import facilities.audit  # noqa: F401
    import facilities.auth  # noqa: F401
    import facilities.cache  # noqa: F401
    import facilities.models  # noqa: F401
    import facilities.scheduler  # noqa: F401
    import facilities.seeding  # noqa: F401
    import facilities.snapshots  # noqa: F401
    import leases.models  # noqa: F401
