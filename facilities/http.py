"""Route decorators shared by every domain: GET answers HEAD too, and every route declares the
problem+json answers it can give, so the OpenAPI schema tells clients the whole truth."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import HttpMethod, route
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ASGIApp, Message, Receive, Scope, Send


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
    kwargs.setdefault("status_code", 200)
    return _route([HttpMethod.PATCH], COMMON_PROBLEMS | WRITE_PROBLEMS, path, kwargs)


def put(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("status_code", 200)
    return _route([HttpMethod.PUT], COMMON_PROBLEMS | WRITE_PROBLEMS, path, kwargs)


def delete(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("status_code", 204)
    return _route([HttpMethod.DELETE], COMMON_PROBLEMS | WRITE_PROBLEMS, path, kwargs)


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
