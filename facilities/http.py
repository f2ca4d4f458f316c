"""Route decorators shared by every domain."""

from __future__ import annotations

from typing import Any

from litestar import HttpMethod, route


def get(path: str | list[str] | None = None, **kwargs: Any) -> Any:
    """A GET route that answers HEAD too (Litestar 2 answers HEAD on plain GET routes with 405)."""
    return route(path, http_method=[HttpMethod.GET, HttpMethod.HEAD], **kwargs)
