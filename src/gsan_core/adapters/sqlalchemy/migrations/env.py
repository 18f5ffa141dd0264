"""Alembic environment of gsan_core: always run on a given connection."""

from __future__ import annotations

from typing import Any

from alembic import context

from gsan_core.adapters.sqlalchemy.schema import build_tables

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    msg = "run gsan_core migrations through gsan_core (gsan-core db upgrade URL)"
    raise RuntimeError(msg)
schema = config.attributes.get("schema")
prefix = config.attributes.get("prefix", "gsan_")
tables = build_tables(schema=schema, prefix=prefix)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Only the library's own tables take part in comparisons."""
    del obj, reflected, compare_to
    if type_ == "table":
        return bool(name and name.startswith(prefix))
    return True


context.configure(
    connection=connection,
    target_metadata=tables.metadata,
    version_table=f"{prefix}alembic_version",
    version_table_schema=schema,
    include_schemas=bool(schema),
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
