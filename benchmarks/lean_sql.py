"""What the lean hand-written commands share (issue 20).

The lean version of a command (:mod:`benchmarks.limits`,
:mod:`benchmarks.lean_orders`, :mod:`benchmarks.lean_meters`,
:mod:`benchmarks.lean_connections`, :mod:`benchmarks.lean_stock`) is
``BEGIN``, one joined read, one write statement (data-modifying CTEs on
PostgreSQL), ``COMMIT``. Their shared pieces, one copy each:

* :func:`built`, :func:`bound`, :func:`params`: statements built once per set
  of tables with bound parameters, so that SQLAlchemy takes their compiled
  form from its cache (a statement built on every call has its cache key
  computed over every value, and a multi-row ``INSERT`` is not cached at all);
* :func:`outbox_rows`: the outbox rows numbered from the outbox counter,
  whose upsert is a CTE of the same statement (no round trip of its own);
  :func:`outbox` the same with literal rows, taking the counter first where
  there are no data-modifying CTEs (SQLite); :func:`one_statement` and
  :func:`write_all` put the writes together;
* :func:`trail_insert`: the unit-trail row of an order (``order_unit``);
* :func:`take`: numbers of a counter or an id block, one statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy import SqlBackend

__all__ = [
    "OUTBOX_COLUMNS",
    "bound",
    "built",
    "event",
    "one_statement",
    "outbox",
    "outbox_rows",
    "params",
    "take",
    "trail_insert",
    "write_all",
]

#: The outbox columns a lean command writes (``published_at`` is left null).
OUTBOX_COLUMNS = ("tag", "occurred_at", "actor", "payload")
#: Statements built once per set of tables, as the library builds its own.
_BUILT: dict[tuple[str, int], Any] = {}


def built(sql: SqlBackend, name: str, build: Callable[[], Any]) -> Any:
    """The statement ``name`` of ``sql``'s tables, ``build()`` the first time."""
    key = (name, id(sql.tables["property"]))
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = build()
    return found


def bound(table: sa.Table, prefix: str, *names: str) -> dict[str, Any]:
    """Bound parameters ``<prefix><column>`` for ``names`` (every column by
    default), typed as their columns."""
    columns = [table.c[n] for n in names] if names else list(table.c)
    return {c.key: sa.bindparam(f"{prefix}{c.key}", type_=c.type) for c in columns}


def params(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the parameters ``<prefix><key>`` of :func:`bound`."""
    return {f"{prefix}{k}": v for k, v in values.items()}


def event(
    n: int, tag: str, now: datetime, actor: int, payload: dict[str, Any]
) -> dict[str, Any]:
    """The parameters of the ``n``-th outbox row of :func:`outbox_rows`."""
    values = {"tag": tag, "occurred_at": now, "actor": actor, "payload": payload}
    return params(f"o{n}_", values)


def _counter_bump(sql: SqlBackend, count: int) -> Any:
    """The outbox counter moved by ``count`` (an upsert), as a CTE."""
    counter = sql.tables["counter"]
    return (
        postgresql.insert(counter)
        .values(name="outbox", value=count)
        .on_conflict_do_update(
            index_elements=[counter.c.name], set_={"value": counter.c.value + count}
        )
        .returning(counter.c.value)
        .cte("lean_outbox_counter")
    )


def outbox_rows(sql: SqlBackend, rows: int | Sequence[dict[str, Any]]) -> list[Any]:
    """The outbox rows numbered from the outbox counter, moved in a CTE of
    the same statement (PostgreSQL): ``rows`` of bound parameters
    ``o<n>_<column>`` (:func:`event`), or the literal ``rows``. One
    single-row insert each: SQLAlchemy caches their compiled form."""
    outbox_table = sql.tables["outbox"]
    count = len(rows) if not isinstance(rows, int) else rows
    bump = _counter_bump(sql, count)
    last = sa.select(bump.c.value).scalar_subquery()
    found = []
    for n in range(count):
        values: dict[str, Any] = (
            dict(rows[n])
            if not isinstance(rows, int)
            else {
                **bound(outbox_table, f"o{n}_", *OUTBOX_COLUMNS),
                "published_at": None,
            }
        )
        values["id"] = last - (count - 1 - n)
        found.append(
            sa.insert(outbox_table)
            .values(values)
            .returning(outbox_table.c.id)
            .add_cte(bump)
        )
    return found


def outbox(
    connection: sa.Connection, sql: SqlBackend, rows: Sequence[dict[str, Any]]
) -> list[Any]:
    """The inserts of the literal outbox ``rows``: :func:`outbox_rows` on
    PostgreSQL; elsewhere the counter is taken first (:func:`take`)."""
    if connection.dialect.name == "postgresql":
        return outbox_rows(sql, rows)
    first = take(connection, sql.tables["counter"], "outbox", len(rows))
    table = sql.tables["outbox"]
    return [
        sa.insert(table).values({**row, "id": first + i}) for i, row in enumerate(rows)
    ]


def one_statement(writes: Sequence[Any]) -> Any:
    """The writes as one statement of data-modifying CTEs (PostgreSQL): the
    first one's, the others its CTEs."""
    head = writes[0]
    return head.add_cte(*[w.cte(f"w{n}") for n, w in enumerate(writes[1:])])


def write_all(connection: sa.Connection, writes: Sequence[Any]) -> None:
    """The writes in one statement on PostgreSQL (:func:`one_statement`), one
    statement each elsewhere."""
    if connection.dialect.name != "postgresql":
        for statement in writes:
            connection.execute(statement)
        return
    connection.execute(one_statement(writes))


def trail_insert(sql: SqlBackend, **values: Any) -> sa.Insert:
    """An order's unit-trail row (``order_unit``: ``id``, ``order_id``,
    ``unit_id``, ``user_id``, ``relation``, ``at``), version 1; the values
    literal or bound."""
    return sa.insert(sql.tables["order_unit"]).values({**values, "version": 1})


def take(connection: sa.Connection, table: sa.Table, name: str, count: int) -> int:
    """First of ``count`` numbers of counter/id row ``name`` (one statement)."""
    if table.name.endswith("counter"):
        last = connection.execute(
            sa.update(table)
            .where(table.c.name == name)
            .values(value=table.c.value + count)
            .returning(table.c.value)
        ).scalar()
        if last is None:
            connection.execute(sa.insert(table).values(name=name, value=count))
            return 1
        return int(last) - count + 1
    after = connection.execute(
        sa.update(table)
        .where(table.c.name == name)
        .values(next_value=table.c.next_value + count)
        .returning(table.c.next_value)
    ).scalar_one()
    return int(after) - count


def write_with_events(
    connection: sa.Connection,
    sql: SqlBackend,
    name: str,
    build: Callable[[], Sequence[Any]],
    values: dict[str, Any],
    events: Sequence[dict[str, Any]],
) -> None:
    """The writes ``build()`` (bound parameters ``values``) and the outbox
    rows ``events``: on PostgreSQL one statement built once per number of
    events (:func:`built`); elsewhere the writes, then the rows."""
    if connection.dialect.name != "postgresql":
        for write in built(sql, name, build):
            connection.execute(write, values)
        for statement in outbox(connection, sql, events):
            connection.execute(statement)
        return
    statement = built(
        sql,
        f"{name} {len(events)} events",
        lambda: one_statement([*build(), *outbox_rows(sql, len(events))]),
    )
    for n, e in enumerate(events):
        values |= event(n, e["tag"], e["occurred_at"], e["actor"], e["payload"])
    connection.execute(statement, values)
