"""field work II: the consumption anomaly of a month, read by the selective criteria

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t

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


def downgrade() -> None:
    with op.batch_alter_table(t("consumption_history"), schema=schema()) as batch:
        batch.drop_column("anomaly_id")
