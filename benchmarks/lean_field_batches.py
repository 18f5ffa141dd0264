"""Lean hand-written versions of the heaviest field batches (issue 20).

What a database engineer would write on PostgreSQL for the batches of field
work that send the most statements, leaving the rows the library leaves (ids
aside; ``tests/integration/test_lean_field_batches.py``):

* :func:`lean_close_selective` — SEL-02/SEL-03, a selective command closed
  with its pending orders: ``BEGIN``, **one read** (the command locked, the
  closing reason's flags, the user's unit), **one write** (data-modifying
  CTEs: the pending orders closed, their unit-trail rows, their active
  programmings cancelled, the command closed, the outbox counter and the
  ``field_work.selective_command_closed`` row, its order ids aggregated in
  SQL), ``COMMIT``;
* :func:`lean_accept_repaving` — PAV-03, the automatic acceptance of every
  returned, not accepted work that converges: ``BEGIN``, **one write** (the
  works accepted, the counter and the ``repaving.accepted`` row when any
  was), ``COMMIT``.

Each runs its whole set in one statement: the library's chunking (pages of
1,000 orders, 5,000 works) matters for runs larger than one page, which the
commands measured here are not. The rules are checked by ``assert`` on the
read row: a lean version is measured on rows the library would accept.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import lean_field, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_work import CommandSituation, SelectiveCriteria
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.model.scheduling import ScheduleOutcome
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.rules.repaving import AUTOMATIC_ACCEPTANCE

__all__ = [
    "COMMANDS",
    "lean_accept_repaving",
    "lean_close_selective",
    "measure",
    "returned_works",
    "selective_commands",
]

#: The first id of the unit-trail rows of each lean call (a block of
#: :data:`BLOCK` ids a call, far above the library's own and the other lean
#: modules').
_BLOCKS: Iterator[int] = itertools.count(9_500_000_000, 100_000)
BLOCK = 100_000


def _names(connection: sa.Connection, sql: SqlBackend, *tables: str) -> list[str]:
    """The quoted names of ``tables`` (with their schema)."""
    quote = connection.dialect.identifier_preparer.format_table
    return [quote(sql.tables[t]) for t in tables]


def _payload(tag: str, now: datetime, actor: int, **fields: Any) -> str:
    """An outbox payload as the library writes it (JSON text)."""
    return json.dumps(
        {"type": tag, "occurred_at": now.isoformat(), "actor": actor, **fields}
    )


#: The outbox counter moved by one (``{counter}``), as a CTE named ``bump``.
_BUMP = (
    "bump AS (INSERT INTO {counter} AS k (name, value) VALUES ('outbox', 1) "
    "ON CONFLICT (name) DO UPDATE SET value = k.value + 1 RETURNING k.value)"
)


# ------------------------------------------------------ closing a command
def _close_read(sql: SqlBackend) -> sa.Select[Any]:
    """The command locked, the reason's flags and the user's unit."""
    t = sql.tables
    command, catalog, user = t["selective_command"], t["catalog_item"], t["user"]
    reason = (
        sa.select(
            catalog.c.active, catalog.c.attributes["executed"].as_boolean().label("x")
        )
        .where(
            catalog.c.kind == "closing_reason", catalog.c.id == sa.bindparam("reason")
        )
        .subquery()
    )
    home = (
        sa.select(user.c.unit_id)
        .where(user.c.id == sa.bindparam("actor"))
        .scalar_subquery()
    )
    return (
        sa.select(
            command.c.situation,
            reason.c.active.label("reason_active"),
            reason.c.x.label("executed"),
            home.label("home"),
        )
        .select_from(command.outerjoin(reason, sa.true()))
        .where(command.c.id == sa.bindparam("command"))
        .with_for_update(of=command)
    )


def _close_write(connection: sa.Connection, sql: SqlBackend) -> sa.TextClause:
    """The pending orders closed with their trail and programmings, the
    command closed and its outbox row (one statement)."""
    order, link, trail, scheduled, command, counter, outbox = _names(
        connection,
        sql,
        "service_order",
        "selective_order",
        "order_unit",
        "scheduled_order",
        "selective_command",
        "counter",
        "outbox",
    )
    t = sql.tables
    return sa.text(
        f"WITH closed AS (UPDATE {order} AS o SET situation = :closed, "
        "closed_at = :at, closing_reason_id = :reason, version = o.version + 1 "
        f"FROM {link} AS l WHERE l.command_id = :command AND o.id = l.order_id "
        "AND o.situation = :pending RETURNING o.id, o.current_unit_id), "
        f"trail AS (INSERT INTO {trail} "
        "(id, order_id, unit_id, user_id, relation, at, version) "
        "SELECT :first + row_number() OVER (ORDER BY c.id), c.id, "
        "COALESCE(CAST(:home AS BIGINT), c.current_unit_id), :actor, :relation, "
        ":at, 1 FROM closed AS c), "
        f"programmed AS (UPDATE {scheduled} AS s SET active = false, "
        "outcome = :cancelled, reason_id = NULL, missing_equipment_id = NULL, "
        "closed_by = :actor, version = s.version + 1 FROM closed AS c "
        "WHERE s.order_id = c.id AND s.active), "
        f"done AS (UPDATE {command} SET situation = :command_closed, "
        "closed_at = :at, closed_by = :actor, version = version + 1 "
        "WHERE id = :command), "
        + _BUMP.format(counter=counter)
        + f" INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('closed_order_ids', "
        "(SELECT COALESCE(jsonb_agg(c.id ORDER BY c.id), '[]'::jsonb) "
        "FROM closed AS c)), NULL FROM bump "
        "RETURNING payload -> 'closed_order_ids'"
    ).bindparams(sa.bindparam("at", type_=t["service_order"].c.closed_at.type))


def lean_close_selective(
    sql: SqlBackend, command_id: int, *, reason_id: int, actor: int, now: datetime
) -> list[int]:
    """SEL-02 by hand (see the module's text); the orders closed."""
    with sql.engine.begin() as connection:
        row = connection.execute(
            _close_read(sql),
            {"command": command_id, "reason": reason_id, "actor": actor},
        ).one()
        assert row.situation == int(CommandSituation.OPEN)
        assert row.reason_active
        assert not row.executed
        tag = "field_work.selective_command_closed"
        closed = connection.execute(
            _close_write(connection, sql),
            {
                "closed": int(OrderSituation.CLOSED),
                "pending": int(OrderSituation.PENDING),
                "at": now,
                "reason": reason_id,
                "command": command_id,
                "first": next(_BLOCKS),
                "home": row.home,
                "actor": actor,
                "relation": int(OrderUnitRelation.CLOSED),
                "cancelled": ScheduleOutcome.CANCELLED.value,
                "command_closed": int(CommandSituation.CLOSED),
                "tag": tag,
                "payload": _payload(
                    tag, now, actor, command_id=command_id, reason_id=reason_id
                ),
            },
        ).scalar_one()
    return [int(i) for i in closed]


# ------------------------------------------------- accepting repaving works
def _accept_write(connection: sa.Connection, sql: SqlBackend) -> sa.TextClause:
    """The convergent works accepted and, when any was, the outbox row (one
    statement)."""
    work, counter, outbox = _names(
        connection, sql, "repaving_work", "counter", "outbox"
    )
    t = sql.tables
    return sa.text(
        f"WITH accepted AS (UPDATE {work} AS w SET acceptance = :accepted, "
        "accepted_on = w.returned_on, accepted_by = :actor, "
        "acceptance_remark = CASE WHEN w.acceptance_remark IS NULL THEN :remark "
        "ELSE w.acceptance_remark || ' ' || :remark END, version = w.version + 1 "
        "WHERE w.returned_on IS NOT NULL AND w.acceptance IS NULL "
        "AND w.returned_street_pavement_id IS NOT DISTINCT FROM "
        "w.street_pavement_id AND ((w.street_area IS NULL AND "
        "w.returned_street_area IS NULL) OR abs(w.returned_street_area - "
        "w.street_area) <= w.street_area * :percentage / 100) RETURNING w.id), "
        "bump AS (INSERT INTO "
        f"{counter} AS k (name, value) SELECT 'outbox', 1 "
        "WHERE EXISTS (SELECT FROM accepted) "
        "ON CONFLICT (name) DO UPDATE SET value = k.value + 1 RETURNING k.value) "
        f"INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, "
        "published_at) SELECT bump.value, :tag, :at, :actor, "
        "CAST(:payload AS JSONB) || jsonb_build_object('work_ids', "
        "(SELECT jsonb_agg(a.id ORDER BY a.id) FROM accepted AS a)), NULL "
        "FROM bump RETURNING payload -> 'work_ids'"
    ).bindparams(
        sa.bindparam("at", type_=t["outbox"].c.occurred_at.type),
        sa.bindparam("percentage", type_=t["repaving_work"].c.street_area.type),
    )


def lean_accept_repaving(
    sql: SqlBackend, *, percentage: Decimal, actor: int, now: datetime
) -> list[int]:
    """PAV-03 by hand (see the module's text); the works accepted."""
    tag = "repaving.accepted"
    with sql.engine.begin() as connection:
        accepted = connection.execute(
            _accept_write(connection, sql),
            {
                "accepted": int(RepavingAcceptance.ACCEPTED),
                "actor": actor,
                "remark": AUTOMATIC_ACCEPTANCE,
                "percentage": percentage,
                "tag": tag,
                "at": now,
                "payload": _payload(
                    tag,
                    now,
                    actor,
                    acceptance=int(RepavingAcceptance.ACCEPTED),
                    automatic=True,
                ),
            },
        ).scalar()
    return [] if accepted is None else [int(i) for i in accepted]


# ---------------------------------------------------------------- measuring
#: The commands :func:`measure` times.
COMMANDS = ("close_selective", "accept_repaving")
_NAMES = {
    "close_selective": "close a selective command, 20 orders (lean SQL)",
    "accept_repaving": "accept repaving returns, 10 works (lean SQL)",
}
#: Orders of a command of ``close_selective``; works of ``accept_repaving``.
COMMAND_ORDERS = 20
WORKS = 10
INSPECTION = 350  # INSPECAO DE ANORMALIDADE
NOT_EXECUTED = 4  # a closing reason "not executed"
#: Ids of the works :func:`returned_works` adds.
_WORK_IDS: Iterator[int] = itertools.count(9_600_000_000)


def selective_commands(
    gsan: gsan_core.System, sql: SqlBackend, count: int
) -> list[int]:
    """``count`` selective commands of :data:`COMMAND_ORDERS` inspection
    orders each, emitted on localities no earlier call used (each command
    its own properties: GEN-11 skips those with an open order of the type)."""
    chosen = lean_field.fresh_localities(sql, count * COMMAND_ORDERS)
    fw = gsan.field_work
    made = []
    for _ in range(count):
        command = fw.create_selective_command(
            description="INSPECAO BENCH",
            service_type_id=INSPECTION,
            criteria=SelectiveCriteria(
                locality_first=chosen[0], locality_last=chosen[-1]
            ),
            actor=1,
            max_orders=COMMAND_ORDERS,
        )
        run = fw.emit_selective_orders(command_id=command.id, actor=1)
        assert run.summary.changed == COMMAND_ORDERS, run.summary
        made.append(command.id)
    return made


def returned_works(gsan: gsan_core.System, count: int) -> list[int]:
    """``count`` returned works not accepted yet, even ones convergent (the
    returned area the sent one), odd ones not (8 % less)."""
    on = gsan.clock.now().date()
    ids = [next(_WORK_IDS) for _ in range(count)]
    with gsan.uow_factory() as uow:
        uow.repaving_works.add_many(
            RepavingWork(
                id=ident,
                order_id=ident,
                property_id=None,
                unit_id=1,
                closed_on=on - timedelta(days=3),
                street_pavement_id=1,
                street_area=Decimal("10.00"),
                returned_street_pavement_id=1,
                returned_street_area=Decimal("10.00" if n % 2 == 0 else "9.20"),
                returned_on=on,
                opened_at=gsan.clock.now(),
                actor=1,
            )
            for n, ident in enumerate(ids)
        )
        uow.commit()
    return ids


def alternating(
    prepare: Callable[[], object],
    library: Callable[[], object],
    lean: Callable[[], object],
    count: int,
) -> tuple[float, float]:
    """Mean seconds per call of ``library`` and ``lean``, alternating call by
    call, each after its own ``prepare()`` (not timed); the first 10 pairs
    warm the caches and are dropped when there are more."""
    spent = [0.0, 0.0]
    warming = 10 if count > 10 else 0
    for n in range(count):
        for side, action in enumerate((library, lean)):
            prepare()
            began = time.perf_counter()
            action()
            if n >= warming:
                spent[side] += time.perf_counter() - began
    measured = count - warming
    return spent[0] / measured, spent[1] / measured


def measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    chosen: Sequence[str],
) -> list[dict[str, Any]]:
    """The figures of the ``chosen`` commands, ``max(20, count // 10)``
    calls a side: commands of :data:`COMMAND_ORDERS` pending orders closed
    (``close_selective``) in alternating rounds
    (:func:`benchmarks.scale_commands.interleaved`); :data:`WORKS` returned
    works made before each call (not timed), then accepted automatically
    (``accept_repaving``), call by call (:func:`alternating`)."""
    calls = max(20, count // 10)
    figures = []
    if "close_selective" in chosen:
        made = selective_commands(gsan, sql, 2 * calls)
        mine, theirs = made[:calls], made[calls:]
        library_s, lean_s = scale_commands.interleaved(
            partial(_close_library, gsan, mine),
            partial(_close_lean, gsan, sql, theirs),
            calls,
        )
        figures.append(
            scale_commands.command_figure(
                _NAMES["close_selective"], size, library_s, lean_s
            )
        )
    if "accept_repaving" in chosen:
        percentage = gsan.profile.service_orders.repaving_convergence_percentage
        library_s, lean_s = alternating(
            partial(returned_works, gsan, WORKS),
            partial(_accept_library, gsan),
            partial(_accept_lean, gsan, sql, percentage),
            calls,
        )
        figures.append(
            scale_commands.command_figure(
                _NAMES["accept_repaving"], size, library_s, lean_s
            )
        )
    return figures


def _close_library(gsan: gsan_core.System, commands: Sequence[int], n: int) -> None:
    closed = gsan.field_work.close_selective_command(
        command_id=commands[n], reason_id=NOT_EXECUTED, actor=1
    )
    assert closed.situation is CommandSituation.CLOSED


def _close_lean(
    gsan: gsan_core.System, sql: SqlBackend, commands: Sequence[int], n: int
) -> None:
    closed = lean_close_selective(
        sql, commands[n], reason_id=NOT_EXECUTED, actor=1, now=gsan.clock.now()
    )
    assert len(closed) == COMMAND_ORDERS


def _accept_library(gsan: gsan_core.System) -> None:
    summary = gsan.repaving.accept_automatically(actor=1)
    assert summary.changed == WORKS // 2, summary


def _accept_lean(gsan: gsan_core.System, sql: SqlBackend, percentage: Decimal) -> None:
    accepted = lean_accept_repaving(
        sql, percentage=percentage, actor=1, now=gsan.clock.now()
    )
    assert len(accepted) == WORKS // 2
