"""The companion schema's Alembic history (its own version table).

* ``c0001`` creates the companion schema's tables: the outbox, the situation
  history, the extra fields GSAN does not store.
* ``c0002`` (opt-in) adds the optimistic-locking column and its ``BEFORE
  UPDATE`` trigger to the GSAN tables the library writes. Without it the
  adapter runs read-only.
* ``c0003`` (opt-in, with ``c0002``) does the same for the meter history
  tables (installations, movements) and adds the companion rows of their
  fields GSAN does not store.
* ``c0004`` (opt-in, with ``c0003``) does the same for the reference tables of
  the profile's ``catalog_tables`` (catalogue writes) and adds the companion
  abbreviations of the tables without one.
"""

from __future__ import annotations

import sys
from importlib import resources

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.profile import LegacyProfile
from gsan_core.adapters.sqlalchemy.errors import translated

__all__ = ["COMPANION", "LOCKING", "current", "downgrade", "upgrade"]

#: The revision with the companion tables only (read-only adapter).
COMPANION = "c0001"
#: The revision that also enables optimistic locking on the written tables
#: (``c0002``: connections, properties, meters; ``c0003``: the meter history;
#: ``c0004``: the catalogue's reference tables).
LOCKING = "c0004"


def _config(connection: sa.Connection, profile: LegacyProfile) -> object:
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config(stdout=sys.stdout)
    location = resources.files("gsan_core.adapters.gsan_legacy.migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    cfg.attributes["schema"] = profile.companion_schema
    cfg.attributes["version_column"] = profile.version_column
    cfg.attributes["catalog_tables"] = tuple(profile.catalog_tables.values())
    return cfg


def upgrade(
    engine: sa.Engine, profile: LegacyProfile, *, locking: bool = False
) -> None:
    """Create or upgrade the companion schema; ``locking=True`` also runs the
    opt-in optimistic-locking migration on GSAN's written tables."""
    from alembic import command  # noqa: PLC0415

    with translated("migration"), engine.begin() as connection:
        connection.execute(
            sa.schema.CreateSchema(profile.companion_schema, if_not_exists=True)
        )
        cfg = _config(connection, profile)
        command.upgrade(cfg, LOCKING if locking else COMPANION)  # type: ignore[arg-type]


def downgrade(engine: sa.Engine, profile: LegacyProfile, revision: str) -> None:
    """Step the companion schema back (``COMPANION`` removes the locking)."""
    from alembic import command  # noqa: PLC0415

    with translated("migration"), engine.begin() as connection:
        command.downgrade(_config(connection, profile), revision)  # type: ignore[arg-type]


def current(engine: sa.Engine, profile: LegacyProfile) -> str | None:
    """The companion schema's revision (``None`` before the first migration)."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    with translated("migration"), engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table": "alembic_version",
                "version_table_schema": profile.companion_schema,
            },
        )
        return context.get_current_revision()
