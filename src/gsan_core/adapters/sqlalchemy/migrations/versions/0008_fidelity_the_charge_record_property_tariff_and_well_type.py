"""fidelity: the charge record, property tariff and well type

The charge ("débito a cobrar") records the installments bills already carried
(0 at creation) and its form of collection (1: in the bill); the property its
consumption tariff (V-LA7) and the type of its well (set by a well meter).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import schema, t

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        t("charge"),
        sa.Column(
            "installments_billed", sa.Integer(), server_default="0", nullable=False
        ),
        schema=schema(),
    )
    op.add_column(
        t("charge"),
        sa.Column(
            "collection_form", sa.SmallInteger(), server_default="1", nullable=False
        ),
        schema=schema(),
    )
    op.add_column(
        t("property"),
        sa.Column("consumption_tariff_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )
    op.add_column(
        t("property"),
        sa.Column("well_type_id", sa.BigInteger(), nullable=True),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_column(t("property"), "well_type_id", schema=schema())
    op.drop_column(t("property"), "consumption_tariff_id", schema=schema())
    op.drop_column(t("charge"), "collection_form", schema=schema())
    op.drop_column(t("charge"), "installments_billed", schema=schema())
