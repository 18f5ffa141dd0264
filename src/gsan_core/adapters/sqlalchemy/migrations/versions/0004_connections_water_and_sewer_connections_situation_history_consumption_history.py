"""connections: water and sewer connections, situation history, consumption history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import fk, ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Money, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("consumption_history"),
        sa.Column("property_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reference", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("consumption_type_id", sa.BigInteger(), nullable=False),
        sa.Column("billed_volume", sa.Integer(), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("property_id", "reference", "kind"),
        schema=schema(),
    )
    op.create_table(
        t("situation_change"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("before_id", sa.BigInteger(), nullable=False),
        sa.Column("after_id", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("operation", sa.String(length=60), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("reading", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("situation_change", "effective"),
        t("situation_change"),
        ["effective_on"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("situation_change", "property"),
        t("situation_change"),
        ["property_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("sewer_connection"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("connected_on", sa.Date(), nullable=False),
        sa.Column("diameter_id", sa.BigInteger(), nullable=False),
        sa.Column("material_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_id", sa.BigInteger(), nullable=False),
        sa.Column("collection_percentage", Money(), nullable=False),
        sa.Column("sewer_percentage", Money(), nullable=False),
        sa.Column("grease_trap", sa.Boolean(), nullable=False),
        sa.Column("connection_indicator", sa.Boolean(), nullable=False),
        sa.Column("minimum_volume", sa.Integer(), nullable=True),
        sa.Column("drainage_id", sa.BigInteger(), nullable=True),
        sa.Column("waste_destination_id", sa.BigInteger(), nullable=True),
        sa.Column("inspection_box_id", sa.BigInteger(), nullable=True),
        sa.Column("rainwater_destination_id", sa.BigInteger(), nullable=True),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("previous_status_id", sa.BigInteger(), nullable=True),
        sa.Column("request_id", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["id"], [fk("property", "id")]),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("water_connection"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("connected_on", sa.Date(), nullable=False),
        sa.Column("implanted_on", sa.Date(), nullable=False),
        sa.Column("diameter_id", sa.BigInteger(), nullable=False),
        sa.Column("material_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_id", sa.BigInteger(), nullable=False),
        sa.Column("branch_location_id", sa.BigInteger(), nullable=True),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("seal_number", sa.String(length=10), nullable=True),
        sa.Column("street_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("sidewalk_pavement_id", sa.BigInteger(), nullable=True),
        sa.Column("branch_depth", Money(), nullable=True),
        sa.Column("branch_distance", Money(), nullable=True),
        sa.Column("minimum_consumption", sa.Integer(), nullable=True),
        sa.Column("cut_on", sa.Date(), nullable=True),
        sa.Column("cut_seal", sa.BigInteger(), nullable=True),
        sa.Column("cut_type_id", sa.BigInteger(), nullable=True),
        sa.Column("cut_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("administrative_cut_on", sa.Date(), nullable=True),
        sa.Column("reconnected_on", sa.Date(), nullable=True),
        sa.Column("suppressed_on", sa.Date(), nullable=True),
        sa.Column("suppression_seal", sa.BigInteger(), nullable=True),
        sa.Column("suppression_type_id", sa.BigInteger(), nullable=True),
        sa.Column("suppression_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("restored_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["id"], [fk("property", "id")]),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_table(t("water_connection"), schema=schema())
    op.drop_table(t("sewer_connection"), schema=schema())
    op.drop_index(
        ix("situation_change", "property"),
        table_name=t("situation_change"),
        schema=schema(),
    )
    op.drop_index(
        ix("situation_change", "effective"),
        table_name=t("situation_change"),
        schema=schema(),
    )
    op.drop_table(t("situation_change"), schema=schema())
    op.drop_table(t("consumption_history"), schema=schema())
