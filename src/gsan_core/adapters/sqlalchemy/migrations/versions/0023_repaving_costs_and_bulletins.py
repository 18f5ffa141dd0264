"""repaving costs per unit and pavement type, the bulletin quantities of executed orders, the inspection of concluded orders

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False)


def upgrade() -> None:
    op.create_table(
        t("repaving_cost"),
        _id(),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("surface", sa.SmallInteger(), nullable=False),
        sa.Column("pavement_type_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("value", Money(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("repaving_cost", "vigency"),
        t("repaving_cost"),
        ["unit_id", "surface", "pavement_type_id", "valid_from"],
        unique=True,
        schema=schema(),
    )
    op.create_table(
        t("order_bulletin"),
        _id(),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("has_pavement", sa.Boolean(), nullable=True),
        sa.Column("asphalt", Money(), nullable=False),
        sa.Column("paving_stone", Money(), nullable=False),
        sa.Column("sidewalk", Money(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("order_bulletin", "order"),
        t("order_bulletin"),
        ["order_id"],
        unique=True,
        schema=schema(),
    )
    op.create_table(
        t("concluded_order_inspection"),
        _id(),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.SmallInteger(), nullable=False),
        sa.Column("inspected_on_1", sa.Date(), nullable=True),
        sa.Column("inspected_on_2", sa.Date(), nullable=True),
        sa.Column("inspected_on_3", sa.Date(), nullable=True),
        sa.Column("inspector_id", sa.BigInteger(), nullable=True),
        sa.Column("bulletin_month", sa.Integer(), nullable=True),
        sa.Column("bulletin_closed_on", sa.Date(), nullable=True),
        sa.Column("protection_box_swapped", sa.Boolean(), nullable=False),
        sa.Column("register_swapped", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("concluded_order_inspection", "order"),
        t("concluded_order_inspection"),
        ["order_id"],
        unique=True,
        schema=schema(),
    )


def downgrade() -> None:
    for table, suffix in (
        ("concluded_order_inspection", "order"),
        ("order_bulletin", "order"),
        ("repaving_cost", "vigency"),
    ):
        op.drop_index(ix(table, suffix), table_name=t(table), schema=schema())
        op.drop_table(t(table), schema=schema())
