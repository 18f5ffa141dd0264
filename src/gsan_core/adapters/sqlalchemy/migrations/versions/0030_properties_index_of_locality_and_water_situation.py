"""properties: an index of (locality, water situation) (UC1073's chunk)

UC1073's chunk locks and reads a chunk's localities' properties in the batch's
water situations; with the localities' and the situations' indexes apart the
planner either read every property of the table in the situation (a
``BitmapAnd``) or every property of the chunk's localities. The composite
index reads only the chunk's properties in the situations, and answers the
run's "which localities have some?" with a probe per locality (issue 20).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        ix("property", "locality_water"),
        t("property"),
        ["locality_id", "water_status_id"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(ix("property", "locality_water"), t("property"), schema=schema())
