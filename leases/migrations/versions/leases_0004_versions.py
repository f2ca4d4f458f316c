"""versions (ETags) on leases and their yearly rents

Revision ID: leases_0004
Revises: leases_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "leases_0004"
down_revision = "leases_0003"
branch_labels = None
depends_on = None

TABLES = ("leases", "lease_rents")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
