"""service orders: the request index covers the order by id

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(
        ix("service_order", "request"), table_name=t("service_order"), schema=schema()
    )
    op.create_index(
        ix("service_order", "request"),
        t("service_order"),
        ["request_id", "id"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(
        ix("service_order", "request"), table_name=t("service_order"), schema=schema()
    )
    op.create_index(
        ix("service_order", "request"),
        t("service_order"),
        ["request_id"],
        unique=False,
        schema=schema(),
    )
