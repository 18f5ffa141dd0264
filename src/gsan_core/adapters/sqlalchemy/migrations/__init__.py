"""Alembic migrations shipped with the library, with their own version table.

The version table is ``<prefix>alembic_version`` in the library's schema, so the
library's history lives beside the host application's own Alembic history.
Run them with :func:`upgrade`, ``gsan_core.connect(url, migrate=True)`` or
``gsan-core db upgrade URL``.
"""

from __future__ import annotations

import sys
from importlib import resources

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated

__all__ = ["config", "current", "heads", "upgrade"]


def config(connection: sa.Connection, *, schema: str | None, prefix: str) -> object:
    """An Alembic ``Config`` bound to ``connection`` (import of alembic deferred)."""
    from alembic.config import Config  # noqa: PLC0415

    # Alembic's default stdout is the sys.stdout of its import time, which may be
    # closed by now (a test's captured stream): pass the current one.
    cfg = Config(stdout=sys.stdout)
    location = resources.files("gsan_core.adapters.sqlalchemy.migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    cfg.attributes["schema"] = schema
    cfg.attributes["prefix"] = prefix
    return cfg


def upgrade(
    engine: sa.Engine,
    *,
    schema: str | None = None,
    prefix: str = "gsan_",
    revision: str = "head",
) -> None:
    """Upgrade the library's tables to ``revision``."""
    from alembic import command  # noqa: PLC0415

    with translated("migration"), engine.begin() as connection:
        if schema and connection.dialect.name == "postgresql":
            connection.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
        command.upgrade(config(connection, schema=schema, prefix=prefix), revision)  # type: ignore[arg-type]


def current(
    engine: sa.Engine, *, schema: str | None = None, prefix: str = "gsan_"
) -> str | None:
    """The revision the database is at (``None`` before the first migration)."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    with translated("migration"), engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table": f"{prefix}alembic_version",
                "version_table_schema": schema,
            },
        )
        return context.get_current_revision()


def heads() -> tuple[str, ...]:
    """The newest revision(s) shipped with the library."""
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    cfg = Config()
    location = resources.files("gsan_core.adapters.sqlalchemy.migrations")
    cfg.set_main_option("script_location", str(location))
    return tuple(ScriptDirectory.from_config(cfg).get_heads())
