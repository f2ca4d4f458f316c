"""The login page: people in a browser get a session cookie (HttpOnly, SameSite=Lax, Secure
behind HTTPS) naming a session kept in the database; the form is CSRF-protected and
rate-limited (facilities/auth/login.py). Logging out ends the session on the server."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from msgspec import Struct

from facilities.auth.login import client_address, log_in
from facilities.auth.middleware import SESSION_COOKIE
from facilities.auth.models import Role
from facilities.auth.services import (
    SESSION_SECONDS,
    TooManyAttempts,
    disable_user,
    enable_user,
    end_session,
    people,
    set_role,
)
from facilities.core.dependencies import Actor, AppSettings, Db, DbSession
from facilities.core.errors import RuleViolation, problem
from facilities.core.http import ACCESS, HTML, PUBLIC, get, post
from facilities.core.pages import page, submit

WRONG = "帳號或密碼錯誤 Wrong user name or password."
TOO_MANY = (
    "登入失敗次數過多，請於 {minutes} 分鐘後再試。"
    "Too many failed logins: try again in {minutes} minute{s}."
)
JSON_TYPES = ("application/json", "application/problem+json")


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


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    """An API client that asks for JSON gets problem+json; a browser gets the login page."""
    return request.accept.best_match([HTML, *JSON_TYPES], default=HTML) in JSON_TYPES


def too_many_attempts(request: Request[Any, Any, Any], exc: TooManyAttempts) -> Response[Any]:
    """429 with Retry-After: the login page with the message in Chinese and English, or
    problem+json for a client asking for JSON."""
    if _wants_json(request):
        response: Response[Any] = problem(exc.status_code, exc.title, exc.detail, request)
    else:
        s = "s" if exc.minutes > 1 else ""
        response = _page("/", TOO_MANY.format(minutes=exc.minutes, s=s), exc.status_code)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@get("/login", opt={PUBLIC: True}, sync_to_thread=False, include_in_schema=False)
def login_page(next: FromQuery[str] = "/") -> Template:
    return _page(next)


@post(
    "/login", opt={PUBLIC: True}, sync_to_thread=True, include_in_schema=False,
    exception_handlers={TooManyAttempts: too_many_attempts},
)  # fmt: skip
def login(
    request: Request[Any, Any, Any],
    db: Db,
    settings: AppSettings,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[Any]:
    peer = request.client.host if request.client else None
    client = client_address(
        peer, request.headers.getall("x-forwarded-for", []), settings.trusted_proxies
    )
    session_id = log_in(db, settings, client, data.username, data.password)
    if session_id is None:
        if _wants_json(request):
            return problem(401, "Unauthorized", WRONG, request)
        return _page(data.next, WRONG, 401)
    cookie = Cookie(
        key=SESSION_COOKIE, value=session_id, max_age=SESSION_SECONDS, path="/", httponly=True,
        samesite="lax", secure=settings.https,
    )  # fmt: skip
    return Redirect(_local(data.next), status_code=303, cookies=[cookie])


@post("/logout", sync_to_thread=True, opt={ACCESS: "read"}, include_in_schema=False)
def logout(request: Request[Any, Any, Any], session: DbSession) -> Redirect:
    """Ends the session on the server: a copy of its cookie no longer logs anyone in."""
    if request.user.via == "session":
        end_session(session, request.auth)
    response = Redirect("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@get("/admin/users", sync_to_thread=True, include_in_schema=False, opt={ACCESS: "admin"})
def users_page(request: Request[Any, Any, Any], session: DbSession) -> Template:
    return _users(request, session)


def _users(request: Request[Any, Any, Any], session: DbSession, status: int = 200,
           problem_text: str = "") -> Template:  # fmt: skip
    users, tokens = people(session)
    return page("auth/users.html", status, users=users, tokens=tokens, roles=list(Role),
                me=request.user.name, problem=problem_text)  # fmt: skip


class UserForm(Struct):
    change: Literal["set_role", "disable", "enable"]
    role: Role | None = None


@post("/admin/users/{name:str}", sync_to_thread=True, include_in_schema=False,
      opt={ACCESS: "admin"})  # fmt: skip
def user_form(
    request: Request[Any, Any, Any], session: DbSession, actor: Actor, name: FromPath[str],
    data: Annotated[UserForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:  # fmt: skip
    """An admin changes a user's role or disables them (their sessions end), as the CLI does."""

    def change() -> None:
        if name == request.user.name and data.change != "enable":
            raise RuleViolation(
                "不能停用或變更自己的帳號，請由另一位管理者操作 · You cannot "
                "disable yourself or change your own role: ask another admin."
            )
        if data.change == "set_role":
            if data.role is None:
                raise RuleViolation("請選擇角色 · Choose a role.")
            set_role(session, name, data.role, actor=actor)
        elif data.change == "disable":
            disable_user(session, name, actor=actor)
        else:
            enable_user(session, name, actor=actor)

    return submit(session, change, lambda _: "/admin/users",
                  lambda exc: _users(request, session, exc.status_code, exc.detail))  # fmt: skip


ROUTES = [login_page, login, logout, users_page, user_form]
