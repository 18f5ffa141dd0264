"""inspections: the "documento entregue" of an inspection finding (UC0488, a device's return record 5)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        t("inspection_finding"),
        sa.Column("delivered_document", sa.SmallInteger(), nullable=True),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_column(t("inspection_finding"), "delivered_document", schema=schema())
