"""service orders: types, orders, unit trail, price table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import fk, ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("order_unit"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("relation", sa.SmallInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("order_unit", "order"),
        t("order_unit"),
        ["order_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("service_charge_value"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("metered", sa.Boolean(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("property_profile_id", sa.BigInteger(), nullable=True),
        sa.Column("capacity_id", sa.BigInteger(), nullable=True),
        sa.Column("category_id", sa.BigInteger(), nullable=True),
        sa.Column("subcategory_id", sa.BigInteger(), nullable=True),
        sa.Column("economies_from", sa.Integer(), nullable=True),
        sa.Column("economies_to", sa.Integer(), nullable=True),
        sa.Column("generates_debit", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("service_charge_value", "type"),
        t("service_charge_value"),
        ["service_type_id"],
        unique=False,
        schema=schema(),
    )
    op.create_table(
        t("service_type"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=50), nullable=False),
        sa.Column("abbreviation", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=1), nullable=True),
        sa.Column("value", Money(), nullable=True),
        sa.Column("value_editable", sa.Boolean(), nullable=False),
        sa.Column("debit_type_id", sa.BigInteger(), nullable=True),
        sa.Column("include_debit", sa.Boolean(), nullable=False),
        sa.Column("charge_interest", sa.Boolean(), nullable=False),
        sa.Column("consider_economies", sa.Boolean(), nullable=False),
        sa.Column("updates_commercial", sa.Boolean(), nullable=False),
        sa.Column("operation", sa.String(length=60), nullable=True),
        sa.Column("priority_id", sa.BigInteger(), nullable=True),
        sa.Column("profile_id", sa.BigInteger(), nullable=True),
        sa.Column("reference_id", sa.BigInteger(), nullable=True),
        sa.Column("requires_activities", sa.Boolean(), nullable=False),
        sa.Column("activity_ids", Json, nullable=False),
        sa.Column("closing_reason_ids", Json, nullable=False),
        sa.Column("inspection", sa.Boolean(), nullable=False),
        sa.Column("infraction_inspection", sa.Boolean(), nullable=False),
        sa.Column("pavement", sa.Boolean(), nullable=False),
        sa.Column("street_pavement", sa.Boolean(), nullable=False),
        sa.Column("sidewalk_pavement", sa.Boolean(), nullable=False),
        sa.Column("contractor", sa.Boolean(), nullable=False),
        sa.Column("allows_property_in_field", sa.Boolean(), nullable=False),
        sa.Column("selective_emission", sa.Boolean(), nullable=False),
        sa.Column("automatic_scheduling", sa.Boolean(), nullable=False),
        sa.Column("auto_close_request", sa.Boolean(), nullable=False),
        sa.Column("send_survey", sa.Boolean(), nullable=False),
        sa.Column("average_execution_minutes", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("service_order"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=False),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("request_id", sa.BigInteger(), nullable=True),
        sa.Column("collection_document_id", sa.BigInteger(), nullable=True),
        sa.Column("reference_order_id", sa.BigInteger(), nullable=True),
        sa.Column("reference_service_type_id", sa.BigInteger(), nullable=True),
        sa.Column("generated_at", UtcDateTime(), nullable=False),
        sa.Column("emitted_at", UtcDateTime(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closing_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("closing_remark", sa.String(length=400), nullable=True),
        sa.Column("observation", sa.String(length=400), nullable=True),
        sa.Column("original_value", Money(), nullable=True),
        sa.Column("current_value", Money(), nullable=True),
        sa.Column("charge_percentage", sa.SmallInteger(), nullable=True),
        sa.Column("non_charge_reason_id", sa.BigInteger(), nullable=True),
        sa.Column("commercial_applied", sa.Boolean(), nullable=False),
        sa.Column("diagnosed", sa.Boolean(), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("automatic_closing", sa.Boolean(), nullable=False),
        sa.Column("current_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("original_priority_id", sa.BigInteger(), nullable=True),
        sa.Column("current_priority_id", sa.BigInteger(), nullable=True),
        sa.Column("return_type_id", sa.BigInteger(), nullable=True),
        sa.Column("inspection_result", sa.SmallInteger(), nullable=True),
        sa.Column("pavement_area", Money(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_type_id"], [fk("service_type", "id")]),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("service_order", "property"),
        t("service_order"),
        ["property_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_order", "request"),
        t("service_order"),
        ["request_id"],
        unique=False,
        schema=schema(),
    )
    op.create_index(
        ix("service_order", "type_situation"),
        t("service_order"),
        ["service_type_id", "situation", "generated_at"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(
        ix("service_order", "type_situation"),
        table_name=t("service_order"),
        schema=schema(),
    )
    op.drop_index(
        ix("service_order", "request"), table_name=t("service_order"), schema=schema()
    )
    op.drop_index(
        ix("service_order", "property"), table_name=t("service_order"), schema=schema()
    )
    op.drop_table(t("service_order"), schema=schema())
    op.drop_table(t("service_type"), schema=schema())
    op.drop_index(
        ix("service_charge_value", "type"),
        table_name=t("service_charge_value"),
        schema=schema(),
    )
    op.drop_table(t("service_charge_value"), schema=schema())
    op.drop_index(
        ix("order_unit", "order"), table_name=t("order_unit"), schema=schema()
    )
    op.drop_table(t("order_unit"), schema=schema())
