"""Alembic environment: runs on the connection `facilities.migrate` hands it."""

from __future__ import annotations

from alembic import context

from facilities.db import Base, UTCDateTime
from facilities.domains import model_modules

model_modules()


def render_item(type_, obj, autogen_context):
    """Migrations name plain SQLAlchemy types, never the product's own (which may change)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
