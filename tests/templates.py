"""The seeded templates the tests copy: :mod:`gsan_core.testing.templates`."""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from gsan_core.testing.templates import (
    MemoryTemplates,
    PostgresTemplates,
    Profile,
    SqliteTemplates,
    loaded,
    sqlite_tables,
)

__all__ = [
    "MemoryTemplates",
    "PostgresTemplates",
    "Profile",
    "SqliteTemplates",
    "loaded",
    "process_sqlite_templates",
    "sqlite_tables",
]


@functools.cache
def process_sqlite_templates() -> SqliteTemplates:
    """Seeded SQLite template files of this process, one per profile (for
    what fixtures cannot reach: state machines, helpers given a backend),
    removed when the process exits."""
    directory = Path(tempfile.mkdtemp(prefix="gsan-templates-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return SqliteTemplates(directory)
