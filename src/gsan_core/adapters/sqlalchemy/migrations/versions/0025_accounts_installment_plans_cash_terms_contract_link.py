"""accounts: installment plans (EXT-04), the cash-payment terms of the parcelamento profile (EXT-15), the contract-of-parcelamento link of an open item (ODB-04, SVS-07), the tariffs and the bills' billed consumption (ACR-12)

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, Money

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.add_column(
        t("open_debt"),
        sa.Column("contract_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )
    op.create_table(
        t("installment_plan"),
        _id(),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("installment_plan", "property"),
        t("installment_plan"),
        ["property_id"],
        schema=schema(),
    )
    op.create_table(
        t("cash_payment_terms"),
        _id(),
        sa.Column("property_profile_id", sa.BigInteger(), nullable=False),
        sa.Column("fine_discount", Money(), nullable=False),
        sa.Column("interest_discount", Money(), nullable=False),
        sa.Column("correction_discount", Money(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("cash_payment_terms", "profile"),
        t("cash_payment_terms"),
        ["property_profile_id"],
        schema=schema(),
    )

    op.create_table(
        t("tariff"),
        _id(),
        sa.Column("tariff_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("categories", Json, nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("tariff", "tariff"),
        t("tariff"),
        ["tariff_id", "valid_from"],
        schema=schema(),
    )
    op.create_table(
        t("billed_consumption"),
        _id(),
        sa.Column("tariff_id", sa.BigInteger(), nullable=False),
        sa.Column("water_volume", sa.Integer(), nullable=False),
        sa.Column("economies", Json, nullable=False),
        sa.Column("water_value", Money(), nullable=False),
        sa.Column("sewer_value", Money(), nullable=False),
        sa.Column("sewer_percent", Money(), nullable=True),
        _version(),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_table(t("billed_consumption"), schema=schema())
    op.drop_index(ix("tariff", "tariff"), table_name=t("tariff"), schema=schema())
    op.drop_table(t("tariff"), schema=schema())
    op.drop_index(
        ix("cash_payment_terms", "profile"),
        table_name=t("cash_payment_terms"),
        schema=schema(),
    )
    op.drop_table(t("cash_payment_terms"), schema=schema())
    op.drop_index(
        ix("installment_plan", "property"),
        table_name=t("installment_plan"),
        schema=schema(),
    )
    op.drop_table(t("installment_plan"), schema=schema())
    with op.batch_alter_table(t("open_debt"), schema=schema()) as batch:
        batch.drop_column("contract_id")
