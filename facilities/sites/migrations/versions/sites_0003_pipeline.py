"""the state-land pipeline: each county's road to owning its sites (tracks, dated stages)

Revision ID: sites_0003
Revises: sites_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "sites_0003"
down_revision = "0005"
branch_labels = None
depends_on = None


def audit_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "ownership_pipelines",
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        *audit_columns(),
        sa.ForeignKeyConstraint(
            ["county_id"], ["counties.id"], name=op.f("fk_ownership_pipelines_county_id_counties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_pipelines")),
        sa.UniqueConstraint("county_id", name=op.f("uq_ownership_pipelines_county_id")),
    )
    op.create_table(
        "pipeline_tracks",
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("project_code", sa.String(length=32), nullable=True),
        *audit_columns(),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["ownership_pipelines.id"],
            name=op.f("fk_pipeline_tracks_pipeline_id_ownership_pipelines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_pipeline_tracks_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_tracks")),
        sa.UniqueConstraint("pipeline_id", "site_id", name=op.f("uq_pipeline_tracks_pipeline_id")),
    )
    for column in ("pipeline_id", "site_id", "project_code"):
        op.create_index(op.f(f"ix_pipeline_tracks_{column}"), "pipeline_tracks", [column])
    op.create_table(
        "pipeline_changes",
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("project_code", sa.String(length=32), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        *audit_columns(),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["pipeline_tracks.id"],
            name=op.f("fk_pipeline_changes_track_id_pipeline_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_changes")),
    )
    op.create_index(op.f("ix_pipeline_changes_track_id"), "pipeline_changes", ["track_id"])


def downgrade() -> None:
    op.drop_table("pipeline_changes")
    op.drop_table("pipeline_tracks")
    op.drop_table("ownership_pipelines")
