"""Shared fixtures: one ``backend`` parameter over memory, SQLite and PostgreSQL.

PostgreSQL tests read ``GSAN_CORE_TEST_POSTGRES_URL``. Each pytest session works in
its own schema (dropped at the end), so several runs can share one server. With
``GSAN_CORE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) a server that cannot be
reached fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

import gsan_core
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.sqlalchemy import SqlBackend, Tables, create_engine
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.testing import FixedClock, SequentialIds
from tests.templates import (
    MemoryTemplates,
    PostgresTemplates,
    Profile,
    SqliteTemplates,
    loaded,
    process_sqlite_templates,
    sqlite_tables,
)

#: The shipped plugin (its entry point is disabled in pyproject.toml so that
#: gsan_core is imported after coverage starts).
pytest_plugins = ["gsan_core.testing.pytest_plugin"]

settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    print_blob=True,
    # The gate must not depend on luck: the same examples on every run (the
    # nightly profile explores at random).
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "nightly",
    max_examples=1000,
    stateful_step_count=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

POSTGRES_URL = os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("GSAN_CORE_REQUIRE_POSTGRES") == "1"
BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class PostgresSchema:
    """One schema of the test server for this session."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, pool_size=5, max_overflow=10)
        self.schema = f"gsan_test_{uuid.uuid4().hex[:10]}"
        with self.engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(self.schema))
        self.backend = SqlBackend(self.engine, tables=_tables(self.schema))
        self.backend.create_all()
        self.templates = PostgresTemplates(
            self.engine, self.schema, self.backend.tables
        )
        SESSIONS[self.schema] = self

    def reset(self, profile: Profile | None = None) -> SqlBackend:
        """Empty every table (or fill them with the seeded ``profile``); a fresh
        backend (fresh id cache) over them.

        ``DELETE`` rather than ``TRUNCATE``: on tables this small it is 20 to 40
        times faster (TRUNCATE of ~50 tables took 0.5 to 0.9 s per test).
        """
        self.templates.refill(profile)
        return SqlBackend(self.engine, tables=self.backend.tables)

    def drop(self) -> None:
        SESSIONS.pop(self.schema, None)
        self.templates.drop()
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{self.schema}" CASCADE')
        self.engine.dispose()


#: This process's session schemas (one, once the ``postgres`` fixture ran).
SESSIONS: dict[str, PostgresSchema] = {}


def seed_from_template(backend: SqlBackend, profile: Profile) -> None:
    """Fill the empty tables of ``backend`` (a SQLite file, or the session's
    PostgreSQL schema) with the rows of the seeded ``profile``, copied from
    its template: seeding them again cost 0.3 to 3 s of CPU per test."""
    if backend.engine.dialect.name == "sqlite":
        process_sqlite_templates().fill(profile, backend)
        return
    (schema,) = {t.schema for t in backend.tables.metadata.sorted_tables}
    assert schema is not None, "a PostgreSQL backend of the session schema"
    session = SESSIONS[schema]
    assert backend.tables is session.backend.tables
    session.templates.refill(profile)


def _tables(schema: str | None) -> Tables:
    """The tables of ``schema``; a SQLite file's (``None``) are built once per
    process and shared (with their row mappers) by every test backend."""
    return sqlite_tables() if schema is None else build_tables(schema=schema)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresSchema]:
    """The session's PostgreSQL schema (skipped, or failed in CI, when unreachable)."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail(
                "GSAN_CORE_REQUIRE_POSTGRES=1 but GSAN_CORE_TEST_POSTGRES_URL is unset"
            )
        pytest.skip("GSAN_CORE_TEST_POSTGRES_URL is not set")
    try:
        schema = PostgresSchema(POSTGRES_URL)
    except Exception as error:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    yield schema
    schema.drop()


def sqlite_backend(path: Path) -> SqlBackend:
    """A migrated-by-metadata SQLite file backend."""
    backend = SqlBackend(
        create_engine(f"sqlite:///{path}"), tables=_tables(None), owns_engine=True
    )
    backend.create_all()
    return backend


#: Seeded in-memory stores of this test process, one per profile.
MEMORY_TEMPLATES = MemoryTemplates()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """Seeded SQLite template files of this test process."""
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def backend_uow_factory(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], object]]:
    """Units of work over an empty store of the parametrized backend."""
    if backend_name == "memory":
        yield memory_uow_factory(MemoryStore(), SequentialIds())
    elif backend_name == "sqlite":
        backend = sqlite_backend(tmp_path / "contract.db")
        yield backend.uow_factory
        backend.dispose()
    else:
        pg: PostgresSchema = request.getfixturevalue("postgres")
        yield pg.reset().uow_factory


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def make_system(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest, clock: FixedClock
) -> Iterator[Callable[..., gsan_core.System]]:
    """Build seeded systems of the parametrized backend (``make_system(profile=...)``)."""
    made: list[gsan_core.System] = []

    def make(
        profile: Profile = "gsan_default", *, seed: bool = True
    ) -> gsan_core.System:
        """A system of the backend; ``seed`` copies the profile's seeded template
        (its ``events`` start empty). The profile is loaded once per process."""
        template = profile if seed else None
        if backend_name == "memory":
            store, ids = (
                MEMORY_TEMPLATES.copy(profile)
                if seed
                else (MemoryStore(), SequentialIds())
            )
            system = gsan_core.System(
                uow_factory=memory_uow_factory(store, ids),
                profile=loaded(profile),
                clock=clock,
                backend=store,
            )
        elif backend_name == "sqlite":
            templates: SqliteTemplates = request.getfixturevalue("sqlite_templates")
            backend = templates.copy(template, tmp_path / f"system{len(made)}.db")
            system = gsan_core.System(
                uow_factory=backend.uow_factory,
                profile=loaded(profile),
                clock=clock,
                on_close=backend.dispose,
                backend=backend,
            )
        else:
            pg: PostgresSchema = request.getfixturevalue("postgres")
            backend = pg.reset(template)
            system = gsan_core.System(
                uow_factory=backend.uow_factory,
                profile=loaded(profile),
                clock=clock,
                backend=backend,
            )
        made.append(system)
        return system

    yield make
    for system in made:
        system.close()


@pytest.fixture
def system(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    """A seeded default-profile system of the parametrized backend."""
    return make_system()
