"""The cut-order chunk decided *and written* in two statements (PostgreSQL).

1. **Decide and lock** (:func:`_deciding`): every property of the chunk's
   routes with its CUT-1..CUT-5 decision (``decided``, the ``CASE`` of
   :mod:`gsan_core.adapters.sqlalchemy.collection`), and the properties it
   chose locked ``FOR UPDATE`` in id order (``locked``); the answer is the
   locked ids and the others counted by reason. A property skipped here gets
   nothing written, so its decision needs no lock: it is what a chunk that ran
   just before a concurrent writer would decide (ADR 0004). Locking only the
   chosen properties (~5% of the synthetic utility's) instead of every
   property of the routes saves a row lock, its WAL record and a dirtied
   page per skipped property (issue 20: ~25 ms of a chunk of 10,000).
2. **Decide again and write** (:func:`_writing`): the locked properties
   decided again in a statement that starts after the lock, so it sees what
   earlier holders committed (a statement's snapshot is taken when it
   starts; ``docs/concurrency.md``), then in the same statement:
   ``chosen`` (those still chosen, numbered by property id, with the unit of
   CUT-4), ``ids`` (the ids of the chunk reserved in ``id_block``, an upsert
   bumping the orders' and the trail rows' counters by the count, only when
   there is an order), ``orders`` and ``trail`` (``INSERT ... SELECT``, every
   column but the id, the property and the unit as the row mapper writes the
   template order), and the answer: the orders written (id, property, route)
   and the properties no longer chosen counted by reason.

A chunk of 10,000 properties is thus two statements and the commit, and sends
back the few hundred ids it locked and orders it wrote and a handful of counts.
The events (one per route) are built from the answer by the service and go to
the outbox as one insert. The ids are reserved in the chunk's transaction: a
rollback gives them back, and the counters' rows are held only until the chunk
commits (milliseconds).

SQLite has no data-modifying CTEs: there :func:`write_cut_orders` returns
``None`` and the service writes what ``select_cut_orders`` decided.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.collection import REASONS, decided_properties
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.model.collection import (
    CutCriteria,
    CutOrdersWritten,
    CutOrderTemplate,
    WrittenCutOrder,
)

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["write_cut_orders"]

#: The columns the store fills in per order / per trail row.
_ORDER_OWN = ("id", "property_id", "current_unit_id")
_TRAIL_OWN = ("id", "order_id", "unit_id")
#: The statements' one parameter: the chunk's routes, then the locked ids.
_ROUTES = "cut_routes"
_LOCKED = "cut_locked"
#: Statements kept (a run uses two; a few runs may interleave).
_KEEP = 16
_STATEMENTS: dict[tuple[object, ...], sa.Executable] = {}
_LOCK = threading.Lock()


def write_cut_orders(
    uow: SqlUnitOfWork,
    route_ids: Collection[int],
    criteria: CutCriteria,
    template: CutOrderTemplate,
) -> CutOrdersWritten | None:
    """CUT-1..CUT-5 for the properties of ``route_ids``, the chosen ones
    locked, decided again and their orders and trail rows written."""
    connection = uow.connection
    if connection.dialect.name != "postgresql":
        return None
    deciding = _cached(uow, ("deciding", criteria), lambda: _deciding(uow, criteria))
    with translated("property"):
        rows = connection.execute(deciding, {_ROUTES: sorted(set(route_ids))}).all()
    locked = [int(value) for decision, value in rows if decision == 0]
    skipped = _counted((decision, value) for decision, value in rows if decision != 0)
    orders: list[WrittenCutOrder] = []
    if locked:
        writing = _cached(
            uow,
            ("writing", criteria, repr(template)),
            lambda: _writing(uow, criteria, template),
        )
        uow.wrote("service_order")
        uow.wrote("order_unit")
        with translated("service_order"):
            written = connection.execute(writing, {_LOCKED: locked}).all()
        for decision, value, property_id, route_id in written:
            if decision == 0:
                orders.append(
                    WrittenCutOrder(
                        order_id=int(value),
                        property_id=int(property_id),
                        route_id=int(route_id),
                    )
                )
            else:  # changed by a writer the lock waited for
                skipped = _counted([(decision, value)], skipped)
    orders.sort(key=lambda order: order.order_id)
    return CutOrdersWritten(
        processed=len(orders) + sum(skipped.values()),
        orders=tuple(orders),
        skipped=dict(sorted(skipped.items())),
    )


def _counted(
    counts: Iterable[Sequence[Any]], into: dict[str, int] | None = None
) -> dict[str, int]:
    """``(decision code, count)`` rows added up by reason."""
    total = dict(into or {})
    for decision, value in counts:
        reason = str(REASONS[int(decision)].value)
        total[reason] = total.get(reason, 0) + int(value)
    return total


def _cached(
    uow: SqlUnitOfWork, what: tuple[object, ...], build: Callable[[], sa.Executable]
) -> sa.Executable:
    """A chunk statement, built once per run (its criteria and template) and
    reused for every chunk: only the routes or the ids change, as a
    parameter, so SQLAlchemy compiles it once and the server plans it as a
    prepared statement."""
    key = (uow.tables["service_order"], *what)
    with _LOCK:
        found = _STATEMENTS.get(key)
    if found is None:
        found = build()
        with _LOCK:
            _STATEMENTS[key] = found
            while len(_STATEMENTS) > _KEEP:
                _STATEMENTS.pop(next(iter(_STATEMENTS)))
    return found


def _deciding(uow: SqlUnitOfWork, criteria: CutCriteria) -> sa.Executable:
    """Statement 1: the chunk decided, the chosen properties locked in id
    order; ``(0, id)`` per locked property, ``(code, count)`` per reason."""
    prop = uow.tables["property"]
    routes = sa.bindparam(_ROUTES, type_=postgresql.ARRAY(sa.BigInteger))
    decided = decided_properties(
        uow, prop.c.route_id == sa.any_(routes), criteria, "postgresql"
    ).cte("decided")
    locked = (
        sa.select(prop.c.id)
        .where(prop.c.id.in_(sa.select(decided.c.id).where(decided.c.decision == 0)))
        .order_by(prop.c.id)
        .with_for_update()
        .cte("locked")
    )
    return sa.union_all(
        sa.select(sa.literal(0).label("decision"), locked.c.id),
        sa.select(decided.c.decision, sa.func.count())
        .where(decided.c.decision != 0)
        .group_by(decided.c.decision),
    )


def _constants(
    table: sa.Table, row: dict[str, Any], own: tuple[str, ...]
) -> list[sa.ColumnElement[Any]]:
    """The template row's columns but ``own``, as typed literals."""
    return [
        sa.literal(value, table.c[name].type).label(name)
        for name, value in row.items()
        if name not in own
    ]


def _writing(
    uow: SqlUnitOfWork, criteria: CutCriteria, template: CutOrderTemplate
) -> sa.Executable:
    """Statement 2: the locked properties decided again, the orders and trail
    rows of those still chosen written; ``(0, order, property, route)`` per
    order, ``(code, count, NULL, NULL)`` per reason of the others."""
    t = uow.tables
    order, trail, block = t["service_order"], t["order_unit"], t["id_block"]
    locked = sa.bindparam(_LOCKED, type_=postgresql.ARRAY(sa.BigInteger))
    decided = decided_properties(
        uow,
        t["property"].c.id == sa.any_(locked),
        criteria,
        "postgresql",
        spanned=False,
    ).cte("decided")
    chosen = (
        sa.select(
            decided.c.id.label("property_id"),
            decided.c.route_id,
            decided.c.unit_id,
            sa.func.row_number().over(order_by=decided.c.id).label("n"),
        )
        .where(decided.c.decision == 0)
        .cte("chosen")
    )
    counted = sa.select(sa.func.count().label("c")).select_from(chosen).cte("counted")
    kinds = sa.union_all(
        sa.select(sa.literal("service_order").label("name")),
        sa.select(sa.literal("order_unit").label("name")),
    ).subquery("kinds")
    upsert = postgresql.insert(block).from_select(
        ["name", "next_value"],
        sa.select(kinds.c.name, counted.c.c + 1)
        .select_from(kinds.join(counted, sa.true()))
        .where(counted.c.c > 0),
    )
    ids = (
        upsert.on_conflict_do_update(
            index_elements=["name"],
            set_={"next_value": block.c.next_value + upsert.excluded.next_value - 1},
        )
        .returning(block.c.name, block.c.next_value)
        .cte("ids")
    )
    # the first id of a kind: the counter's new value less the count
    order_ids, trail_ids = ids.alias("order_ids"), ids.alias("trail_ids")
    order_row = uow.mappers.service_order.to_row(template.order)
    inserted = (
        sa.insert(order)
        .from_select(
            [*_ORDER_OWN, *(k for k in order_row if k not in _ORDER_OWN)],
            sa.select(
                order_ids.c.next_value - counted.c.c + chosen.c.n - 1,
                chosen.c.property_id,
                chosen.c.unit_id,
                *_constants(order, order_row, _ORDER_OWN),
            )
            .select_from(chosen.join(counted, sa.true()).join(order_ids, sa.true()))
            .where(order_ids.c.name == "service_order"),
        )
        .returning(order.c.id, order.c.property_id, order.c.current_unit_id)
        .cte("orders")
    )
    trail_row = uow.mappers.order_unit.to_row(template.trail)
    trailed = (
        sa.insert(trail)
        .from_select(
            [*_TRAIL_OWN, *(k for k in trail_row if k not in _TRAIL_OWN)],
            sa.select(
                inserted.c.id
                - (order_ids.c.next_value - counted.c.c)
                + (trail_ids.c.next_value - counted.c.c),
                inserted.c.id,
                inserted.c.current_unit_id,
                *_constants(trail, trail_row, _TRAIL_OWN),
            ).select_from(
                inserted.join(counted, sa.true())
                .join(order_ids, order_ids.c.name == "service_order")
                .join(trail_ids, trail_ids.c.name == "order_unit")
            ),
        )
        .returning(trail.c.order_id)
        .cte("trail")
    )
    no_int = sa.cast(sa.null(), sa.Integer)
    return sa.union_all(
        sa.select(
            sa.literal(0).label("decision"),
            inserted.c.id,
            inserted.c.property_id,
            chosen.c.route_id,
        ).select_from(
            inserted.join(trailed, trailed.c.order_id == inserted.c.id).join(
                chosen, chosen.c.property_id == inserted.c.property_id
            )
        ),
        sa.select(decided.c.decision, sa.func.count(), no_int, no_int)
        .where(decided.c.decision != 0)
        .group_by(decided.c.decision),
    )
