"""Database-backed id allocation, safe under concurrent writers.

Each kind of entity has a row in the ``id_block`` table holding the next free id.

* :class:`HiLoIds` (PostgreSQL and other servers): takes a block of ids in its own
  short transaction (``UPDATE ... RETURNING``), so concurrent writers never wait
  on each other's open transactions; unused ids of a block are simply skipped.
* :class:`TransactionIds` (SQLite): allocates inside the unit of work's own
  transaction. SQLite has one writer at a time, and a second connection could
  not write while the unit of work holds the write lock. A block is taken at a
  time; what the transaction leaves of it goes to :class:`SpareBlocks` when it
  commits (the block is then reserved for good) and is dropped when it rolls
  back (the reservation is undone with it).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import prepared

__all__ = ["HiLoIds", "SpareBlocks", "TransactionIds", "reserve"]

#: Ids a unit of work reserves at once on SQLite.
SQLITE_BLOCK = 100


def _take(connection: sa.Connection, table: sa.Table, kind: str, count: int) -> int:
    """Reserve ``count`` ids of ``kind``; return the first one. One upsert,
    which makes the kind's row (ids from 1) on its first use."""
    dialect = connection.dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    bump = prepared(
        table,
        f"bump_{dialect}",
        lambda: (
            insert(table)
            .values(name=sa.bindparam("k_kind"), next_value=sa.bindparam("k_first"))
            .on_conflict_do_update(
                index_elements=[table.c.name],
                set_={"next_value": table.c.next_value + sa.bindparam("k_count")},
            )
            .returning(table.c.next_value)
        ),
    )
    params = {"k_kind": kind, "k_count": count, "k_first": 1 + count}
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

    @property
    def table(self) -> sa.Table:
        """The ``id_block`` table the blocks are taken from."""
        return self._table

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
                # a batch asking for more than a quarter of a block gets room
                # for its next few chunks too, so a chunked job takes ids once
                # every four chunks rather than every chunk
                size = max(self._block, 4 * count)
                with translated("id_block", kind), self._engine.begin() as connection:
                    start = _take(connection, self._table, kind, size)
                end = start + size
            self._free[kind] = (start + count, end)
        return range(start, start + count)


class SpareBlocks:
    """What committed SQLite transactions left of their id blocks, per kind:
    reserved in ``id_block`` for good, so any later unit of work may use them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[str, tuple[int, int]] = {}

    def borrow(self, kind: str) -> tuple[int, int] | None:
        """Take the spare block of ``kind`` (no other unit of work sees it)."""
        with self._lock:
            return self._free.pop(kind, None)

    def give_back(self, blocks: dict[str, tuple[int, int]]) -> None:
        """Keep the unused part of blocks a commit made permanent."""
        with self._lock:
            for kind, (start, end) in blocks.items():
                if start < end:
                    self._free[kind] = (start, end)

    def forget(self, kind: str) -> None:
        """Drop the spare block of ``kind`` (its ids may now be below a floor)."""
        with self._lock:
            self._free.pop(kind, None)


class TransactionIds:
    """Ids taken inside the current transaction (SQLite), a block at a time.

    ``blocks`` holds what this transaction may still hand out; the unit of
    work gives it to :class:`SpareBlocks` on commit and drops it on rollback.
    """

    def __init__(
        self,
        connection: sa.Connection,
        table: sa.Table,
        *,
        blocks: dict[str, tuple[int, int]] | None = None,
        spare: SpareBlocks | None = None,
        borrowed: set[str] | None = None,
    ) -> None:
        self._connection = connection
        self._table = table
        self._blocks = blocks
        self._spare = spare
        #: The kinds whose block in ``blocks`` was borrowed from ``spare``:
        #: reserved by a committed transaction, so a rollback may give back
        #: what is left of it.
        self._borrowed = borrowed if borrowed is not None else set()

    def next_id(self, kind: str) -> int:
        """One new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` consecutive new ids of ``kind``."""
        if self._blocks is None:  # inside a host's transaction: exactly what is asked
            with translated("id_block", kind):
                start = _take(self._connection, self._table, kind, count)
            return range(start, start + count)
        block = self._blocks.get(kind)
        if block is None and self._spare is not None:
            block = self._spare.borrow(kind)
            if block is not None:
                self._borrowed.add(kind)
        start, end = block or (0, 0)
        if end - start < count:
            size = SQLITE_BLOCK if count <= SQLITE_BLOCK else 4 * count
            with translated("id_block", kind):
                start = _take(self._connection, self._table, kind, size)
            end = start + size
            self._borrowed.discard(kind)  # this transaction's own block now
        self._blocks[kind] = (start + count, end)
        return range(start, start + count)
