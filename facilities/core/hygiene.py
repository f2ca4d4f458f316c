"""What every request must be before a handler sees it, checked once for every route: no NUL
byte in its path, query or body, a JSON body nested no deeper than a record needs, of the
exact types its schema says (`"5"` is not an integer; msgspec's strict mode), and no date
outside the span the product answers for. Anything else is a 400, and nothing is written."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException

from facilities.core.http import SAFE_METHODS
from facilities.core.settings import EARLIEST, LATEST

MAX_DEPTH = 16
"""No record the API takes is nested this deep; a body that is cannot exhaust the stack."""
BRACKETS = bytes(range(256)).translate(None, b"[]{}")


def refuse(message: str, key: str) -> ValidationException:
    return ValidationException(message, extra=[{"key": key, "message": message}])


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON nests deeper than `limit`, counting brackets outside strings only."""
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    depth = 0
    for outside in text.split(b'"')[::2]:
        for bracket in outside.translate(None, BRACKETS):
            depth += 1 if bracket in b"[{" else -1
            if depth > limit:
                return True
    return False


def dates_out_of_range(value: Any, where: str = "") -> list[str]:
    if isinstance(value, date):
        return [] if EARLIEST <= value <= LATEST else [where or "date"]
    if isinstance(value, msgspec.Struct):
        value = msgspec.structs.asdict(value)
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in dates_out_of_range(v, k)]
    return []


async def check_request(request: Request) -> None:
    """Litestar's `before_request` hook, for every route."""
    if b"\x00" in request.scope.get("raw_path", b"") or b"%00" in request.scope["query_string"]:
        raise refuse("a NUL character is not allowed in a path or query", "query")
    if request.method in SAFE_METHODS:
        return
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None or "json" not in request.headers.get("content-type", ""):
        return
    raw = await request.body()
    if b"\\u0000" in raw or b"\x00" in raw:
        raise refuse("a NUL character is not allowed in a request body", "body")
    if too_deep(raw):
        raise refuse(f"the JSON body nests deeper than {MAX_DEPTH} levels", "body")
    try:
        body = msgspec.json.decode(raw, type=data.annotation, strict=True)
    except msgspec.ValidationError as exc:
        raise refuse(str(exc), "body") from None
    except msgspec.DecodeError as exc:
        raise refuse(f"the body is not JSON: {exc}", "body") from None
    if bad := dates_out_of_range(body):
        raise refuse(f"a date from {EARLIEST} to {LATEST}", ", ".join(bad))
