"""opt-in, with the locking: the meter history on GSAN's tables

The installation history (``micromedicao.hidrometro_inst_hist``) and the stock
movements (``micromedicao.hidrometro_movimentacao``) get the optimistic-locking
column and its ``BEFORE UPDATE`` trigger (``c0002``'s function), and the
companion schema gets the fields of theirs GSAN does not store: an
installation's registration instant (GSAN keeps a date), a movement's
situation, count, registration instant and missing origin (GSAN's origin
column is NOT NULL).

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None

TABLES = (
    "micromedicao.hidrometro_inst_hist",
    "micromedicao.hidrometro_movimentacao",
)


def _names() -> tuple[str, str]:
    attributes = context.config.attributes
    return str(attributes["schema"]), str(attributes["version_column"])


def upgrade() -> None:
    schema, column = _names()
    for table in TABLES:
        name = table.split(".")[1]
        op.execute(
            sa.text(
                f"ALTER TABLE {table} ADD COLUMN {column} integer NOT NULL DEFAULT 1"
            )
        )
        op.execute(
            sa.text(
                f"CREATE TRIGGER gsan_core_version_{name} BEFORE UPDATE ON {table}"
                f' FOR EACH ROW EXECUTE FUNCTION "{schema}".bump_version()'
            )
        )
    op.create_table(
        "hydrometer_installation_extra",
        sa.Column("hidi_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.create_table(
        "hydrometer_movement_extra",
        sa.Column("himv_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("origin_id", sa.Integer, nullable=True),
        sa.Column("situation_id", sa.Integer, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )


def downgrade() -> None:
    schema, column = _names()
    op.drop_table("hydrometer_movement_extra", schema=schema)
    op.drop_table("hydrometer_installation_extra", schema=schema)
    for table in TABLES:
        name = table.split(".")[1]
        op.execute(sa.text(f"DROP TRIGGER gsan_core_version_{name} ON {table}"))
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
