"""Database-backed id allocation, safe under concurrent writers.

Each kind of entity has a row in the ``id_block`` table holding the next free id.

* :class:`HiLoIds` (PostgreSQL and other servers): takes a block of ids in its own
  short transaction (``UPDATE ... RETURNING``), so concurrent writers never wait
  on each other's open transactions; unused ids of a block are simply skipped.
* :class:`TransactionIds` (SQLite): allocates inside the unit of work's own
  transaction. SQLite has one writer at a time, and a second connection could
  not write while the unit of work holds the write lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import prepared

__all__ = ["HiLoIds", "TransactionIds", "reserve"]


def _take(connection: sa.Connection, table: sa.Table, kind: str, count: int) -> int:
    """Reserve ``count`` ids of ``kind``; return the first one."""
    bump = prepared(
        table,
        "bump",
        lambda: (
            sa.update(table)
            .where(table.c.name == sa.bindparam("k_kind"))
            .values(next_value=table.c.next_value + sa.bindparam("k_count"))
            .returning(table.c.next_value)
        ),
    )
    params = {"k_kind": kind, "k_count": count}
    after = connection.execute(bump, params).scalar()
    if after is not None:
        return int(after) - count
    if connection.dialect.name == "postgresql":
        connection.execute(
            postgresql.insert(table)
            .values(name=kind, next_value=1)
            .on_conflict_do_nothing(index_elements=["name"])
        )
    else:
        connection.execute(sa.insert(table).values(name=kind, next_value=1))
    after = connection.execute(bump, params).scalar_one()
    return int(after) - count


def reserve(connection: sa.Connection, table: sa.Table, kind: str, floor: int) -> None:
    """Make every future id of ``kind`` greater than ``floor`` (existing data)."""
    current = connection.execute(
        sa.select(table.c.next_value).where(table.c.name == kind)
    ).scalar()
    if current is None:
        connection.execute(sa.insert(table).values(name=kind, next_value=floor + 1))
    elif int(current) <= floor:
        connection.execute(
            sa.update(table).where(table.c.name == kind).values(next_value=floor + 1)
        )


class HiLoIds:
    """Blocks of ids taken in separate short transactions; thread-safe."""

    def __init__(self, engine: sa.Engine, table: sa.Table, *, block: int = 100) -> None:
        self._engine = engine
        self._table = table
        self._block = block
        self._lock = threading.Lock()
        self._free: dict[str, tuple[int, int]] = {}

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def forget(self, kind: str) -> None:
        """Drop the cached block of ``kind``: its next ids come from the table."""
        with self._lock:
            self._free.pop(kind, None)

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` consecutive new ids of ``kind``."""
        with self._lock:
            start, end = self._free.get(kind, (0, 0))
            if end - start < count:
                # a batch asking for more than a block gets room for the next
                # few chunks too, so a chunked job takes ids once in a while
                size = self._block if count <= self._block else 4 * count
                with translated("id_block", kind), self._engine.begin() as connection:
                    start = _take(connection, self._table, kind, size)
                end = start + size
            self._free[kind] = (start + count, end)
        return range(start, start + count)


class TransactionIds:
    """Ids taken inside the current transaction (SQLite)."""

    def __init__(self, connection: sa.Connection, table: sa.Table) -> None:
        self._connection = connection
        self._table = table

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` consecutive new ids of ``kind``."""
        with translated("id_block", kind):
            start = _take(self._connection, self._table, kind, count)
        return range(start, start + count)
