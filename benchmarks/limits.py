"""The limits the scale report compares the library with (issue 20).

A baseline that copies the library's own pattern (one read per entity, one
transaction per route, a ``COUNT(*)`` per route) says nothing about how far the
library is from what the database allows. The functions here are the *limit*:

* **batches**, set-based: the whole work in one statement per table
  (``INSERT ... SELECT`` / ``UPDATE ...``), and the same statements once per
  chunk at the library's chunk size (routes packed up to
  ``PROPERTIES_PER_CHUNK`` properties for the cut orders,
  ``OVERDUE_ORDERS_PER_CHUNK`` orders for the overdue closing). Both write
  the same rows as the library: the orders, their unit trail, and the outbox
  rows (one per route, one per chunk), with the outbox ids taken from the
  gap-free counter as the library does;
* **single commands**, lean: one joined read of everything the rules need, then
  one write transaction (on PostgreSQL one statement: the writes are
  data-modifying CTEs).

:func:`order_hash` fingerprints the orders a variant wrote (every column but the
id) so that the report can check every variant wrote the same thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from benchmarks import lean_sql
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)

__all__ = [
    "cut_orders_limit",
    "lean_close_cut",
    "order_hash",
    "overdue_limit",
]

NUMBER = sa.Numeric(20, 7)


# ---------------------------------------------------------------- helpers
def order_hash(sql: SqlBackend, service_type_id: int) -> tuple[int, str]:
    """(count, sha256) of the orders of a type: every column but the id, and
    the unit of their trail row, in property order."""
    order, trail = sql.tables["service_order"], sql.tables["order_unit"]
    columns = [c for c in order.c if c.name not in ("id",)]
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(*columns, trail.c.unit_id, trail.c.relation, trail.c.user_id)
            .select_from(order.outerjoin(trail, trail.c.order_id == order.c.id))
            .where(order.c.service_type_id == service_type_id)
            .order_by(order.c.property_id, order.c.generated_at, trail.c.relation)
        ).all()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(_plain(v) for v in row)).encode())
    return len(rows), digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).normalize():f}"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _order_constants(sql: SqlBackend, type_id: int, now: datetime) -> dict[str, Any]:
    """Every column of a collection order except id, property and unit, as the
    library's row mapper writes them."""
    stype = sql.tables["service_type"]
    with sql.engine.connect() as connection:
        kind = connection.execute(
            sa.select(stype.c.value, stype.c.priority_id).where(stype.c.id == type_id)
        ).one()
    sample = ServiceOrder(
        id=1,
        service_type_id=type_id,
        origin=OrderOrigin.COLLECTION,
        property_id=1,
        generated_at=now,
        original_value=kind.value,
        current_unit_id=1,
        original_priority_id=kind.priority_id,
        current_priority_id=kind.priority_id,
    )
    row = sql.mappers.service_order.to_row(sample)
    for name in ("id", "property_id", "current_unit_id"):
        row.pop(name)
    return row


# ---------------------------------------------------------------- cut orders
def cut_orders_limit(
    sql: SqlBackend,
    *,
    routes: Sequence[Sequence[int]],
    type_id: int,
    cut_types: Sequence[int],
    allowed: Sequence[int],
    min_bills: int,
    min_amount: Decimal,
    due_before: date,
    now: datetime,
    actor: int,
) -> int:
    """Cut orders set-based: per element of ``routes`` (all the routes at once,
    or 8 at a time) one transaction of one ``INSERT ... SELECT`` of the orders,
    one of their trail rows and one of the outbox rows (one per route), with the
    ids taken for the chunk in one statement each. Returns orders generated."""
    t = sql.tables
    prop, order, trail, debt, unit = (
        t["property"],
        t["service_order"],
        t["order_unit"],
        t["open_debt"],
        t["unit"],
    )
    constants = _order_constants(sql, type_id, now)
    units = (
        sa.select(unit.c.locality_id, sa.func.max(unit.c.id).label("unit_id"))
        .where(unit.c.active.is_(True), unit.c.locality_id.is_not(None))
        .group_by(unit.c.locality_id)
        .subquery("u")
    )
    open_cut = (
        sa.select(sa.literal(1))
        .where(
            order.c.property_id == prop.c.id,
            order.c.service_type_id.in_(list(cut_types)),
            order.c.situation != int(OrderSituation.CLOSED),
        )
        .exists()
    )
    generated = 0
    for chunk in routes:
        route_ids = list(chunk)
        owed = (
            sa.select(
                debt.c.property_id,
                sa.func.count().label("bills"),
                sa.func.sum(debt.c.amount, type_=NUMBER).label("amount"),
            )
            .where(
                debt.c.kind == DebtKind.BILL.value,
                debt.c.due_date < due_before,
                *_chunk_bills(prop, debt, route_ids, spanned=len(routes) > 1),
            )
            .group_by(debt.c.property_id)
            .subquery("d")
        )
        chosen = (
            sa.select(
                prop.c.id.label("property_id"),
                prop.c.route_id,
                units.c.unit_id,
            )
            .join(units, units.c.locality_id == prop.c.locality_id)
            .join(owed, owed.c.property_id == prop.c.id)
            .where(
                prop.c.route_id.in_(route_ids),
                prop.c.active.is_(True),
                prop.c.water_status_id.in_(list(allowed)),
                ~open_cut,
                owed.c.bills >= min_bills,
                owed.c.amount >= sa.literal(min_amount, NUMBER),
            )
        )
        numbered = chosen.add_columns(
            (sa.func.row_number().over(order_by=prop.c.id) - 1).label("n")
        )
        with sql.engine.begin() as connection:
            first_order, count = _insert_orders(connection, sql, numbered, constants)
            if not count:
                continue
            first_trail = lean_sql.take(connection, t["id_block"], "order_unit", count)
            mine = order.c.id.between(first_order, first_order + count - 1)
            connection.execute(
                sa.insert(trail).from_select(
                    [
                        "id",
                        "order_id",
                        "unit_id",
                        "user_id",
                        "relation",
                        "at",
                        "version",
                    ],
                    sa.select(
                        order.c.id - first_order + first_trail,
                        order.c.id,
                        order.c.current_unit_id,
                        sa.literal(actor),
                        sa.literal(int(OrderUnitRelation.OPENED)),
                        sa.literal(now, trail.c.at.type),
                        sa.literal(1),
                    ).where(mine),
                )
            )
            _outbox_per_route(connection, sql, mine, now=now, actor=actor)
            generated += count
    return generated


def _chunk_bills(
    prop: sa.Table, debt: sa.Table, route_ids: list[int], *, spanned: bool
) -> list[sa.ColumnElement[bool]]:
    """The bills of the routes' properties. Per chunk (``spanned``) also
    bounded to the chunk's smallest and largest property id, so that they are
    read by the index on ``property_id`` (an index range, as the library
    reads them: ``adapters/sqlalchemy/collection.py``), not by a scan of every
    bill of the utility per chunk, which made the per-chunk limit ~4x slower
    at 1 million than at 10 thousand (issue 20, fifth round). The ids are
    read once, as a CTE: a min/max straight off the table is planned as a
    walk of the primary key up to the chunk's ids."""
    mine = sa.select(prop.c.id).where(prop.c.route_id.in_(route_ids))
    if not spanned:
        return [debt.c.property_id.in_(mine)]
    ids = mine.cte("chunk_ids")
    span = sa.select(
        sa.func.min(ids.c.id).label("lo"), sa.func.max(ids.c.id).label("hi")
    ).cte("span")
    return [
        debt.c.property_id.in_(sa.select(ids.c.id)),
        debt.c.property_id.between(
            sa.select(span.c.lo).scalar_subquery(),
            sa.select(span.c.hi).scalar_subquery(),
        ),
    ]


def _insert_orders(
    connection: sa.Connection,
    sql: SqlBackend,
    numbered: sa.Select[Any],
    constants: dict[str, Any],
) -> tuple[int, int]:
    """Insert the chosen orders with ids reserved for them; (first id, count).

    On PostgreSQL one statement: the selection, the id reservation (the
    ``id_block`` row bumped by the selection's count) and the insert are CTEs.
    Elsewhere a count, the reservation and the insert."""
    t = sql.tables
    order, block = t["service_order"], t["id_block"]
    names = ["id", "property_id", "current_unit_id", *constants]

    def rows(first: Any, source: Any) -> sa.Select[Any]:
        return sa.select(
            (source.c.n + first).label("id"),
            source.c.property_id,
            source.c.unit_id,
            *(sa.literal(v, order.c[k].type).label(k) for k, v in constants.items()),
        )

    if connection.dialect.name == "postgresql":
        chosen = numbered.cte("chosen")
        total = sa.select(sa.func.count()).select_from(chosen).scalar_subquery()
        ids = (
            sa.update(block)
            .where(block.c.name == "service_order")
            .values(next_value=block.c.next_value + total)
            .returning((block.c.next_value - total).label("first"))
            .cte("ids")
        )
        inserted = (
            sa.insert(order)
            .from_select(
                names,
                rows(ids.c.first, chosen).select_from(chosen.join(ids, sa.true())),
            )
            .returning(order.c.id)
            .cte("inserted")
        )
        low, count = connection.execute(
            sa.select(sa.func.min(inserted.c.id), sa.func.count()).select_from(inserted)
        ).one()
        return int(low or 0), int(count)
    source = numbered.subquery("chosen")
    count = connection.execute(
        sa.select(sa.func.count()).select_from(source)
    ).scalar_one()
    if not count:
        return 0, 0
    first = lean_sql.take(connection, block, "service_order", count)
    connection.execute(
        sa.insert(order).from_select(names, rows(sa.literal(first), source))
    )
    return first, int(count)


def _outbox_per_route(
    connection: sa.Connection,
    sql: SqlBackend,
    mine: sa.ColumnElement[bool],
    *,
    now: datetime,
    actor: int,
) -> None:
    """One outbox row per route of the orders ``mine``, ids from the counter as
    the last statement before the commit."""
    t = sql.tables
    order, prop, outbox = t["service_order"], t["property"], t["outbox"]
    dialect = connection.dialect.name
    agg = sa.func.json_agg if dialect == "postgresql" else sa.func.json_group_array
    build = (
        sa.func.json_build_object if dialect == "postgresql" else sa.func.json_object
    )
    per_route = (
        sa.select(
            prop.c.route_id,
            build(
                "route_id",
                prop.c.route_id,
                "order_ids",
                agg(order.c.id),
                "property_ids",
                agg(order.c.property_id),
            ).label("payload"),
        )
        .join(prop, prop.c.id == order.c.property_id)
        .where(mine)
        .group_by(prop.c.route_id)
    )
    counter = t["counter"]
    columns = ["id", "tag", "occurred_at", "actor", "payload"]

    def rows(first: Any, source: Any) -> sa.Select[Any]:
        return sa.select(
            sa.func.row_number().over(order_by=source.c.route_id) + first - 1,
            sa.literal("collection.cut_orders_generated"),
            sa.literal(now, outbox.c.occurred_at.type),
            sa.literal(actor),
            sa.cast(source.c.payload, outbox.c.payload.type)
            if dialect == "postgresql"
            else sa.func.json(source.c.payload),
        )

    if dialect == "postgresql":
        routes = per_route.cte("routes")
        total = sa.select(sa.func.count()).select_from(routes).scalar_subquery()
        taken = (
            sa.update(counter)
            .where(counter.c.name == "outbox")
            .values(value=counter.c.value + total)
            .returning((counter.c.value - total + 1).label("first"))
            .cte("taken")
        )
        connection.execute(
            sa.insert(outbox).from_select(
                columns,
                rows(taken.c.first, routes).select_from(routes.join(taken, sa.true())),
            )
        )
        return
    source = per_route.subquery("routes")
    count = connection.execute(
        sa.select(sa.func.count()).select_from(source)
    ).scalar_one()
    first = lean_sql.take(connection, counter, "outbox", count)
    connection.execute(sa.insert(outbox).from_select(columns, rows(first, source)))


# ---------------------------------------------------------------- overdue closing
def overdue_limit(
    sql: SqlBackend,
    *,
    service_type_id: int,
    before: datetime,
    reason_id: int,
    unit_id: int,
    actor: int,
    now: datetime,
    chunk: int | None,
) -> int:
    """UC0734 set-based: per transaction one ``UPDATE`` closing the pending
    orders (all of them, or the next ``chunk`` by id), one ``INSERT ... SELECT``
    of their trail rows and one outbox row. Returns orders closed."""
    t = sql.tables
    order, trail, outbox = t["service_order"], t["order_unit"], t["outbox"]
    pending = sa.and_(
        order.c.service_type_id == service_type_id,
        order.c.situation == int(OrderSituation.PENDING),
        order.c.generated_at < before,
    )
    closed_total = 0
    after = 0
    while True:
        with sql.engine.begin() as connection:
            target: sa.ColumnElement[bool] = pending
            if chunk is not None:
                ids = (
                    sa.select(order.c.id)
                    .where(pending, order.c.id > after)
                    .order_by(order.c.id)
                    .limit(chunk)
                    .scalar_subquery()
                )
                target = sa.and_(order.c.id.in_(ids), pending)
            closed = (
                connection.execute(
                    sa.update(order)
                    .where(target)
                    .values(
                        situation=int(OrderSituation.CLOSED),
                        closing_reason_id=reason_id,
                        closed_at=now,
                        closing_remark=None,
                        version=order.c.version + 1,
                    )
                    .returning(order.c.id)
                )
                .scalars()
                .all()
            )
            if not closed:
                return closed_total
            low, high = min(closed), max(closed)
            first = lean_sql.take(connection, t["id_block"], "order_unit", len(closed))
            mine = sa.and_(
                order.c.id.between(low, high),
                order.c.service_type_id == service_type_id,
                order.c.closed_at == now,
                order.c.closing_reason_id == reason_id,
            )
            connection.execute(
                sa.insert(trail).from_select(
                    [
                        "id",
                        "order_id",
                        "unit_id",
                        "user_id",
                        "relation",
                        "at",
                        "version",
                    ],
                    sa.select(
                        sa.func.row_number().over(order_by=order.c.id) + first - 1,
                        order.c.id,
                        sa.literal(unit_id),
                        sa.literal(actor),
                        sa.literal(int(OrderUnitRelation.CLOSED)),
                        sa.literal(now, trail.c.at.type),
                        sa.literal(1),
                    ).where(mine),
                )
            )
            number = lean_sql.take(connection, t["counter"], "outbox", 1)
            connection.execute(
                sa.insert(outbox).values(
                    id=number,
                    tag="service_order.overdue_closed",
                    occurred_at=now,
                    actor=actor,
                    payload={"order_ids": [int(i) for i in closed]},
                )
            )
            closed_total += len(closed)
            after = high
        if chunk is None:
            return closed_total


# ---------------------------------------------------------------- single commands
def lean_close_cut(
    sql: SqlBackend,
    order_id: int,
    *,
    ids: Any,
    today: date,
    now: datetime,
    actor: int,
    reason_id: int = 2,
) -> None:
    """Close a cut order with its cut, lean: one joined read of the order, its
    property, water connection, type, price and the property's meter and slip,
    then one write transaction (one statement on PostgreSQL)."""
    t = sql.tables
    order, prop, water, stype = (
        t["service_order"],
        t["property"],
        t["water_connection"],
        t["service_type"],
    )
    install, debt, user = t["hydrometer_installation"], t["open_debt"], t["user"]
    meter = (
        sa.select(install.c.hydrometer_id)
        .where(
            install.c.property_id == prop.c.id,
            install.c.point == 1,
            install.c.removed_on.is_(None),
        )
        .limit(1)
        .scalar_subquery()
    )
    slip = (
        sa.select(sa.literal(1))
        .where(
            debt.c.property_id == prop.c.id,
            debt.c.kind == "payment_slip",
            debt.c.issued_on == today,
        )
        .exists()
    )
    home = sa.select(user.c.unit_id).where(user.c.id == actor).scalar_subquery()
    read = (
        sa.select(
            order.c.version,
            order.c.situation,
            order.c.property_id,
            prop.c.version.label("pv"),
            prop.c.water_status_id,
            water.c.version.label("wv"),
            stype.c.value,
            meter.label("meter"),
            slip.label("slip"),
            home.label("home"),
        )
        .select_from(
            order.join(prop, prop.c.id == order.c.property_id)
            .join(water, water.c.id == prop.c.id)
            .join(stype, stype.c.id == order.c.service_type_id)
        )
        .where(order.c.id == order_id)
    )
    with sql.engine.begin() as connection:
        row = connection.execute(read).one()
        assert row.situation == int(OrderSituation.PENDING)
        assert row.water_status_id == 3
        assert not row.slip
        pid = row.property_id
        value = row.value or Decimal(0)
        writes: list[Any] = [
            sa.update(order)
            .where(order.c.id == order_id, order.c.version == row.version)
            .values(
                situation=int(OrderSituation.CLOSED),
                closed_at=now,
                closing_reason_id=reason_id,
                commercial_applied=True,
                current_value=value,
                charge_percentage=100,
                version=row.version + 1,
            ),
            lean_sql.trail_insert(
                sql,
                id=next(ids),
                order_id=order_id,
                unit_id=row.home,
                user_id=actor,
                relation=int(OrderUnitRelation.CLOSED),
                at=now,
                version=1,
            ),
            sa.update(prop)
            .where(prop.c.id == pid, prop.c.version == row.pv)
            .values(water_status_id=5, version=row.pv + 1),
            sa.update(water)
            .where(water.c.id == pid, water.c.version == row.wv)
            .values(
                cut_on=today,
                cut_seal=123,
                cut_type_id=1,
                cut_reason_id=1,
                version=row.wv + 1,
            ),
            sa.insert(t["situation_change"]).values(
                id=next(ids),
                property_id=pid,
                kind="water",
                before_id=3,
                after_id=5,
                effective_on=today,
                at=now,
                operation="water.cut",
                order_id=order_id,
                actor=actor,
            ),
            sa.insert(t["charge"]).values(
                id=next(ids),
                property_id=pid,
                debit_type_id=7,
                total=value,
                installments=1,
                installment_value=value,
                interest_rate=Decimal(0),
                service_order_id=order_id,
                generated_at=now,
                shares=[{"category_id": 1, "economies": 1, "amount": str(value)}],
                actor=actor,
            ),
        ]
        writes.extend(
            lean_sql.outbox(
                connection,
                sql,
                [
                    {
                        "tag": tag,
                        "occurred_at": now,
                        "actor": actor,
                        "payload": {"order_id": order_id, "property_id": pid},
                        "published_at": None,
                    }
                    for tag in (
                        "connection.operation_applied",
                        "billing.charge_created",
                        "service_order.closed",
                        "service_order.commercial_applied",
                    )
                ],
            )
        )
        lean_sql.write_all(connection, writes)


def lean_window(today: date, days: int) -> date:
    return today - timedelta(days=days)


def routed_unit(
    t: Mapping[str, sa.Table],
    locality_id: sa.ColumnElement[Any],
    group_id: int | sa.BindParameter[Any],
) -> sa.ScalarSelect[Any]:
    """The unit a request of the locality ``locality_id`` and the
    specification group ``group_id`` is routed to (the first routing unit of
    the locality's group, or its dispatch centre when that accepts routing):
    a scalar subquery."""
    unit, lgu = t["unit"], t["locality_group_unit"]
    centre = unit.alias("centre")
    return (
        sa.select(
            sa.case((centre.c.accepts_routing.is_(True), centre.c.id), else_=unit.c.id)
        )
        .select_from(
            lgu.join(unit, unit.c.id == lgu.c.unit_id).outerjoin(
                centre, centre.c.id == unit.c.dispatch_centre_id
            )
        )
        .where(
            lgu.c.locality_id == locality_id,
            lgu.c.group_id == group_id,
            unit.c.accepts_routing.is_(True),
            unit.c.active.is_(True),
        )
        .order_by(lgu.c.id)
        .limit(1)
        .scalar_subquery()
    )


#: The parameters of :func:`opening_read`, bound at each call.
OPENING_PARAMETERS = (
    "specification_id",
    "channel_id",
    "group_id",
    "call_centre",
    "attendant",
    "property_id",
)


def opening_read(sql: SqlBackend) -> Any:
    """The opening's one joined read (:func:`lean_open_request`): what the
    opening's rules (:func:`check_opening`) and writes need; built once per
    set of tables, its parameters bound (:data:`OPENING_PARAMETERS`,
    :func:`opening_params`), so SQLAlchemy takes its compiled form from its
    cache."""
    return lean_sql.built(sql, "opening read", lambda: _opening_read(sql))


def opening_params(**values: int) -> dict[str, int]:
    """The parameters of :func:`opening_read` (every one of
    :data:`OPENING_PARAMETERS`)."""
    assert set(values) == set(OPENING_PARAMETERS), values
    return values


def _opening_read(sql: SqlBackend) -> sa.Select[Any]:
    """:func:`opening_read`, built."""
    t = sql.tables
    spec, prop, req = (
        t["request_specification"],
        t["property"],
        t["service_request"],
    )
    catalog, user, stype = t["catalog_item"], t["user"], t["service_type"]
    unit = t["unit"]
    specification_id, channel_id, group_id, call_centre, attendant, property_id = (
        sa.bindparam(name, type_=sa.BigInteger) for name in OPENING_PARAMETERS
    )
    kind = catalog.alias("kind")
    group = catalog.alias("grp")
    channel = catalog.alias("channel")
    message = catalog.alias("message")
    opening = unit.alias("opening")
    destination = routed_unit(t, prop.c.locality_id, group_id)
    duplicate = (
        sa.select(sa.literal(1))
        .where(
            # the property's own parameter, not its column: PostgreSQL then
            # reads the property's requests by index, where the correlated
            # form got a hashed subplan over every pending request
            req.c.property_id == property_id,
            req.c.specification_id == specification_id,
            req.c.situation == 1,
        )
        .exists()
    )
    return (
        sa.select(
            spec.c.deadline_days,
            spec.c.service_type_id,
            spec.c.urgent,
            spec.c.active,
            kind.c.active.label("kind_active"),
            group.c.attributes.label("group_attributes"),
            channel.c.active.label("channel_active"),
            opening.c.active.label("opening_active"),
            opening.c.may_open_requests,
            message.c.description.label("message"),
            prop.c.locality_id,
            prop.c.sector_id,
            prop.c.block_id,
            destination.label("destination"),
            duplicate.label("duplicate"),
            stype.c.value,
            stype.c.priority_id,
            sa.select(user.c.unit_id)
            .where(user.c.id == attendant)
            .scalar_subquery()
            .label("home"),
        )
        .select_from(
            spec.join(
                kind,
                sa.and_(
                    kind.c.kind == "request_type", kind.c.id == spec.c.request_type_id
                ),
            )
            .join(
                group,
                sa.and_(
                    group.c.kind == "request_type_group",
                    group.c.id
                    == sa.cast(
                        kind.c.attributes["group_id"].as_string(), sa.BigInteger
                    ),
                ),
            )
            .join(
                channel,
                sa.and_(
                    channel.c.kind == "request_channel", channel.c.id == channel_id
                ),
            )
            .join(opening, opening.c.id == call_centre)
            .outerjoin(
                message,
                sa.and_(
                    message.c.kind == "request_message",
                    message.c.id == spec.c.message_id,
                ),
            )
            .join(prop, prop.c.id == property_id)
            .join(stype, stype.c.id == spec.c.service_type_id)
        )
        .where(spec.c.id == specification_id)
    )


def opening_accepted(row: Any) -> bool:
    """The opening's rules on :func:`opening_read`'s row: whether it passes."""
    return bool(
        row.active
        and row.kind_active
        and row.channel_active
        and row.opening_active
        and row.may_open_requests
        and not row.duplicate
        and row.destination is not None
    )


def check_opening(row: Any) -> None:
    """The opening's rules on :func:`opening_read`'s row, asserted."""
    assert opening_accepted(row), row


def lean_open_request(
    sql: SqlBackend,
    *,
    specification_id: int,
    channel_id: int,
    group_id: int,
    call_centre: int,
    attendant: int,
    property_id: int,
    ids: Any,
    now: datetime,
) -> None:
    """Open an RA routed by locality x group with its automatic order, lean:
    one joined read of the specification, its type and group, the channel, the
    opening unit, the attendant's unit, the message, the property, the first
    destination and the order's type, with the duplicate check; then one write
    transaction (one statement on PostgreSQL)."""
    t = sql.tables
    req = t["service_request"]
    read = opening_read(sql)
    values = opening_params(
        specification_id=specification_id,
        channel_id=channel_id,
        group_id=group_id,
        call_centre=call_centre,
        attendant=attendant,
        property_id=property_id,
    )
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        check_opening(row)
        request_id, step_id, order_id, trail_id = (next(ids) for _ in range(4))
        due = now.date() + timedelta(days=row.deadline_days)
        request_row: dict[str, Any] = {c.name: None for c in req.c}
        request_row.update(
            id=request_id,
            specification_id=specification_id,
            situation=1,
            attended_at=now,
            online=True,
            original_due_date=due,
            current_due_date=due,
            channel_id=channel_id,
            protocol=f"20251{request_id:09d}",
            property_id=property_id,
            locality_id=row.locality_id,
            sector_id=row.sector_id,
            block_id=row.block_id,
            requesters=[{"name": "ANA", "address": "RUA 1", "principal": True}],
            opening_unit_id=call_centre,
            opened_by=attendant,
            current_unit_id=row.destination,
            observation=row.message,
            reiterations=0,
            urgent=row.urgent,
            version=1,
        )
        order_row: dict[str, Any] = {c.name: None for c in t["service_order"].c}
        order_row.update(
            id=order_id,
            service_type_id=row.service_type_id,
            situation=int(OrderSituation.PENDING),
            origin=OrderOrigin.REQUEST.value,
            property_id=property_id,
            request_id=request_id,
            generated_at=now,
            original_value=row.value,
            commercial_applied=False,
            diagnosed=False,
            scheduled=False,
            automatic_closing=False,
            current_unit_id=row.destination,
            original_priority_id=row.priority_id,
            current_priority_id=row.priority_id,
            version=1,
        )
        payload = {"request_id": request_id, "order_id": order_id}
        step = {
            "id": step_id,
            "request_id": request_id,
            "from_unit_id": call_centre,
            "to_unit_id": row.destination,
            "at": now,
            "registered_by": attendant,
            "responsible_id": attendant,
            "remark": "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO",
            "automatic": True,
            "version": 1,
        }
        trail = {
            "id": trail_id,
            "order_id": order_id,
            "unit_id": row.home,
            "user_id": attendant,
            "relation": int(OrderUnitRelation.OPENED),
            "at": now,
        }
        values = (
            lean_sql.params("r_", request_row)
            | lean_sql.params("s_", step)
            | lean_sql.params("so_", order_row)
            | lean_sql.params("t_", trail)
        )
        events = [
            {"tag": tag, "occurred_at": now, "actor": attendant, "payload": payload}
            for tag in OPENING_TAGS
        ]
        lean_sql.write_with_events(
            connection,
            sql,
            "open_request write",
            lambda: _opening_writes(sql),
            values,
            events,
        )


#: The outbox rows of :func:`lean_open_request`, in order.
OPENING_TAGS = (
    "service_request.opened",
    "service_request.urgent_alert",
    "service_order.generated",
)
#: The routing step's columns an opening or a reactivation writes (parameters
#: ``s_*``).
STEP_COLUMNS = (
    "id",
    "request_id",
    "from_unit_id",
    "to_unit_id",
    "at",
    "registered_by",
    "responsible_id",
    "remark",
    "automatic",
    "version",
)


def _opening_writes(sql: SqlBackend) -> list[Any]:
    """:func:`lean_open_request`'s writes, built once: the request
    (``r_*``), its routing step (``s_*``), its order (``so_*``) and the
    order's trail row (``t_*``); on PostgreSQL one statement with the outbox
    rows (:func:`lean_sql.write_with_events`)."""
    t = sql.tables
    req, step, order = t["service_request"], t["routing_step"], t["service_order"]
    trail = t["order_unit"]
    trail_columns = ("id", "order_id", "unit_id", "user_id", "relation", "at")
    return [
        sa.insert(req).values(lean_sql.bound(req, "r_")),
        sa.insert(step).values(lean_sql.bound(step, "s_", *STEP_COLUMNS)),
        sa.insert(order).values(lean_sql.bound(order, "so_")),
        lean_sql.trail_insert(sql, **lean_sql.bound(trail, "t_", *trail_columns)),
    ]
