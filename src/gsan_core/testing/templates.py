"""Seeded templates: each profile is seeded once per process and copied.

Seeding a profile runs the catalog, service-type and specification rules over a
few hundred rows: 0.3 to 3 s per test on the SQL backends. A test instead gets a
copy of a store seeded once per process:

* memory: :meth:`MemoryStore.copy` and :meth:`SequentialIds.copy` (rows are
  immutable, so the copy shares them);
* SQLite: a file copy of a seeded, checkpointed template file (or its rows
  copied into a file the test already made, :meth:`SqliteTemplates.fill`);
* PostgreSQL: the session schema's tables refilled from a seeded template schema
  (``DELETE`` then ``INSERT ... SELECT`` per table, in one round trip).

The seeding happened in the template: a copied system's ``events`` start empty.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gsan_core import profiles
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.testing.clocks import FixedClock
from gsan_core.testing.ids import SequentialIds

if TYPE_CHECKING:  # the SQL templates need the sqlalchemy extra
    import sqlalchemy as sa

    from gsan_core.adapters.sqlalchemy import SqlBackend, Tables

__all__ = [
    "MemoryTemplates",
    "PostgresTemplates",
    "Profile",
    "SqliteTemplates",
    "loaded",
    "sqlite_file_backend",
    "sqlite_tables",
]

#: What a test names a profile by: a bundled name or path, or a loaded profile.
Profile = str | Path | profiles.LoadedProfile


@functools.cache
def _load(source: str | Path) -> profiles.LoadedProfile:
    return profiles.load(source)


def loaded(profile: Profile) -> profiles.LoadedProfile:
    """``profile`` loaded, a bundled name or a path once per process (a
    system built from a name parses the profile again: ~15 ms)."""
    return profile if isinstance(profile, profiles.LoadedProfile) else _load(profile)


def _seeded_by(profile: Profile) -> tuple[str, profiles.LoadedProfile]:
    """The profile's template key (what seeding writes) and the loaded profile.

    Profiles that differ only in parameters share one template.
    """
    loaded_profile = loaded(profile)
    key = repr(
        (
            loaded_profile.seeds,
            loaded_profile.service_types,
            loaded_profile.request_specifications,
        )
    )
    return key, loaded_profile


def _seed(uow_factory: Any, loaded: profiles.LoadedProfile) -> None:
    from gsan_core.system import System  # noqa: PLC0415

    System(
        uow_factory=uow_factory,
        profile=loaded,
        clock=FixedClock(),
        keep_events=False,
    ).seed()


class MemoryTemplates:
    """Seeded in-memory stores, one per profile."""

    def __init__(self) -> None:
        self._seeded: dict[str, tuple[MemoryStore, SequentialIds]] = {}

    def copy(self, profile: Profile) -> tuple[MemoryStore, SequentialIds]:
        """A fresh store and id generator holding the seeded ``profile``."""
        key, loaded = _seeded_by(profile)
        if key not in self._seeded:
            store, ids = MemoryStore(), SequentialIds()
            _seed(memory_uow_factory(store, ids), loaded)
            self._seeded[key] = (store, ids)
        store, ids = self._seeded[key]
        return store.copy(), ids.copy()


@functools.cache
def sqlite_tables() -> Tables:
    """The tables of a SQLite file (no schema, the default prefix), built once
    per process and shared by every test backend over a file: building them
    and their row mappers cost ~0.2 s of CPU per backend."""
    from gsan_core.adapters.sqlalchemy.schema import build_tables  # noqa: PLC0415

    return build_tables()


def sqlite_file_backend(path: Path, *, create: bool = False) -> SqlBackend:
    """A backend owning an engine over the SQLite file ``path``, on the shared
    :func:`sqlite_tables` (``create``: create the tables first)."""
    from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine  # noqa: PLC0415

    backend = SqlBackend(
        create_engine(f"sqlite:///{path}"), tables=sqlite_tables(), owns_engine=True
    )
    if create:
        backend.create_all()
    return backend


def _sqlite_file(path: Path) -> SqlBackend:
    return sqlite_file_backend(path, create=True)


class SqliteTemplates:
    """Seeded SQLite files, one per profile, in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._seeded: dict[str, Path] = {}

    def template(self, profile: Profile | None) -> Path:
        """The template file of ``profile`` (``None``: migrated, not seeded)."""
        key, loaded = ("", None) if profile is None else _seeded_by(profile)
        if key not in self._seeded:
            path = self._directory / f"template{len(self._seeded)}.db"
            backend = _sqlite_file(path)
            if loaded is not None:
                _seed(backend.uow_factory, loaded)
            with backend.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            backend.dispose()
            self._seeded[key] = path
        return self._seeded[key]

    def copy(self, profile: Profile | None, path: Path) -> SqlBackend:
        """A backend over a copy of the template of ``profile`` at ``path``."""
        shutil.copyfile(self.template(profile), path)
        return sqlite_file_backend(path)

    def fill(self, profile: Profile, backend: SqlBackend) -> None:
        """Copy the rows of the seeded ``profile`` into the empty tables of
        ``backend``, a SQLite file whose tables exist (for a backend made
        before the test knew it wanted the seed; :meth:`copy` is cheaper)."""
        template = self.template(profile)
        names = [t.name for t in backend.tables.metadata.sorted_tables]
        raw = backend.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            cursor = raw.cursor()
            # the engine's connections autocommit: ATTACH outside a transaction
            cursor.execute("ATTACH DATABASE ? AS template", (str(template),))
            try:
                cursor.executescript(
                    "BEGIN; PRAGMA defer_foreign_keys=ON;\n"
                    + "".join(
                        f'INSERT INTO main."{n}" SELECT * FROM template."{n}";\n'
                        for n in names
                    )
                    + "COMMIT;"
                )
            finally:
                if driver.in_transaction:  # a failed INSERT
                    cursor.execute("ROLLBACK")
                cursor.execute("DETACH DATABASE template")
        finally:
            raw.close()


class PostgresTemplates:
    """Seeded schemas beside the session schema, one per profile."""

    def __init__(self, engine: sa.Engine, schema: str, tables: Tables) -> None:
        self._engine = engine
        self._schema = schema
        self._tables = tables
        self._seeded: dict[str, str] = {}

    def _template(self, profile: Profile) -> str:
        key, loaded = _seeded_by(profile)
        if key not in self._seeded:
            from gsan_core.adapters.sqlalchemy import SqlBackend  # noqa: PLC0415
            from gsan_core.adapters.sqlalchemy.schema import (  # noqa: PLC0415
                build_tables,
            )

            schema = f"{self._schema}_t{len(self._seeded)}"
            backend = SqlBackend(self._engine, tables=build_tables(schema=schema))
            backend.create_all()
            _seed(backend.uow_factory, loaded)
            self._seeded[key] = schema
        return self._seeded[key]

    def refill(self, profile: Profile | None) -> None:
        """Empty the session schema, then copy the seeded ``profile`` into it."""
        ordered = self._tables.metadata.sorted_tables
        statements = [f"DELETE FROM {_name(t)}" for t in reversed(ordered)]
        if profile is not None:
            source = self._template(profile)
            statements += [
                f'INSERT INTO {_name(t)} SELECT * FROM "{source}"."{t.name}"'
                for t in ordered
            ]
        with self._engine.begin() as connection:
            connection.exec_driver_sql(";\n".join(statements))

    def drop(self) -> None:
        """Drop every template schema."""
        with self._engine.begin() as connection:
            for schema in self._seeded.values():
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        self._seeded = {}


def _name(table: sa.Table) -> str:
    return f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
