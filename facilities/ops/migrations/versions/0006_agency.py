"""agency identity; seeds left empty

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "sites_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name_zh", sa.String(length=20), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
    )
    with op.batch_alter_table("seed_state") as batch:
        batch.add_column(
            sa.Column("left_empty", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("seed_state") as batch:
        batch.drop_column("left_empty")
    op.drop_table("agency")
