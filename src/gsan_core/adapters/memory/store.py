"""The in-memory store and its unit of work.

Committed state lives in :class:`MemoryStore`. A :class:`MemoryUnitOfWork` keeps
its own changes in an overlay (read-your-writes, invisible to others) and applies
them at ``commit()`` under the store's lock after checking, for every versioned
row it touched, that the committed version is still the one it started from. A
failed check raises and applies nothing: the same compare-and-set contract as the
SQL adapter.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity
from gsan_core.model.events import DomainEvent
from gsan_core.ports.ids import IdGenerator

__all__ = ["MemoryStore", "MemoryUnitOfWorkBase"]

_DELETED: Any = object()
#: Sentinel: write without a compare-and-set (sets, flags).
UNCHECKED: Any = object()


class MemoryStore:
    """Committed state of an in-memory system: tables of ``key -> value``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[Hashable, Any]] = {}
        #: ``(table, field) -> value -> keys``: built on first use, kept at commit.
        self._indexes: dict[tuple[str, str], dict[Hashable, set[Hashable]]] = {}

    def copy(self) -> MemoryStore:
        """An independent store holding the same committed rows.

        Rows are immutable, so the copy shares them and only the tables are new:
        a seeded store copied per test or notebook is much cheaper than seeding
        again.
        """
        with self.lock:
            clone = MemoryStore()
            clone.tables = {name: dict(rows) for name, rows in self.tables.items()}
            return clone

    def table(self, name: str) -> dict[Hashable, Any]:
        """The committed rows of ``name`` (created empty on first use)."""
        with self.lock:
            return self.tables.setdefault(name, {})

    def keys_where(self, table: str, field: str, value: Hashable) -> set[Hashable]:
        """Keys of the committed rows whose ``field`` equals ``value`` (indexed)."""
        with self.lock:
            index = self._indexes.get((table, field))
            if index is None:
                index = {}
                for key, row in self.table(table).items():
                    index.setdefault(getattr(row, field), set()).add(key)
                self._indexes[(table, field)] = index
            return set(index.get(value, ()))

    def apply(self, table: str, key: Hashable, value: Any) -> None:
        """Store (or delete, for ``None``) one committed row, keeping the indexes."""
        rows = self.table(table)
        before = rows.get(key)
        for (indexed, field), index in self._indexes.items():
            if indexed != table:
                continue
            if before is not None:
                index.get(getattr(before, field), set()).discard(key)
            if value is not None:
                index.setdefault(getattr(value, field), set()).add(key)
        if value is None:
            rows.pop(key, None)
        else:
            rows[key] = value


def _version(value: Any) -> int | None:
    return getattr(value, "version", None)


class MemoryUnitOfWorkBase:
    """Transaction mechanics of the memory unit of work (repositories come on top)."""

    def __init__(self, store: MemoryStore, ids: IdGenerator) -> None:
        self._store = store
        self._ids = ids
        self._changes: dict[str, dict[Hashable, Any]] = {}
        #: ``(table, key) -> committed version expected`` (``None``: must be absent).
        self._expected: dict[tuple[str, Hashable], int | None] = {}
        self._events: list[DomainEvent] = []
        self._committed: list[DomainEvent] = []
        self._open = False

    # ------------------------------------------------------------ context
    def __enter__(self) -> Self:
        self._open = True
        self._reset()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._open = False

    def _reset(self) -> None:
        self._changes = {}
        self._expected = {}
        self._events = []

    def commit(self) -> None:
        """Check every compare-and-set, then apply all changes at once."""
        store = self._store
        with store.lock:
            for (table, key), expected in self._expected.items():
                current = store.table(table).get(key)
                if expected is None:
                    if current is not None:
                        raise DuplicateEntity(table, key)
                elif current is None or _version(current) != expected:
                    raise ConcurrencyConflict(table, key, expected)
            for table, rows in self._changes.items():
                for key, value in rows.items():
                    store.apply(table, key, None if value is _DELETED else value)
        self._committed.extend(self._events)
        self._reset()

    def rollback(self) -> None:
        """Forget the changes and the events recorded since the last commit."""
        self._reset()

    def record(self, *events: DomainEvent) -> None:
        """Record events produced by the use case."""
        self._events.extend(events)

    def collect_events(self) -> Sequence[DomainEvent]:
        """Events of committed work, once."""
        events, self._committed = self._committed, []
        return events

    def next_id(self, kind: str) -> int:
        """A new id of ``kind`` from the system's id generator."""
        return self._ids.next_id(kind)

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind``."""
        return self._ids.next_ids(kind, count)

    # ------------------------------------------------------------ row access
    def read(self, table: str, key: Hashable) -> Any:
        """The row as this unit of work sees it (its own changes first)."""
        changes = self._changes.get(table)
        if changes is not None and key in changes:
            value = changes[key]
            return None if value is _DELETED else value
        with self._store.lock:
            return self._store.table(table).get(key)

    def rows(self, table: str) -> Iterator[Any]:
        """Every row of ``table`` as this unit of work sees it."""
        changes = self._changes.get(table, {})
        with self._store.lock:
            committed = list(self._store.table(table).items())
        for key, value in committed:
            if key not in changes:
                yield value
        for value in changes.values():
            if value is not _DELETED:
                yield value

    def rows_where(self, table: str, field: str, value: Hashable) -> Iterator[Any]:
        """Rows of ``table`` whose ``field`` equals ``value`` as this unit of work
        sees them, through the store's index instead of a scan."""
        changes = self._changes.get(table, {})
        for key in self._store.keys_where(table, field, value):
            if key in changes:
                continue
            row = self.read(table, key)
            if row is not None:
                yield row
        for row in changes.values():
            if row is not _DELETED and getattr(row, field) == value:
                yield row

    def write(self, table: str, key: Hashable, value: Any, *, expect: Any) -> None:
        """Stage a write; ``expect`` is the committed version this write replaces.

        ``None`` means the row must not exist yet; :data:`UNCHECKED` skips the
        check. Only the first write of a key in a unit of work records it.
        """
        if expect is not UNCHECKED:
            self._expected.setdefault((table, key), expect)
        self._changes.setdefault(table, {})[key] = value

    def delete(self, table: str, key: Hashable, *, expect: Any) -> None:
        """Stage a deletion (see :meth:`write` for ``expect``)."""
        self.write(table, key, _DELETED, expect=expect)

    def committed_version(self, table: str, key: Hashable) -> int | None:
        """The version of the committed row (``None`` when absent)."""
        with self._store.lock:
            return _version(self._store.table(table).get(key))
