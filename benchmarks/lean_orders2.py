"""Lean hand-written versions of more order and outbox commands (issue 20).

The commands of ``service_orders`` and ``outbox`` that had no lean version
(:mod:`benchmarks.lean_orders` measures the RA's order chain), most used
first; each is what a database engineer would write for the same work and the
same rows (outbox rows included): ``BEGIN``, one joined read, one write
statement (data-modifying CTEs, the outbox counter's upsert one of them),
``COMMIT``; both statements built once with bound parameters
(:func:`benchmarks.lean_sql.built`), as the library builds its own, so that
SQLAlchemy takes them from its compiled cache. PostgreSQL only. The rules are
checked by ``assert`` on the read row: a lean version is measured on rows the
library accepts, and ``tests/integration/test_lean_orders2.py`` checks that
it leaves the library's rows.

* :func:`lean_generate_order` — generate a standalone OS for a property
  (GEN-01..GEN-09, no request, no reference order): the order, its trail row
  (opened), ``service_order.generated``;
* :func:`lean_back_to_pending` — an order's execution stopped (3 -> 1) with a
  non-execution reason: the order, ``service_order.situation_changed``;
* :func:`lean_ack` — acknowledge outbox entries (one ``UPDATE``).

Each is safe to run twice: the generation writes a second order with ids of
its own (as the library does; GEN-uniqueness is off in the profile measured),
the return to pending refuses an order no longer in execution (its
``assert``), the acknowledgement marks nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from benchmarks.lean_orders import event
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)

__all__ = [
    "COMMANDS",
    "GENERATED_TYPE",
    "STEPS",
    "lean_ack",
    "lean_back_to_pending",
    "lean_generate_order",
    "measure_ack",
    "measure_back_to_pending",
    "measure_generate",
]

#: A plain type without a reference behaviour (the statement budget's).
GENERATED_TYPE = 242
PENDING = int(OrderSituation.PENDING)
IN_EXECUTION = int(OrderSituation.IN_EXECUTION)
#: A ``non_execution_reason`` of the default profile (FALTA DE EQUIPAMENTO).
NON_EXECUTION_REASON = 7
ACTOR = 10_011  # ATENDENTE 0001, in CENTRAL 0001 (the synthetic utility's)
#: The entries one acknowledgement names.
ACK_BATCH = 10


# ---------------------------------------------------------------- generation
def _generate_read(sql: SqlBackend) -> sa.Select[Any]:
    """Generation's one read: the property, its locality's first active unit
    (the library's ``_locality_unit``), the actor's unit and the type."""
    t = sql.tables
    prop, unit, user, stype = t["property"], t["unit"], t["user"], t["service_type"]
    first_unit = (
        sa.select(unit.c.id)
        .where(unit.c.locality_id == prop.c.locality_id, unit.c.active.is_(True))
        .order_by(unit.c.id)
        .limit(1)
        .scalar_subquery()
    )
    home = (
        sa.select(user.c.unit_id)
        .where(user.c.id == sa.bindparam("actor"))
        .scalar_subquery()
    )
    return (
        sa.select(
            first_unit.label("unit_id"),
            home.label("home"),
            stype.c.active,
            stype.c.value,
            stype.c.priority_id,
            stype.c.reference_id,
        )
        .select_from(prop.join(stype, stype.c.id == sa.bindparam("type_id")))
        .where(prop.c.id == sa.bindparam("property_id"))
    )


def lean_generate_order(
    sql: SqlBackend,
    property_id: int,
    *,
    type_id: int,
    actor: int,
    ids: Iterator[int],
    now: datetime,
) -> int:
    """Generate a standalone OS of ``type_id`` (active, no reference
    behaviour) for a property: one read, one write. The order's id."""
    read = lean_sql.built(sql, "generate_order", lambda: _generate_read(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(
            read, {"actor": actor, "type_id": type_id, "property_id": property_id}
        ).one()
        assert row.active  # GEN-01
        assert row.reference_id is None  # GEN-06..GEN-09: not measured
        order = ServiceOrder(
            id=next(ids),
            service_type_id=type_id,
            origin=OrderOrigin.STANDALONE,
            property_id=property_id,
            generated_at=now,
            original_value=row.value,
            current_unit_id=row.unit_id,
            original_priority_id=row.priority_id,
            current_priority_id=row.priority_id,
        )
        generated = event(
            "service_order.generated",
            now,
            actor,
            order_id=order.id,
            service_type_id=type_id,
            origin=OrderOrigin.STANDALONE.value,
            property_id=property_id,
            request_id=None,
        )
        trail = {
            "id": next(ids),
            "order_id": order.id,
            "unit_id": row.home,
            "user_id": actor,
            "relation": int(OrderUnitRelation.OPENED),
            "at": now,
        }
        connection.execute(
            lean_sql.built(sql, "generate_order write", lambda: _generate_write(sql)),
            lean_sql.params("so_", sql.mappers.service_order.to_row(order))
            | lean_sql.params("t_", trail)
            | _outbox_params(generated),
        )
    return order.id


def _generate_write(sql: SqlBackend) -> Any:
    """Generation's one write (PostgreSQL), built once: the order (parameters
    ``so_*``), its trail row (``t_*``) and the outbox row (``o0_*``)."""
    order, trail = sql.tables["service_order"], sql.tables["order_unit"]
    return lean_sql.one_statement(
        [
            sa.insert(order).values(lean_sql.bound(order, "so_")),
            lean_sql.trail_insert(
                sql,
                **lean_sql.bound(
                    trail,
                    "t_",
                    "id",
                    "order_id",
                    "unit_id",
                    "user_id",
                    "relation",
                    "at",
                ),
            ),
            *lean_sql.outbox_rows(sql, 1),
        ]
    )


def _outbox_params(row: dict[str, Any]) -> dict[str, Any]:
    """The parameters of the one outbox row of a built write (``o0_*``) from
    the row :func:`benchmarks.lean_orders.event` makes."""
    return lean_sql.event(
        0, row["tag"], row["occurred_at"], row["actor"], row["payload"]
    )


# ---------------------------------------------------------------- back to pending
def lean_back_to_pending(
    sql: SqlBackend, order_id: int, *, reason_id: int, actor: int, now: datetime
) -> None:
    """An order in execution back to pending, out of its schedule, with a
    non-execution reason: one read of the order and the reason, one write of
    the order (compare-and-set) and the outbox row."""
    read = lean_sql.built(sql, "back_to_pending read", lambda: _pending_read(sql))
    write = lean_sql.built(sql, "back_to_pending write", lambda: _pending_write(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(
            read, {"order_id": order_id, "reason_id": reason_id}
        ).one()
        assert row.situation == IN_EXECUTION
        assert row.reason_active
        changed = event(
            "service_order.situation_changed",
            now,
            actor,
            after=PENDING,
            before=IN_EXECUTION,
            order_id=order_id,
            reason_id=reason_id,
        )
        connection.execute(
            write,
            {"order_id": order_id, "expected": row.version} | _outbox_params(changed),
        )


def _pending_read(sql: SqlBackend) -> sa.Select[Any]:
    """The return's one read: the order and whether the reason is active."""
    order, catalog = sql.tables["service_order"], sql.tables["catalog_item"]
    reason = (
        sa.select(catalog.c.active)
        .where(
            catalog.c.kind == "non_execution_reason",
            catalog.c.id == sa.bindparam("reason_id"),
        )
        .scalar_subquery()
    )
    return sa.select(
        order.c.version, order.c.situation, reason.label("reason_active")
    ).where(order.c.id == sa.bindparam("order_id"))


def _pending_write(sql: SqlBackend) -> Any:
    """The return's one write (PostgreSQL), built once: the order
    (compare-and-set on ``expected``) and the outbox row (``o0_*``)."""
    order = sql.tables["service_order"]
    expected = sa.bindparam("expected", type_=order.c.version.type)
    return lean_sql.one_statement(
        [
            sa.update(order)
            .where(order.c.id == sa.bindparam("order_id"), order.c.version == expected)
            .values(situation=PENDING, scheduled=False, version=expected + 1),
            *lean_sql.outbox_rows(sql, 1),
        ]
    )


# ---------------------------------------------------------------- outbox
def lean_ack(sql: SqlBackend, ids: Sequence[int], *, now: datetime) -> int:
    """Acknowledge outbox entries: one ``UPDATE`` of those still pending; how
    many it marked."""
    outbox = sql.tables["outbox"]
    with sql.engine.begin() as connection:
        return int(
            connection.execute(
                sa.update(outbox)
                .where(
                    outbox.c.id
                    == sa.func.any(
                        sa.bindparam(
                            "ids", list(ids), type_=postgresql.ARRAY(sa.BigInteger)
                        )
                    ),
                    outbox.c.published_at.is_(None),
                )
                .values(published_at=now)
            ).rowcount
        )


# ---------------------------------------------------------------- measuring
def measure_generate(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``service_orders.generate`` beside :func:`lean_generate_order`, each on
    its own half of ``2 * count`` connected properties no earlier figure took."""
    del skip
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    count = len(homes) // 2
    ids = id_ranges.take("generate_order")

    def library(n: int) -> None:
        gsan.service_orders.generate(
            service_type_id=GENERATED_TYPE, property_id=homes[2 * n], actor=ACTOR
        )

    def lean(n: int) -> None:
        lean_generate_order(
            sql,
            homes[2 * n + 1],
            type_id=GENERATED_TYPE,
            actor=ACTOR,
            ids=ids,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "generate a service order (lean SQL)", size, library_s, lean_s
    )


def measure_back_to_pending(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``service_orders.back_to_pending`` beside :func:`lean_back_to_pending`,
    each on its own half of ``2 * count`` orders generated and started
    through the library before the timing."""
    del skip
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    orders = []
    for home in homes:
        order = gsan.service_orders.generate(
            service_type_id=GENERATED_TYPE, property_id=home, actor=ACTOR
        )
        gsan.service_orders.start_execution(order_id=order.id, actor=ACTOR)
        orders.append(order.id)
    count = len(orders) // 2

    def library(n: int) -> None:
        gsan.service_orders.back_to_pending(
            order_id=orders[2 * n], actor=ACTOR, reason_id=NON_EXECUTION_REASON
        )

    def lean(n: int) -> None:
        lean_back_to_pending(
            sql,
            orders[2 * n + 1],
            reason_id=NON_EXECUTION_REASON,
            actor=ACTOR,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "put an order back to pending (lean SQL)", size, library_s, lean_s
    )


def _pending_ids(sql: SqlBackend, limit: int) -> list[int]:
    """The oldest ``limit`` pending outbox entries' ids."""
    outbox = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(outbox.c.id)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.id)
                .limit(limit)
            ).scalars()
        )


def measure_ack(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``outbox.ack`` of :data:`ACK_BATCH` entries beside :func:`lean_ack`,
    alternately on pending entries (events recorded first when fewer are
    pending), each call its own."""
    del skip
    needed = 2 * count * ACK_BATCH
    pending = _pending_ids(sql, needed)
    if len(pending) < needed:
        _record_pending(sql, needed - len(pending))
        pending = _pending_ids(sql, needed)
    batches = [pending[i : i + ACK_BATCH] for i in range(0, needed, ACK_BATCH)]
    count = len(batches) // 2

    def library(n: int) -> None:
        assert gsan.outbox.ack(batches[2 * n]) == ACK_BATCH

    def lean(n: int) -> None:
        assert lean_ack(sql, batches[2 * n + 1], now=gsan.clock.now()) == ACK_BATCH

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "acknowledge outbox entries (lean SQL)", size, library_s, lean_s
    )


def _record_pending(sql: SqlBackend, count: int) -> None:
    """``count`` pending outbox entries, numbered from the outbox counter."""
    outbox = sql.tables["outbox"]
    with sql.engine.begin() as connection:
        first = lean_sql.take(connection, sql.tables["counter"], "outbox", count)
        connection.execute(
            sa.insert(outbox),
            [
                {
                    "id": first + i,
                    "tag": "bench.pending",
                    "occurred_at": scale.NOW,
                    "actor": 0,
                    "payload": {"type": "bench.pending"},
                    "published_at": None,
                }
                for i in range(count)
            ],
        )


#: The names ``python -m benchmarks.commands --only`` takes for these.
STEPS = {
    "generate_order": measure_generate,
    "back_to_pending": measure_back_to_pending,
    "ack_outbox": measure_ack,
}
#: The same names, as the other lean modules list theirs.
COMMANDS = tuple(STEPS)
