"""service desk: supply and maintenance schedule, outbound messages and their cursor, operating procedures

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t
from gsan_core.adapters.sqlalchemy.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _index(
    table: str, suffix: str, columns: list[str], *, unique: bool = False
) -> None:
    op.create_index(
        ix(table, suffix), t(table), columns, unique=unique, schema=schema()
    )


def upgrade() -> None:
    op.create_table(
        t("supply_schedule"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.BigInteger(), nullable=False),
        sa.Column("locality_id", sa.BigInteger(), nullable=True),
        sa.Column("sector_id", sa.BigInteger(), nullable=True),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=True),
        sa.Column("area_id", sa.BigInteger(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=True),
        sa.Column("situation", sa.SmallInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("supply_schedule", "area", ["reference", "area_id"])
    _index("supply_schedule", "neighbourhood", ["reference", "neighbourhood_id"])
    _index("supply_schedule", "locality", ["reference", "locality_id", "sector_id"])
    op.create_table(
        t("outbound_message"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("request_id", sa.BigInteger(), nullable=True),
        sa.Column("property_id", sa.BigInteger(), nullable=True),
        sa.Column("customer_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("gateway_reply", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("outbound_message", "event", ["event_id", "phone"], unique=True)
    _index("outbound_message", "request", ["request_id"])
    _index("outbound_message", "phone", ["phone", "created_at"])
    _index("outbound_message", "status", ["status", "id"])
    _index("outbound_message", "created", ["created_at", "id"])
    op.create_table(
        t("message_cursor"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    op.create_table(
        t("operating_procedure"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("document", sa.String(length=300), nullable=False),
        sa.Column("specification_id", sa.BigInteger(), nullable=True),
        sa.Column("service_type_id", sa.BigInteger(), nullable=True),
        sa.Column("summary", sa.String(length=400), nullable=True),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema(),
    )
    _index("operating_procedure", "specification", ["specification_id"])
    _index("operating_procedure", "service_type", ["service_type_id"])


def downgrade() -> None:
    for table, suffixes in (
        ("operating_procedure", ("service_type", "specification")),
        ("message_cursor", ()),
        ("outbound_message", ("created", "status", "phone", "request", "event")),
        ("supply_schedule", ("locality", "neighbourhood", "area")),
    ):
        for suffix in suffixes:
            op.drop_index(ix(table, suffix), table_name=t(table), schema=schema())
        op.drop_table(t(table), schema=schema())
