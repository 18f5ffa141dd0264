"""service orders: an index of the referenced order (UC1176's open-inspection probe)

UC1176's candidates exclude the orders an open inspection refers to
(``NOT EXISTS`` on ``reference_order_id``). Without an index PostgreSQL, whose
statistics still count no inspection order while the batch writes them, ran
that anti-join as a nested loop over a materialised scan of every inspection
order: quadratic in the batch (25 s a chunk at 100,000 orders). The index
(partial: most orders refer to none) makes it a probe per candidate.

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t

revision = "0029"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        ix("service_order", "reference"),
        t("service_order"),
        ["reference_order_id"],
        unique=False,
        postgresql_where=sa.text("reference_order_id IS NOT NULL"),
        sqlite_where=sa.text("reference_order_id IS NOT NULL"),
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(ix("service_order", "reference"), t("service_order"), schema=schema())
