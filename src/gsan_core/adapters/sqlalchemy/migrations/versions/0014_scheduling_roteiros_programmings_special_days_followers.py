"""scheduling: roteiros, programmings, special days, team followers; team nature
and vehicle; a service type's calibration; the orders of a unit by situation

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    for column in ("nature_id", "vehicle_id"):
        op.add_column(
            t("team"),
            sa.Column(column, sa.BigInteger(), nullable=True),
            schema=schema(),
        )
    op.add_column(
        t("service_type"),
        sa.Column("calibration_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )
    op.create_index(
        ix("service_order", "unit_situation"),
        t("service_order"),
        ["current_unit_id", "situation"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("schedule"),
        _id(),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("schedule", "unit_on"),
        t("schedule"),
        ["unit_id", "on"],
        unique=True,
        schema=schema(),
    )
    op.create_table(
        t("scheduled_order"),
        _id(),
        sa.Column("schedule_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("principal", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("scheduled_by", sa.BigInteger(), nullable=False),
        sa.Column("scheduled_at", UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("reason_id", sa.BigInteger(), nullable=True),
        sa.Column("missing_equipment_id", sa.BigInteger(), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    for suffix, columns in (
        ("order", ["order_id", "active"]),
        ("day", ["unit_id", "on", "team_id", "active"]),
        ("schedule", ["schedule_id"]),
    ):
        op.create_index(
            ix("scheduled_order", suffix),
            t("scheduled_order"),
            columns,
            unique=False,
            schema=schema(),
        )
    op.create_table(
        t("special_day"),
        _id(),
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("special_day", "team_on"),
        t("special_day"),
        ["team_id", "on"],
        unique=True,
        schema=schema(),
    )
    op.create_table(
        t("team_follower"),
        _id(),
        sa.Column("nature_ids", Json, nullable=False),
        sa.Column("team_ids", Json, nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_table(t("team_follower"), schema=schema())
    op.drop_index(
        ix("special_day", "team_on"), table_name=t("special_day"), schema=schema()
    )
    op.drop_table(t("special_day"), schema=schema())
    for suffix in ("schedule", "day", "order"):
        op.drop_index(
            ix("scheduled_order", suffix),
            table_name=t("scheduled_order"),
            schema=schema(),
        )
    op.drop_table(t("scheduled_order"), schema=schema())
    op.drop_index(ix("schedule", "unit_on"), table_name=t("schedule"), schema=schema())
    op.drop_table(t("schedule"), schema=schema())
    op.drop_index(
        ix("service_order", "unit_situation"),
        table_name=t("service_order"),
        schema=schema(),
    )
    op.drop_column(t("service_type"), "calibration_id", schema=schema())
    op.drop_column(t("team"), "vehicle_id", schema=schema())
    op.drop_column(t("team"), "nature_id", schema=schema())
