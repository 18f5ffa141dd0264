"""Alembic migrations shipped with the library, with their own version table.

The version table is ``<prefix>alembic_version`` in the library's schema, so the
library's history lives beside the host application's own Alembic history.
Run them with :func:`upgrade`, ``gsan_core.connect(url, migrate=True)`` or
``gsan-core db upgrade URL``.
"""

from __future__ import annotations

import sys
from importlib import resources
from typing import Literal

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated

__all__ = ["SchemaState", "config", "current", "heads", "stamp", "state", "upgrade"]

#: Where a database's schema stands against this library's migrations.
SchemaState = Literal["current", "older", "newer", "missing"]


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


def _scripts() -> object:
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    cfg = Config()
    location = resources.files("gsan_core.adapters.sqlalchemy.migrations")
    cfg.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(cfg)


def heads() -> tuple[str, ...]:
    """The newest revision(s) shipped with the library."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    scripts = _scripts()
    assert isinstance(scripts, ScriptDirectory)
    return tuple(scripts.get_heads())


def known(revision: str) -> bool:
    """Whether ``revision`` is one of the library's migrations."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415
    from alembic.util import CommandError  # noqa: PLC0415

    scripts = _scripts()
    assert isinstance(scripts, ScriptDirectory)
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False


def state(
    engine: sa.Engine, *, schema: str | None = None, prefix: str = "gsan_"
) -> tuple[SchemaState, str | None]:
    """Where the database's schema stands, and its revision."""
    revision = current(engine, schema=schema, prefix=prefix)
    if revision is None:
        return "missing", None
    if revision in heads():
        return "current", revision
    return ("older" if known(revision) else "newer"), revision


def stamp(connection: sa.Connection, *, schema: str | None, prefix: str) -> None:
    """Record the newest revision without running the migrations (the tables
    were created from the metadata, which is what the newest revision builds)."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    context = MigrationContext.configure(
        connection,
        opts={
            "version_table": f"{prefix}alembic_version",
            "version_table_schema": schema,
        },
    )
    context.stamp(_scripts(), "heads")  # type: ignore[arg-type]
