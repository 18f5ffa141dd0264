"""field work II: a customer's identity card and phone (returns), the sewer-connection commands

Revision ID: 0022

Revises: 0021
Create Date: 2026-12-07

The month's anomaly of the consumption history (the selective criterion of
consecutive anomalies) is 0021's column, shared with INSP-02.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.schema.accounts import customer_contact_columns
from gsan_core.adapters.sqlalchemy.types import Json, UtcDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in customer_contact_columns():
        op.add_column(t("customer"), column, schema=schema())
    _sewer_tables()


def _sewer_tables() -> None:
    op.create_table(
        t("sewer_command"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=False),
        sa.Column("criteria", Json, nullable=False),
        sa.Column("connection", Json, nullable=False),
        sa.Column("automatic_close", sa.Boolean(), nullable=False),
        sa.Column("closing_remark", sa.String(length=200), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("executed_at", UtcDateTime, nullable=True),
        sa.Column("finished_at", UtcDateTime, nullable=True),
        sa.Column("generated", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("sewer_command_order"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("command_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("notified_at", UtcDateTime, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    table = "sewer_command_order"
    op.create_index(
        ix(table, "property"),
        t(table),
        ["property_id", "command_id"],
        unique=True,
        schema=schema(),
    )
    op.create_index(
        ix(table, "command"), t(table), ["command_id", "order_id"], schema=schema()
    )
    op.create_index(ix(table, "order"), t(table), ["order_id"], schema=schema())


def downgrade() -> None:
    op.drop_table(t("sewer_command_order"), schema=schema())
    op.drop_table(t("sewer_command"), schema=schema())
    with op.batch_alter_table(t("customer"), schema=schema()) as batch:
        for column in reversed(customer_contact_columns()):
            batch.drop_column(column.name)
