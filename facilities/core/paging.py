"""One way to page a list, for every list the API answers: `limit` and `offset` in,
`{"items", "total", "limit", "offset"}` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
U = TypeVar("U")

MAX_LIMIT = 1000
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items on a page")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items skipped")]


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list, and how long the whole list is."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.total, self.limit, self.offset)


class Page(msgspec.Struct, Generic[T]):
    """The envelope of every list the API answers."""

    items: list[T]
    total: int
    limit: int
    offset: int


def paginate(session: Session, query: Select[Any], *, limit: int, offset: int) -> Paged[Any]:
    """A page of an ordered query's rows (its first column), counted in SQL."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Paged(
        session.scalars(query.limit(limit).offset(offset)).all(), total or 0, limit, offset
    )


def page_of(items: Sequence[T], *, limit: int, offset: int) -> Paged[T]:
    """A page of a list that is ordered in Python (by a figure computed from the rows)."""
    return Paged(items[offset : offset + limit], len(items), limit, offset)
