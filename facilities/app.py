"""The application factory: the one place that wires the web shell, identity and every
package's routes together."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.middleware.compression import CompressionMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from facilities.auth.middleware import (
    AuthenticationMiddleware,
    TokenCache,
    has_access,
    session_secret,
)
from facilities.core.cache import AnswerCache, Fresh
from facilities.core.chrome import chrome
from facilities.core.clock import today
from facilities.core.db import Database
from facilities.core.dependencies import DEPENDENCIES
from facilities.core.errors import EXCEPTION_HANDLERS
from facilities.core.headers import security_headers
from facilities.core.http import PUBLIC, complete_allow_header, document_strict_bodies
from facilities.core.hygiene import check_request
from facilities.core.replay import in_front
from facilities.core.settings import Settings
from facilities.core.templates import environment, template_config
from facilities.core.versions import watcher_for
from facilities.domains import (
    NAVIGATION,
    ROLE_LABELS,
    register_sheets,
    route_handlers,
    template_folders,
)
from facilities.ops.agency import agency_of

MAX_BODY_BYTES = 2 * 1024 * 1024
COMPRESSION = CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6)
"""Pages, reports and JSON over 1 kB are gzipped for a client that accepts it. Outermost: the
page chrome writes the navigation into a page's body before it is compressed."""


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    db = Database(settings)

    secret = session_secret(settings)
    csrf = CSRFConfig(
        secret=secret.hex(), cookie_secure=settings.https, cookie_samesite="strict",
        exclude=["^/api/", "^/health$", "^/schema"],
    )  # fmt: skip

    watcher = watcher_for(db.engine)
    db.on_commit.append(watcher.bump)
    cache = AnswerCache(watcher)
    tokens = TokenCache(db)
    templates = environment(template_folders(), {"agency": Fresh(watcher, lambda: agency_of(db))})

    def dispose(app: Litestar) -> None:
        watcher.close()
        db.dispose()

    app = Litestar(
        route_handlers=route_handlers(),
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            DefineMiddleware(CompressionMiddleware, config=COMPRESSION),
            complete_allow_header,
            security_headers(settings.https, chrome(templates, NAVIGATION, ROLE_LABELS)),
            DefineMiddleware(AuthenticationMiddleware, exclude_from_auth_key=PUBLIC),
        ],
        before_request=check_request,
        csrf_config=csrf,
        request_max_body_size=MAX_BODY_BYTES,
        template_config=template_config(templates),
        state=State(
            {
                "settings": settings,
                "db": db,
                "tokens": tokens,
                "cache": cache,
                "templates": templates,
                "register_sheets": register_sheets(),
            }
        ),  # fmt: skip
        on_shutdown=[dispose],
        openapi_config=OpenAPIConfig(
            title="Capital-facilities tracker",
            version="1.0.0",
            description="Sites, ownership, leases and construction of a central government "
            "agency of Taiwan: the agency is named by its data (`facilities agency set`).",
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url="/static/swagger/swagger-ui-bundle.js",
                    css_url="/static/swagger/swagger-ui.css",
                    standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                    favicon="",
                )
            ],  # the packaged Swagger UI: no request leaves the app (fmt: skip)
        ),
    )
    document_strict_bodies(app)
    in_front(
        app, version=watcher.current, today=lambda: today(settings),
        role_of=tokens.live_role, allowed=has_access,
    )  # fmt: skip
    return app
