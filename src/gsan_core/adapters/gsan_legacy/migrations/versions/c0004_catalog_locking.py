"""opt-in, with the locking: catalogue and registry writes on GSAN's tables

Each reference table of the profile's ``catalog_tables`` that exists, and the
registry tables of organisational units, users and locations (locality,
sector, block, route), get the
optimistic-locking column and its ``BEFORE UPDATE`` trigger (``c0002``'s
function), so a catalogue write is a compare-and-set that fails when GSAN's
"Manter" screen or another writer changed the row first. The companion schema
gets ``catalog_extra``: the abbreviation of a row whose GSAN table has no
abbreviation column (``ligacao_esgoto_perfil``), keyed by table and id.

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "c0004"
down_revision = "c0003"
branch_labels = None
depends_on = None


#: The registry tables the library writes units, users and locations to.
REGISTRY = (
    "cadastro.unidade_organizacional",
    "seguranca.usuario",
    "cadastro.localidade",
    "cadastro.setor_comercial",
    "cadastro.quadra",
    "micromedicao.rota",
)


def _names() -> tuple[str, str, tuple[str, ...]]:
    attributes = context.config.attributes
    tables = tuple(sorted({*attributes.get("catalog_tables", ()), *REGISTRY}))
    return str(attributes["schema"]), str(attributes["version_column"]), tables


def _existing(tables: tuple[str, ...]) -> list[str]:
    bind = op.get_bind()
    return [
        table
        for table in tables
        if bind.execute(
            sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}
        ).scalar_one()
    ]


def upgrade() -> None:
    schema, column, tables = _names()
    for table in _existing(tables):
        name = table.split(".")[1]
        op.execute(
            sa.text(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} integer"
                " NOT NULL DEFAULT 1"
            )
        )
        op.execute(
            sa.text(
                f"CREATE OR REPLACE TRIGGER gsan_core_version_{name} BEFORE UPDATE"
                f' ON {table} FOR EACH ROW EXECUTE FUNCTION "{schema}".bump_version()'
            )
        )
    op.create_table(
        "catalog_extra",
        sa.Column("catalog_table", sa.String(120), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("abbreviation", sa.String(80), nullable=True),
        schema=schema,
    )


def downgrade() -> None:
    schema, column, tables = _names()
    op.drop_table("catalog_extra", schema=schema)
    for table in _existing(tables):
        name = table.split(".")[1]
        op.execute(
            sa.text(f"DROP TRIGGER IF EXISTS gsan_core_version_{name} ON {table}")
        )
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}"))
