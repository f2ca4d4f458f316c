"""Alembic environment: runs on the connection `facilities.migrate` hands it."""

from __future__ import annotations

from alembic import context

from facilities.db import Base
from facilities.domains import model_modules

model_modules()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
