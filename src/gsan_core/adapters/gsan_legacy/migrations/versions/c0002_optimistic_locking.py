"""opt-in optimistic locking: a version column kept by a BEFORE UPDATE trigger

Adds an integer column (``gsan_core_version`` unless the profile names another)
to each GSAN table the library writes, and a row trigger that adds one to it on
every UPDATE, whoever runs it: GSAN's full-row Hibernate updates and its
stamp-less bulk updates included, so the library's next compare-and-set on the
row fails instead of overwriting what GSAN wrote. ``ADD COLUMN ... DEFAULT 1``
is a catalogue-only change on PostgreSQL 11+ (no table rewrite); GSAN's
mappings do not name the column, so its screens are unaffected.

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

TABLES = (
    "atendimentopublico.ligacao_agua",
    "atendimentopublico.ligacao_esgoto",
    "cadastro.imovel",
    "micromedicao.hidrometro",
)


def _names() -> tuple[str, str]:
    attributes = context.config.attributes
    return str(attributes["schema"]), str(attributes["version_column"])


def upgrade() -> None:
    schema, column = _names()
    op.execute(
        sa.text(
            f'CREATE FUNCTION "{schema}".bump_version() RETURNS trigger'
            " LANGUAGE plpgsql AS $$ BEGIN"
            f" NEW.{column} := OLD.{column} + 1; RETURN NEW; END $$"
        )
    )
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


def downgrade() -> None:
    schema, column = _names()
    for table in TABLES:
        name = table.split(".")[1]
        op.execute(sa.text(f"DROP TRIGGER gsan_core_version_{name} ON {table}"))
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    op.execute(sa.text(f'DROP FUNCTION "{schema}".bump_version()'))
