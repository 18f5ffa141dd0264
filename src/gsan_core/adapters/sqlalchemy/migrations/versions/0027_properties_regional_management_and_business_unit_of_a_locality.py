"""properties: gerência regional (greg_id) and unidade de negócio (uneg_id) of a locality

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        t("locality"),
        sa.Column("regional_management_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )
    op.add_column(
        t("locality"),
        sa.Column("business_unit_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_column(t("locality"), "business_unit_id", schema=schema())
    op.drop_column(t("locality"), "regional_management_id", schema=schema())
