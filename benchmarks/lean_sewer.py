"""A lean hand-written version of a sewer command's orders (ESG-01, issue 20).

What a database engineer would write on PostgreSQL for
``field_work.generate_sewer_orders``, leaving the rows the library leaves
(ids aside; ``tests/integration/test_lean_sewer.py``):
:func:`lean_sewer_orders` runs ``BEGIN``, **one read** (the command locked,
its type's value and priority), the properties in the command's scope
locked in id order (a statement of its own, as the library's ``lock_where``:
without it two commands on the same properties at once both order them,
``tests/integration/test_lean_twice.py``), **one write** (data-modifying CTEs: the
active unit of every locality, the properties in the command's scope that
qualify locked — active, in its situations, no open order of its type
without RA nor document, none the command generated —, their ids reserved
in ``id_block``, the orders emitted, their "opened" trail rows, their links
to the command, the command's count and realisation time, the outbox
counter and the ``field_work.sewer_orders_generated`` row when any order is
made), ``COMMIT``.

The whole command in one statement: the library's chunking (2,000
properties a chunk, each its own transaction) matters for commands larger
than one chunk, which the commands measured here are not. The criteria the
lean version does not write (debts, consumption, anomalies, meters) are
refused by ``assert``: it is measured on commands that do not use them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import lean_field, lean_field_batches, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.connections import SewerConnectionInput
from gsan_core.model.field_work import SelectiveCriteria
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)

__all__ = ["COMMANDS", "lean_sewer_orders", "measure", "sewer_command"]

#: The columns of a new order that come from its property (the others: the
#: library's row of its template).
_FROM_PROPERTY = ("id", "property_id", "current_unit_id")
TAG = "field_work.sewer_orders_generated"
#: The library's GEN-11 window made unbounded: any open order of the type
#: blocks (``gsan_core.services.field_work.sewer``).
_ANY_AGE = timedelta(days=365 * 100)


def _names(connection: sa.Connection, sql: SqlBackend, *tables: str) -> list[str]:
    """The quoted names of ``tables`` (with their schema)."""
    quote = connection.dialect.identifier_preparer.format_table
    return [quote(sql.tables[t]) for t in tables]


def _static(sql: SqlBackend) -> list[str]:
    """The columns of a new order not from its property."""
    return [c.key for c in sql.tables["service_order"].c if c.key not in _FROM_PROPERTY]


def _read(sql: SqlBackend) -> sa.Select[Any]:
    """The command locked with its type's value and priority."""
    command, kind = sql.tables["sewer_command"], sql.tables["service_type"]
    return (
        sa.select(
            command,
            kind.c.value.label("type_value"),
            kind.c.priority_id.label("type_priority"),
        )
        .join(kind, kind.c.id == command.c.service_type_id)
        .where(command.c.id == sa.bindparam("command"))
        .with_for_update(of=command)
    )


def _scope(criteria: SelectiveCriteria) -> tuple[list[str], dict[str, Any]]:
    """The command's criteria as ``WHERE`` clauses on the property ``p`` and
    their parameters (only those the criteria use)."""
    c = criteria
    assert c.min_open_bills == 0
    assert c.min_debt_amount is None
    assert not c.uses_consumption
    assert not c.consecutive_anomalies
    assert not c.uses_meter
    clauses: list[str] = []
    params: dict[str, Any] = {}
    bounds = (
        ("locality_first", "p.locality_id >="),
        ("locality_last", "p.locality_id <="),
        ("sector_first", "p.sector_id >="),
        ("sector_last", "p.sector_id <="),
        ("block_first", "p.block_id >="),
        ("block_last", "p.block_id <="),
        ("property_id", "p.id ="),
    )
    for name, test in bounds:
        value = getattr(c, name)
        if value is not None:
            clauses.append(f"{test} :{name}")
            params[name] = value
    sets = (
        ("route_ids", "p.route_id"),
        ("water_status_ids", "p.water_status_id"),
        ("sewer_status_ids", "p.sewer_status_id"),
        ("profile_ids", "p.profile_id"),
    )
    for name, column in sets:
        ids = getattr(c, name)
        if ids:
            clauses.append(f"{column} = ANY(:{name})")
            params[name] = sorted(ids)
    return clauses, params


def _reserve(name: str, kind: str, block: str) -> str:
    """A CTE ``name`` reserving one id of ``kind`` a made order in
    ``id_block`` (the first as ``first``)."""
    return (
        f"{name} AS (INSERT INTO {block} AS b (name, next_value) SELECT '{kind}', "
        "1 + (SELECT count(*) FROM picked) ON CONFLICT (name) DO UPDATE SET "
        "next_value = b.next_value + (SELECT count(*) FROM picked) "
        "RETURNING next_value - (SELECT count(*) FROM picked) AS first)"
    )


def _write(connection: sa.Connection, sql: SqlBackend, scope: list[str]) -> str:
    """ESG-01 in one statement (see the module's text)."""
    prop, order, unit, link, trail, command, block, counter, outbox = _names(
        connection,
        sql,
        "property",
        "service_order",
        "unit",
        "sewer_command_order",
        "order_unit",
        "sewer_command",
        "id_block",
        "counter",
        "outbox",
    )
    quote = connection.dialect.identifier_preparer.quote
    static = _static(sql)
    columns = ", ".join(quote(n) for n in static)
    values = ", ".join(f":s_{n}" for n in static)
    where = " AND ".join(["p.active", *scope])
    return (
        "WITH serving AS (SELECT u.locality_id, max(u.id) AS unit_id "
        f"FROM {unit} AS u WHERE u.active GROUP BY u.locality_id), "
        "cand AS (SELECT p.id, s.unit_id "
        f"FROM {prop} AS p JOIN serving AS s ON s.locality_id = p.locality_id "
        f"WHERE {where} AND NOT EXISTS (SELECT FROM {order} AS o "
        "WHERE o.property_id = p.id AND o.service_type_id = :type "
        "AND o.situation <> :closed AND o.request_id IS NULL "
        "AND o.collection_document_id IS NULL AND o.generated_at >= :since) "
        f"AND NOT EXISTS (SELECT FROM {link} AS k WHERE k.property_id = p.id "
        "AND k.command_id = :command) FOR UPDATE OF p), "
        "picked AS (SELECT c.id, c.unit_id, row_number() OVER (ORDER BY c.id) "
        "AS n FROM cand AS c), "
        + _reserve("ids", "service_order", block)
        + ", "
        + _reserve("tids", "order_unit", block)
        + ", "
        + _reserve("lids", "sewer_command_order", block)
        + f", made AS (INSERT INTO {order} (id, property_id, current_unit_id, "
        f"{columns}) SELECT ids.first + p.n - 1, p.id, p.unit_id, {values} "
        "FROM picked AS p, ids RETURNING id, property_id, current_unit_id), "
        f"trailed AS (INSERT INTO {trail} "
        "(id, order_id, unit_id, user_id, relation, at, version) "
        "SELECT tids.first + m.id - ids.first, m.id, m.current_unit_id, :actor, "
        ":opened, :at, 1 FROM made AS m, ids, tids), "
        f"linked AS (INSERT INTO {link} "
        "(id, command_id, order_id, property_id, notified_at, version) "
        "SELECT lids.first + m.id - ids.first, :command, m.id, m.property_id, "
        "NULL, 1 FROM made AS m, ids, lids), "
        f"done AS (UPDATE {command} SET generated = generated + "
        "(SELECT count(*) FROM picked), executed_at = :at, version = version + 1 "
        "WHERE id = :command), "
        f"bump AS (INSERT INTO {counter} AS k (name, value) SELECT 'outbox', 1 "
        "WHERE EXISTS (SELECT FROM picked) ON CONFLICT (name) DO UPDATE "
        "SET value = k.value + 1 RETURNING k.value) "
        f"INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('order_ids', "
        "(SELECT jsonb_agg(m.id ORDER BY m.id) FROM made AS m)), NULL "
        "FROM bump RETURNING payload -> 'order_ids'"
    )


def _lock(connection: sa.Connection, sql: SqlBackend, scope: list[str]) -> str:
    """The properties in the command's scope locked in id order, a statement
    of its own (the library's ``lock_where``): the write's snapshot then
    follows the commit of any run that held one of them."""
    (prop,) = _names(connection, sql, "property")
    where = " AND ".join(scope) or "true"
    return (
        f"SELECT count(*) FROM (SELECT p.id FROM {prop} AS p WHERE {where} "
        "ORDER BY p.id FOR UPDATE) AS locked"
    )


def lean_sewer_orders(
    sql: SqlBackend,
    command_id: int,
    *,
    actor: int,
    now: datetime,
    locked: bool = True,
) -> list[int]:
    """ESG-01 by hand (see the module's text); the orders made. ``locked``:
    the scope's properties locked by a statement of their own first; without
    it two commands on the same properties at once both emit their orders
    (the write's ``FOR UPDATE OF p`` waits, but its ``NOT EXISTS`` was read
    in the snapshot before the wait: ``tests/integration/test_lean_twice.py``),
    which only measures what the lock costs."""
    t = sql.tables
    with sql.engine.begin() as connection:
        row = connection.execute(_read(sql), {"command": command_id}).one()
        values = row._mapping
        command = sql.mappers.sewer_command.from_row(
            {c.key: values[c.key] for c in t["sewer_command"].c}
        )
        template = ServiceOrder(
            id=0,
            service_type_id=command.service_type_id,
            origin=OrderOrigin.SELECTIVE,
            generated_at=now,
            emitted_at=now,
            original_value=row.type_value,
            original_priority_id=row.type_priority,
            current_priority_id=row.type_priority,
        )
        static = sql.mappers.service_order.to_row(template)
        scope, params = _scope(command.criteria)
        if locked:
            connection.execute(sa.text(_lock(connection, sql, scope)), params)
        statement = sa.text(_write(connection, sql, scope)).bindparams(
            sa.bindparam("at", type_=t["order_unit"].c.at.type),
            sa.bindparam("since", type_=t["service_order"].c.generated_at.type),
            *(
                sa.bindparam(f"s_{n}", type_=t["service_order"].c[n].type)
                for n in _static(sql)
            ),
        )
        made = connection.execute(
            statement,
            {
                **params,
                "command": command_id,
                "type": command.service_type_id,
                "closed": int(OrderSituation.CLOSED),
                "since": now - _ANY_AGE,
                "actor": actor,
                "opened": int(OrderUnitRelation.OPENED),
                "at": now,
                "tag": TAG,
                "payload": json.dumps(
                    {
                        "type": TAG,
                        "occurred_at": now.isoformat(),
                        "actor": actor,
                        "command_id": command_id,
                    }
                ),
                **{f"s_{n}": static[n] for n in _static(sql)},
            },
        ).scalar()
    return [] if made is None else sorted(int(i) for i in made)


# ---------------------------------------------------------------- measuring
#: The commands :func:`measure` times.
COMMANDS = ("sewer_orders",)
NAME = "generate a sewer command's orders, one block (lean SQL)"
#: The type of the orders (no connection operation: ESG-01 accepts it).
SEWER_TYPE = 350
#: The blocks the commands of :func:`measure` select, and their ids.
_COMMAND_IDS: Iterator[int] = itertools.count(1)


def sewer_command(
    gsan: gsan_core.System, locality: int, block: int, statuses: Sequence[int]
) -> int:
    """A sewer command of :data:`SEWER_TYPE` on one block of ``locality``,
    the properties of the sewer situations ``statuses``."""
    return gsan.field_work.create_sewer_command(
        description=f"CONEXAO BENCH {next(_COMMAND_IDS)}",
        service_type_id=SEWER_TYPE,
        criteria=SelectiveCriteria(
            locality_first=locality,
            locality_last=locality,
            block_first=block,
            block_last=block,
            sewer_status_ids=frozenset(statuses),
        ),
        connection=SewerConnectionInput(),
        actor=1,
    ).id


def fresh_blocks(sql: SqlBackend, count: int) -> list[tuple[int, int, int]]:
    """``count`` blocks ``(locality, block, properties)`` of localities no
    earlier call used (:func:`benchmarks.lean_field.fresh_localities`), by
    their count of properties: consecutive ones alike (one a side)."""
    prop = sql.tables["property"]
    localities = lean_field.fresh_localities(sql, 10 * count)
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(prop.c.locality_id, prop.c.block_id, sa.func.count())
            .where(prop.c.locality_id.in_(localities))
            .group_by(prop.c.locality_id, prop.c.block_id)
            .order_by(sa.func.count(), prop.c.locality_id, prop.c.block_id)
        ).all()
    assert len(rows) >= count, "too few blocks left"
    middle = (len(rows) - count) // 2  # blocks of the median size
    return [(int(a), int(b), int(n)) for a, b, n in rows[middle : middle + count]]


def statuses(sql: SqlBackend) -> list[int]:
    """Every sewer situation of the utility's properties."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        return sorted(
            int(s)
            for s in connection.execute(
                sa.select(prop.c.sewer_status_id).distinct()
            ).scalars()
        )


def measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
) -> list[dict[str, Any]]:
    """The figure of ``sewer_orders``: ``max(20, count // 10)`` commands a
    side, each of one block of a fresh locality (blocks of alike sizes
    alternating), created before each call (not timed), then generated call
    by call (:func:`benchmarks.lean_field_batches.alternating`)."""
    calls = max(20, count // 10)
    blocks = iter(fresh_blocks(sql, 3 * calls))
    every = statuses(sql)
    made: list[int] = []

    def prepare() -> int:
        locality, block, properties = next(blocks)
        made.append(properties)
        return sewer_command(gsan, locality, block, every)

    # the lean version of record locks the scope's properties first; the one
    # without that lock (not safe beside a command on the same properties)
    # beside it
    library_s, lean_s, unlocked_s = lean_field_batches.alternating_all(
        prepare,
        (
            partial(_library, gsan),
            partial(_lean, gsan, sql),
            partial(_lean, gsan, sql, locked=False),
        ),
        calls,
    )
    mean = sum(made) // len(made)
    name = NAME.replace("one block", f"one block of ~{mean}")
    return [
        scale_commands.command_figure(name, size, library_s, lean_s),
        scale_commands.command_figure(
            name.replace("lean SQL", "lean SQL, no lock: unsafe"),
            size,
            library_s,
            unlocked_s,
        ),
    ]


def _library(gsan: gsan_core.System, command_id: int) -> None:
    summary = gsan.field_work.generate_sewer_orders(command_id=command_id, actor=1)
    assert summary.changed, summary


def _lean(
    gsan: gsan_core.System, sql: SqlBackend, command_id: int, *, locked: bool = True
) -> None:
    made = lean_sewer_orders(
        sql, command_id, actor=1, now=gsan.clock.now(), locked=locked
    )
    assert made
