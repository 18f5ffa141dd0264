"""hydrometers: meters, installation history, movements, anomaly actions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import fk, ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("consumption_anomaly_action"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("anomaly_id", sa.BigInteger(), nullable=False),
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("property_profile_id", sa.BigInteger(), nullable=True),
        sa.Column("steps", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("consumption_anomaly_action", "anomaly"),
        t("consumption_anomaly_action"),
        ["anomaly_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("hydrometer"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("acquired_on", sa.Date(), nullable=False),
        sa.Column("manufacture_year", sa.SmallInteger(), nullable=False),
        sa.Column("purpose", sa.SmallInteger(), nullable=False),
        sa.Column("reading_digits", sa.SmallInteger(), nullable=False),
        sa.Column("type_id", sa.BigInteger(), nullable=False),
        sa.Column("situation_id", sa.BigInteger(), nullable=False),
        sa.Column("brand_id", sa.BigInteger(), nullable=False),
        sa.Column("capacity_id", sa.BigInteger(), nullable=False),
        sa.Column("diameter_id", sa.BigInteger(), nullable=False),
        sa.Column("metrological_class_id", sa.BigInteger(), nullable=False),
        sa.Column("register_id", sa.BigInteger(), nullable=True),
        sa.Column("location_id", sa.BigInteger(), nullable=True),
        sa.Column("turbine_type_id", sa.BigInteger(), nullable=True),
        sa.Column("last_revision_on", sa.Date(), nullable=True),
        sa.Column("written_off_on", sa.Date(), nullable=True),
        sa.Column("write_off_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("accumulated_reading", sa.Integer(), nullable=False),
        sa.Column("transition_flow", Money(), nullable=True),
        sa.Column("nominal_flow", Money(), nullable=True),
        sa.Column("minimum_flow", Money(), nullable=True),
        sa.Column("invoice_number", sa.BigInteger(), nullable=True),
        sa.Column("warranty_years", sa.SmallInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer", "number"),
        t("hydrometer"),
        ["number"],
        unique=True,
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer", "stock"),
        t("hydrometer"),
        ["location_id", "situation_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("hydrometer_movement"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("moved_at", UtcDateTime(), nullable=False),
        sa.Column("reason_id", sa.BigInteger(), nullable=False),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("destination_id", sa.BigInteger(), nullable=False),
        sa.Column("situation_id", sa.BigInteger(), nullable=False),
        sa.Column("remark", sa.String(length=200), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("hydrometer_movement_line"),
        sa.Column("movement_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column(
            "hydrometer_id", sa.BigInteger(), autoincrement=False, nullable=False
        ),
        sa.ForeignKeyConstraint(["hydrometer_id"], [fk("hydrometer", "id")]),
        sa.ForeignKeyConstraint(["movement_id"], [fk("hydrometer_movement", "id")]),
        sa.PrimaryKeyConstraint("movement_id", "hydrometer_id"),
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer_movement_line", "hydrometer"),
        t("hydrometer_movement_line"),
        ["hydrometer_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("hydrometer_installation"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hydrometer_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("point", sa.SmallInteger(), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("installation_reading", sa.Integer(), nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("origin", sa.SmallInteger(), nullable=False),
        sa.Column("place_id", sa.BigInteger(), nullable=False),
        sa.Column("protection_id", sa.BigInteger(), nullable=False),
        sa.Column("stand", sa.Boolean(), nullable=False),
        sa.Column("seal", sa.String(length=12), nullable=True),
        sa.Column("tamper_seal", sa.String(length=10), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removal_reading", sa.Integer(), nullable=True),
        sa.Column("cut_reading", sa.Integer(), nullable=True),
        sa.Column("suppression_reading", sa.Integer(), nullable=True),
        sa.Column("installed_by", sa.BigInteger(), nullable=False),
        sa.Column("removed_by", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hydrometer_id"], [fk("hydrometer", "id")]),
        sa.ForeignKeyConstraint(["property_id"], [fk("property", "id")]),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer_installation", "hydrometer"),
        t("hydrometer_installation"),
        ["hydrometer_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer_installation", "open_hydrometer"),
        t("hydrometer_installation"),
        ["hydrometer_id"],
        unique=True,
        postgresql_where=sa.text("removed_on IS NULL"),
        sqlite_where=sa.text("removed_on IS NULL"),
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer_installation", "open_point"),
        t("hydrometer_installation"),
        ["property_id", "point"],
        unique=True,
        postgresql_where=sa.text("removed_on IS NULL"),
        sqlite_where=sa.text("removed_on IS NULL"),
        schema=schema(),
    )
    op.create_index(
        ix("hydrometer_installation", "point"),
        t("hydrometer_installation"),
        ["property_id", "point"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(
        ix("hydrometer_installation", "point"),
        table_name=t("hydrometer_installation"),
        schema=schema(),
    )
    op.drop_index(
        ix("hydrometer_installation", "open_point"),
        table_name=t("hydrometer_installation"),
        postgresql_where=sa.text("removed_on IS NULL"),
        sqlite_where=sa.text("removed_on IS NULL"),
        schema=schema(),
    )
    op.drop_index(
        ix("hydrometer_installation", "open_hydrometer"),
        table_name=t("hydrometer_installation"),
        postgresql_where=sa.text("removed_on IS NULL"),
        sqlite_where=sa.text("removed_on IS NULL"),
        schema=schema(),
    )
    op.drop_index(
        ix("hydrometer_installation", "hydrometer"),
        table_name=t("hydrometer_installation"),
        schema=schema(),
    )
    op.drop_table(t("hydrometer_installation"), schema=schema())
    op.drop_index(
        ix("hydrometer_movement_line", "hydrometer"),
        table_name=t("hydrometer_movement_line"),
        schema=schema(),
    )
    op.drop_table(t("hydrometer_movement_line"), schema=schema())
    op.drop_table(t("hydrometer_movement"), schema=schema())
    op.drop_index(
        ix("hydrometer", "stock"), table_name=t("hydrometer"), schema=schema()
    )
    op.drop_index(
        ix("hydrometer", "number"), table_name=t("hydrometer"), schema=schema()
    )
    op.drop_table(t("hydrometer"), schema=schema())
    op.drop_index(
        ix("consumption_anomaly_action", "anomaly"),
        table_name=t("consumption_anomaly_action"),
        schema=schema(),
    )
    op.drop_table(t("consumption_anomaly_action"), schema=schema())
