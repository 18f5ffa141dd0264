"""service orders: teams, material kits, execution data, type materials

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("material_kit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=50), nullable=False),
        sa.Column("abbreviation", sa.String(length=20), nullable=True),
        sa.Column("lines", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("order_execution"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("activities", Json, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("team"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("work_minutes", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=10), nullable=True),
        sa.Column("profile_id", sa.BigInteger(), nullable=True),
        sa.Column("phone_area_code", sa.Integer(), nullable=True),
        sa.Column("phone_number", sa.String(length=20), nullable=True),
        sa.Column("imei", sa.String(length=20), nullable=True),
        sa.Column("responsible_user_id", sa.BigInteger(), nullable=True),
        sa.Column("automatic_scheduling", sa.Boolean(), nullable=False),
        sa.Column("components", Json, nullable=False),
        sa.Column("equipment_ids", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("team", "unit"), t("team"), ["unit_id"], unique=False, schema=schema()
    )
    op.create_index(
        ix("service_order", "closed_at"),
        t("service_order"),
        ["closed_at"],
        unique=False,
        schema=schema(),
    )
    op.add_column(
        t("service_type"),
        sa.Column("materials", Json, nullable=False, server_default=sa.text("'[]'")),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_column(t("service_type"), "materials", schema=schema())
    op.drop_index(
        ix("service_order", "closed_at"), table_name=t("service_order"), schema=schema()
    )
    op.drop_index(ix("team", "unit"), table_name=t("team"), schema=schema())
    op.drop_table(t("team"), schema=schema())
    op.drop_table(t("order_execution"), schema=schema())
    op.drop_table(t("material_kit"), schema=schema())
