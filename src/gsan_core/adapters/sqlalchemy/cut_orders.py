"""The cut-order chunk decided *and written* in one statement (PostgreSQL).

After the routes' properties are locked (their own statement, so that what
follows sees what earlier holders committed: a statement's snapshot is taken
when it starts), **one** statement of data-modifying CTEs does the rest of the
chunk in the database:

1. ``decided``: every property of the routes with its CUT-1..CUT-5 decision
   (the ``CASE`` of :mod:`gsan_core.adapters.sqlalchemy.collection`);
2. ``chosen``: the properties that get an order, numbered by property id, with
   the active unit of their locality (CUT-4);
3. ``ids``: the ids of the chunk reserved in ``id_block`` (the orders' and the
   trail rows' counters bumped by the count; an upsert, so a fresh store needs
   no setup), only when the chunk has an order;
4. ``orders``: ``INSERT ... SELECT`` of the orders, every column but the id,
   the property and the unit as the row mapper writes the template order;
5. ``trail``: ``INSERT ... SELECT`` of their unit-trail rows from the orders
   inserted;
6. the answer: the orders written (id, property, route) and the skips counted
   by reason (``GROUP BY``).

A chunk of ~1,400 properties is thus two statements and the commit, and sends
back the ~70 orders written and a handful of counts. The events (one per route)
are built from the answer by the service and go to the outbox as one insert.
The ids are reserved in the chunk's transaction: a rollback gives them back,
and the counters' rows are held only until the chunk commits (milliseconds).

SQLite has no data-modifying CTEs: there :func:`write_cut_orders` returns
``None`` and the service writes what ``select_cut_orders`` decided.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.collection import REASONS, decided_properties
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import among, lock_where
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
#: The routes of the chunk: the statement's one parameter.
_ROUTES = "cut_routes"
#: Statements kept (a run uses one; a few runs may interleave).
_KEEP = 8
_STATEMENTS: dict[tuple[object, ...], sa.Executable] = {}
_LOCK = threading.Lock()


def write_cut_orders(
    uow: SqlUnitOfWork,
    route_ids: Collection[int],
    criteria: CutCriteria,
    template: CutOrderTemplate,
) -> CutOrdersWritten | None:
    """CUT-1..CUT-5 for the properties of ``route_ids`` and the orders and
    trail rows of the chosen ones written, in one statement after the lock."""
    connection = uow.connection
    if connection.dialect.name != "postgresql":
        return None
    prop = uow.tables["property"]
    routes = sorted(set(route_ids))
    # JIT off for the chunk: its first chunks are planned above
    # jit_above_cost and compiling cost 34-79 ms each of a ~25 ms statement
    lock_where(
        connection, prop, among(prop.c.route_id, routes, "postgresql"), jit=False
    )
    statement = _cached(uow, criteria, template)
    uow.wrote("service_order")
    uow.wrote("order_unit")
    with translated("service_order"):
        rows = connection.execute(statement, {_ROUTES: routes}).all()
    orders: list[WrittenCutOrder] = []
    skipped: dict[str, int] = {}
    for decision, value, property_id, route_id in rows:
        if decision == 0:
            orders.append(
                WrittenCutOrder(
                    order_id=int(value),
                    property_id=int(property_id),
                    route_id=int(route_id),
                )
            )
        else:
            skipped[str(REASONS[int(decision)].value)] = int(value)
    orders.sort(key=lambda order: order.order_id)
    return CutOrdersWritten(
        processed=len(orders) + sum(skipped.values()),
        orders=tuple(orders),
        skipped=dict(sorted(skipped.items())),
    )


def _cached(
    uow: SqlUnitOfWork, criteria: CutCriteria, template: CutOrderTemplate
) -> sa.Executable:
    """The chunk's statement, built once per run (its criteria and template)
    and reused for every chunk: only the routes change, as a parameter, so
    SQLAlchemy compiles it once and the server plans it as a prepared
    statement."""
    key = (uow.tables["service_order"], criteria, repr(template))
    with _LOCK:
        found = _STATEMENTS.get(key)
    if found is None:
        found = _statement(uow, criteria, template)
        with _LOCK:
            _STATEMENTS[key] = found
            while len(_STATEMENTS) > _KEEP:
                _STATEMENTS.pop(next(iter(_STATEMENTS)))
    return found


def _constants(
    table: sa.Table, row: dict[str, Any], own: tuple[str, ...]
) -> list[sa.ColumnElement[Any]]:
    """The template row's columns but ``own``, as typed literals."""
    return [
        sa.literal(value, table.c[name].type).label(name)
        for name, value in row.items()
        if name not in own
    ]


def _statement(
    uow: SqlUnitOfWork, criteria: CutCriteria, template: CutOrderTemplate
) -> sa.Executable:
    t = uow.tables
    routes = sa.bindparam(_ROUTES, type_=postgresql.ARRAY(sa.BigInteger))
    decided = decided_properties(uow, routes, criteria, "postgresql").cte("decided")
    chosen = _chosen(t["unit"], decided)
    counted = sa.select(sa.func.count().label("c")).select_from(chosen).cte("counted")
    ids = _ids(t["id_block"], counted)
    # the first id of a kind: the counter's new value less the count
    order_ids, trail_ids = ids.alias("order_ids"), ids.alias("trail_ids")
    inserted = _orders(uow, template, chosen, counted, order_ids)
    trailed = _trail(uow, template, inserted, counted, order_ids, trail_ids=trail_ids)
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


def _chosen(unit: sa.Table, decided: sa.CTE) -> sa.CTE:
    """The properties decided for a cut (decision 0), numbered, with the
    unit serving their locality."""
    # CUT-4: the active unit of each locality (the highest id), hashed once
    # and joined, not a scan of the units per order (issue 20)
    serving = (
        sa.select(unit.c.locality_id, sa.func.max(unit.c.id).label("unit_id"))
        .where(unit.c.active.is_(True))
        .group_by(unit.c.locality_id)
        .subquery("serving")
    )
    return (
        sa.select(
            decided.c.id.label("property_id"),
            decided.c.route_id,
            serving.c.unit_id,
            sa.func.row_number().over(order_by=decided.c.id).label("n"),
        )
        .join(serving, serving.c.locality_id == decided.c.locality_id)
        .where(decided.c.decision == 0)
        .cte("chosen")
    )


def _ids(block: sa.Table, counted: sa.CTE) -> sa.CTE:
    """The orders' and their trails' id blocks, taken in one upsert of the
    counters (when any property is chosen): each counter's new value."""
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
    return (
        upsert.on_conflict_do_update(
            index_elements=["name"],
            set_={"next_value": block.c.next_value + upsert.excluded.next_value - 1},
        )
        .returning(block.c.name, block.c.next_value)
        .cte("ids")
    )


def _orders(
    uow: SqlUnitOfWork,
    template: CutOrderTemplate,
    chosen: sa.CTE,
    counted: sa.CTE,
    order_ids: sa.CTE,
) -> sa.CTE:
    """The cut orders inserted, one per chosen property, from the template."""
    order = uow.tables["service_order"]
    order_row = uow.mappers.service_order.to_row(template.order)
    return (
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


def _trail(
    uow: SqlUnitOfWork,
    template: CutOrderTemplate,
    inserted: sa.CTE,
    counted: sa.CTE,
    order_ids: sa.CTE,
    *,
    trail_ids: sa.CTE,
) -> sa.CTE:
    """Each inserted order's unit trail row, from the template."""
    trail = uow.tables["order_unit"]
    trail_row = uow.mappers.order_unit.to_row(template.trail)
    return (
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
