"""versions (ETags) on sites and alerts

Revision ID: sites_0002
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "sites_0002"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("sites", "alerts")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
