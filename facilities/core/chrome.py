"""What every page carries around its content: the navigation, the user's name and role, and a
logout button. Pages (cached or not, templates or folium maps) leave a mark where it goes; it
is filled in per request for whoever is viewing, so a page cached for everyone stays cached."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from jinja2 import Environment
from litestar.types import Scope
from litestar.utils.scope.state import ScopeState

from facilities.core.templates import render

NAV_MARK = b"<!--nia-nav-->"
BODY_TAG = re.compile(rb"<body[^>]*>", re.I)
STYLESHEET = b'<link rel="stylesheet" href="/static/app/nav.css">'


@dataclass(frozen=True)
class Link:
    href: str
    zh: str
    en: str
    roles: frozenset[str] | None = None
    """Who sees it; None: everyone logged in."""


def chrome(
    env: Environment, links: Sequence[Link], role_labels: Mapping[str, str]
) -> Callable[[bytes, Scope], bytes]:
    """`apply(page, scope)`: the page with the navigation for the request's user put in."""

    def apply(body: bytes, scope: Scope) -> bytes:
        user = scope.get("user")
        if user is None:
            return body.replace(NAV_MARK, b"", 1)
        if NAV_MARK not in body:  # a page the app did not write (the API docs): at the top
            body = BODY_TAG.sub(lambda m: m.group(0) + STYLESHEET + NAV_MARK, body, count=1)
        role = getattr(user, "role", None)
        shown = [(x.href, x.zh, x.en) for x in links
                 if user and (x.roles is None or role in x.roles)]  # fmt: skip
        current = max((h for h, _, _ in shown if _is_under(scope["path"], h)), key=len, default="")
        csrf = ScopeState.from_scope(scope).csrf_token
        nav = render(env, "core/nav.html", links=shown, current=current,
                     user=getattr(user, "name", None), role=role or "",
                     role_zh=role_labels.get(role or "", ""),
                     csrf=csrf if isinstance(csrf, str) else "")  # fmt: skip
        return body.replace(NAV_MARK, nav.encode(), 1)

    return apply


def _is_under(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href.rstrip("/") + "/"))
