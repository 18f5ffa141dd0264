"""foundation: catalog, location, properties, units, billing port, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import fk, ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("catalog_item"),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("abbreviation", sa.String(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("attributes", Json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "id"),
        schema=schema(),
    )
    op.create_table(
        t("charge"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("debit_type_id", sa.BigInteger(), nullable=False),
        sa.Column("total", Money(), nullable=False),
        sa.Column("installments", sa.Integer(), nullable=False),
        sa.Column("installment_value", Money(), nullable=False),
        sa.Column("interest_rate", Money(), nullable=False),
        sa.Column("service_order_id", sa.BigInteger(), nullable=True),
        sa.Column("service_request_id", sa.BigInteger(), nullable=True),
        sa.Column("generated_at", UtcDateTime(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=True),
        sa.Column("shares", Json, nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("charge", "property"),
        t("charge"),
        ["property_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("field_lock"),
        sa.Column("route_id", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("route_id"),
        schema=schema(),
    )
    op.create_table(
        t("id_block"),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
        schema=schema(),
    )
    op.create_table(
        t("locality"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("municipality_id", sa.BigInteger(), nullable=True),
        sa.Column("stock_location_id", sa.BigInteger(), nullable=True),
        sa.Column("ppp_contract", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("open_debt"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("reference", sa.Integer(), nullable=True),
        sa.Column("debit_type_id", sa.BigInteger(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("open_debt", "property"),
        t("open_debt"),
        ["property_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("outbox"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("outbox", "unpublished"),
        t("outbox"),
        ["published_at"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("unit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("acronym", sa.String(length=20), nullable=True),
        sa.Column("unit_type_id", sa.BigInteger(), nullable=False),
        sa.Column("superior_id", sa.BigInteger(), nullable=True),
        sa.Column("dispatch_centre_id", sa.BigInteger(), nullable=True),
        sa.Column("accepts_routing", sa.Boolean(), nullable=False),
        sa.Column("may_open_requests", sa.Boolean(), nullable=False),
        sa.Column("call_centre", sa.Boolean(), nullable=False),
        sa.Column("social_tariff", sa.Boolean(), nullable=False),
        sa.Column("sewer", sa.Boolean(), nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=True),
        sa.Column("company_id", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispatch_centre_id"],
            [fk("unit", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["superior_id"],
            [fk("unit", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("user_permission"),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("permission_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "permission_id"),
        schema=schema(),
    )
    op.create_table(
        t("sector"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            [fk("locality", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("user"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("login", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            [fk("unit", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("block"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("sector_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("water_network", sa.SmallInteger(), nullable=False),
        sa.Column("sewer_network", sa.SmallInteger(), nullable=False),
        sa.Column("sewer_division_id", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            [fk("locality", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            [fk("sector", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("route"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("sector_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("simultaneous_printing", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            [fk("locality", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            [fk("sector", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("route", "group"), t("route"), ["group_id"], unique=False, schema=schema()
    )
    op.create_table(
        t("property"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=False),
        sa.Column("sector_id", sa.BigInteger(), nullable=False),
        sa.Column("block_id", sa.BigInteger(), nullable=False),
        sa.Column("block_face", sa.Integer(), nullable=True),
        sa.Column("route_id", sa.BigInteger(), nullable=True),
        sa.Column("profile_id", sa.BigInteger(), nullable=False),
        sa.Column("categories", Json, nullable=False),
        sa.Column("water_status_id", sa.BigInteger(), nullable=False),
        sa.Column("sewer_status_id", sa.BigInteger(), nullable=False),
        sa.Column("collection_situation_ids", Json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"],
            [fk("block", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            [fk("locality", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            [fk("route", "id")],
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            [fk("sector", "id")],
        ),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("property", "locality"),
        t("property"),
        ["locality_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("property", "route"),
        t("property"),
        ["route_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("property", "water_status"),
        t("property"),
        ["water_status_id"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(
        ix("property", "water_status"), table_name=t("property"), schema=schema()
    )
    op.drop_index(ix("property", "route"), table_name=t("property"), schema=schema())
    op.drop_index(ix("property", "locality"), table_name=t("property"), schema=schema())
    op.drop_table(t("property"), schema=schema())
    op.drop_index(ix("route", "group"), table_name=t("route"), schema=schema())
    op.drop_table(t("route"), schema=schema())
    op.drop_table(t("block"), schema=schema())
    op.drop_table(t("user"), schema=schema())
    op.drop_table(t("sector"), schema=schema())
    op.drop_table(t("user_permission"), schema=schema())
    op.drop_table(t("unit"), schema=schema())
    op.drop_index(ix("outbox", "unpublished"), table_name=t("outbox"), schema=schema())
    op.drop_table(t("outbox"), schema=schema())
    op.drop_index(
        ix("open_debt", "property"), table_name=t("open_debt"), schema=schema()
    )
    op.drop_table(t("open_debt"), schema=schema())
    op.drop_table(t("locality"), schema=schema())
    op.drop_table(t("id_block"), schema=schema())
    op.drop_table(t("field_lock"), schema=schema())
    op.drop_index(ix("charge", "property"), table_name=t("charge"), schema=schema())
    op.drop_table(t("charge"), schema=schema())
    op.drop_table(t("catalog_item"), schema=schema())
