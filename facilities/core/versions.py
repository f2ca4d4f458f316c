"""The data version: one counter that every write bumps in its own transaction, so that any
process can tell whether cached answers are still good."""

from __future__ import annotations

from sqlalchemy import BigInteger, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from facilities.core.orm import Base


class DataVersion(Base):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


VERSION_QUERY = "SELECT version FROM data_version WHERE id = 1"
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


def _note_change(session: Session, flush_context, instances) -> None:
    if session.new or session.dirty or session.deleted:
        session.info["data_changed"] = True


def _bump_after_flush(session: Session, flush_context) -> None:
    if session.info.pop("data_changed", False):
        session.execute(update(DataVersion).values(version=DataVersion.version + 1))


def track_changes(session_class: type[Session] | object) -> None:
    """Bump the data version on every flush that writes through the ORM."""
    event.listen(session_class, "before_flush", _note_change)
    event.listen(session_class, "after_flush", _bump_after_flush)
