"""field work II: the consumption anomaly of a month (selective criteria), a customer's identity card and phone (returns)

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t
from gsan_core.adapters.sqlalchemy.schema.accounts import customer_contact_columns

revision = "0022"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        t("consumption_history"),
        sa.Column("anomaly_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )
    for column in customer_contact_columns():
        op.add_column(t("customer"), column, schema=schema())


def downgrade() -> None:
    with op.batch_alter_table(t("customer"), schema=schema()) as batch:
        for column in reversed(customer_contact_columns()):
            batch.drop_column(column.name)
    with op.batch_alter_table(t("consumption_history"), schema=schema()) as batch:
        batch.drop_column("anomaly_id")
