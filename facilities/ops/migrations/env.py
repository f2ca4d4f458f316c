"""Alembic environment: runs on the connection `facilities.ops.migrate` hands it. For
autogenerate, the composition root imports every package's models first (`domains.models()`),
so that the metadata knows every table."""

from __future__ import annotations

from alembic import context

from facilities.core.orm import Base, UTCDateTime


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
