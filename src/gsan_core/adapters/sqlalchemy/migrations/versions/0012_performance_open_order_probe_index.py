"""performance: the open-order check as an index probe

A partial index on the open service orders by property and service type. The
cut-order batch (CUT-2, GEN-13), "Gerar Ordem de Corte" and the profile option
"one open order per property and type" ask "has this property an open order of
these types?" once per property: with this index each question is a probe into
the few open orders of the property, and its cost no longer grows with the
number of orders of the utility (issue 20).

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gsan_core.adapters.sqlalchemy.migrations.naming import ix, schema, t

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN = "situation <> 2"


def upgrade() -> None:
    op.create_index(
        ix("service_order", "open_property_type"),
        t("service_order"),
        ["property_id", "service_type_id"],
        unique=False,
        schema=schema(),
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index(
        ix("service_order", "open_property_type"),
        table_name=t("service_order"),
        schema=schema(),
    )
