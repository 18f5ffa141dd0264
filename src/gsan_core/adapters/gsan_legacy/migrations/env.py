"""Alembic environment of the companion schema: always run on a given connection.

Its version table is ``alembic_version`` in the companion schema, so the
companion's history never mixes with GSAN's own migrations (mybatis-migrations
``changelog``) or with the library's own tables' history.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    msg = "run the companion migrations through gsan_core.adapters.gsan_legacy"
    raise RuntimeError(msg)
schema = config.attributes["schema"]

context.configure(
    connection=connection,
    target_metadata=None,
    version_table="alembic_version",
    version_table_schema=schema,
)
with context.begin_transaction():
    context.run_migrations()
