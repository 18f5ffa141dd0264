"""Lean hand-written versions of the order and request commands (issue 20).

Each is what a database engineer would write for the same work, the same rules
and the same resulting rows (outbox rows included): ``BEGIN``, **one joined
read** of what the command's rules need, under the lock they need (the
request's row, the root of its orders and routing steps: ADR 0004), then
**one write statement** (data-modifying CTEs on PostgreSQL, the outbox
counter's upsert one of them: :func:`benchmarks.lean_sql.write_all`) and
``COMMIT``. The rules are checked by ``assert`` on the read row: a lean
version is measured on rows the library would accept, and
``tests/integration/test_lean_orders.py`` checks that it leaves the same rows
as the library does.

* :func:`lean_forward` — forward an RA (TRM): a routing step, the request and
  its orders moved to the destination, ``service_request.forwarded`` (and the
  urgent alert);
* :func:`lean_update_order` — update an order's observation (UPD);
* :func:`lean_start_execution` — an order's execution started (1 -> 3);
* :func:`lean_close_not_executed` — close an order of an RA not executed: the
  order, its unit-trail row, ``service_order.closed`` (the RA stays pending:
  its closing is proposed, nothing written);
* :func:`lean_reiterate` — reiterate an RA past its due date (REI);
* :func:`lean_close_request` — close an RA whose orders are all closed (ENC).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta, tzinfo
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_sql, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_files import DEVICE_RETURNED
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSituation,
)
from gsan_core.testing.request_utility import CHANNEL_PHONE, GROUP_WATER

__all__ = [
    "COMMANDS",
    "Case",
    "event",
    "forward_read",
    "home_unit",
    "lean_close_not_executed",
    "lean_close_request",
    "lean_forward",
    "lean_reiterate",
    "lean_start_execution",
    "lean_update_order",
    "may_maintain",
    "measure",
    "open_cases",
]

PENDING = int(OrderSituation.PENDING)
IN_EXECUTION = int(OrderSituation.IN_EXECUTION)
CLOSED = int(OrderSituation.CLOSED)
AWAITING_RELEASE = int(OrderSituation.AWAITING_RELEASE)
SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS
NOT_EXECUTED = 4  # a closing reason whose ``executed`` flag is off
DEADLINE_DAYS = 1  # the specification's: an RA opened today is due tomorrow


def event(tag: str, now: datetime, actor: int, **fields: Any) -> dict[str, Any]:
    """An outbox row as the library writes it (the payload its serialiser
    makes: the event's fields, ``type``, ``actor`` and ``occurred_at``)."""
    payload = {"type": tag, "actor": actor, "occurred_at": now.isoformat(), **fields}
    return {
        "tag": tag,
        "occurred_at": now,
        "actor": actor,
        "payload": payload,
        "published_at": None,
    }


def home_unit(sql: SqlBackend, actor: Any) -> Any:
    """The acting user's unit (a scalar subquery)."""
    user = sql.tables["user"]
    return sa.select(user.c.unit_id).where(user.c.id == actor).scalar_subquery()


def may_maintain(sql: SqlBackend, actor: Any, unit_id: Any) -> Any:
    """AUTH-01 for a request now in ``unit_id`` (a column): the user works
    in that unit, in a call centre or in its superior (one level: the
    synthetic utilities' tree)."""
    user, unit = sql.tables["user"], sql.tables["unit"]
    home = unit.alias("home")
    above = unit.alias("above")
    return (
        sa.select(sa.literal(1))
        .select_from(
            user.join(home, home.c.id == user.c.unit_id).outerjoin(
                above, above.c.id == unit_id
            )
        )
        .where(
            user.c.id == actor,
            sa.or_(
                home.c.id == unit_id,
                home.c.call_centre.is_(True),
                above.c.superior_id == home.c.id,
            ),
        )
        .exists()
    )


# ---------------------------------------------------------------- requests
def check_forward(row: Any, *, destination: int, now: datetime) -> None:
    """TRM-01..TRM-05, TRM-14 on a row of :func:`forward_read` (asserted:
    measured on requests the library forwards)."""
    assert row.situation == int(RequestSituation.PENDING)
    assert row.active
    assert row.accepts_routing
    assert row.current_unit_id != destination
    assert not row.busy
    assert row.authorised  # TRM-05
    assert row.dest_code != "T"  # (a contractor's rules: not measured)
    assert row.last_at is None or row.last_at < now


def _forward_writes(sql: SqlBackend) -> list[Any]:
    """:func:`lean_forward`'s writes, built once: the step (``s_*``), the
    request (``request_id``, ``expected``, ``destination``) and its orders."""
    t = sql.tables
    req, step, order = t["service_request"], t["routing_step"], t["service_order"]
    request_id, destination = _bigint("b_request_id"), _bigint("b_destination")
    return [
        sa.insert(step).values(lean_sql.bound(step, "s_")),
        sa.update(req)
        .where(req.c.id == request_id, req.c.version == _bigint("expected"))
        .values(current_unit_id=destination, version=_bigint("expected") + 1),
        # the request's orders hang from its locked row (ADR 0004)
        sa.update(order)
        .where(
            order.c.request_id == request_id,
            order.c.current_unit_id.is_distinct_from(destination),
        )
        .values(current_unit_id=destination, version=order.c.version + 1),
    ]


def lean_forward(
    sql: SqlBackend,
    request_id: int,
    *,
    destination: int,
    actor: int,
    ids: Any,
    now: datetime,
) -> None:
    """Forward a pending RA to ``destination``: one read of the request
    (locked), its last step, the destination and origin units with their
    types' codes, whether the user may maintain it and whether an order of
    the request blocks it; one write of the step, the request, its orders and
    the outbox rows; all built once."""
    read = lean_sql.built(
        sql,
        "forward read",
        lambda: forward_read(
            sql,
            sa.bindparam("request_ids", type_=postgresql.ARRAY(sa.BigInteger)),
            destination=_bigint("destination"),
            actor=_bigint("actor"),
        ),
    )
    values: dict[str, Any] = {
        "request_ids": [request_id],
        "destination": destination,
        "actor": actor,
    }
    if sql.engine.dialect.name != "postgresql":  # no arrays: the read of old
        read = forward_read(sql, [request_id], destination=destination, actor=actor)
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        check_forward(row, destination=destination, now=now)
        step_id = next(ids)
        events = [
            event(
                "service_request.forwarded",
                now,
                actor,
                step_id=step_id,
                automatic=False,
                request_id=request_id,
                to_unit_id=destination,
                from_unit_id=row.current_unit_id,
                to_contractor=row.dest_code == "T" and row.origin_code == "C",
            )
        ]
        if row.urgent:
            events.append(
                event(
                    "service_request.urgent_alert",
                    now,
                    actor,
                    unit_id=destination,
                    request_id=request_id,
                )
            )
        step = {
            "id": step_id,
            "request_id": request_id,
            "from_unit_id": row.current_unit_id,
            "to_unit_id": destination,
            "at": now,
            "registered_by": actor,
            "responsible_id": actor,
            "remark": None,
            "automatic": False,
            "version": 1,
        }
        values = lean_sql.params("s_", step) | {
            "b_request_id": request_id,
            "expected": row.version,
            "b_destination": destination,
        }
        lean_sql.write_with_events(
            connection,
            sql,
            "forward writes",
            lambda: _forward_writes(sql),
            values,
            events,
        )


def forward_read(
    sql: SqlBackend,
    request_ids: Sequence[int] | sa.BindParameter[Any],
    *,
    destination: Any,
    actor: Any,
) -> sa.Select[Any]:
    """Forwarding's one read of the requests ``request_ids`` (a row each, by
    id; or a bound array of them), locked; ``destination`` and ``actor``
    values or bound parameters."""
    t = sql.tables
    req, step, order, unit = (
        t["service_request"],
        t["routing_step"],
        t["service_order"],
        t["unit"],
    )
    catalog = t["catalog_item"]
    dest, origin = unit.alias("dest"), unit.alias("origin")
    dest_kind, origin_kind = catalog.alias("dest_kind"), catalog.alias("origin_kind")
    last = (
        sa.select(sa.func.max(step.c.at))
        .where(step.c.request_id == req.c.id)
        .scalar_subquery()
    )
    # TRM-02..TRM-04: an order in execution, awaiting release or scheduled
    busy = (
        sa.select(sa.literal(1))
        .where(
            order.c.request_id == req.c.id,
            sa.or_(
                order.c.situation.in_([IN_EXECUTION, AWAITING_RELEASE]),
                sa.and_(order.c.situation == PENDING, order.c.scheduled.is_(True)),
            ),
        )
        .exists()
    )
    return (
        sa.select(
            req.c.id,
            req.c.version,
            req.c.situation,
            req.c.current_unit_id,
            req.c.urgent,
            last.label("last_at"),
            busy.label("busy"),
            may_maintain(sql, actor, req.c.current_unit_id).label("authorised"),
            dest.c.active,
            dest.c.accepts_routing,
            dest_kind.c.attributes["code"].as_string().label("dest_code"),
            origin_kind.c.attributes["code"].as_string().label("origin_code"),
        )
        .select_from(
            req.join(dest, dest.c.id == destination)
            .outerjoin(
                dest_kind,
                sa.and_(
                    dest_kind.c.kind == "unit_type",
                    dest_kind.c.id == dest.c.unit_type_id,
                ),
            )
            .outerjoin(origin, origin.c.id == req.c.current_unit_id)
            .outerjoin(
                origin_kind,
                sa.and_(
                    origin_kind.c.kind == "unit_type",
                    origin_kind.c.id == origin.c.unit_type_id,
                ),
            )
        )
        .where(
            req.c.id == sa.func.any(request_ids)
            if isinstance(request_ids, sa.BindParameter)
            else req.c.id.in_(list(request_ids))
        )
        .order_by(req.c.id)
        .with_for_update(of=req)
    )


def lean_close_request(
    sql: SqlBackend, request_id: int, *, reason_id: int, actor: int, now: datetime
) -> None:
    """Close a pending RA whose orders are all closed, with a reason "not
    executed": one read of the request (locked), its open orders' count, the
    reason and the user's unit; one write of the request and the outbox row."""
    t = sql.tables
    req, order, catalog = t["service_request"], t["service_order"], t["catalog_item"]
    open_orders = (
        sa.select(sa.func.count())
        .where(order.c.request_id == req.c.id, order.c.situation != CLOSED)
        .scalar_subquery()
    )
    read = (
        sa.select(
            req.c.version,
            req.c.situation,
            open_orders.label("open_orders"),
            catalog.c.active.label("reason_active"),
            catalog.c.attributes["executed"].as_boolean().label("executed"),
            home_unit(sql, actor).label("home"),
        )
        .select_from(
            req.join(
                catalog,
                sa.and_(catalog.c.kind == "closing_reason", catalog.c.id == reason_id),
            )
        )
        .where(req.c.id == request_id)
        .with_for_update(of=req)
    )
    with sql.engine.begin() as connection:
        row = connection.execute(read).one()
        assert row.situation == int(RequestSituation.PENDING)
        assert row.open_orders == 0
        assert row.reason_active
        assert not row.executed
        closed = event(
            "service_request.closed",
            now,
            actor,
            executed=False,
            closed_at=now.isoformat(),
            command_id=None,
            request_id=request_id,
            duplicate_of_id=None,
            closing_reason_id=reason_id,
        )
        lean_sql.write_all(
            connection,
            [
                sa.update(req)
                .where(req.c.id == request_id, req.c.version == row.version)
                .values(
                    situation=int(RequestSituation.CLOSED),
                    closed_at=now,
                    closing_reason_id=reason_id,
                    closing_unit_id=row.home,
                    closed_by=actor,
                    version=row.version + 1,
                ),
                *lean_sql.outbox(connection, sql, [closed]),
            ],
        )


def _reiterate_read(sql: SqlBackend) -> sa.Select[Any]:
    """:func:`lean_reiterate`'s read, built once (``request_id``, ``actor``)."""
    req = sql.tables["service_request"]
    return sa.select(
        req.c.version,
        req.c.situation,
        req.c.current_due_date,
        req.c.current_unit_id,
        req.c.urgent,
        req.c.reiterations,
        may_maintain(sql, _bigint("actor"), req.c.current_unit_id).label("authorised"),
    ).where(req.c.id == _bigint("request_id"))


def _reiterate_writes(sql: SqlBackend) -> list[Any]:
    """:func:`lean_reiterate`'s writes, built once: the reiteration
    (``ri_*``) and the request (``request_id``, ``expected``, ``count``,
    ``now``)."""
    t = sql.tables
    req, reiteration = t["service_request"], t["reiteration"]
    return [
        sa.insert(reiteration).values(lean_sql.bound(reiteration, "ri_")),
        sa.update(req)
        .where(req.c.id == _bigint("request_id"), req.c.version == _bigint("expected"))
        .values(
            reiterations=sa.bindparam("count", type_=req.c.reiterations.type),
            last_reiterated_at=sa.bindparam("now", type_=req.c.last_reiterated_at.type),
            version=_bigint("expected") + 1,
        ),
    ]


def lean_reiterate(
    sql: SqlBackend,
    request_id: int,
    *,
    actor: int,
    ids: Any,
    now: datetime,
    zone: tzinfo,
) -> None:
    """The customer repeated the complaint of a pending RA past its due date
    (REI-01..REI-04): one read of the request and whether the user may
    maintain it; one write of the reiteration, the request (compare-and-set)
    and the outbox rows; all built once."""
    read = lean_sql.built(sql, "reiterate read", lambda: _reiterate_read(sql))
    values: dict[str, Any] = {"request_id": request_id, "actor": actor}
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        assert row.situation == int(RequestSituation.PENDING)
        assert row.current_due_date <= now.astimezone(zone).date()
        assert row.authorised
        count = row.reiterations + 1
        events = [
            event(
                "service_request.reiterated",
                now,
                actor,
                request_id=request_id,
                reiterations=count,
            )
        ]
        if row.urgent:
            events.append(
                event(
                    "service_request.urgent_alert",
                    now,
                    actor,
                    unit_id=row.current_unit_id,
                    request_id=request_id,
                )
            )
        reiteration = {
            "id": next(ids),
            "request_id": request_id,
            "at": now,
            "actor": actor,
            "requester_name": None,
            "phone": None,
            "remark": None,
            "version": 1,
        }
        values |= lean_sql.params("ri_", reiteration)
        values |= {"expected": row.version, "count": count, "now": now}
        lean_sql.write_with_events(
            connection,
            sql,
            "reiterate writes",
            lambda: _reiterate_writes(sql),
            values,
            events,
        )


# ---------------------------------------------------------------- orders
def _order_read(sql: SqlBackend, order_id: int, *extra: Any) -> sa.Select[Any]:
    order = sql.tables["service_order"]
    return sa.select(order.c.version, order.c.situation, *extra).where(
        order.c.id == order_id
    )


def _bigint(name: str) -> Any:
    return sa.bindparam(name, type_=sa.BigInteger)


def _update_read(sql: SqlBackend) -> sa.Select[Any]:
    """:func:`lean_update_order`'s read, built once (``order_id``)."""
    t = sql.tables
    order, item, file = t["service_order"], t["field_file_item"], t["field_file"]
    # UPD-05: a field device sent back the file that holds the order
    transmitted = (
        sa.select(sa.literal(1))
        .select_from(item.join(file, file.c.id == item.c.file_id))
        .where(
            item.c.order_id == order.c.id,
            file.c.situation.in_([int(s) for s in DEVICE_RETURNED]),
        )
        .exists()
    )
    return sa.select(
        order.c.version, order.c.situation, transmitted.label("transmitted")
    ).where(order.c.id == _bigint("order_id"))


def _update_write(sql: SqlBackend) -> Any:
    """:func:`lean_update_order`'s write, built once (``order_id``,
    ``expected``, ``observation``)."""
    order = sql.tables["service_order"]
    return (
        sa.update(order)
        .where(
            order.c.id == _bigint("order_id"), order.c.version == _bigint("expected")
        )
        .values(
            observation=sa.bindparam("observation"), version=_bigint("expected") + 1
        )
    )


def lean_update_order(
    sql: SqlBackend,
    order_id: int,
    *,
    expected_version: int,
    observation: str,
    actor: int,
    now: datetime,
) -> None:
    """Change an open order's observation (UPD-01..UPD-04): one read of the
    order and whether a field file transmitted it; one write of the order
    (compare-and-set on the version read by the caller) and the outbox row;
    both built once."""
    read = lean_sql.built(sql, "update_order read", lambda: _update_read(sql))
    values: dict[str, Any] = {"order_id": order_id}
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        assert row.version == expected_version
        assert row.situation in (PENDING, IN_EXECUTION)
        assert not row.transmitted
        version = expected_version + 1
        updated = event(
            "service_order.updated", now, actor, version=version, order_id=order_id
        )
        values |= {"expected": expected_version, "observation": observation}
        lean_sql.write_with_events(
            connection,
            sql,
            "update_order write",
            lambda: [_update_write(sql)],
            values,
            [updated],
        )


def _situation_read(sql: SqlBackend) -> sa.Select[Any]:
    """An order's version and situation, built once (``order_id``)."""
    order = sql.tables["service_order"]
    return sa.select(order.c.version, order.c.situation).where(
        order.c.id == _bigint("order_id")
    )


def _situation_write(sql: SqlBackend) -> Any:
    """An order's situation changed, compare-and-set, built once
    (``order_id``, ``expected``, ``situation``)."""
    order = sql.tables["service_order"]
    return (
        sa.update(order)
        .where(
            order.c.id == _bigint("order_id"), order.c.version == _bigint("expected")
        )
        .values(
            situation=sa.bindparam("situation", type_=order.c.situation.type),
            version=_bigint("expected") + 1,
        )
    )


def lean_start_execution(
    sql: SqlBackend, order_id: int, *, actor: int, now: datetime
) -> None:
    """A pending order's execution started (1 -> 3): one read of the order,
    one write of it and the outbox row; both built once."""
    read = lean_sql.built(sql, "order situation read", lambda: _situation_read(sql))
    values: dict[str, Any] = {"order_id": order_id}
    with sql.engine.begin() as connection:
        row = connection.execute(read, values).one()
        assert row.situation == PENDING
        changed = event(
            "service_order.situation_changed",
            now,
            actor,
            after=IN_EXECUTION,
            before=PENDING,
            order_id=order_id,
            reason_id=None,
        )
        values |= {"expected": row.version, "situation": IN_EXECUTION}
        lean_sql.write_with_events(
            connection,
            sql,
            "order situation write",
            lambda: [_situation_write(sql)],
            values,
            [changed],
        )


def lean_close_not_executed(
    sql: SqlBackend,
    order_id: int,
    *,
    reason_id: int,
    actor: int,
    ids: Any,
    now: datetime,
    zone: tzinfo,
) -> None:
    """Close an open order of an RA not executed (ENC), on the day: one read
    of the order, its request (locked: the root of its orders, ADR 0004), the
    reason, whether the order has an active programming and the user's unit;
    one write of the order, its unit-trail row and the outbox row."""
    t = sql.tables
    order, req, catalog = t["service_order"], t["service_request"], t["catalog_item"]
    scheduled = t["scheduled_order"]
    programmed = (
        sa.select(sa.literal(1))
        .where(scheduled.c.order_id == order.c.id, scheduled.c.active.is_(True))
        .exists()
    )
    read = (
        _order_read(
            sql,
            order_id,
            order.c.request_id,
            req.c.situation.label("request_situation"),
            req.c.current_unit_id.label("request_unit"),
            catalog.c.active.label("reason_active"),
            catalog.c.attributes["executed"].as_boolean().label("executed"),
            programmed.label("programmed"),
            home_unit(sql, actor).label("home"),
        )
        .select_from(
            order.join(req, req.c.id == order.c.request_id).join(
                catalog,
                sa.and_(catalog.c.kind == "closing_reason", catalog.c.id == reason_id),
            )
        )
        .with_for_update(of=req)
    )
    with sql.engine.begin() as connection:
        row = connection.execute(read).one()
        assert row.situation in (PENDING, IN_EXECUTION)
        assert row.request_situation == int(RequestSituation.PENDING)
        assert row.reason_active
        assert not row.executed
        assert not row.programmed
        closed = event(
            "service_order.closed",
            now,
            actor,
            executed=False,
            order_id=order_id,
            closed_at=now.astimezone(zone).isoformat(),
            request_id=row.request_id,
            closing_reason_id=reason_id,
        )
        lean_sql.write_all(
            connection,
            [
                sa.update(order)
                .where(order.c.id == order_id, order.c.version == row.version)
                .values(
                    situation=CLOSED,
                    closed_at=now,
                    closing_reason_id=reason_id,
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
                *lean_sql.outbox(connection, sql, [closed]),
            ],
        )


# ---------------------------------------------------------------- measuring
#: The commands :func:`measure` times, in the order they run on each RA.
COMMANDS = (
    "forward_request",
    "update_order",
    "start_execution",
    "reiterate_request",
    "close_not_executed",
    "close_request",
)
_NAMES = {
    "forward_request": "forward an RA (lean SQL)",
    "update_order": "update an order (lean SQL)",
    "start_execution": "start an order's execution (lean SQL)",
    "reiterate_request": "reiterate an RA (lean SQL)",
    "close_not_executed": "close an order not executed (lean SQL)",
    "close_request": "close an RA (lean SQL)",
}


@attrs.frozen
class Case:
    """An RA opened for the run, its order and its locality's users."""

    request_id: int
    order_id: int
    office: int  # ESCRITORIO of its locality (the forwarding's destination)
    attendant: int  # ATENDENTE: a user of the RA's first unit (its CENTRAL)
    technician: int  # TECNICO: a user of the office


def open_cases(
    gsan: gsan_core.System, sql: SqlBackend, homes: Sequence[int]
) -> list[Case]:
    """An RA with its automatic order opened on each of ``homes``, routed to
    its locality's CENTRAL (the ESCRITORIO's dispatch centre)."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        localities = dict(
            connection.execute(
                sa.select(prop.c.id, prop.c.locality_id).where(prop.c.id.in_(homes))
            ).all()
        )
    for locality in sorted(set(localities.values())):
        gsan.service_requests.configuration.set_locality_group_units(
            locality_id=locality,
            rows=[(GROUP_WATER, 10_000 + locality * 10 + 2)],
            actor=0,
        )
    cases = []
    for home in homes:
        base = 10_000 + localities[home] * 10
        opened = gsan.service_requests.open(
            specification_id=SPECIFICATION,
            unit_id=base + 1,
            channel_id=CHANNEL_PHONE,
            actor=base + 1,
            location=RequestLocation(property_id=home),
            requesters=(Requester(name="ANA", address="RUA 1"),),
        )
        assert opened.order is not None
        cases.append(
            Case(opened.request.id, opened.order.id, base + 2, base + 1, base + 2)
        )
    return cases


def _steps(
    gsan: gsan_core.System, sql: SqlBackend, ids: Iterator[int]
) -> dict[str, tuple[Callable[[Case], object], Callable[[Case], object]]]:
    """Each command: (the library's call, the lean version, its rows' ids
    from ``ids``) on one case, at the system's clock."""
    requests_, orders_ = gsan.service_requests, gsan.service_orders
    zone = ZoneInfo(gsan.profile.timezone)
    now = gsan.clock.now
    return {
        "forward_request": (
            lambda c: requests_.forward(
                request_id=c.request_id, destination_unit_id=c.office, actor=c.attendant
            ),
            lambda c: lean_forward(
                sql,
                c.request_id,
                destination=c.office,
                actor=c.attendant,
                ids=ids,
                now=now(),
            ),
        ),
        "update_order": (
            lambda c: orders_.update(
                order_id=c.order_id,
                expected_version=2,
                actor=c.technician,
                observation="BENCH",
            ),
            lambda c: lean_update_order(
                sql,
                c.order_id,
                expected_version=2,
                observation="BENCH",
                actor=c.technician,
                now=now(),
            ),
        ),
        "start_execution": (
            lambda c: orders_.start_execution(order_id=c.order_id, actor=c.technician),
            lambda c: lean_start_execution(
                sql, c.order_id, actor=c.technician, now=now()
            ),
        ),
        "reiterate_request": (
            lambda c: requests_.reiterate(request_id=c.request_id, actor=c.technician),
            lambda c: lean_reiterate(
                sql,
                c.request_id,
                actor=c.technician,
                ids=ids,
                now=now(),
                zone=zone,
            ),
        ),
        "close_not_executed": (
            lambda c: orders_.close_not_executed(
                order_id=c.order_id,
                reason_id=NOT_EXECUTED,
                closed_on=now().astimezone(zone).date(),
                actor=c.technician,
            ),
            lambda c: lean_close_not_executed(
                sql,
                c.order_id,
                reason_id=NOT_EXECUTED,
                actor=c.technician,
                ids=ids,
                now=now(),
                zone=zone,
            ),
        ),
        "close_request": (
            lambda c: requests_.close(
                request_id=c.request_id, reason_id=NOT_EXECUTED, actor=c.technician
            ),
            lambda c: lean_close_request(
                sql,
                c.request_id,
                reason_id=NOT_EXECUTED,
                actor=c.technician,
                now=now(),
            ),
        ),
    }


def _on_case(step: Callable[[Case], object], cases: Sequence[Case], n: int) -> None:
    """Runs ``step`` on the ``n``-th of ``cases`` (what
    :func:`benchmarks.scale_commands.interleaved` calls with ``n``)."""
    step(cases[n])


def measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    chosen: Sequence[str],
    *,
    homes: Callable[..., list[int]],
) -> list[dict[str, Any]]:
    """The figures of the ``chosen`` commands: ``2 * count`` RAs opened on
    ``homes(sql, metered=False, limit=...)``; each command in turn (the
    chain :data:`COMMANDS`) through the library on one half and by hand on
    the other, in alternating rounds (:func:`benchmarks.scale_commands.interleaved`).
    A command not chosen still runs, untimed, through the library on both
    halves: the later ones need its rows."""
    cases = open_cases(gsan, sql, homes(sql, metered=False, limit=2 * count))
    count = len(cases) // 2
    mine, theirs = cases[:count], cases[count : 2 * count]
    clock: Any = gsan.clock
    clock.advance(timedelta(minutes=5))  # TRM-14: after the opening's step
    steps = _steps(gsan, sql, id_ranges.take("order and request commands"))
    figures = []
    for name in COMMANDS:
        library, lean = steps[name]
        if name == "reiterate_request":
            clock.advance(timedelta(days=DEADLINE_DAYS))  # REI-02: now due
        if name not in chosen:
            for case in cases:
                library(case)
            continue
        library_s, lean_s = scale_commands.interleaved(
            partial(_on_case, library, mine),
            partial(_on_case, lean, theirs),
            count,
        )
        figures.append(
            scale_commands.command_figure(_NAMES[name], size, library_s, lean_s)
        )
    return figures
