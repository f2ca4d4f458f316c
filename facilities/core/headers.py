"""The headers every response carries, and a Content-Security-Policy that lets a page run only
the app's own script files and the inline scripts the page was written with: each inline
script's SHA-256 is listed, so text a person typed can never run as script, wherever it is
shown (no 'unsafe-inline' for scripts)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

FIXED = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
POLICY = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)


@lru_cache(maxsize=256)
def policy_for(body: bytes) -> bytes:
    """The policy for an HTML page: its inline scripts, and only those, allowed by hash.
    (Cached by the page's bytes: a cached page is the same object every time.)"""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in dict.fromkeys(INLINE_SCRIPT.findall(body))
    )
    return POLICY.format(hashes=hashes).encode()


def _is_html(message: Message) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html")
               for k, v in message.get("headers", []))  # fmt: skip


def security_headers(https: bool, page: Callable[[bytes, Scope], bytes] | None = None) -> Any:
    """`page`: what fills in an HTML page for the request (the navigation) before its inline
    scripts are hashed."""
    extra = [(b"strict-transport-security", b"max-age=31536000")] if https else []
    plain = FIXED + extra + [(b"content-security-policy", POLICY.format(hashes="").encode())]
    """What every response but a page carries (a page's policy names its own scripts)."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    if _is_html(message):
                        start.update(message)  # held until the whole page is known
                        return
                    await send(_with(message, plain))
                    return
                if not start:
                    await send(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                if page is not None:
                    body = page(body, scope)
                    start["headers"] = [(k, v) for k, v in start["headers"]
                                        if k.lower() != b"content-length"]  # fmt: skip
                    start["headers"].append((b"content-length", str(len(body)).encode()))
                policy = [(b"content-security-policy", policy_for(body))]
                await send(_with(start, FIXED + extra + policy))  # type: ignore[arg-type]
                await send({"type": "http.response.body", "body": body, "more_body": False})

            await app(scope, receive, send_with_headers)

        return wrapped

    return middleware


def _with(message: Message, headers: list[tuple[bytes, bytes]]) -> Message:
    present = {name.lower() for name, _ in message.get("headers", [])}
    added = [(k, v) for k, v in headers if k not in present]
    return {**message, "headers": [*message.get("headers", []), *added]}  # type: ignore[typeddict-item]
