"""Gap-free counters and the outbox reader of the SQL adapter.

A counter (table ``counter``) is one row per name, moved in the unit of work's
own transaction by one upsert (made on first use): it takes the row's lock, so a
second transaction taking numbers of the same counter waits until the first
commits or rolls back, and the numbers are handed out without gaps and in
commit order. The outbox ids come from the counter ``outbox``, taken by the last
statement before the commit; on PostgreSQL that statement also writes the rows
(:func:`write_outbox`: the counter's upsert a CTE of the insert, issue 20).
On PostgreSQL a relay claims its batch in one statement (:class:`PostgresOutbox`:
the relay's advisory lock, the oldest pending entries locked and marked
published, in the relay's one transaction per batch).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gsan_core import serialization
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.leases import advisory_key
from gsan_core.adapters.sqlalchemy.repositories import among, chunks, prepared
from gsan_core.errors import BatchAlreadyRunning
from gsan_core.model.events import DomainEvent
from gsan_core.model.outbox import OutboxEntry

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["PostgresOutbox", "SqlOutbox", "lock_key", "take_numbers", "write_outbox"]


def _bump(table: sa.Table, dialect: str) -> Any:
    """The counter's upsert: made at ``k_first`` when missing, else moved past
    ``k_after`` by ``k_count``; returns the last number taken. One statement
    whichever the case (the row's lock is taken by it either way)."""
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def build() -> Any:
        statement = insert(table).values(
            name=sa.bindparam("k_name"), value=sa.bindparam("k_first")
        )
        return statement.on_conflict_do_update(
            index_elements=[table.c.name],
            set_={
                "value": sa.case(
                    (table.c.value < sa.bindparam("k_after"), sa.bindparam("k_after")),
                    else_=table.c.value,
                )
                + sa.bindparam("k_count")
            },
        ).returning(table.c.value)

    return prepared(table, f"take_{dialect}", build)


def take_numbers(
    connection: sa.Connection, table: sa.Table, name: str, count: int, *, after: int
) -> Sequence[int]:
    """``count`` consecutive numbers of counter ``name`` (greater than ``after``),
    taken in ``connection``'s transaction: one upsert, which also makes the
    counter on first use."""
    params = {
        "k_name": name,
        "k_after": after,
        "k_count": count,
        "k_first": max(after, 0) + count,
    }
    with translated("counter", name):
        last = connection.execute(
            _bump(table, connection.dialect.name), params
        ).scalar_one()
    return range(int(last) - count + 1, int(last) + 1)


#: The one-statement outbox write of each (counter, outbox) table pair.
_WRITES: dict[tuple[sa.Table, sa.Table], sa.TextClause] = {}


def write_outbox(
    connection: sa.Connection,
    counter: sa.Table,
    outbox: sa.Table,
    events: Sequence[DomainEvent],
) -> None:
    """Write ``events`` to the outbox, numbered from the counter ``outbox``:
    on PostgreSQL **one** statement (the counter's upsert a CTE, the rows
    numbered from its new value in event order, from one JSON array
    parameter); elsewhere the counter's upsert, then the rows. Either way the
    counter's row lock is taken by the last statement before the commit and
    held to it, so ids are gap-free and follow commit order."""
    if not events:
        return
    # the converter's dicts, field by field (each shared instant formatted once)
    payloads = serialization.to_dicts(events)
    if connection.dialect.name != "postgresql":
        ids = take_numbers(connection, counter, "outbox", len(events), after=0)
        rows = [
            {
                "id": ident,
                "tag": type(event).tag,
                "occurred_at": event.occurred_at,
                "actor": event.actor,
                "payload": payload,
                "published_at": None,
            }
            for ident, event, payload in zip(ids, events, payloads, strict=True)
        ]
        with translated("outbox"):
            connection.execute(sa.insert(outbox), rows)
        return
    statement = _WRITES.get((counter, outbox))
    if statement is None:
        statement = _WRITES[(counter, outbox)] = _numbered_insert(
            connection, counter, outbox
        )
    with translated("outbox"):
        connection.execute(statement, {"n": len(events), "rows": json.dumps(payloads)})


def _numbered_insert(
    connection: sa.Connection, counter: sa.Table, outbox: sa.Table
) -> sa.TextClause:
    """PostgreSQL: bump the counter ``outbox`` by ``:n`` (made on first use)
    and insert the ``:rows`` (the payloads) numbered from it, ``WITH
    ORDINALITY`` keeping the events' order, in one statement; the tag, the
    instant and the actor are read from each payload (``to_dict`` writes them
    under ``type``, ``occurred_at`` and ``actor``)."""
    quote = connection.dialect.identifier_preparer.format_table
    return sa.text(
        f"WITH c AS (INSERT INTO {quote(counter)} AS k (name, value) "
        "VALUES ('outbox', :n) ON CONFLICT (name) DO UPDATE "
        "SET value = k.value + :n RETURNING k.value) "
        f"INSERT INTO {quote(outbox)} "
        "(id, tag, occurred_at, actor, payload, published_at) "
        "SELECT c.value - :n + x.i, x.r->>'type', "
        "CAST(x.r->>'occurred_at' AS TIMESTAMPTZ), CAST(x.r->>'actor' AS BIGINT), "
        "x.r, NULL "
        "FROM c, jsonb_array_elements(CAST(:rows AS JSONB)) "
        "WITH ORDINALITY AS x(r, i)"
    )


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


def _entries(rows: Sequence[sa.RowMapping]) -> list[OutboxEntry]:
    """The entries of outbox rows (their columns by name)."""
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


class SqlOutbox:
    """Reads and acknowledges the ``outbox`` table."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._t = uow.tables["outbox"]

    def _entries(self, statement: sa.Select[Any]) -> list[OutboxEntry]:
        with translated("outbox"):
            rows = self._uow.connection.execute(statement).mappings().all()
        return _entries(rows)

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


def _claim_statement(connection: sa.Connection, table: sa.Table) -> sa.TextualSelect:
    """PostgreSQL: take the advisory lock ``:k`` (``pg_try_advisory_xact_lock``,
    a CTE evaluated once, first: the scan below is gated by it), lock the
    oldest ``:n`` pending entries ``FOR UPDATE`` and mark them published at
    ``:at``; one row with ``held`` false when another session holds the lock,
    else one row per entry claimed (or one of NULLs when none is pending).

    The statement's snapshot is taken before the lock: an entry another relay
    marked and committed in between is seen as pending by the scan, and
    ``FOR UPDATE`` re-reads its committed version and drops it (READ
    COMMITTED's recheck), so no entry is claimed twice."""
    quote = connection.dialect.identifier_preparer.format_table

    def build() -> sa.TextualSelect:
        name = quote(table)
        return (
            sa.text(
                "WITH l AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(:k) AS held), "
                f"c AS (SELECT o.id FROM {name} AS o "
                "WHERE (SELECT held FROM l) AND o.published_at IS NULL "
                "ORDER BY o.id LIMIT :n FOR UPDATE OF o), "
                f"u AS (UPDATE {name} AS t SET published_at = :at FROM c "
                "WHERE t.id = c.id RETURNING t.id, t.tag, t.occurred_at, t.actor, "
                "t.payload, t.published_at) "
                "SELECT l.held, u.* FROM l LEFT JOIN u ON true ORDER BY u.id"
            )
            .bindparams(sa.bindparam("at", type_=table.c.published_at.type))
            .columns(
                sa.column("held", sa.Boolean),
                *(table.c[c] for c in _COLUMNS),
            )
        )

    return prepared(table, "claim_postgresql", build)


#: The outbox columns a claim returns.
_COLUMNS = ("id", "tag", "occurred_at", "actor", "payload", "published_at")


class PostgresOutbox(SqlOutbox):
    """The outbox of a unit of work of its own on PostgreSQL: also
    :class:`~gsan_core.ports.outbox.OutboxClaiming` (a relay's batch in one
    statement, issue 20)."""

    def claim(
        self, job: str, key: str, limit: int, at: datetime
    ) -> Sequence[OutboxEntry]:
        """Hold ``job`` for ``key`` (the advisory lock of ``leases.BatchHolds``)
        and claim the oldest ``limit`` pending entries, marked published at
        ``at`` in this transaction; by id. ``BatchAlreadyRunning`` when another
        holds the job."""
        tables = self._uow.tables
        lock = advisory_key(f"{tables.schema or ''}.{tables.prefix}", job, key)
        connection = self._uow.connection
        with translated("outbox"):
            rows = (
                connection.execute(
                    _claim_statement(connection, self._t),
                    {"k": lock, "n": max(limit, 0), "at": at},
                )
                .mappings()
                .all()
            )
        if not rows[0]["held"]:
            raise BatchAlreadyRunning(job, key)
        return _entries([row for row in rows if row["id"] is not None])
