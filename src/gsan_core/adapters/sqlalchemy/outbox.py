"""Gap-free counters and the outbox reader of the SQL adapter.

A counter (table ``counter``) is one row per name, updated in the unit of work's
own transaction: the update takes the row's lock, so a second transaction taking
numbers of the same counter waits until the first commits or rolls back, and the
numbers are handed out without gaps and in commit order. The outbox ids come
from the counter ``outbox``, taken as the last statement before the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gsan_core import serialization
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import among, chunks, prepared
from gsan_core.model.events import DomainEvent
from gsan_core.model.outbox import OutboxEntry

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlOutbox", "lock_key", "take_numbers"]


def take_numbers(
    connection: sa.Connection, table: sa.Table, name: str, count: int, *, after: int
) -> Sequence[int]:
    """``count`` consecutive numbers of counter ``name`` (greater than ``after``),
    taken in ``connection``'s transaction."""
    bump = prepared(
        table,
        "take",
        lambda: (
            sa.update(table)
            .where(table.c.name == sa.bindparam("k_name"))
            .values(
                value=sa.case(
                    (table.c.value < sa.bindparam("k_after"), sa.bindparam("k_after")),
                    else_=table.c.value,
                )
                + sa.bindparam("k_count")
            )
            .returning(table.c.value)
        ),
    )
    params = {"k_name": name, "k_after": after, "k_count": count}
    with translated("counter", name):
        last = connection.execute(bump, params).scalar()
        if last is None:
            dialect = connection.dialect.name
            insert: Any = (
                postgresql.insert(table)
                if dialect == "postgresql"
                else sqlite.insert(table)
            )
            connection.execute(
                insert.values(name=name, value=0).on_conflict_do_nothing(
                    index_elements=["name"]
                )
            )
            last = connection.execute(bump, params).scalar_one()
    return range(int(last) - count + 1, int(last) + 1)


def lock_key(connection: sa.Connection, table: sa.Table, name: str) -> None:
    """Lock the counter row ``name`` (made if missing) without moving it: the
    transaction holds it until it ends (a named lock)."""
    take_numbers(connection, table, name, 0, after=0)


def _event(payload: Mapping[str, Any]) -> DomainEvent | None:
    try:
        return serialization.from_dict(dict(payload))
    except Exception:
        # an event of another version of the library (unknown tag, other
        # fields): the entry still carries its payload
        return None


class SqlOutbox:
    """Reads and acknowledges the ``outbox`` table."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._t = uow.tables["outbox"]

    def _entries(self, statement: sa.Select[Any]) -> list[OutboxEntry]:
        with translated("outbox"):
            rows = self._uow.connection.execute(statement).mappings().all()
        return [
            OutboxEntry(
                id=row["id"],
                tag=row["tag"],
                occurred_at=row["occurred_at"],
                actor=row["actor"],
                payload=row["payload"],
                event=_event(row["payload"]),
                published_at=row["published_at"],
            )
            for row in rows
        ]

    def pending(self, limit: int) -> Sequence[OutboxEntry]:
        t = self._t
        return self._entries(
            sa.select(t)
            .where(t.c.published_at.is_(None))
            .order_by(t.c.id)
            .limit(max(limit, 0))
        )

    def after(self, position: int, limit: int) -> Sequence[OutboxEntry]:
        t = self._t
        return self._entries(
            sa.select(t).where(t.c.id > position).order_by(t.c.id).limit(max(limit, 0))
        )

    def mark_published(self, ids: Collection[int], at: datetime) -> int:
        t = self._t
        connection = self._uow.connection
        marked = 0
        for batch in chunks(sorted(set(ids))):
            statement = (
                sa.update(t)
                .where(among(t.c.id, batch, connection.dialect.name))
                .where(t.c.published_at.is_(None))
                .values(published_at=at)
            )
            with translated("outbox"):
                marked += connection.execute(statement).rowcount
        return marked
