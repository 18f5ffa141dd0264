"""The pytest plugin of ``gsan_core`` (registered with the ``pytest11`` entry
point, so installing ``gsan-core[testing]`` is enough).

Fixtures:

``gsan_clock``
    A :class:`~gsan_core.testing.FixedClock` at :data:`~gsan_core.testing.DEFAULT_NOW`
    (Monday 2025-01-06, 09:00 in Brasília); every system below runs on it.
``gsan_profile``
    The profile the systems use: ``"gsan_default"``. Override it in a
    ``conftest.py`` to test another utility.
``gsan``
    A fresh in-memory system, seeded with the profile.
``gsan_sqlite``
    The same on a SQLite file in ``tmp_path`` (needs ``gsan-core[sqlalchemy]``).
``gsan_postgres``
    The same on PostgreSQL, in a schema of its own, when
    ``GSAN_CORE_TEST_POSTGRES_URL`` names a server (skipped otherwise; needs
    ``gsan-core[postgres]``).
``gsan_scenario``
    A :class:`~gsan_core.testing.Scenario` over ``gsan``.

Each profile is seeded once per test process and copied for every test
(:mod:`gsan_core.testing.templates`), so a fixture costs milliseconds in memory
and a file copy on SQLite. Nothing here imports SQLAlchemy or Hypothesis until
a fixture that needs it runs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gsan_core.testing.clocks import FixedClock

if TYPE_CHECKING:
    from gsan_core.system import System
    from gsan_core.testing.scenarios import Scenario
    from gsan_core.testing.templates import Profile

__all__ = [
    "gsan",
    "gsan_clock",
    "gsan_postgres",
    "gsan_profile",
    "gsan_scenario",
    "gsan_sqlite",
]

#: The environment variable naming the PostgreSQL server of the tests.
POSTGRES_VARIABLE = "GSAN_CORE_TEST_POSTGRES_URL"


@pytest.fixture
def gsan_clock() -> FixedClock:
    """A fixed clock at ``DEFAULT_NOW``; move it with ``set`` / ``advance``."""
    return FixedClock()


@pytest.fixture
def gsan_profile() -> Profile:
    """The profile of the ``gsan*`` systems (override to test another)."""
    return "gsan_default"


@pytest.fixture(scope="session")
def _gsan_memory_templates() -> Any:
    from gsan_core.testing.templates import MemoryTemplates  # noqa: PLC0415

    return MemoryTemplates()


@pytest.fixture
def gsan(
    gsan_profile: Profile, gsan_clock: FixedClock, _gsan_memory_templates: Any
) -> System:
    """A seeded in-memory system on ``gsan_clock``."""
    from gsan_core.adapters.memory import memory_uow_factory  # noqa: PLC0415
    from gsan_core.system import System  # noqa: PLC0415
    from gsan_core.testing.templates import loaded  # noqa: PLC0415

    store, ids = _gsan_memory_templates.copy(gsan_profile)
    return System(
        uow_factory=memory_uow_factory(store, ids),
        profile=loaded(gsan_profile),  # parsed once per process
        clock=gsan_clock,
        backend=store,
    )


@pytest.fixture(scope="session")
def _gsan_sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> Any:
    pytest.importorskip("sqlalchemy", reason="gsan_sqlite needs gsan-core[sqlalchemy]")
    from gsan_core.testing.templates import SqliteTemplates  # noqa: PLC0415

    return SqliteTemplates(tmp_path_factory.mktemp("gsan_templates"))


@pytest.fixture
def gsan_sqlite(
    gsan_profile: Profile,
    gsan_clock: FixedClock,
    _gsan_sqlite_templates: Any,
    tmp_path: Path,
) -> Iterator[System]:
    """A seeded system on a SQLite file in ``tmp_path`` (``gsan.db``)."""
    from gsan_core.system import System  # noqa: PLC0415
    from gsan_core.testing.templates import loaded  # noqa: PLC0415

    backend = _gsan_sqlite_templates.copy(gsan_profile, tmp_path / "gsan.db")
    system = System(
        uow_factory=backend.uow_factory,
        profile=loaded(gsan_profile),  # parsed once per process
        clock=gsan_clock,
        on_close=backend.dispose,
        backend=backend,
    )
    yield system
    system.close()


class _PostgresSession:
    """One schema (and its templates) of the test server for this session."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa  # noqa: PLC0415

        from gsan_core.adapters.sqlalchemy import (  # noqa: PLC0415
            SqlBackend,
            create_engine,
        )
        from gsan_core.adapters.sqlalchemy.schema import build_tables  # noqa: PLC0415
        from gsan_core.testing.templates import PostgresTemplates  # noqa: PLC0415

        self.engine = create_engine(url)
        self.schema = f"gsan_plugin_{uuid.uuid4().hex[:10]}"
        with self.engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(self.schema))
        self.backend = SqlBackend(self.engine, tables=build_tables(schema=self.schema))
        self.backend.create_all()
        self.templates = PostgresTemplates(
            self.engine, self.schema, self.backend.tables
        )

    def fresh(self, profile: Profile) -> Any:
        from gsan_core.adapters.sqlalchemy import SqlBackend  # noqa: PLC0415

        self.templates.refill(profile)
        return SqlBackend(self.engine, tables=self.backend.tables)

    def drop(self) -> None:
        self.templates.drop()
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{self.schema}" CASCADE')
        self.engine.dispose()


@pytest.fixture(scope="session")
def _gsan_postgres_session() -> Iterator[_PostgresSession]:
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_VARIABLE} is not set")
    pytest.importorskip("psycopg", reason="gsan_postgres needs gsan-core[postgres]")
    session = _PostgresSession(url)
    yield session
    session.drop()


@pytest.fixture
def gsan_postgres(
    gsan_profile: Profile,
    gsan_clock: FixedClock,
    _gsan_postgres_session: _PostgresSession,
) -> System:
    """A seeded system on PostgreSQL (a schema of this test session)."""
    from gsan_core.system import System  # noqa: PLC0415
    from gsan_core.testing.templates import loaded  # noqa: PLC0415

    backend = _gsan_postgres_session.fresh(gsan_profile)
    return System(
        uow_factory=backend.uow_factory,
        profile=loaded(gsan_profile),  # parsed once per process
        clock=gsan_clock,
        backend=backend,
    )


@pytest.fixture
def gsan_scenario(gsan: System) -> Scenario:
    """Scenario builders over ``gsan``."""
    from gsan_core.testing.scenarios import Scenario  # noqa: PLC0415

    return Scenario(gsan)
