"""The application factory."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from facilities.db import Database
from facilities.dependencies import DEPENDENCIES
from facilities.domains import route_handlers
from facilities.errors import EXCEPTION_HANDLERS
from facilities.settings import Settings


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    db = Database(settings)

    def dispose(app: Litestar) -> None:
        db.dispose()

    return Litestar(
        route_handlers=route_handlers(),
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"settings": settings, "db": db}),
        on_shutdown=[dispose],
        openapi_config=OpenAPIConfig(
            title="NIA capital-facilities tracker",
            version="1.0.0",
            description="Sites, ownership, leases and construction of Taiwan's National "
            "Immigration Agency (內政部入出國及移民署).",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
    )
