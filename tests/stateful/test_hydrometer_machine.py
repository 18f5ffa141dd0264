"""The hydrometer state machine on memory and SQLite."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.machines_hydrometers import make_machine


def memory() -> gsan_core.System:
    return gsan_core.in_memory(clock=FixedClock())


def sqlite() -> gsan_core.System:
    folder = Path(tempfile.mkdtemp(prefix="gsan-machine-"))
    backend = SqlBackend.open(f"sqlite:///{folder}/machine.db")
    backend.create_all()

    def close() -> None:
        backend.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    system = gsan_core.System(
        uow_factory=backend.uow_factory,
        clock=FixedClock(),
        on_close=close,
        backend=backend,
    )
    system.seed()
    return system


MemoryMachine = make_machine(memory)
SqliteMachine = make_machine(sqlite)
# SQLite builds a database per example: a third of the profile's examples.
SqliteMachine.TestCase.settings = settings(
    settings.default, max_examples=max(5, settings.default.max_examples // 3)
)

TestHydrometersInMemory = MemoryMachine.TestCase
TestHydrometersOnSqlite = SqliteMachine.TestCase
