"""System factories for the state machines (fixtures cannot reach them).

Creating and seeding a SQLite database takes ~0.1 s; the machines need one per
example, so a seeded template file is built once per process and copied.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.testing import FixedClock
from tests.conftest import sqlite_backend
from tests.templates import Profile, SqliteTemplates, sqlite_tables


@functools.cache
def _template() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="gsan-template-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    backend = sqlite_backend(directory / "seeded.db")
    gsan_core.System(uow_factory=backend.uow_factory, clock=FixedClock()).seed()
    backend.dispose()  # the last connection closing checkpoints the WAL
    return directory / "seeded.db"


@functools.cache
def sqlite_templates() -> SqliteTemplates:
    """Seeded SQLite template files of this process, one per profile."""
    directory = Path(tempfile.mkdtemp(prefix="gsan-templates-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return SqliteTemplates(directory)


def sqlite_copy(profile: Profile, **options: Any) -> gsan_core.System:
    """A system of ``options`` over a copy of the seeded template of
    ``profile`` in a new folder, removed when the system closes."""
    folder = Path(tempfile.mkdtemp(prefix="gsan-machine-"))
    backend = sqlite_templates().copy(profile, folder / "machine.db")

    def close() -> None:
        backend.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    return gsan_core.System(
        uow_factory=backend.uow_factory,
        profile=profile,
        on_close=close,
        backend=backend,
        **options,
    )


def sqlite_system() -> gsan_core.System:
    """A seeded system over a new SQLite file, removed when the system closes.

    The seeding happened in the template: ``System.events`` starts empty.
    """
    directory = Path(tempfile.mkdtemp(prefix="gsan-machine-"))
    shutil.copyfile(_template(), directory / "gsan.db")
    backend = SqlBackend(
        create_engine(f"sqlite:///{directory / 'gsan.db'}"),
        tables=sqlite_tables(),
        owns_engine=True,
    )

    def close() -> None:
        backend.dispose()
        shutil.rmtree(directory, ignore_errors=True)

    return gsan_core.System(
        uow_factory=backend.uow_factory,
        backend=backend,
        clock=FixedClock(),
        on_close=close,
    )
