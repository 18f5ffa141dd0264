"""field visits: the reading anomaly of each month of the consumption history (INSP-02)

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t

revision = "0021"
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
    op.drop_column(t("consumption_history"), "anomaly_id", schema=schema())
