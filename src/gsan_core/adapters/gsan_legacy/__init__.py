"""Run gsan_core on a utility's existing GSAN PostgreSQL database (phase 1).

:class:`LegacyBackend` points the library at GSAN's own tables through a
:class:`~gsan_core.adapters.gsan_legacy.profile.LegacyProfile`:

* at start-up it reflects the live schema and fails fast with the precise list
  of missing tables, columns and sequences for the profile's GSAN line
  (:func:`~gsan_core.adapters.gsan_legacy.schema.check_schema`);
* ids come from GSAN's sequences (they interleave with GSAN's own ``nextval``);
* it reads properties, water and sewer connections, meters and their history,
  users, permissions, service orders and requests, open debts and consumption
  from GSAN's tables, and writes connections, property situations, meters,
  their history, the cut-order batch's orders and (with ``c0004``) catalogue
  rows, updating only the columns it owns and stamping ``*_tmultimaalteracao``;
* ``seeding=True`` (tests, demos, data loading; off for production) offers the
  seeding port: permissions, bills and slips written as GSAN writes them
  (:mod:`gsan_core.adapters.gsan_legacy.seeding`);
* what GSAN does not store (outbox, situation history, extra fields) lives in a
  companion schema with its own Alembic history
  (:mod:`gsan_core.adapters.gsan_legacy.migrations`);
* writes need the opt-in optimistic-locking migration; without it the backend
  is read-only and says so (:attr:`LegacyBackend.read_only`, and every write
  raises ``configuration.read_only``).

See ``docs/legacy.md`` ("Running on an existing GSAN database").
"""

from __future__ import annotations

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.catalog import CatalogLayouts
from gsan_core.adapters.gsan_legacy.ids import SequenceIds
from gsan_core.adapters.gsan_legacy.meters_history import HistoryTables
from gsan_core.adapters.gsan_legacy.parameters import with_gsan_parameters
from gsan_core.adapters.gsan_legacy.profile import LINES, LegacyProfile
from gsan_core.adapters.gsan_legacy.schema import SchemaReport, check_schema
from gsan_core.adapters.gsan_legacy.tables import LegacyTables
from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile

__all__ = [
    "LINES",
    "LegacyBackend",
    "LegacyProfile",
    "LegacyUnitOfWork",
    "SchemaReport",
    "SequenceIds",
    "check_schema",
]


class LegacyBackend:
    """gsan_core over a GSAN database: start-up check, tables, ids, units of work."""

    def __init__(
        self,
        engine: sa.Engine,
        profile: LegacyProfile | None = None,
        *,
        seeding: bool = False,
    ) -> None:
        if engine.dialect.name != "postgresql":
            msg = "the GSAN legacy adapter runs on PostgreSQL only"
            raise ConfigurationError(msg)
        self.engine = engine
        #: Whether units of work offer the seeding port (tests, demos, data
        #: loading; off for production, where GSAN's modules own those rows).
        self.seeding = seeding
        self.profile = profile or LegacyProfile.for_line()
        with translated("schema"), engine.connect() as connection:
            #: What the start-up check found (raises if the map does not resolve).
            self.report: SchemaReport = check_schema(connection, self.profile)
        #: No writes: the locking migration (or the companion schema) is missing.
        self.read_only = not self.report.writable
        self.tables = LegacyTables(self.profile, locking=not self.read_only)
        self.history_tables = HistoryTables(
            self.profile.companion_schema, self.tables.version
        )
        #: The reference tables' columns, resolved once (catalogue port).
        self.catalog_layouts = CatalogLayouts(self.profile.version_column)
        self.ids = SequenceIds(
            engine,
            self.profile,
            None
            if self.report.companion_missing
            else self.tables.companion["id_block"],
        )

    def utility_profile(self, base: UtilityProfile) -> UtilityProfile:
        """The utility profile the services run with on this database:
        ``base`` narrowed to GSAN's column widths (:meth:`LegacyProfile.narrow`)
        with the parameters GSAN keeps in ``cadastro.sistema_parametros``
        where their columns exist and hold a value
        (``parm_nnmaximomesessancoes``: ``service_orders.max_sanction_months``);
        ``base``'s own values otherwise."""
        with translated("system_parameters"), self.engine.connect() as connection:
            return with_gsan_parameters(connection, self.profile.narrow(base))

    def uow_factory(self) -> LegacyUnitOfWork:
        """A new unit of work (use it in a ``with`` block)."""
        return LegacyUnitOfWork(self)

    def status(self) -> str:
        """One line for logs: the line, read-only or writable and why, and the
        optional features the database lacks the tables of."""
        missing = self.report.unavailable
        without = (
            "; without " + ", ".join(f.replace("_", " ") for f in sorted(missing))
            if missing
            else ""
        )
        if not self.read_only:
            return (
                f"GSAN {self.profile.line} line: writable (optimistic locking on)"
                + without
            )
        why = (
            "companion schema not migrated"
            if self.report.companion_missing
            else "no optimistic-locking column on "
            + ", ".join(self.report.unlocked_tables)
        )
        return f"GSAN {self.profile.line} line: read-only ({why}){without}"
