"""The shared database of a concurrency test: a seeded SQLite file or the
session's PostgreSQL schema, and a system of the test process over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import gsan_core
from gsan_core.testing import FixedClock
from tests.concurrency.support import Shared
from tests.conftest import POSTGRES_URL, PostgresSchema
from tests.templates import Profile, SqliteTemplates

SHARED = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class Database:
    """Builds the parent's system and the children's :class:`Shared` spec."""

    def __init__(self, request: pytest.FixtureRequest, tmp_path: Path) -> None:
        self._request = request
        self._tmp_path = tmp_path
        self.name: str = request.param
        self._systems: list[gsan_core.System] = []

    def make(
        self, profile: Profile = "gsan_default"
    ) -> tuple[gsan_core.System, Shared]:
        """A seeded database of ``profile``: the test's system and the spec the
        processes connect with."""
        if self.name == "sqlite":
            templates: SqliteTemplates = self._request.getfixturevalue(
                "sqlite_templates"
            )
            path = self._tmp_path / f"shared{len(self._systems)}.db"
            backend = templates.copy(profile, path)
            shared = Shared(backend="sqlite", url=f"sqlite:///{path}", profile=profile)
        else:
            pg: PostgresSchema = self._request.getfixturevalue("postgres")
            backend = pg.reset(profile)
            assert POSTGRES_URL is not None
            shared = Shared(
                backend="postgres", url=POSTGRES_URL, schema=pg.schema, profile=profile
            )
        system = gsan_core.System(
            uow_factory=backend.uow_factory,
            profile=profile,
            clock=FixedClock(),
            backend=backend,
            on_close=backend.dispose,
        )
        self._systems.append(system)
        return system, shared

    def close(self) -> None:
        for system in self._systems:
            system.close()


@pytest.fixture(params=SHARED)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Shared databases of the parametrized backend (SQLite file, PostgreSQL)."""
    made = Database(request, tmp_path)
    yield made
    made.close()
