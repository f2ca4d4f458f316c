"""Domain errors, and the one mapper that turns every error into RFC 9457 problem+json."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class RuleViolation(DomainError):
    status_code = 422
    title = "The request breaks a rule of the register"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    status_code = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    status_code = 428
    title = "Precondition required"


TITLES_ZH = {
    400: "請求有誤", 401: "請先登入", 403: "無此權限", 404: "找不到", 405: "不支援此操作",
    409: "與現有資料衝突", 412: "資料已被他人修改", 413: "檔案過大", 422: "不符規則",
    428: "需附上版本", 429: "嘗試次數過多", 500: "系統錯誤", 503: "暫時無法服務",
}  # fmt: skip


def problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> Response[Any]:
    """RFC 9457 problem+json for API clients; for a person in a browser, the same as a page in
    Chinese and English."""
    if _wants_page(request):
        return error_page(request, status, title, detail, extra.get("problems", ()))
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = request.url.path
    body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def error_page(
    request: Request, status: int, title: str, detail: str, problems: Any = ()
) -> Response[str]:
    html = request.app.state.templates.get_template("core/error.html").render(
        status=status, title=title,
        title_zh=TITLES_ZH.get(status, ""), detail=detail, problems=list(problems),
        back=request.headers.get("referer"),
    )  # fmt: skip
    return Response(html, status_code=status, media_type="text/html")


def domain_error_handler(request: Request, exc: DomainError) -> Response[dict[str, Any]]:
    return problem(exc.status_code, exc.title, exc.detail, request, **exc.extra)


def http_exception_handler(request: Request, exc: HTTPException) -> Response[Any]:
    if exc.status_code == 401 and _wants_page(request):
        return Redirect(f"/login?next={quote(request.url.path)}", status_code=303)
    extra: dict[str, Any] = {}
    detail = exc.detail
    if isinstance(exc, ValidationException) and _missing_if_match(exc):
        return problem(
            428, "Precondition required", "Send If-Match with the record's ETag (from a GET), "
            "so that a change made meanwhile by someone else is not overwritten.", request,
        )  # fmt: skip
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        extra["errors"] = exc.extra
        detail = "; ".join(_validation_message(e) for e in exc.extra) or detail
    response = problem(exc.status_code, _title(exc.status_code), detail, request, **extra)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def internal_error_handler(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Internal server error",
        "The server failed to answer; nothing was changed. The error has been logged.",
        request,
    )


def integrity_error_handler(request: Request, exc: IntegrityError) -> Response[dict[str, Any]]:
    log.info("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
    return problem(
        HTTP_409_CONFLICT,
        "Conflict",
        "The change conflicts with data already in the register (a duplicate, or a reference "
        "to something that does not exist); nothing was changed. Reload and try again.",
        request,
    )


def stale_record_handler(request: Request, exc: StaleDataError) -> Response[dict[str, Any]]:
    """The record's version moved between reading and writing it (a writer that did not lock
    it): the change is refused whole, as a stale If-Match is."""
    return problem(
        412, "Precondition failed", "Someone changed this record at the same moment: reload "
        "it and apply your change again; nothing was changed.", request,
    )  # fmt: skip


def busy_database_handler(request: Request, exc: OperationalError) -> Response[dict[str, Any]]:
    """The database could not answer in time: busy with another writer (SQLite), a lock or a
    statement that outlasted its timeout (PostgreSQL), or out of reach. The client is told to
    retry; nothing was changed."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
    response = problem(
        HTTP_503_SERVICE_UNAVAILABLE, "Busy",
        "Another change was being written at the same moment; nothing was changed. "
        "Send the request again.", request,
    )  # fmt: skip
    response.headers["Retry-After"] = "1"
    return response


def _missing_if_match(exc: ValidationException) -> bool:
    """The OpenAPI document says If-Match is required; without it the answer is 428, not 400."""
    errors = exc.extra if isinstance(exc.extra, list) else []
    return any(
        isinstance(e, dict)
        and str(e.get("key", "")).lower() == "if-match"
        and "missing" in str(e.get("message", "")).lower()
        for e in errors
    )


def _wants_page(request: Request) -> bool:
    """A person in a browser: a page asked for as HTML, anywhere but the API."""
    return not request.url.path.startswith(("/api/", "/schema/openapi")) and "text/html" in (
        request.headers.get("accept", "")
    )


def _validation_message(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)
    key, message = error.get("key"), error.get("message", "invalid")
    return f"{key}: {message}" if key else message


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    HTTPException: http_exception_handler,
    IntegrityError: integrity_error_handler,
    OperationalError: busy_database_handler,
    StaleDataError: stale_record_handler,
    Exception: internal_error_handler,
}
