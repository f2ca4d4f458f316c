"""the mandate's rule for part-year baselines

Revision ID: leases_0003
Revises: leases_0002
Create Date: 2026-11-30 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "leases_0003"
down_revision = "leases_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rent_mandates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("part_year", sa.String(length=20), nullable=False, server_default="annualise")
        )


def downgrade() -> None:
    with op.batch_alter_table("rent_mandates", schema=None) as batch_op:
        batch_op.drop_column("part_year")
