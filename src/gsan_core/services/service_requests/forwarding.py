"""Forwarding an RA to another unit inside a caller's unit of work
(:func:`forward_in`), and several together with their reads and writes made
once for all of them (:func:`read_for_forwarding`, :class:`JointMove`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

import attrs

from gsan_core.errors import Message, NotFound
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    LocalityGroupUnit,
    RoutingStep,
    ServiceRequest,
    ServiceRequestForwarded,
    UrgentRequestAlert,
)
from gsan_core.ports.unit_of_work import JointReading, UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext, holds_permission
from gsan_core.services.service_requests.common import (
    _specification,
    move_request,
    moved_orders,
    routing_step,
)
from gsan_core.services.service_requests.results import ForwardResult
from gsan_core.services.units import load_units

#: The user named responsible for a routing step must be registered and active.
RESPONSIBLE_UNKNOWN = Message(
    "service_request.forward.responsible_unknown",
    en="The responsible user {responsible_id} does not exist or is inactive.",
    pt="Usuário responsável {responsible_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
)


# ---------------------------------------------------------------- joint reads
_Row = TypeVar("_Row")


@attrs.frozen(kw_only=True)
class ForwardReads:
    """What forwarding several requests together reads (UC0503), read once
    for all of them: the requests (locked), their orders, their routing steps
    and their localities' units by group."""

    requests: Mapping[int, ServiceRequest]
    orders: Mapping[int, tuple[ServiceOrder, ...]]
    steps: Mapping[int, tuple[RoutingStep, ...]]
    group_units: Mapping[int, tuple[LocalityGroupUnit, ...]]


def read_for_forwarding(uow: UnitOfWork, request_ids: Iterable[int]) -> ForwardReads:
    """Lock the requests (in id order, so that two joint forwardings cannot
    deadlock; ADR 0004: a request is the root of its orders and steps), then
    read their orders, steps and localities' units: in one statement where
    the unit of work reads them together (``JointReading``), else one
    statement each."""
    requests = uow.service_requests.lock_many(request_ids)
    ids = sorted(requests)
    if ids and isinstance(uow, JointReading):  # the three in one statement
        orders, steps, units = uow.read_under_requests(ids)
        return ForwardReads(
            requests=requests,
            orders=_by(orders, "request_id"),
            steps=_by(steps, "request_id"),
            group_units=_by(units, "locality_id"),
        )
    localities = sorted({r.locality_id for r in requests.values() if r.locality_id})
    return ForwardReads(
        requests=requests,
        orders=_by(
            uow.service_orders.find_by(request_id=ids) if ids else (), "request_id"
        ),
        steps=_by(
            uow.routing_steps.find_by(request_id=ids) if ids else (), "request_id"
        ),
        group_units=_by(
            uow.locality_group_units.find_by(locality_id=localities)
            if localities
            else (),
            "locality_id",
        ),
    )


def _by(rows: Iterable[_Row], field: str) -> dict[int, tuple[_Row, ...]]:
    found: dict[int, list[_Row]] = {}
    for row in rows:
        found.setdefault(getattr(row, field), []).append(row)
    return {k: tuple(v) for k, v in found.items()}


@attrs.define
class JointMove:
    """The writes of forwarding several requests, made together at the end
    (one multi-row write per table) instead of request by request."""

    steps: list[RoutingStep] = attrs.Factory(list)
    requests: list[ServiceRequest] = attrs.Factory(list)
    orders: list[ServiceOrder] = attrs.Factory(list)

    def move(
        self,
        uow: UnitOfWork,
        request: ServiceRequest,
        orders: Sequence[ServiceOrder],
        *,
        to_unit_id: int,
        at: datetime,
        actor: int,
        responsible_id: int | None,
        remark: str | None,
    ) -> tuple[ServiceRequest, RoutingStep, int]:
        """What :func:`move_request` writes, kept for :meth:`write`."""
        step = routing_step(
            uow,
            request,
            to_unit_id=to_unit_id,
            at=at,
            actor=actor,
            responsible_id=responsible_id,
            remark=remark,
        )
        moved = attrs.evolve(
            request, current_unit_id=to_unit_id, version=request.version + 1
        )
        changed = moved_orders(orders, to_unit_id)
        self.steps.append(step)
        self.requests.append(moved)
        self.orders += changed
        return moved, step, len(changed)

    def write(self, uow: UnitOfWork) -> None:
        uow.routing_steps.add_many(self.steps)
        uow.service_requests.update_many(self.requests)
        if self.orders:
            uow.service_orders.update_many(self.orders)


# ---------------------------------------------------------------- forwarding
def forward_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    destination_unit_id: int,
    actor: int,
    now: datetime,
    at: datetime | None = None,
    responsible_id: int | None = None,
    remark: str | None = None,
    expected_version: int | None = None,
    joint: bool = False,
    known: ForwardReads | None = None,
    batch: JointMove | None = None,
) -> ForwardResult:
    """Forward a request (TRM-01..TRM-15, first failure only) and move it and all
    its orders to the destination. The request is locked before it and its
    orders are read (``docs/concurrency.md``). A joint forwarding gives what
    it read for all its requests (``known``, read after their locks) and
    keeps the writes in ``batch``, to write them together."""
    reads = _request_reads(uow, request_id, known)
    when = now if at is None else at
    facts = _forward_facts(
        uow,
        ctx,
        reads,
        destination_unit_id=destination_unit_id,
        actor=actor,
        at=when,
        now=now,
        expected_version=expected_version,
        joint=joint,
    )
    ensure(rules.check_forward(facts))
    _check_responsible_and_remark(uow, responsible_id, remark)
    moved, step, count = _move(
        uow,
        reads,
        batch,
        to_unit_id=destination_unit_id,
        at=when,
        actor=actor,
        responsible_id=responsible_id,
        remark=remark,
    )
    uow.record(*_forward_events(facts, step, actor=actor, now=now))
    return ForwardResult(request=moved, step=step, orders_moved=count)


def _move(
    uow: UnitOfWork,
    reads: _RequestReads,
    batch: JointMove | None,
    *,
    to_unit_id: int,
    at: datetime,
    actor: int,
    responsible_id: int | None,
    remark: str | None,
) -> tuple[ServiceRequest, RoutingStep, int]:
    """Move the request and its orders now, or keep the writes in a joint
    forwarding's ``batch``."""
    if batch is None:
        return move_request(
            uow,
            reads.request,
            to_unit_id=to_unit_id,
            at=at,
            actor=actor,
            responsible_id=responsible_id,
            remark=remark,
        )
    return batch.move(
        uow,
        reads.request,
        reads.orders,
        to_unit_id=to_unit_id,
        at=at,
        actor=actor,
        responsible_id=responsible_id,
        remark=remark,
    )


def _forward_events(
    facts: rules.ForwardFacts, step: RoutingStep, *, actor: int, now: datetime
) -> list[ServiceRequestForwarded | UrgentRequestAlert]:
    """The forwarding's event, and the alert of an urgent request."""
    codes = facts.unit_type_codes
    destination = facts.units[facts.destination_id]
    origin = facts.origin
    events: list[ServiceRequestForwarded | UrgentRequestAlert] = [
        ServiceRequestForwarded(
            occurred_at=now,
            actor=actor,
            request_id=facts.request.id,
            step_id=step.id,
            from_unit_id=step.from_unit_id,
            to_unit_id=facts.destination_id,
            to_contractor=codes.get(destination.unit_type_id) == "T"
            and origin is not None
            and codes.get(origin.unit_type_id) == "C",
        )
    ]
    if facts.request.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=now,
                actor=actor,
                request_id=facts.request.id,
                unit_id=facts.destination_id,
            )
        )
    return events


@attrs.frozen
class _RequestReads:
    """One request's part of what a forwarding reads."""

    request: ServiceRequest
    orders: tuple[ServiceOrder, ...]
    steps: Sequence[RoutingStep]
    group_rows: Sequence[LocalityGroupUnit]


def _request_reads(
    uow: UnitOfWork, request_id: int, known: ForwardReads | None
) -> _RequestReads:
    """The request (locked before its orders are read), its orders, routing
    steps and its locality's units by group: read here, or taken from what a
    joint forwarding read for all its requests (``known``)."""
    if known is None:
        request = uow.service_requests.lock(request_id)
        return _RequestReads(
            request=request,
            orders=tuple(uow.service_orders.find_by(request_id=request_id)),
            steps=uow.routing_steps.find_by(request_id=request_id),
            group_rows=(
                ()
                if request.locality_id is None
                else uow.locality_group_units.find_by(locality_id=request.locality_id)
            ),
        )
    if request_id not in known.requests:
        raise NotFound("service_request", request_id)
    request = known.requests[request_id]
    return _RequestReads(
        request=request,
        orders=tuple(known.orders.get(request_id, ())),
        steps=known.steps.get(request_id, ()),
        group_rows=known.group_units.get(request.locality_id or 0, ()),
    )


def _forward_facts(
    uow: UnitOfWork,
    ctx: ServiceContext,
    reads: _RequestReads,
    *,
    destination_unit_id: int,
    actor: int,
    at: datetime,
    now: datetime,
    expected_version: int | None,
    joint: bool,
) -> rules.ForwardFacts:
    """What TRM-01..TRM-15 read: the units involved (origin, destination,
    the user's, the locality's by group), their types' codes, the orders'
    service types, the request's type and group, the last routing step."""
    request, orders, steps = reads.request, reads.orders, reads.steps
    user = uow.users.find(actor)
    _, request_type, group = _specification(uow, request.specification_id)
    by_group: dict[int, list[int]] = {}
    for row in reads.group_rows:
        by_group.setdefault(row.group_id, []).append(row.unit_id)
    units = load_units(
        uow,
        [
            request.current_unit_id,
            destination_unit_id,
            None if user is None else user.unit_id,
            *(u for ids in by_group.values() for u in ids),
        ],
    )
    last = max(steps, key=lambda s: (s.at, s.id)) if steps else None
    type_ids = {o.service_type_id for o in orders}
    # the rules read the codes of the origin's and the destination's types
    codes = {
        item.id: item.text("code") or ""
        for type_id in sorted({u.unit_type_id for u in units.values()})
        if (item := uow.catalog.find("unit_type", type_id)) is not None
    }
    return rules.ForwardFacts(
        request=request,
        destination_id=destination_unit_id,
        destination=units.get(destination_unit_id),
        origin=units.get(request.current_unit_id),
        unit_type_codes=codes,
        units=units,
        user=user,
        orders=orders,
        service_types=uow.service_types.get_many(type_ids) if type_ids else {},
        request_type=request_type,
        group_id=None if group is None else group.id,
        locality_group_units={k: tuple(v) for k, v in by_group.items()},
        last_step=last,
        at=at,
        now=now,
        zone=ctx.zone,
        params=ctx.profile.service_requests,
        may_forward_anywhere=holds_permission(
            ctx.profile, uow, actor, "forward_request_to_any_unit"
        ),
        expected_version=expected_version,
        joint=joint,
    )


def _check_responsible_and_remark(
    uow: UnitOfWork, responsible_id: int | None, remark: str | None
) -> None:
    """The responsible user named must be registered and active; the remark
    must fit the routing step's column."""
    if responsible_id is not None:
        responsible = uow.users.find(responsible_id)
        if responsible is None or not responsible.active:
            ensure([RESPONSIBLE_UNKNOWN(responsible_id=responsible_id)])
    ensure(
        rules.check_text(
            remark,
            field="Remark",
            campo="Parecer",
            max_length=rules.ROUTING_REMARK_MAX,
        )
    )
