"""Pages people read, the one way: a Jinja template in the package's `templates/`, extending
`core/base.html`; forms post to handlers that call the same services as the API, and a rule a
form breaks is shown on the form's own page with what the person typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from facilities.core.errors import DomainError

T = TypeVar("T")


def page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(name, context=context, status_code=status)


def submit(
    session: Session, action: Callable[[], T], done: Callable[[T], str],
    again: Callable[[DomainError], Template],
) -> Template | Redirect:  # fmt: skip
    """Run a form's action: on success go to `done(result)` (303, so a reload does not post
    again); when it breaks a rule, undo whatever it wrote and show `again(error)`: the page,
    the error, the person's input kept."""
    try:
        result = action()
    except DomainError as exc:
        session.rollback()
        return again(exc)
    return Redirect(done(result), status_code=303)


def problems_of(exc: DomainError) -> list[str]:
    return list(exc.extra.get("problems") or exc.extra.get("errors") or [exc.detail])
