"""versions (ETags) on sites and alerts; the data-version row retired (changes are watched
without a row every write locks: facilities.core.versions)

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
    op.drop_table("data_version")


def downgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
