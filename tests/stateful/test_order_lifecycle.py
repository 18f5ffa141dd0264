"""The service-order lifecycle machine (generated from ``TRANSITIONS``) against
memory and SQLite."""

from __future__ import annotations

from typing import Any

from gsan_core.adapters.memory import memory_uow_factory
from gsan_core.system import System
from gsan_core.testing.machines_orders import order_lifecycle_machine
from tests.conftest import MEMORY_TEMPLATES
from tests.stateful.conftest import sqlite_copy
from tests.templates import Profile, loaded


# Each example starts from a copy of the profile's seeded template (seeding a
# new SQLite database took ~1 s of CPU); the machine's own seed() then finds
# everything in place and writes nothing.
def _memory(*, profile: Profile, **options: Any) -> System:
    store, ids = MEMORY_TEMPLATES.copy(profile)
    return System(
        uow_factory=memory_uow_factory(store, ids), profile=loaded(profile), **options
    )


def _sqlite(*, profile: Profile, **options: Any) -> System:
    return sqlite_copy(profile, **options)


TestLifecycleMemory = order_lifecycle_machine(_memory).TestCase
TestLifecycleSqlite = order_lifecycle_machine(_sqlite).TestCase
