"""companion schema: outbox, situation history, extra fields GSAN does not store,
and the id blocks of the kinds GSAN has no sequence for

Revision ID: c0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "c0001"
down_revision = None
branch_labels = None
depends_on = None


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("tag", sa.String(80), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        schema=schema,
    )
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["id"],
        schema=schema,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.execute(sa.text(f'CREATE SEQUENCE "{schema}".seq_outbox'))
    op.execute(sa.text(f'CREATE SEQUENCE "{schema}".seq_situation_change'))
    op.create_table(
        "situation_change",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("property_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("before_id", sa.BigInteger, nullable=False),
        sa.Column("after_id", sa.BigInteger, nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operation", sa.String(60), nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=True),
        sa.Column("actor", sa.BigInteger, nullable=False),
        sa.Column("reading", sa.Integer, nullable=True),
        schema=schema,
    )
    op.create_index(
        "ix_situation_change_property",
        "situation_change",
        ["property_id"],
        schema=schema,
    )
    op.create_index(
        "ix_situation_change_effective",
        "situation_change",
        ["effective_on"],
        schema=schema,
    )
    # extra fields, one row per GSAN row that has any (keyed by GSAN's id)
    op.create_table(
        "sewer_connection_extra",
        sa.Column("lesg_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("previous_status_id", sa.Integer, nullable=True),
        sa.Column("request_id", sa.BigInteger, nullable=True),
        schema=schema,
    )
    op.create_table(
        "hydrometer_extra",
        sa.Column("hidr_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("turbine_type_id", sa.Integer, nullable=True),
        schema=schema,
    )

    # ids of the kinds GSAN has no sequence for (the library's own records)
    op.create_table(
        "id_block",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("next_value", sa.BigInteger, nullable=False),
        schema=schema,
    )


def downgrade() -> None:
    schema = _schema()
    for table in (
        "id_block",
        "hydrometer_extra",
        "sewer_connection_extra",
        "situation_change",
        "outbox",
    ):
        op.drop_table(table, schema=schema)
    op.execute(sa.text(f'DROP SEQUENCE "{schema}".seq_situation_change'))
    op.execute(sa.text(f'DROP SEQUENCE "{schema}".seq_outbox'))
