"""Writes sent together: a command's inserts and updates in one statement.

A unit of work that declared :meth:`~SqlUnitOfWork.defer_writes` on
PostgreSQL keeps its repositories' inserts and compare-and-set updates here
instead of sending each one, and sends them as **one** statement of
data-modifying CTEs, each returning the rows it touched, when the unit of
work next reads (it reads its own writes) or commits. At the commit the same
statement also takes the outbox ids (an upsert of the ``outbox`` counter, whose
row lock is held to the commit, so ids still follow commit order) and writes
the outbox rows: a command's whole write is one round trip (issue 20).

What stays true: every write of a CTE sees the snapshot the statement began
with, so a write never follows another one of the same row in one statement
(an update of a table that already has a write waiting sends the waiting ones
first); an update that touched no row raises, after the statement, the
error its repository raises at once (``ConcurrencyConflict`` or ``NotFound``),
and a unique key broken by an insert the error of that insert's entity; the
transaction then rolls back, as it does when the error comes at once. What
changes is only *when* the error comes: at the next read or at the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql

from gsan_core import serialization
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.model.events import DomainEvent

__all__ = ["MOST_ROWS", "WriteBuffer", "deferred_insert", "outbox_rows", "reader"]

#: The most rows an insert leaves waiting (a larger one is sent at once):
#: each row is a CTE of its own, as SQLAlchemy caches the compiled form of a
#: single-row ``INSERT`` and not of a multi-row one (a command's statement is
#: compiled once, then taken from the cache).
MOST_ROWS = 20


def deferred_insert(
    uow: object, entity: str, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> bool:
    """Leave ``rows`` of ``table`` in ``uow``'s pending writes, when it defers
    them: whether it did (if not, the caller inserts them at once)."""
    if not rows or len(rows) > MOST_ROWS or not getattr(uow, "deferring", False):
        return False
    key = rows[0].get("id") if len(rows) == 1 else [r.get("id") for r in rows][:5]
    uow.pending.insert(entity, table, rows, key)  # type: ignore[attr-defined]
    return True


def reader(uow: object, *tables: sa.Table) -> sa.Connection:
    """``uow``'s connection for a read of ``tables`` only: the pending writes
    are sent first when one of them writes one of those tables."""
    reading = getattr(uow, "reading", None)
    if reading is None:
        return uow.connection  # type: ignore[attr-defined, no-any-return]
    return reading(*tables)  # type: ignore[no-any-return]


@attrs.define
class _Write:
    entity: str
    table: sa.Table
    statement: Any  # an INSERT or UPDATE ... RETURNING
    key: object
    expected: int | None  # rows it must touch (None: any)
    on_short: Callable[[], None] | None  # raises the repository's error


@attrs.define
class WriteBuffer:
    """The writes a unit of work has not sent yet."""

    writes: list[_Write] = attrs.Factory(list)

    def __bool__(self) -> bool:
        return bool(self.writes)

    def clear(self) -> None:
        self.writes = []

    def touches(self, *tables: sa.Table) -> bool:
        return any(w.table in tables for w in self.writes)

    def insert(
        self, entity: str, table: sa.Table, rows: Sequence[dict[str, Any]], key: object
    ) -> None:
        for row in rows:
            statement: Any = (
                sa.insert(table).values(row).returning(sa.literal_column("1"))
            )
            self.writes.append(_Write(entity, table, statement, key, None, None))

    def update(
        self,
        entity: str,
        table: sa.Table,
        statement: Any,
        key: object,
        on_short: Callable[[], None],
    ) -> None:
        self.writes.append(_Write(entity, table, statement, key, 1, on_short))

    def statement(self, outbox: Sequence[sa.Insert] | None) -> sa.Select[Any]:
        """One SELECT of the count of every write's touched rows, the writes
        as its CTEs (and the outbox's write, when given, the last one)."""
        counts: list[Any] = []
        for i, write in enumerate(self.writes):
            cte = write.statement.cte(f"w{i}")
            counts.append(sa.select(sa.func.count()).select_from(cte).scalar_subquery())
        for i, row in enumerate(outbox or ()):
            cte = row.cte(f"o{i}")
            counts.append(sa.select(sa.func.count()).select_from(cte).scalar_subquery())
        return sa.select(*counts)

    def send(
        self, connection: sa.Connection, outbox: Sequence[sa.Insert] | None = None
    ) -> None:
        """Send the writes (and ``outbox``) as one statement; raise the error
        of the first write that touched fewer rows than it must."""
        writes, self.writes = self.writes, []
        if not writes and outbox is None:
            return
        statement = WriteBuffer(writes).statement(outbox)
        try:
            with translated("statement"):
                try:
                    counts = connection.execute(statement).one()
                except sa_exc.IntegrityError as error:
                    raise _owner(writes, error) from error
        except _Owned as owned:
            with translated(owned.write.entity, owned.write.key):
                raise owned.error from None
        for write, count in zip(writes, counts, strict=False):
            if write.expected is not None and count != write.expected:
                assert write.on_short is not None
                write.on_short()


class _Owned(Exception):
    """Carries an integrity error to its write (never leaves this module)."""

    def __init__(self, write: _Write, error: sa_exc.IntegrityError) -> None:
        super().__init__()
        self.write, self.error = write, error


def _owner(writes: Sequence[_Write], error: sa_exc.IntegrityError) -> Exception:
    """The write whose table the database named in ``error`` (the first
    insert when it named none): its entity and key go with the error."""
    diag = getattr(error.orig, "diag", None)
    table = getattr(diag, "table_name", None)
    for write in writes:
        if write.table.name == table:
            return _Owned(write, error)
    inserts = [w for w in writes if w.expected is None]
    return _Owned(inserts[0], error) if inserts else error


def outbox_rows(
    counter: sa.Table, outbox: sa.Table, events: Sequence[DomainEvent]
) -> list[sa.Insert]:
    """The outbox's writes for one statement: the counter ``outbox`` moved by
    the number of events (an upsert: made on a fresh store), and one insert a
    row numbered from its new value, ids as :func:`~.outbox.take_numbers`
    gives."""
    n = len(events)
    bump = (
        postgresql.insert(counter)
        .values(name="outbox", value=n)
        .on_conflict_do_update(
            index_elements=[counter.c.name],
            set_={"value": counter.c.value + n},
        )
        .returning(counter.c.value)
        .cte("outbox_counter")
    )
    last = sa.select(bump.c.value).scalar_subquery()
    return [
        sa.insert(outbox)
        .values(
            id=last - (n - 1 - i),
            tag=type(event).tag,
            occurred_at=event.occurred_at,
            actor=event.actor,
            payload=serialization.to_dict(event),
            published_at=None,
        )
        .returning(outbox.c.id)
        .add_cte(bump)
        for i, event in enumerate(events)
    ]
