"""The service-order lifecycle machine (generated from ``TRANSITIONS``) against
memory and SQLite."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.system import System
from gsan_core.testing import SequentialIds
from gsan_core.testing.machines_orders import order_lifecycle_machine
from tests.templates import sqlite_tables


def _memory(**options: Any) -> System:
    return System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds()), **options
    )


def _sqlite(**options: Any) -> System:
    folder = Path(tempfile.mkdtemp(prefix="gsan-machine-"))
    backend = SqlBackend(
        create_engine(f"sqlite:///{folder / 'machine.db'}"),
        tables=sqlite_tables(),
        owns_engine=True,
    )
    backend.create_all()
    return System(uow_factory=backend.uow_factory, on_close=backend.dispose, **options)


TestLifecycleMemory = order_lifecycle_machine(_memory).TestCase
TestLifecycleSqlite = order_lifecycle_machine(_sqlite).TestCase
