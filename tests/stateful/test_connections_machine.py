"""The connection lifecycle state machine on memory and SQLite (default and
CAGEPA-like profiles)."""

from __future__ import annotations

from hypothesis import settings

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.memory import memory_uow_factory
from gsan_core.testing import FixedClock
from gsan_core.testing.machines_connections import connection_machine
from tests.conftest import MEMORY_TEMPLATES
from tests.stateful.conftest import sqlite_copy


def memory_system(loaded: profiles.LoadedProfile) -> gsan_core.System:
    """A copy of the profile's seeded store (seeding one cost ~0.1 s)."""
    store, ids = MEMORY_TEMPLATES.copy(loaded)
    return gsan_core.System(
        uow_factory=memory_uow_factory(store, ids),
        profile=loaded,
        clock=FixedClock(),
    )


def sqlite_system(loaded: profiles.LoadedProfile) -> gsan_core.System:
    """A copy of the profile's seeded SQLite template (seeding a new database
    per example cost ~1 s)."""
    return sqlite_copy(loaded, clock=FixedClock())


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
