"""The login page: people in a browser get a session cookie (HttpOnly, SameSite=Lax, Secure
behind HTTPS); the form is CSRF-protected and rate-limited."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from litestar import Request, Response
from litestar.enums import RequestEncodingType
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import Body, FromQuery
from litestar.response import Redirect
from litestar.utils.scope.state import ScopeState
from msgspec import Struct

from facilities.auth import check_password
from facilities.dependencies import DbSession
from facilities.http import get, post
from facilities.security import PUBLIC

LOGIN_RATE = RateLimitConfig(rate_limit=("minute", 10), exclude_opt_key="skip_rate_limit")

PAGE = """<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>登入 Log in · 移民署營舍管理</title>
<style>body{{font-family:sans-serif;max-width:26rem;margin:4rem auto;color:#222}}
label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.4rem}}
button{{margin-top:1rem;padding:.5rem 1.2rem}}.error{{color:#b00020}}</style></head>
<body><h1>登入 Log in</h1><p>內政部入出國及移民署 營舍及工程管理<br>
NIA capital-facilities tracker</p>{message}
<form method="post" action="/login">
<input type="hidden" name="_csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label for="username">帳號 User name</label><input id="username" name="username" required>
<label for="password">密碼 Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">登入 Log in</button></form></body></html>"""


class LoginForm(Struct):
    username: str
    password: str
    next: str = "/"


def _local(path: str) -> str:
    """Only same-site paths, so the login page cannot bounce a user to another site."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _page(request: Request, next_path: str, message: str = "", status: int = 200) -> Response:
    csrf = ScopeState.from_scope(request.scope).csrf_token
    body = PAGE.format(
        csrf=escape(csrf if isinstance(csrf, str) else ""),
        next=escape(_local(next_path)),
        message=f'<p class="error">{escape(message)}</p>' if message else "",
    )
    return Response(body, media_type="text/html", status_code=status)


@get("/login", opt={PUBLIC: True}, sync_to_thread=False, include_in_schema=False)
def login_page(request: Request, next: FromQuery[str] = "/") -> Response:
    return _page(request, next)


@post(
    "/login", opt={PUBLIC: True}, sync_to_thread=True, middleware=[LOGIN_RATE.middleware],
    include_in_schema=False,
)  # fmt: skip
def login(
    request: Request[Any, Any, Any],
    session: DbSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response:
    user = check_password(session, data.username, data.password)
    if user is None:
        return _page(request, data.next, "帳號或密碼錯誤 Wrong user name or password.", 401)
    request.set_session({"user": user.name, "role": user.role})
    return Redirect(_local(data.next), status_code=303)


@post("/logout", sync_to_thread=False, opt={"access": "read"}, include_in_schema=False)
def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect("/login", status_code=303)
