"""The seeded templates the tests copy: :mod:`gsan_core.testing.templates`."""

from gsan_core.testing.templates import (
    MemoryTemplates,
    PostgresTemplates,
    Profile,
    SqliteTemplates,
    sqlite_tables,
)

__all__ = [
    "MemoryTemplates",
    "PostgresTemplates",
    "Profile",
    "SqliteTemplates",
    "sqlite_tables",
]
