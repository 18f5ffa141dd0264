"""errors and input: the audit trail of special-permission grants and revocations

Every ``units.grant`` / ``units.revoke`` records who changed which user's
permission and when.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("permission_change"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("permission_id", sa.BigInteger(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("permission_change", "user"),
        t("permission_change"),
        ["user_id"],
        unique=False,
        schema=schema(),
    )


def downgrade() -> None:
    op.drop_index(
        ix("permission_change", "user"),
        table_name=t("permission_change"),
        schema=schema(),
    )
    op.drop_table(t("permission_change"), schema=schema())
