"""Optimistic concurrency, one way for every record a client updates: its ETag on read, and
If-Match required on write (428 without it, 412 when someone changed the record since)."""

from __future__ import annotations

from typing import Annotated

from litestar import Response
from litestar.params import HeaderParameter

from facilities.core.errors import PreconditionFailed, PreconditionRequired
from facilities.core.orm import Versioned

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=True,
        description="The record's ETag as read (GET); `*` for whatever version is current",
    ),
]  # fmt: skip


IfMatchToReplace = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=False,
        description="Required to replace what is recorded: its ETag as read (`*` for any); "
        "absent to record something new",
    ),
]  # fmt: skip


def check_if_match(row: Versioned, if_match: str | None, what: str, where: str) -> None:
    """Call with the row locked (SELECT ... FOR UPDATE, or SQLite's write lock): the version the
    client saw must still be the current one."""
    if not if_match or not if_match.strip():
        raise PreconditionRequired(
            f"Send If-Match with the {what}'s ETag (GET {where}), so that a change made "
            "meanwhile by someone else is not overwritten."
        )
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and row.etag not in tags and f"W/{row.etag}" not in tags:
        raise PreconditionFailed(
            f"Someone changed this {what} after you loaded it: reload it, check their change, "
            f"and apply yours again (current ETag {row.etag}).",
            current_etag=row.etag,
        )


def tagged(body: object, row: Versioned, status_code: int = 200) -> Response:
    """A record's answer with its ETag in the header (and, by each schema, in the body)."""
    return Response(body, headers={"ETag": row.etag}, status_code=status_code)
