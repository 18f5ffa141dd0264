"""The in-memory store and its unit of work.

Committed state lives in :class:`MemoryStore`. A :class:`MemoryUnitOfWork` keeps
its own changes in an overlay (read-your-writes, invisible to others) and applies
them at ``commit()`` under the store's lock after checking, for every versioned
row it touched, that the committed version is still the one it started from. A
failed check raises and applies nothing: the same compare-and-set contract as the
SQL adapter.

Reads see the latest committed state (as PostgreSQL's READ COMMITTED does), and
row locks (:class:`RowLocks`) let a unit of work hold an aggregate root until it
ends its transaction, as ``SELECT ... FOR UPDATE`` does; the committed events go
to the store's outbox at commit, under the store's lock, so outbox ids follow
commit order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import attrs

from gsan_core.errors import BatchAlreadyRunning, ConcurrencyConflict, DuplicateEntity
from gsan_core.model.events import DomainEvent
from gsan_core.ports.ids import IdGenerator

__all__ = [
    "LOCK_TIMEOUT",
    "Counter",
    "MemoryStore",
    "MemoryUnitOfWorkBase",
    "OutboxRow",
    "RowLocks",
]

#: Seconds a unit of work waits for a row lock before ``ConcurrencyConflict``.
LOCK_TIMEOUT = 10.0

_DELETED: Any = object()
#: Sentinel: write without a compare-and-set (sets, flags).
UNCHECKED: Any = object()


class RowLocks:
    """Shared and exclusive locks on rows, held by units of work.

    A lock is held until its owner releases everything (at the end of its
    transaction). Waiting is bounded by ``timeout`` (then ``ConcurrencyConflict``);
    a lock held by *another* unit of work of the *same* thread can never be
    released while this one waits, so that is a conflict at once.
    """

    def __init__(self, timeout: float = LOCK_TIMEOUT) -> None:
        self.timeout = timeout
        self._changed = threading.Condition()
        #: key -> {owner: thread id}; an exclusive holder is alone in it.
        self._holders: dict[Hashable, dict[object, int]] = {}
        self._exclusive: set[Hashable] = set()
        self._owned: dict[object, set[Hashable]] = {}

    def _blockers(self, owner: object, key: Hashable, shared: bool) -> list[int]:
        holders = self._holders.get(key, {})
        others = [thread for who, thread in holders.items() if who is not owner]
        if shared and key not in self._exclusive:
            return []
        return others

    def acquire(
        self, owner: object, keys: Iterable[Hashable], *, shared: bool = False
    ) -> None:
        """Lock ``keys`` for ``owner`` (all of them, or none on failure)."""
        wanted = list(keys)
        thread = threading.get_ident()
        deadline = time.monotonic() + self.timeout
        with self._changed:
            while True:
                blocked = [
                    (key, blockers)
                    for key in wanted
                    if (blockers := self._blockers(owner, key, shared))
                ]
                if not blocked:
                    break
                key, blockers = blocked[0]
                remaining = deadline - time.monotonic()
                if thread in blockers or remaining <= 0:
                    raise ConcurrencyConflict(_entity(key), _ident(key))
                self._changed.wait(remaining)
            owned = self._owned.setdefault(owner, set())
            for key in wanted:
                holders = self._holders.setdefault(key, {})
                exclusive = key in self._exclusive and owner in holders
                holders[owner] = thread
                if not shared or exclusive:
                    self._exclusive.add(key)
                owned.add(key)

    def release(self, owner: object) -> None:
        """Release every lock ``owner`` holds."""
        with self._changed:
            for key in self._owned.pop(owner, ()):
                holders = self._holders.get(key, {})
                holders.pop(owner, None)
                if not holders:
                    self._holders.pop(key, None)
                    self._exclusive.discard(key)
            self._changed.notify_all()


def _entity(key: Hashable) -> str:
    return str(key[0]) if isinstance(key, tuple) else str(key)


def _ident(key: Hashable) -> object:
    return key[1] if isinstance(key, tuple) and len(key) > 1 else key


class MemoryStore:
    """Committed state of an in-memory system: tables of ``key -> value``."""

    def __init__(self, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[Hashable, Any]] = {}
        #: ``(table, field) -> value -> keys``: built on first use, kept at commit.
        self._indexes: dict[tuple[str, str], dict[Hashable, set[Hashable]]] = {}
        #: Row locks of the units of work (``(table, key)``).
        self.row_locks = RowLocks(lock_timeout)
        #: Batch runs in progress: ``(job, key) -> holder``.
        self._batches: dict[tuple[str, str], object] = {}
        #: Whether committed events are kept in the ``outbox`` table.
        self.outbox = True

    def hold_batch(self, owner: object, job: str, key: str) -> None:
        """Hold batch ``job`` for ``key`` for ``owner`` (see :meth:`release`)."""
        with self.lock:
            holder = self._batches.setdefault((job, key), owner)
            if holder is not owner:
                raise BatchAlreadyRunning(job, key)

    def release_batches(self, owner: object) -> None:
        """Release the batches ``owner`` holds."""
        with self.lock:
            for name in [k for k, v in self._batches.items() if v is owner]:
                del self._batches[name]

    def copy(self) -> MemoryStore:
        """An independent store holding the same committed rows.

        Rows are immutable, so the copy shares them and only the tables are new:
        a seeded store copied per test or notebook is much cheaper than seeding
        again.
        """
        with self.lock:
            clone = MemoryStore(lock_timeout=self.row_locks.timeout)
            clone.tables = {name: dict(rows) for name, rows in self.tables.items()}
            clone.outbox = self.outbox
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


@attrs.frozen(kw_only=True)
class Counter:
    """A gap-free counter's last number (table ``counter``)."""

    value: int
    version: int


@attrs.frozen(kw_only=True)
class OutboxRow:
    """A committed event in the store's outbox (table ``outbox``)."""

    id: int
    event: DomainEvent
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        """Whether a consumer acknowledged it."""
        return self.published_at is not None


def _append_outbox(store: MemoryStore, events: Sequence[DomainEvent]) -> None:
    """Give committed events the next outbox ids (the store's lock is held)."""
    counters = store.table("counter")
    current = counters.get("outbox")
    last = 0 if current is None else current.value
    for offset, event in enumerate(events, start=1):
        store.apply("outbox", last + offset, OutboxRow(id=last + offset, event=event))
    version = 1 if current is None else current.version + 1
    store.apply("counter", "outbox", Counter(value=last + len(events), version=version))


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
        self._read_only = False

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
        try:
            self.rollback()
        finally:
            self._store.release_batches(self)
            self._open = False

    def _reset(self) -> None:
        self._changes = {}
        self._expected = {}
        self._events = []
        self._store.row_locks.release(self)

    def commit(self) -> None:
        """Check every compare-and-set, then apply all changes and write the
        outbox at once."""
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
            if self._events and store.outbox:
                _append_outbox(store, self._events)
        self._committed.extend(self._events)
        self._reset()

    def rollback(self) -> None:
        """Forget the changes and the events recorded since the last commit."""
        self._reset()

    def read_only(self) -> None:
        """Nothing to prepare in memory: reads never wait for writers."""
        self._read_only = True

    def defer_writes(self) -> None:
        """Nothing to send in memory: every write is at once."""

    def read_ahead(self, command: str, key: int) -> None:
        """Nothing to read ahead in memory: every read is at hand."""

    # ------------------------------------------------------------ concurrency
    def lock_rows(
        self, table: str, keys: Iterable[Hashable], *, shared: bool = False
    ) -> None:
        """Lock rows of ``table`` until this transaction ends (commit/rollback)."""
        self._store.row_locks.acquire(
            self, [(table, key) for key in keys], shared=shared
        )

    def take_numbers(self, name: str, count: int, *, after: int = 0) -> Sequence[int]:
        """``count`` consecutive numbers of counter ``name`` (queued by a row lock,
        written with the work: a rollback gives them back)."""
        self.lock_rows("counter", [name])
        current = self.read("counter", name)
        last = max(0 if current is None else current.value, after)
        self.write(
            "counter",
            name,
            Counter(
                value=last + count,
                version=1 if current is None else current.version + 1,
            ),
            expect=None if current is None else current.version,
        )
        return range(last + 1, last + count + 1)

    def lock_key(self, name: str) -> None:
        """Lock the key ``name`` until this transaction ends."""
        self.lock_rows("key", [name])

    def hold_batch(self, job: str, key: str) -> None:
        """Hold batch ``job`` for ``key`` until this unit of work ends."""
        self._store.hold_batch(self, job, key)

    def refresh_statistics(
        self, changed: Mapping[str, int], *, share: float | None = None
    ) -> None:
        """Nothing to refresh: the memory store has no planner."""

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
