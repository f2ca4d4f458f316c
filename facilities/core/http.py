"""The web shell every package's routes share: route decorators (GET answers HEAD too, and every
route declares the problem+json answers it can give, so the OpenAPI schema tells the whole
truth), the route options that say who may use a route, file downloads, and the headers every
response carries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import msgspec
from litestar import HttpMethod, Request, Response, route
from litestar.enums import MediaType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC = "exclude_from_auth"
"""Route `opt` key: the route needs no login (only /health, the login page and static assets)."""
ACCESS = "access"
"""Route `opt` key naming who may use it: read (default for GET), write (default otherwise),
executive, admin."""
REPLAY = "replay"
"""Route `opt` key: a GET whose answer depends only on its path, query, negotiating headers, the
data and the date (a cached read): a token client asking again is answered from the bytes sent
last time (`facilities.core.replay`)."""
HTML = "text/html"
CSV = "text/csv"
"""Bare media types: Litestar appends `; charset=utf-8` to every text/* type it sends (a
constant carrying its own charset would be sent with two)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Problem(msgspec.Struct):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[Any] | None = None


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type="application/problem+json",
        generate_examples=False,
    )


COMMON_PROBLEMS = {
    400: _problem("Malformed input: a parameter or a field of the wrong type or out of range"),
    401: _problem("No login: send a bearer token, or log in at /login"),
    403: _problem("The role may not do this"),
    404: _problem("Nothing at this path"),
    429: _problem("Too many requests"),
    500: _problem("The server failed; nothing was changed"),
}
WRITE_PROBLEMS = {
    409: _problem("Conflicts with data already in the register"),
    413: _problem("The request body is too large"),
    422: _problem("Breaks a rule of the register"),
}
PRECONDITION_PROBLEMS = {
    412: _problem("The If-Match tag is stale: reload and apply the change again"),
    428: _problem("If-Match is required"),
}


def _route(methods: list[HttpMethod], problems: dict, path: Any, kwargs: dict) -> Any:
    responses = {**problems, **kwargs.pop("responses", {})}
    return route(path, http_method=methods, responses=responses, **kwargs)


def get(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    """A GET route that answers HEAD too (Litestar 2 answers HEAD on plain GET routes with 405)."""
    return _route([HttpMethod.GET, HttpMethod.HEAD], COMMON_PROBLEMS, path, kwargs)


def post(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("status_code", 201)
    return _route([HttpMethod.POST], COMMON_PROBLEMS | WRITE_PROBLEMS, path, kwargs)


def patch(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    """An update of a record: it needs If-Match (428 without, 412 when stale)."""
    kwargs.setdefault("status_code", 200)
    problems = COMMON_PROBLEMS | WRITE_PROBLEMS | PRECONDITION_PROBLEMS
    return _route([HttpMethod.PATCH], problems, path, kwargs)


def put(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("status_code", 200)
    return _route([HttpMethod.PUT], COMMON_PROBLEMS | WRITE_PROBLEMS, path, kwargs)


def delete(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("status_code", 204)
    problems = COMMON_PROBLEMS | WRITE_PROBLEMS | PRECONDITION_PROBLEMS
    return _route([HttpMethod.DELETE], problems, path, kwargs)


def json_answer(body: bytes) -> Response:
    """JSON already encoded (a cached answer)."""
    return Response(body, media_type=MediaType.JSON)


MEDIA_TYPES = {".csv": CSV, ".xlsx": XLSX, ".json": "application/json"}


def media_type_of(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def file_response(content: bytes, media_type: str, filename: str) -> Response:
    """A download: the bytes, their media type, and the name the browser saves them under."""
    return Response(
        content, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


class ReportFormat(StrEnum):
    """The forms a report is served in: `format=` or, failing that, the Accept header."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def wanted_format(request: Request, format: ReportFormat | None) -> ReportFormat:
    if format is not None:
        return format
    accept = request.headers.get("accept", "")
    if XLSX in accept or "spreadsheetml" in accept:
        return ReportFormat.xlsx
    if "text/csv" in accept:
        return ReportFormat.csv
    return ReportFormat.json


@dataclass
class ReportOperation(Operation):
    """A report's OpenAPI operation: its 200 answer is the JSON schema, or the CSV or the XLSX
    file (route option `operation_class=ReportOperation`), so that the schema tells the truth."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            for media_type in (CSV, XLSX):
                binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                ok.content[media_type] = OpenAPIMediaType(schema=binary)


def complete_allow_header(app: ASGIApp) -> ASGIApp:
    """Litestar 2's automatic OPTIONS answer lists only the methods of one of the handlers that
    share a path (fixed in Litestar 3): list every method the path answers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await app(scope, receive, send)
            return
        methods = sorted(
            {m for r in scope["app"].routes if scope.get("path_template") in (r.path, r.path_format)
             for m in getattr(r, "methods", ())}
        )  # fmt: skip

        async def send_complete(message: Message) -> None:
            if message["type"] == "http.response.start" and methods:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                headers.append((b"allow", ", ".join(methods).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_complete)

    return middleware


def document_strict_bodies(app: Any) -> None:
    """State in the OpenAPI document what the API enforces: a request body that forbids
    unknown fields (msgspec's forbid_unknown_fields) has `additionalProperties: false`."""
    components = app.openapi_schema.components.schemas or {}
    for path in app.routes:
        for handler in getattr(path, "route_handlers", ()):
            data = handler.parsed_fn_signature.parameters.get("data")
            body = getattr(data, "annotation", None)
            config = getattr(body, "__struct_config__", None)
            if config is not None and config.forbid_unknown_fields and body.__name__ in components:
                components[body.__name__].additional_properties = False


def static_router(path: str, folder: Path, name: str) -> Any:
    """Files served as they are, to anyone: the app's own scripts, styles and shapes."""
    return create_static_files_router(path, [folder], name=name, opt={PUBLIC: True})
