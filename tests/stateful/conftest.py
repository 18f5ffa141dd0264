"""System factories for the state machines (fixtures cannot reach them).

Creating and seeding a SQLite database takes ~0.1 s, seeding a store in memory
(``gsan_core.in_memory()``) as much; the machines need one per example, so a
seeded template (file or store) is built once per process and copied.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import gsan_core
from gsan_core.adapters.memory import memory_uow_factory
from gsan_core.testing import FixedClock
from tests.conftest import MEMORY_TEMPLATES
from tests.templates import (
    Profile,
    loaded,
    process_sqlite_templates,
)


def memory_copy(profile: Profile = "gsan_default", **options: Any) -> gsan_core.System:
    """What ``gsan_core.in_memory(profile, **options)`` returns (a fixed clock
    unless one is given), over a copy of the profile's seeded store instead of
    a store seeded again; its ``events`` start empty."""
    store, ids = MEMORY_TEMPLATES.copy(profile)
    options.setdefault("clock", FixedClock())
    return gsan_core.System(
        uow_factory=memory_uow_factory(store, ids),
        profile=loaded(profile),
        backend=store,
        **options,
    )


def sqlite_copy(profile: Profile, **options: Any) -> gsan_core.System:
    """A system of ``options`` over a copy of the seeded template of
    ``profile`` in a new folder, removed when the system closes."""
    folder = Path(tempfile.mkdtemp(prefix="gsan-machine-"))
    backend = process_sqlite_templates().copy(profile, folder / "machine.db")

    def close() -> None:
        backend.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    return gsan_core.System(
        uow_factory=backend.uow_factory,
        profile=loaded(profile),
        on_close=close,
        backend=backend,
        **options,
    )


def sqlite_system() -> gsan_core.System:
    """A seeded default-profile system over a new SQLite file, removed when
    the system closes.

    The seeding happened in the template: ``System.events`` starts empty.
    """
    return sqlite_copy("gsan_default", clock=FixedClock())
