"""Fixtures of the SQL integration tests: SQLite files and PostgreSQL schemas."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from benchmarks import scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.testing import FixedClock
from tests.conftest import (
    POSTGRES_URL,
    PostgresSchema,
    seed_from_template,
    sqlite_backend,
)
from tests.templates import loaded

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=SQL_BACKENDS)
def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlBackend]:
    """An empty SQL backend with every table (SQLite file or PostgreSQL schema)."""
    if request.param == "sqlite":
        backend = sqlite_backend(tmp_path / "integration.db")
        yield backend
        backend.dispose()
    else:
        pg: PostgresSchema = request.getfixturevalue("postgres")
        yield pg.reset()


@pytest.fixture
def sql_system(sql_backend: SqlBackend) -> gsan_core.System:
    """A seeded default-profile system over :func:`sql_backend` (its rows
    copied from the profile's seeded template)."""
    seed_from_template(sql_backend, "gsan_default")
    return gsan_core.System(
        uow_factory=sql_backend.uow_factory,
        backend=sql_backend,
        clock=FixedClock(),
        profile=loaded("gsan_default"),
    )


class Database:
    """Where a migration test works: an empty SQLite file or a fresh PG schema."""

    def __init__(self, url: str, schema: str | None) -> None:
        self.url = url
        self.schema = schema
        self.engine = create_engine(url)

    def dispose(self) -> None:
        if self.schema is not None:
            with self.engine.begin() as connection:
                connection.exec_driver_sql(
                    f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'
                )
        self.engine.dispose()


@pytest.fixture(params=SQL_BACKENDS)
def empty_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """An empty database: a new SQLite file, or a schema not created yet on PG."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'migrate.db'}", None)
    else:
        request.getfixturevalue("postgres")  # skips or fails as the session says
        assert POSTGRES_URL is not None
        database = Database(POSTGRES_URL, f"gsan_mig_{uuid.uuid4().hex[:10]}")
    yield database
    database.dispose()


def table_names(engine: sa.Engine, schema: str | None) -> set[str]:
    return set(sa.inspect(engine).get_table_names(schema=schema))


@pytest.fixture
def sql(postgres: PostgresSchema) -> SqlBackend:
    """The lean-version tests' backend (``test_lean_*.py``): a fresh
    PostgreSQL schema (a module may define its own)."""
    return postgres.reset()


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    """The lean-version tests' system: the scale report's
    (:func:`benchmarks.scale._system`) over :func:`sql` (a module may define
    its own)."""
    return scale._system(sql)
