"""concurrency: gap-free counters, batch leases, the pending-outbox index

The ``counter`` table holds the gap-free counters a unit of work takes in its own
transaction: the outbox ids (in commit order from now on) and the manual request
numbers (NUM-03). Both start after what was handed out before this revision.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import UtcDateTime

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("counter"),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
        schema=schema(),
    )
    op.create_table(
        t("batch_lease"),
        sa.Column("job", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("job", "key"),
        schema=schema(),
    )
    op.create_index(
        ix("outbox", "pending"),
        t("outbox"),
        ["id"],
        unique=False,
        schema=schema(),
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    counter = sa.table(
        t("counter"), sa.column("name"), sa.column("value"), schema=schema()
    )
    outbox = sa.table(t("outbox"), sa.column("id"), schema=schema())
    blocks = sa.table(
        t("manual_number_block"), sa.column("last_number"), schema=schema()
    )
    for name, last in (
        ("outbox", sa.select(sa.func.coalesce(sa.func.max(outbox.c.id), 0))),
        (
            "manual_request_number",
            sa.select(sa.func.coalesce(sa.func.max(blocks.c.last_number), 0)),
        ),
    ):
        op.execute(
            counter.insert().from_select(
                ["name", "value"],
                sa.select(sa.literal(name), last.scalar_subquery()),
            )
        )


def downgrade() -> None:
    op.drop_index(ix("outbox", "pending"), table_name=t("outbox"), schema=schema())
    op.drop_table(t("batch_lease"), schema=schema())
    op.drop_table(t("counter"), schema=schema())
