"""versions (ETags) on budget lines and progress reports; overrides of the appropriation as
rows of their own

Revision ID: construction_0002
Revises: construction_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "construction_0002"
down_revision = "construction_0001"
branch_labels = None
depends_on = None

TABLES = ("budget_lines", "progress_reports")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "appropriation_overrides",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(length=64), nullable=False),
        sa.Column("spent_ntd", sa.BigInteger(), nullable=False),
        sa.Column("appropriated_ntd", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_appropriation_overrides_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appropriation_overrides")),
    )
    op.create_index(
        op.f("ix_appropriation_overrides_project_id"), "appropriation_overrides", ["project_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_appropriation_overrides_project_id"), "appropriation_overrides")
    op.drop_table("appropriation_overrides")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
