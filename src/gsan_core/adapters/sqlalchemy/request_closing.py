"""The batch closing of requests (UC0736) written in one statement per chunk
of localities (PostgreSQL).

After the chunk's pending requests of the period are locked (their own
statement, so that what follows sees what earlier holders committed: a
statement's snapshot is taken when it starts), **one** statement of
data-modifying CTEs does the rest of the locality in the database:

1. ``candidates``: CMD-06's selection (pending, attended in the period, no open
   scheduled order, the command's filters), as ``closing_candidates`` reads it;
2. ``requests``: ``UPDATE ... FROM candidates`` closes them (the actor's unit
   as the closing unit, read by a scalar subquery), ``RETURNING`` what the
   events and CMD-07's charges need (and whether the specification charges);
3. ``orders``: ``UPDATE`` of their open orders (closed by request);
4. ``ids``: the trail's ids reserved in ``id_block`` by the count of orders
   closed (an upsert, only when there are some);
5. ``trail``: ``INSERT ... SELECT`` of the orders' unit-trail rows (CLOSED);
6. ``command``: the command's counters increased by the counts;
7. the answer: the requests and the orders closed.

A chunk of localities is thus the lock and this statement, whatever its
number of localities and requests (the requests without a locality, when the
chunk holds them, add their own lock and statement); the chunk adds BEGIN,
the outbox and COMMIT. The statement is built once per shape (which of the
command's filters are set, and whether it closes the requests without a
locality) and every value of the run is a parameter (the chunk's localities
and the filters' units and specifications as arrays, the period, the instant,
the actor, the remarks), so SQLAlchemy compiles it once per process and the
server plans it as a prepared statement: built for every locality it cost ~25
ms of Python per locality, and built per run ~30 ms per run (issue 20). SQLite has no
data-modifying CTEs: there :func:`close_by_command` returns ``None`` and the
service runs the candidates' read and the set-based updates one by one.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import lock_where
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.model.service_requests import (
    ClosedByCommand,
    OrderRef,
    RequestRef,
    RequestSituation,
)

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["close_by_command"]

_TRAIL = "order_unit"
#: The chunk's localities: the statement's one parameter (an array).
_LOCALITIES = "closing_localities"
#: Statements kept (by shape: a utility's commands use a few).
_KEEP = 8
_STATEMENTS: dict[tuple[object, ...], sa.Executable] = {}
_LOCK = threading.Lock()


def close_by_command(
    uow: SqlUnitOfWork,
    *,
    command_id: int,
    locality_ids: Sequence[int | None],
    since: datetime,
    until: datetime,
    attendance_unit_id: int | None,
    current_unit_ids: Collection[int] | None,
    specification_ids: Collection[int] | None,
    reason_id: int,
    closed_at: datetime,
    order_remark: str,
    request_remark: str,
    actor: int,
) -> ClosedByCommand | None:
    """CMD-06 for a chunk of localities, closed and recorded in one statement
    after the lock (PostgreSQL; ``None`` elsewhere)."""
    if uow.connection.dialect.name != "postgresql":
        return None
    given: dict[str, Any] = {
        "command_id": command_id,
        "since": since,
        "until": until,
        "attendance_unit_id": attendance_unit_id,
        "current_unit_ids": current_unit_ids,
        "specification_ids": specification_ids,
        "reason_id": reason_id,
        "closed_at": closed_at,
        "order_remark": order_remark,
        "request_remark": request_remark,
        "actor": actor,
    }
    localities = sorted({i for i in locality_ids if i is not None})
    parts = [_close(uow, localities, **given)] if localities else []
    if None in locality_ids:
        parts.append(_close(uow, None, **given))
    requests = sorted((r for p in parts for r in p.requests), key=lambda r: r.id)
    orders = sorted((o for p in parts for o in p.orders), key=lambda o: o.id)
    return ClosedByCommand(
        requests=tuple(requests),
        orders=tuple(orders),
        charged=frozenset(i for p in parts for i in p.charged),
    )


def _close(
    uow: SqlUnitOfWork,
    localities: list[int] | None,
    *,
    command_id: int,
    since: datetime,
    until: datetime,
    attendance_unit_id: int | None,
    current_unit_ids: Collection[int] | None,
    specification_ids: Collection[int] | None,
    reason_id: int,
    closed_at: datetime,
    order_remark: str,
    request_remark: str,
    actor: int,
) -> ClosedByCommand:
    """The lock and the statement of ``localities`` (``None``: the requests
    without a locality)."""
    connection = uow.connection
    request = uow.tables["service_request"]
    pending = [
        request.c.situation == RequestSituation.PENDING.value,
        request.c.locality_id.is_(None)
        if localities is None
        else request.c.locality_id.in_(localities),
        request.c.attended_at >= since,
        request.c.attended_at < until,
    ]
    lock_where(connection, request, *pending)
    # the statement's shape: which filters the command has (their values,
    # like every value of the run, are parameters)
    key = (
        request,
        attendance_unit_id is None,
        current_unit_ids is None,
        specification_ids is None,
        localities is None,
    )
    with _LOCK:
        statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _statement(uow, _candidates(uow, *key[1:]))
        with _LOCK:
            _STATEMENTS[key] = statement
            while len(_STATEMENTS) > _KEEP:
                _STATEMENTS.pop(next(iter(_STATEMENTS)))
    for name in ("service_request", "service_order", _TRAIL, "closing_command"):
        uow.wrote(name)
    params: dict[str, Any] = {
        "c_since": since,
        "c_until": until,
        "c_attendance": attendance_unit_id,
        "c_units": None if current_unit_ids is None else sorted(current_unit_ids),
        "c_specs": None if specification_ids is None else sorted(specification_ids),
        "c_command": command_id,
        "c_reason": reason_id,
        "c_at": closed_at,
        "c_order_remark": order_remark,
        "c_request_remark": request_remark,
        "c_actor": actor,
    }
    if localities is not None:
        params[_LOCALITIES] = localities
    with translated("service_request"):
        rows = connection.execute(statement, params).all()
    return _closed(rows)


def _closed(rows: Sequence[Any]) -> ClosedByCommand:
    """The statement's answer: a row per request closed (kind 0) and per
    order closed (kind 1)."""
    requests: list[RequestRef] = []
    orders: list[OrderRef] = []
    charged: set[int] = set()
    for kind, ident, version, spec, prop, attended, charges in rows:
        if kind == 0:
            requests.append(
                RequestRef(
                    id=int(ident),
                    version=int(version),
                    specification_id=int(spec),
                    property_id=None if prop is None else int(prop),
                    attended_at=attended,
                )
            )
            if charges:
                charged.add(int(ident))
        else:
            orders.append(
                OrderRef(
                    id=int(ident),
                    version=int(version),
                    request_id=int(spec),
                    situation=int(OrderSituation.CLOSED),
                )
            )
    return ClosedByCommand(
        requests=tuple(sorted(requests, key=lambda r: r.id)),
        orders=tuple(sorted(orders, key=lambda o: o.id)),
        charged=frozenset(charged),
    )


def _array(name: str) -> Any:
    return sa.func.any(sa.bindparam(name, type_=postgresql.ARRAY(sa.BigInteger)))


def _candidates(
    uow: SqlUnitOfWork,
    any_attendance: bool,
    any_current: bool,
    any_specification: bool,
    no_locality: bool,
) -> Any:
    """CMD-06's selection as a CTE: the localities (or none), the period and
    the command's filters as parameters."""
    t = uow.tables
    request, order = t["service_request"], t["service_order"]
    scheduled = sa.exists(
        sa.select(sa.literal(1)).where(
            order.c.request_id == request.c.id,
            order.c.scheduled.is_(True),
            order.c.situation != OrderSituation.CLOSED.value,
        )
    )
    at = request.c.attended_at.type
    clauses = [
        request.c.situation == RequestSituation.PENDING.value,
        request.c.locality_id.is_(None)
        if no_locality
        else request.c.locality_id == _array(_LOCALITIES),
        request.c.attended_at >= sa.bindparam("c_since", type_=at),
        request.c.attended_at < sa.bindparam("c_until", type_=at),
        ~scheduled,
    ]
    if not any_attendance:
        clauses.append(
            request.c.opening_unit_id
            == sa.bindparam("c_attendance", type_=request.c.opening_unit_id.type)
        )
    if not any_current:
        clauses.append(request.c.current_unit_id == _array("c_units"))
    if not any_specification:
        clauses.append(request.c.specification_id == _array("c_specs"))
    return sa.select(request.c.id).where(*clauses).cte("candidates")


def _statement(uow: SqlUnitOfWork, candidates: Any) -> sa.Executable:
    t = uow.tables
    request, order, user = t["service_request"], t["service_order"], t["user"]
    actor = sa.bindparam("c_actor", type_=user.c.id.type)
    closed_at = sa.bindparam("c_at", type_=request.c.closed_at.type)
    reason_id = sa.bindparam("c_reason", type_=request.c.closing_reason_id.type)
    unit_of_actor = (
        sa.select(user.c.unit_id).where(user.c.id == actor).scalar_subquery()
    )
    closed_requests = _closed_requests(
        uow,
        candidates,
        actor=actor,
        closed_at=closed_at,
        reason_id=reason_id,
        unit_of_actor=unit_of_actor,
    )
    closed_orders = (
        sa.update(order)
        .where(
            order.c.request_id.in_(sa.select(candidates.c.id)),
            order.c.situation != OrderSituation.CLOSED.value,
        )
        .values(
            situation=OrderSituation.CLOSED.value,
            closed_at=closed_at,
            closing_reason_id=reason_id,
            closing_remark=sa.bindparam(
                "c_order_remark", type_=order.c.closing_remark.type
            ),
            version=order.c.version + 1,
        )
        .returning(order.c.id, order.c.version, order.c.request_id)
        .cte("orders")
    )
    counted = (
        sa.select(sa.func.count().label("c")).select_from(closed_orders).cte("counted")
    )
    trailed = _trail(uow, closed_orders, counted, unit_of_actor)
    counters = _counters(uow, closed_requests, counted)
    no_int = sa.cast(sa.null(), sa.BigInteger)
    return (
        sa.union_all(
            sa.select(
                sa.literal(0).label("kind"),
                closed_requests.c.id,
                closed_requests.c.version,
                closed_requests.c.specification_id,
                closed_requests.c.property_id,
                closed_requests.c.attended_at,
                closed_requests.c.charges,
            ),
            sa.select(
                sa.literal(1),
                closed_orders.c.id,
                closed_orders.c.version,
                closed_orders.c.request_id,
                no_int,
                sa.cast(sa.null(), request.c.attended_at.type),
                sa.false(),
            ),
        )
        .add_cte(trailed)
        .add_cte(counters)
    )


def _closed_requests(
    uow: SqlUnitOfWork,
    candidates: Any,
    *,
    actor: sa.BindParameter[Any],
    closed_at: sa.BindParameter[Any],
    reason_id: sa.BindParameter[Any],
    unit_of_actor: sa.ScalarSelect[Any],
) -> sa.CTE:
    """The candidates still pending, closed: their ids, versions and what
    their closing's charge needs (whether their specification charges)."""
    request, spec = uow.tables["service_request"], uow.tables["request_specification"]
    charges = (
        sa.select(sa.literal(1))
        .where(
            spec.c.id == request.c.specification_id,
            spec.c.debit_type_id.is_not(None),
            spec.c.debit_value.is_not(None),
        )
        .exists()
        .correlate(request)
    )
    return (
        sa.update(request)
        .where(
            request.c.id == candidates.c.id,
            request.c.situation == RequestSituation.PENDING.value,
        )
        .values(
            situation=RequestSituation.CLOSED.value,
            closed_at=closed_at,
            closing_reason_id=reason_id,
            closing_remark=sa.bindparam(
                "c_request_remark", type_=request.c.closing_remark.type
            ),
            closing_unit_id=unit_of_actor,
            closed_by=actor,
            version=request.c.version + 1,
        )
        .returning(
            request.c.id,
            request.c.version,
            request.c.specification_id,
            request.c.property_id,
            request.c.attended_at,
            charges.label("charges"),
        )
        .cte("requests")
    )


def _trail(
    uow: SqlUnitOfWork,
    closed_orders: sa.CTE,
    counted: sa.CTE,
    unit_of_actor: sa.ScalarSelect[Any],
) -> sa.CTE:
    """Each closed order's unit trail row (CLOSED, in the actor's unit),
    its ids a block taken in one upsert of the counter."""
    trail, block = uow.tables[_TRAIL], uow.tables["id_block"]
    upsert = postgresql.insert(block).from_select(
        ["name", "next_value"],
        sa.select(sa.literal(_TRAIL), counted.c.c + 1).where(counted.c.c > 0),
    )
    ids = (
        upsert.on_conflict_do_update(
            index_elements=["name"],
            set_={"next_value": block.c.next_value + upsert.excluded.next_value - 1},
        )
        .returning(block.c.next_value)
        .cte("ids")
    )
    numbered = sa.select(
        closed_orders.c.id,
        sa.func.row_number().over(order_by=closed_orders.c.id).label("n"),
    ).cte("numbered")
    return (
        sa.insert(trail)
        .from_select(
            ["id", "order_id", "unit_id", "user_id", "relation", "at", "version"],
            sa.select(
                ids.c.next_value - counted.c.c + numbered.c.n - 1,
                numbered.c.id,
                unit_of_actor,
                sa.bindparam("c_actor", type_=trail.c.user_id.type),
                sa.literal(int(OrderUnitRelation.CLOSED), trail.c.relation.type),
                sa.bindparam("c_at", type_=trail.c.at.type),
                sa.literal(1, trail.c.version.type),
            ).select_from(numbered.join(counted, sa.true()).join(ids, sa.true())),
        )
        .cte("trail")
    )


def _counters(uow: SqlUnitOfWork, closed_requests: sa.CTE, counted: sa.CTE) -> sa.CTE:
    """The command's counters of closed requests and orders, moved on."""
    command = uow.tables["closing_command"]
    return (
        sa.update(command)
        .where(command.c.id == sa.bindparam("c_command", type_=command.c.id.type))
        .values(
            closed_requests=command.c.closed_requests
            + sa.select(sa.func.count()).select_from(closed_requests).scalar_subquery(),
            closed_orders=command.c.closed_orders
            + sa.select(counted.c.c).scalar_subquery(),
            version=command.c.version + 1,
        )
        .cte("command")
    )
