"""accounts: customers and their property relations, the surcharge index table, collection documents, certificates, payments and the payments linked to refund RAs; the open-debt columns UC0067 reads

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.schema.foundation import open_debt_account_columns
from gsan_core.adapters.sqlalchemy.types import Json, Money, UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    for column in open_debt_account_columns():
        op.add_column(t("open_debt"), column, schema=schema())
    op.create_table(
        t("power_sphere"),
        _id(),
        sa.Column("description", sa.String(length=40), nullable=False),
        sa.Column("property_certificate_allowed", sa.Boolean(), nullable=False),
        sa.Column("customer_certificate_allowed", sa.Boolean(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("customer_type"),
        _id(),
        sa.Column("description", sa.String(length=50), nullable=False),
        sa.Column("person_kind", sa.SmallInteger(), nullable=False),
        sa.Column("power_sphere_id", sa.BigInteger(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("customer"),
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("customer_type_id", sa.BigInteger(), nullable=False),
        sa.Column("person_kind", sa.SmallInteger(), nullable=False),
        sa.Column("document", sa.String(length=14), nullable=True),
        sa.Column("responsible_customer_id", sa.BigInteger(), nullable=True),
        sa.Column("charges_surcharges", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(length=80), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("customer", "document"), t("customer"), ["document"], schema=schema()
    )
    op.create_index(
        ix("customer", "responsible"),
        t("customer"),
        ["responsible_customer_id"],
        schema=schema(),
    )
    op.create_table(
        t("customer_property"),
        _id(),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("relation", sa.SmallInteger(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("name_on_bill", sa.Boolean(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("customer_property", "property"),
        t("customer_property"),
        ["property_id"],
        schema=schema(),
    )
    op.create_index(
        ix("customer_property", "customer"),
        t("customer_property"),
        ["customer_id"],
        schema=schema(),
    )
    op.create_table(
        t("surcharge_index"),
        _id(),
        sa.Column("fine_rate", Money(), nullable=False),
        sa.Column("fine_monthly", sa.Boolean(), nullable=False),
        sa.Column("fine_limit", Money(), nullable=True),
        sa.Column("interest_rate", Money(), nullable=False),
        sa.Column("interest_monthly", sa.Boolean(), nullable=False),
        sa.Column("interest_limit", Money(), nullable=True),
        sa.Column("correction_factor", Money(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("collection_document"),
        _id(),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("document_type_id", sa.SmallInteger(), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("surcharges", Money(), nullable=False),
        sa.Column("discount", Money(), nullable=False),
        sa.Column("fee", Money(), nullable=False),
        sa.Column("debt_situation", sa.SmallInteger(), nullable=False),
        sa.Column("barcode", sa.String(length=44), nullable=False),
        sa.Column("items", Json, nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("collection_document", "property"),
        t("collection_document"),
        ["property_id"],
        schema=schema(),
    )
    op.create_table(
        t("certificate"),
        _id(),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("customer_id", sa.BigInteger(), nullable=True),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("authentication_code", sa.String(length=20), nullable=False),
        sa.Column("positive_effect", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("certificate", "property_code"),
        t("certificate"),
        ["property_id", "authentication_code"],
        schema=schema(),
    )
    op.create_index(
        ix("certificate", "customer"),
        t("certificate"),
        ["customer_id"],
        schema=schema(),
    )
    op.create_table(
        t("payment"),
        _id(),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=True),
        sa.Column("collection_month", sa.Integer(), nullable=True),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("previous_situation", sa.SmallInteger(), nullable=True),
        sa.Column("slip_id", sa.BigInteger(), nullable=True),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("payment", "property"), t("payment"), ["property_id"], schema=schema()
    )
    op.create_table(
        t("request_payment"),
        _id(),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("refunded", sa.Boolean(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("request_payment", "request"),
        t("request_payment"),
        ["request_id"],
        schema=schema(),
    )
    op.create_index(
        ix("request_payment", "payment"),
        t("request_payment"),
        ["payment_id"],
        schema=schema(),
    )


def downgrade() -> None:
    for table in (
        "request_payment",
        "payment",
        "certificate",
        "collection_document",
        "surcharge_index",
        "customer_property",
        "customer",
        "customer_type",
        "power_sphere",
    ):
        op.drop_table(t(table), schema=schema())
    with op.batch_alter_table(t("open_debt"), schema=schema()) as batch:
        for column in reversed(open_debt_account_columns()):
            batch.drop_column(column.name)
