"""The batch closing of service requests (UC0735 command, UC0736 execution;
CMD-01..CMD-07).

A command is issued first (its duplicate check, CMD-05); its execution runs
through :func:`~gsan_core.services.batches.run_batch`, one unit of work per
locality. Each locality is closed set-based: one query selects the candidates
(pending, attended in the period, without a scheduled open order, filtered), one
statement closes their open orders, one closes the requests, one updates the
command's counters. A re-run selects only what is still pending: the execution is
resumable and idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import attrs

from gsan_core.model.billing import Charge
from gsan_core.model.service_orders import (
    OrderAction,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrderClosed,
    ServiceType,
)
from gsan_core.model.service_requests import (
    ClosedByCommand,
    ClosingCommand,
    ClosingCommandIssued,
    RequestAction,
    RequestRef,
    RequestSituation,
    RequestSpecification,
    ServiceRequestClosed,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import ChunkOutcome
from gsan_core.services.charges import build_charge, charge_created
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.closing import CLOSED_BY_COMMAND_REMARK
from gsan_core.services.service_requests.common import day_bounds

__all__ = [
    "ClosingScope",
    "close_chunk_in",
    "close_locality_in",
    "closing_scope",
    "descendants",
    "finished",
    "issue_command_in",
    "started",
]


def descendants(unit_id: int, units: Mapping[int, OrganizationalUnit]) -> set[int]:
    """The unit and every unit below it, at any depth (a cycle stops the walk)."""
    children: dict[int, list[int]] = {}
    for unit in units.values():
        if unit.superior_id is not None:
            children.setdefault(unit.superior_id, []).append(unit.id)
    found = {unit_id}
    pending = [unit_id]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def issue_command_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    period_start: date,
    period_end: date,
    reason_id: int,
    responsible_id: int,
    actor: int,
    at: datetime,
    attendance_unit_id: int | None = None,
    current_unit_id: int | None = None,
    superior_unit_id: int | None = None,
    specification_ids: Iterable[int] = (),
) -> ClosingCommand:
    """UC0735 (CMD-01..CMD-05): register a batch closing command."""
    command = ClosingCommand(
        id=uow.next_id("closing_command"),
        period_start=period_start,
        period_end=period_end,
        reason_id=reason_id,
        responsible_id=responsible_id,
        attendance_unit_id=attendance_unit_id,
        current_unit_id=current_unit_id,
        superior_unit_id=superior_unit_id,
        specification_ids=specification_ids,
        issued_at=at,
        issued_by=actor,
    )
    units = {u.id: u for u in uow.units.find_by()}
    ensure(
        rules.check_closing_command(
            command,
            reason=uow.catalog.find("closing_reason", reason_id),
            specifications=uow.request_specifications.get_many(
                command.specification_ids
            ),
            units=units,
            responsible=uow.users.find(responsible_id),
            presidency_unit_id=ctx.profile.service_requests.presidency_unit_id,
            others=uow.closing_commands.find_by(finished_at=None),
        )
    )
    uow.closing_commands.add(command)
    uow.record(ClosingCommandIssued(occurred_at=at, actor=actor, command_id=command.id))
    return command


def started(command: ClosingCommand, at: datetime) -> ClosingCommand:
    """The command with its execution started."""
    return attrs.evolve(command, started_at=at, version=command.version + 1)


def finished(command: ClosingCommand, at: datetime) -> ClosingCommand:
    """The command with its execution finished."""
    return attrs.evolve(command, finished_at=at, version=command.version + 1)


@attrs.frozen(kw_only=True)
class ClosingScope:
    """What a command selects, resolved once per execution."""

    since: datetime
    until: datetime
    #: The current units to close (``None``: any).
    current_unit_ids: frozenset[int] | None
    #: The command's filters and reason (fixed once it is issued).
    reason_id: int = 0
    attendance_unit_id: int | None = None
    specification_ids: frozenset[int] = frozenset()


def closing_scope(
    uow: UnitOfWork, ctx: ServiceContext, command: ClosingCommand
) -> ClosingScope:
    """CMD-06: the period as instants of the utility's zone and the units: the
    current unit, or the superior unit and every unit below it."""
    since, until = day_bounds(command.period_start, command.period_end, ctx.zone)
    current: frozenset[int] | None = None
    if command.current_unit_id is not None:
        current = frozenset({command.current_unit_id})
    elif command.superior_unit_id is not None:
        units = {u.id: u for u in uow.units.find_by()}
        current = frozenset(descendants(command.superior_unit_id, units))
    return ClosingScope(
        since=since,
        until=until,
        current_unit_ids=current,
        reason_id=command.reason_id,
        attendance_unit_id=command.attendance_unit_id,
        specification_ids=command.specification_ids,
    )


def _charges(
    uow: UnitOfWork,
    ctx: ServiceContext,
    closed: Sequence[RequestRef],
    specs: Mapping[int, RequestSpecification],
    *,
    actor: int,
    at: datetime,
) -> None:
    """CMD-07: the specification's charge (1 installment, 100 %) when it has a
    debit type and a value (``build_charge`` decides whether it is due).

    Set-based: the charged requests' properties are read in one query, DEB-02's
    payment slips in one, and the charges written by one ``add_charges``
    (one ``INSERT``), whatever the number of requests."""
    charged = [
        request
        for request in closed
        if request.property_id is not None
        and specs[request.specification_id].debit_type_id is not None
        and specs[request.specification_id].debit_value is not None
    ]
    if not charged:
        return
    props = uow.properties.get_many({r.property_id or 0 for r in charged})
    days = {r.id: r.attended_at.astimezone(ctx.zone).date() for r in charged}
    issued = uow.billing.payment_slips_issued(
        {
            (
                r.property_id or 0,
                specs[r.specification_id].debit_type_id or 0,
                days[r.id],
            )
            for r in charged
        }
    )
    charges: list[Charge] = []
    for request in charged:
        spec = specs[request.specification_id]
        assert spec.debit_value is not None
        assert spec.debit_type_id is not None
        assert request.property_id is not None
        prop = props.get(request.property_id) or uow.properties.get(request.property_id)
        charge = build_charge(
            uow,
            profile=ctx.profile,
            service_type=ServiceType(
                id=spec.service_type_id or 0,
                description=spec.description,
                abbreviation=spec.description[:20],
                debit_type_id=spec.debit_type_id,
                charge_interest=spec.charge_interest,
            ),
            prop=prop,
            value=spec.debit_value,
            request=ChargeRequest(),
            order=None,
            request_id=request.id,
            generated_on=days[request.id],
            at=at,
            actor=actor,
            slip_issued=(prop.id, spec.debit_type_id, days[request.id]) in issued,
        )
        if charge is not None:
            charges.append(charge)
    if charges:
        uow.billing.add_charges(charges)
        uow.record(*(charge_created(c, at=at) for c in charges))


def close_locality_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    command_id: int,
    locality_id: int | None,
    scope: ClosingScope,
    actor: int,
    now: datetime,
    commit: bool = True,
) -> ChunkOutcome:
    """UC0736 for one locality (CMD-06, CMD-07): :func:`close_chunk_in` of a
    chunk of one locality."""
    return close_chunk_in(
        uow,
        ctx,
        command_id=command_id,
        locality_ids=(locality_id,),
        scope=scope,
        actor=actor,
        now=now,
        commit=commit,
    )


def close_chunk_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    command_id: int,
    locality_ids: Sequence[int | None],
    scope: ClosingScope,
    actor: int,
    now: datetime,
    commit: bool = True,
) -> ChunkOutcome:
    """UC0736 for a chunk of localities (CMD-06, CMD-07), set-based; commits
    (unless ``commit`` is false).

    A store that writes set-based (PostgreSQL) selects, closes, records the
    trail and counts in one statement for the whole chunk
    (``close_by_command``); elsewhere, locality by locality, one query selects
    the candidates, one their open orders, the orders and the requests are
    closed by a compare-and-set ``UPDATE`` per read version, and the orders'
    unit records and the command's counters follow. Then the charges (CMD-07)
    of the whole chunk and its events.
    """
    remark = CLOSED_BY_COMMAND_REMARK.format(id=command_id)
    assert rules.transition(RequestSituation.PENDING, RequestAction.CLOSE) is (
        RequestSituation.CLOSED
    )
    done = uow.service_requests.close_by_command(
        command_id=command_id,
        locality_ids=locality_ids,
        since=scope.since,
        until=scope.until,
        attendance_unit_id=scope.attendance_unit_id,
        current_unit_ids=scope.current_unit_ids,
        specification_ids=scope.specification_ids or None,
        reason_id=scope.reason_id,
        closed_at=now,
        order_remark=remark,
        request_remark=remark.upper(),
        actor=actor,
    )
    if done is None:
        parts = [
            _close_by_rules(
                uow,
                command_id=command_id,
                locality_id=locality_id,
                scope=scope,
                remark=remark,
                actor=actor,
                now=now,
            )
            for locality_id in locality_ids
        ]
        done = ClosedByCommand(
            requests=tuple(r for p in parts for r in p.requests),
            orders=tuple(o for p in parts for o in p.orders),
            charged=frozenset(i for p in parts for i in p.charged),
        )
    if not done.requests:
        return ChunkOutcome()
    charged = [r for r in done.requests if r.id in done.charged]
    if charged:
        specs = uow.request_specifications.get_many(
            {r.specification_id for r in charged}
        )
        _charges(uow, ctx, charged, specs, actor=actor, at=now)
    _record_closed(uow, done, scope, command_id=command_id, actor=actor, now=now)
    if commit:
        uow.commit()
    count = len(done.requests)
    return ChunkOutcome(processed=count, changed=count)


def _record_closed(
    uow: UnitOfWork,
    done: ClosedByCommand,
    scope: ClosingScope,
    *,
    command_id: int,
    actor: int,
    now: datetime,
) -> None:
    """The events of a chunk closed by the command: its orders', then its
    requests'."""
    uow.record(
        *(
            ServiceOrderClosed(
                occurred_at=now,
                actor=actor,
                order_id=order.id,
                closing_reason_id=scope.reason_id,
                executed=False,
                closed_at=now,
                request_id=order.request_id,
            )
            for order in done.orders
        ),
        *(
            ServiceRequestClosed(
                occurred_at=now,
                actor=actor,
                request_id=request.id,
                closing_reason_id=scope.reason_id,
                executed=False,
                closed_at=now,
                command_id=command_id,
            )
            for request in done.requests
        ),
    )


def _close_by_rules(
    uow: UnitOfWork,
    *,
    command_id: int,
    locality_id: int | None,
    scope: ClosingScope,
    remark: str,
    actor: int,
    now: datetime,
) -> ClosedByCommand:
    """The locality closed through the repositories, step by step (a store
    that does not write set-based in one statement)."""
    command = uow.closing_commands.get(command_id)
    candidates = uow.service_requests.closing_candidates(
        locality_id=locality_id,
        since=scope.since,
        until=scope.until,
        attendance_unit_id=command.attendance_unit_id,
        current_unit_ids=scope.current_unit_ids,
        specification_ids=command.specification_ids or None,
    )
    if not candidates:
        return ClosedByCommand()
    user = uow.users.find(actor)
    unit_id = None if user is None else user.unit_id
    orders = uow.service_requests.open_orders_of([r.id for r in candidates])
    for order in orders:
        after = order_rules.transition(
            OrderSituation(order.situation), OrderAction.CLOSE_BY_REQUEST
        )
        assert after is OrderSituation.CLOSED
    uow.service_requests.close_orders(
        orders, closed_at=now, reason_id=command.reason_id, remark=remark
    )
    if orders:
        record_ids = uow.next_ids("order_unit", len(orders))
        uow.order_units.add_many(
            OrderUnitRecord(
                id=ident,
                order_id=order.id,
                unit_id=unit_id,
                user_id=actor,
                relation=OrderUnitRelation.CLOSED,
                at=now,
            )
            for ident, order in zip(record_ids, orders, strict=True)
        )
    uow.service_requests.close_requests(
        candidates,
        closed_at=now,
        reason_id=command.reason_id,
        remark=remark.upper(),
        unit_id=unit_id,
        actor=actor,
    )
    uow.closing_commands.update(
        attrs.evolve(
            command,
            closed_requests=command.closed_requests + len(candidates),
            closed_orders=command.closed_orders + len(orders),
            version=command.version + 1,
        )
    )
    specs = uow.request_specifications.get_many(
        {r.specification_id for r in candidates}
    )
    return ClosedByCommand(
        requests=tuple(candidates),
        orders=tuple(orders),
        charged=frozenset(
            r.id
            for r in candidates
            if specs[r.specification_id].debit_type_id is not None
            and specs[r.specification_id].debit_value is not None
        ),
    )
