"""The hydrometer state machine on memory and SQLite."""

from __future__ import annotations

from hypothesis import settings

import gsan_core
from gsan_core.testing.machines_hydrometers import make_machine
from tests.stateful.conftest import memory_copy, sqlite_system


def memory() -> gsan_core.System:
    """A copy of the seeded store (``in_memory()`` seeds one: ~0.1 s)."""
    return memory_copy()


def sqlite() -> gsan_core.System:
    """A copy of the seeded SQLite template (no create-and-seed per example)."""
    return sqlite_system()


MemoryMachine = make_machine(memory)
SqliteMachine = make_machine(sqlite)
# SQLite builds a database per example: a third of the profile's examples.
SqliteMachine.TestCase.settings = settings(
    settings.default, max_examples=max(5, settings.default.max_examples // 3)
)

TestHydrometersInMemory = MemoryMachine.TestCase
TestHydrometersOnSqlite = SqliteMachine.TestCase
