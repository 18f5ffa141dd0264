"""SQLite: a transaction that read, then writes after another one committed, is a
concurrency conflict (``SQLITE_BUSY_SNAPSHOT``), not a persistence error."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConcurrencyConflict, PersistenceError
from gsan_core.testing.contracts import location, sample_property
from tests.conftest import sqlite_backend


def test_stale_sqlite_transaction_conflicts(tmp_path: Path) -> None:
    backend = sqlite_backend(tmp_path / "stale.db")
    loc, sector, block, route = location()
    with backend.uow_factory() as uow:
        uow.localities.add(loc)
        uow.sectors.add(sector)
        uow.blocks.add(block)
        uow.routes.add(route)
        uow.properties.add(sample_property())
        uow.commit()
    with backend.uow_factory() as first:
        first.read_only()  # deferred: it does not hold the write lock
        seen = first.properties.get(1)  # the read opens the snapshot
        with backend.uow_factory() as second:
            second.properties.update(attrs.evolve(seen, block_face=8, version=2))
            second.commit()
        with pytest.raises(ConcurrencyConflict):
            first.properties.update(attrs.evolve(seen, block_face=9, version=2))
    with backend.uow_factory() as uow:
        assert uow.properties.get(1).block_face == 8
    backend.dispose()


def test_other_operational_errors_stay_persistence_errors(tmp_path: Path) -> None:
    backend = sqlite_backend(tmp_path / "other.db")

    def missing_table() -> None:
        with backend.uow_factory() as uow, translated("nothing"):
            uow.connection.exec_driver_sql("SELECT * FROM no_such_table")

    with pytest.raises(PersistenceError):
        missing_table()
    backend.dispose()
