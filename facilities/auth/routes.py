"""The login page: people in a browser get a session cookie (HttpOnly, SameSite=Lax, Secure
behind HTTPS); the form is CSRF-protected and rate-limited."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from msgspec import Struct

from facilities.auth.services import check_password, people
from facilities.core.dependencies import DbSession
from facilities.core.http import ACCESS, PUBLIC, get, post

LOGIN_RATE = RateLimitConfig(rate_limit=("minute", 10), exclude_opt_key="skip_rate_limit")


class LoginForm(Struct):
    username: str
    password: str
    next: str = "/"


def _local(path: str) -> str:
    """Only same-site paths, so the login page cannot bounce a user to another site."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _page(next_path: str, message: str = "", status: int = 200) -> Template:
    context = {"next": _local(next_path), "message": message}
    return Template("auth/login.html", context=context, status_code=status)


@get("/login", opt={PUBLIC: True}, sync_to_thread=False, include_in_schema=False)
def login_page(next: FromQuery[str] = "/") -> Template:
    return _page(next)


@post(
    "/login", opt={PUBLIC: True}, sync_to_thread=True, middleware=[LOGIN_RATE.middleware],
    include_in_schema=False,
)  # fmt: skip
def login(
    request: Request[Any, Any, Any],
    session: DbSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    user = check_password(session, data.username, data.password)
    if user is None:
        return _page(data.next, "帳號或密碼錯誤 Wrong user name or password.", 401)
    request.set_session({"user": user.name, "role": user.role})
    return Redirect(_local(data.next), status_code=303)


@post("/logout", sync_to_thread=False, opt={"access": "read"}, include_in_schema=False)
def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect("/login", status_code=303)


ROLE_ZH = {"admin": "管理者", "staff": "承辦人", "executive": "主管", "liaison": "國會聯絡人"}


@get("/admin/users", sync_to_thread=True, include_in_schema=False, opt={ACCESS: "admin"})
def users_page(session: DbSession) -> Template:
    users, tokens = people(session)
    return Template("auth/users.html", context={"users": users, "tokens": tokens,
                                                "roles": ROLE_ZH})  # fmt: skip


ROUTES = [login_page, login, logout, users_page]
