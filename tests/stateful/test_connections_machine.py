"""The connection lifecycle state machine on memory and SQLite (default and
CAGEPA-like profiles)."""

from __future__ import annotations

from hypothesis import settings

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.testing import FixedClock, SequentialIds
from gsan_core.testing.machines_connections import connection_machine
from tests.templates import sqlite_tables


def memory_system(loaded: profiles.LoadedProfile) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds()),
        profile=loaded,
        clock=FixedClock(),
    )
    system.seed()
    return system


def sqlite_system(loaded: profiles.LoadedProfile) -> gsan_core.System:
    backend = SqlBackend(
        create_engine("sqlite://"),
        tables=sqlite_tables(),
        owns_engine=True,
    )
    backend.create_all()
    system = gsan_core.System(
        uow_factory=backend.uow_factory,
        profile=loaded,
        clock=FixedClock(),
        on_close=backend.dispose,
        backend=backend,
    )
    system.seed()
    return system


TestConnectionsOnMemory = connection_machine(memory_system).TestCase
TestConnectionsOnSqlite = connection_machine(sqlite_system).TestCase
# A database round trip per read: a third of the examples keeps the run short;
# the nightly profile scales it with the rest.
TestConnectionsOnSqlite.settings = settings(
    max_examples=max(5, settings.default.max_examples // 3)
)
TestCagepaConnectionsOnMemory = connection_machine(
    memory_system, profile="cagepa"
).TestCase
