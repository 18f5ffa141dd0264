"""Alembic migrations: empty to head, idempotent, and equal to ``build_tables()``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import gsan_core
from gsan_core.adapters.sqlalchemy import (
    SqlBackend,
    build_tables,
    create_engine,
    migrations,
)
from gsan_core.adapters.sqlalchemy.migrations import config, current, heads, upgrade
from tests.integration.conftest import Database, table_names

PREFIX = "lib_"
#: Every table the library defines, by logical name.
LOGICAL = set(build_tables())


def differences(database: Database, prefix: str) -> list[Any]:
    """What autogenerate would change between the database and ``build_tables()``."""
    schema = database.schema

    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        if type_ == "schema":
            return name == schema
        return True

    def include_object(
        _obj: Any, name: str | None, type_: str, _reflected: bool, _other: Any
    ) -> bool:
        return type_ != "table" or bool(name and name.startswith(prefix))

    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_schemas": schema is not None,
                "include_name": include_name,
                "include_object": include_object,
                "version_table": f"{prefix}alembic_version",
                "version_table_schema": schema,
            },
        )
        metadata = build_tables(schema=schema, prefix=prefix).metadata
        return list(compare_metadata(context, metadata))


def test_the_library_ships_one_head() -> None:
    versions = Path(migrations.__file__).parent / "versions"
    newest = max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert heads() == (newest,)


def test_upgrade_from_empty_to_head(empty_database: Database) -> None:
    engine, schema = empty_database.engine, empty_database.schema
    assert current(engine, schema=schema, prefix=PREFIX) is None
    upgrade(engine, schema=schema, prefix=PREFIX)
    assert current(engine, schema=schema, prefix=PREFIX) == heads()[0]
    assert table_names(engine, schema) == {
        *(PREFIX + name for name in LOGICAL),
        f"{PREFIX}alembic_version",
    }
    # idempotent: a second run changes nothing
    upgrade(engine, schema=schema, prefix=PREFIX)
    assert current(engine, schema=schema, prefix=PREFIX) == heads()[0]
    assert current(engine, schema=schema, prefix="other_") is None


def test_migrated_database_matches_the_metadata(empty_database: Database) -> None:
    upgrade(empty_database.engine, schema=empty_database.schema, prefix=PREFIX)
    assert differences(empty_database, PREFIX) == []


def test_an_unmigrated_database_differs(empty_database: Database) -> None:
    if empty_database.schema is not None:
        with empty_database.engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{empty_database.schema}"')
    found = differences(empty_database, PREFIX)
    assert {d[0] for d in found} == {"add_table", "add_index"}
    added = {d[1].name for d in found if d[0] == "add_table"}
    assert added == {PREFIX + name for name in LOGICAL}


def test_alembic_check_through_the_shipped_environment(tmp_path: Path) -> None:
    """``alembic check`` with the library's env.py finds nothing to generate.

    SQLite only: the shipped env.py compares every schema of a server.
    """
    engine = create_engine(f"sqlite:///{tmp_path / 'check.db'}")
    upgrade(engine, prefix=PREFIX)
    with engine.begin() as connection:
        command.check(config(connection, schema=None, prefix=PREFIX))  # type: ignore[arg-type]
    engine.dispose()


def test_downgrade_to_base_removes_every_table(empty_database: Database) -> None:
    engine, schema = empty_database.engine, empty_database.schema
    upgrade(engine, schema=schema, prefix=PREFIX)
    with engine.begin() as connection:
        command.downgrade(config(connection, schema=schema, prefix=PREFIX), "base")  # type: ignore[arg-type]
    assert current(engine, schema=schema, prefix=PREFIX) is None
    assert table_names(engine, schema) == {f"{PREFIX}alembic_version"}


def test_connect_migrates_and_seeds(empty_database: Database) -> None:
    with gsan_core.connect(
        empty_database.url,
        migrate=True,
        seed=True,
        schema=empty_database.schema,
        prefix=PREFIX,
    ) as gsan:
        assert isinstance(gsan.backend, SqlBackend)
        assert gsan.catalog.get("water_status", 3).description == "LIGADO"
        assert len(gsan.catalog.list("water_status")) == 9
    engine, schema = empty_database.engine, empty_database.schema
    assert current(engine, schema=schema, prefix=PREFIX) == heads()[0]
    with gsan_core.connect(
        empty_database.url, migrate=True, seed=True, schema=schema, prefix=PREFIX
    ) as again:
        assert again.seed() == 0


def test_0010_counters_start_after_what_was_issued(empty_database: Database) -> None:
    """Migration 0010: the outbox counter starts after the outbox ids the id
    blocks gave, the manual-number counter after the last number issued
    (NUM-03), so neither hands out a number twice."""
    engine, schema = empty_database.engine, empty_database.schema
    upgrade(engine, schema=schema, prefix=PREFIX, revision="0007")
    older = build_tables(schema=schema, prefix=PREFIX)
    with engine.begin() as connection:
        connection.execute(
            older["outbox"].insert(),
            [
                {
                    "id": ident,
                    "tag": "x",
                    "occurred_at": datetime(2025, 1, 6, tzinfo=UTC),
                    "actor": 1,
                    "payload": {},
                    "published_at": None,
                }
                for ident in (7, 130)
            ],
        )
        connection.execute(
            older["manual_number_block"].insert(),
            [
                {
                    "id": 1,
                    "unit_id": 1,
                    "first_number": 101,
                    "last_number": 130,
                    "generated_at": datetime(2025, 1, 6, tzinfo=UTC),
                    "generated_by": 1,
                    "version": 1,
                }
            ],
        )
    upgrade(engine, schema=schema, prefix=PREFIX)
    backend = SqlBackend(engine, tables=build_tables(schema=schema, prefix=PREFIX))
    with backend.uow_factory() as uow:
        assert list(uow.take_numbers("outbox", 1)) == [131]
        assert list(uow.take_numbers("manual_request_number", 2)) == [131, 132]


def test_connect_refuses_a_schema_that_is_not_the_newest(
    empty_database: Database,
) -> None:
    """A database with no schema, an older revision or an unknown newer one is
    refused at ``connect()`` (``configuration.schema``), unless the check is
    skipped; ``create_all()`` stamps the newest revision."""
    engine, schema = empty_database.engine, empty_database.schema

    def connecting(**options: Any) -> gsan_core.System:
        return gsan_core.connect(
            empty_database.url, schema=schema, prefix=PREFIX, **options
        )

    with pytest.raises(gsan_core.ConfigurationError) as missing:
        connecting()
    assert missing.value.code == "configuration.schema"
    assert "gsan-core db upgrade" in str(missing.value)
    upgrade(engine, schema=schema, prefix=PREFIX, revision="0007")
    with pytest.raises(gsan_core.ConfigurationError) as older:
        connecting()
    assert "0007" in str(older.value)
    assert "run `gsan-core db upgrade`" in str(older.value)
    connecting(check_schema=False).close()
    upgrade(engine, schema=schema, prefix=PREFIX)
    connecting().close()
    with engine.begin() as connection:
        table = f'"{schema}".' if schema else ""
        connection.exec_driver_sql(
            f"UPDATE {table}{PREFIX}alembic_version SET version_num = '9999'"
        )
    with pytest.raises(gsan_core.ConfigurationError) as newer:
        connecting()
    assert "9999" in str(newer.value)
    assert "newer gsan_core" in str(newer.value)


def test_create_all_stamps_the_newest_revision(tmp_path: Path) -> None:
    backend = SqlBackend.open(f"sqlite:///{tmp_path / 'made.db'}", prefix=PREFIX)
    try:
        backend.create_all()
        backend.check_schema()
        assert current(backend.engine, prefix=PREFIX) == heads()[0]
    finally:
        backend.dispose()
    with gsan_core.connect(f"sqlite:///{tmp_path / 'made.db'}", prefix=PREFIX):
        pass
