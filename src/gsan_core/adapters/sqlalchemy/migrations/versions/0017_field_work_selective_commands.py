"""field work II: selective commands and their orders, field-device files and staged returns

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import Json, UtcDateTime

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        t("selective_command"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=False),
        sa.Column("criteria", Json, nullable=False),
        sa.Column("max_orders", sa.Integer(), nullable=True),
        sa.Column("emitted", sa.Integer(), nullable=False),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("emitted_at", UtcDateTime(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        sa.Column("to_text_file", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("selective_command", "created"),
        t("selective_command"),
        ["created_at"],
        schema=schema(),
    )
    op.create_table(
        t("selective_order"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("command_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("property_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_index(
        ix("selective_order", "property"),
        t("selective_order"),
        ["property_id", "command_id"],
        unique=True,
        schema=schema(),
    )
    op.create_index(
        ix("selective_order", "command"),
        t("selective_order"),
        ["command_id", "order_id"],
        schema=schema(),
    )

    op.create_table(
        t("field_file"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("command_id", sa.BigInteger(), nullable=True),
        sa.Column("agent_id", sa.BigInteger(), nullable=True),
        sa.Column("situation", sa.SmallInteger(), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("released_at", UtcDateTime(), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("field_file", "agent", ["agent_id", "situation"])
    op.create_table(
        t("field_file_item"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("field_file_item", "file", ["file_id", "sequence"], unique=True)
    _index("field_file_item", "order", ["order_id"])
    op.create_table(
        t("field_return_line"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("record", sa.SmallInteger(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("fields", Json, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("field_return_line", "digest", ["file_id", "digest"], unique=True)
    _index("field_return_line", "order", ["file_id", "order_id"])


def _index(
    table: str, suffix: str, columns: list[str], *, unique: bool = False
) -> None:
    op.create_index(
        ix(table, suffix), t(table), columns, unique=unique, schema=schema()
    )


def downgrade() -> None:
    for table, suffixes in (
        ("field_return_line", ("order", "digest")),
        ("field_file_item", ("order", "file")),
        ("field_file", ("agent",)),
        ("selective_order", ("command", "property")),
        ("selective_command", ("created",)),
    ):
        for suffix in suffixes:
            op.drop_index(ix(table, suffix), table_name=t(table), schema=schema())
        op.drop_table(t(table), schema=schema())
