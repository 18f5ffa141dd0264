"""Fixtures of the legacy-adapter tests.

GSAN's DDL is loaded once per session into a template database (with the
reference rows and the companion schema); each test gets a copy
(``CREATE DATABASE ... TEMPLATE``, about a tenth of a second) and drops it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.adapters.sqlalchemy import create_engine
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES
from tests.legacy.support import LEGACY_DDL, ddl_files, load_ddl, seed_reference

pytestmark = pytest.mark.postgres
_COPIES = itertools.count(1)


def _admin(url: str) -> sa.Engine:
    return create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )


class LegacyServer:
    """The session's template database of GSAN's schema, and its copies."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.base = self.url.database or "postgres"
        # one template per pytest process (xdist workers build their own)
        self.template = f"{self.base}_legacy_tpl_{os.getpid()}"
        self.admin = _admin(url)
        self._drop(self.template)
        self._create(self.template)
        engine = self.engine(self.template)
        try:
            load_ddl(engine)
            with engine.begin() as connection:
                seed_reference(connection)
            companion.upgrade(engine, LegacyProfile())
        finally:
            engine.dispose()

    def _create(self, name: str, template: str | None = None) -> None:
        suffix = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def engine(self, name: str) -> sa.Engine:
        url = self.url.set(database=name).render_as_string(hide_password=False)
        return create_engine(url, pool_size=5, max_overflow=5)

    def copy(self) -> str:
        name = f"{self.base}_legacy_{os.getpid()}_{next(_COPIES)}"
        self._create(name, self.template)
        return name

    def drop(self, name: str) -> None:
        self._drop(name)

    def close(self) -> None:
        self._drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def legacy_server() -> Iterator[LegacyServer]:
    """The session's GSAN template database (skipped, or failed in CI)."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("GSAN_CORE_REQUIRE_POSTGRES=1 but no PostgreSQL URL is set")
        pytest.skip("GSAN_CORE_TEST_POSTGRES_URL is not set")
    if not ddl_files():
        if REQUIRE_POSTGRES:
            pytest.fail(f"GSAN's DDL is not at {LEGACY_DDL} (GSAN_CORE_LEGACY_DDL)")
        pytest.skip(f"GSAN's DDL is not at {LEGACY_DDL}")
    server = LegacyServer(POSTGRES_URL)
    yield server
    server.close()


@pytest.fixture
def legacy_engine(legacy_server: LegacyServer) -> Iterator[sa.Engine]:
    """A fresh copy of GSAN's schema (companion migrated, locking not yet)."""
    name = legacy_server.copy()
    engine = legacy_server.engine(name)
    yield engine
    engine.dispose()
    legacy_server.drop(name)


@pytest.fixture
def locked_engine(legacy_engine: sa.Engine) -> sa.Engine:
    """:func:`legacy_engine` with the opt-in optimistic-locking migration."""
    companion.upgrade(legacy_engine, LegacyProfile(), locking=True)
    return legacy_engine


@pytest.fixture
def legacy(locked_engine: sa.Engine) -> LegacyBackend:
    """A writable legacy backend (COSANPA line)."""
    return LegacyBackend(locked_engine)


@pytest.fixture
def run_sql(legacy_engine: sa.Engine) -> Callable[..., sa.CursorResult[object]]:
    """Run SQL as GSAN would (its own committed transaction)."""

    def run(sql: str, **params: object) -> sa.CursorResult[object]:
        with legacy_engine.begin() as connection:
            return connection.execute(sa.text(sql), params)

    return run
