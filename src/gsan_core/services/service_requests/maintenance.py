"""Manter Registro de Atendimento (UC0408) inside a caller's unit of work
(:func:`update_request_in`): the specification, the attendance unit, the
requesters, the observation, the deadline and the place of an open request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

import attrs

from gsan_core.errors import Violation
from gsan_core.model.service_orders import OrderOrigin, ServiceOrder
from gsan_core.model.service_requests import (
    OpenRequest,
    RequestAction,
    RequestChange,
    RequestSituation,
    RequestSpecification,
    ServiceRequest,
    ServiceRequestLocationChanged,
    ServiceRequestUpdated,
    location_fields,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_orders import generate_in
from gsan_core.services.service_requests.common import _local_date, _specification
from gsan_core.services.service_requests.opening import (
    _due_date,
    _opening_facts,
    _order_observation,
)
from gsan_core.services.service_requests.place import _Place, _place
from gsan_core.services.units import load_units, may_maintain

#: The opening rules a new place or specification must pass again (UPD-06).
_PLACE_RULES: Final = frozenset(
    {"INS-07", "INS-08", "INS-09", "INS-10", "INS-11", "INS-12"}
)
#: ... a new specification also (INS-01 its existence, INS-06 the observation).
_SPECIFICATION_RULES: Final = frozenset({"INS-01", "INS-06"})
#: ... new requesters (or a specification that asks other things of them).
_REQUESTER_RULES: Final = frozenset({"INS-18", "INS-19", "SAT-01"})


def _changed_fields(request: ServiceRequest, change: RequestChange) -> list[str]:
    fields: list[str] = []
    if (
        change.specification_id is not None
        and change.specification_id != request.specification_id
    ):
        fields.append("specification")
    if change.unit_id is not None and change.unit_id != request.opening_unit_id:
        fields.append("unit")
    if change.requesters is not None and change.requesters != request.requesters:
        fields.append("requesters")
    if change.location is not None:
        # the place is re-evaluated on each save (UPD-07)
        fields.append("location")
    if change.observation is not None and change.observation != request.observation:
        fields.append("observation")
    if change.due_date is not None and (
        change.due_date != request.current_due_date
        or change.due_date != request.original_due_date
    ):
        fields.append("due_date")
    return fields


def _relevant(found: tuple[Violation, ...], fields: list[str]) -> list[Violation]:
    """The opening violations that concern what changes."""
    keep: set[str] = set(_PLACE_RULES)
    if "specification" in fields:
        keep |= _SPECIFICATION_RULES | _REQUESTER_RULES
    if "requesters" in fields:
        keep |= _REQUESTER_RULES
    if "observation" in fields:
        keep.add("INS-06")
    if "unit" in fields:
        keep.add("INS-04")
    return [
        v
        for v in found
        if v.rule in keep and v.code != "service_request.open.unknown_channel"
    ]


@attrs.frozen(kw_only=True)
class _Plan:
    fields: tuple[str, ...]
    command: OpenRequest
    spec: RequestSpecification
    place: _Place


def _plan(
    uow: UnitOfWork,
    ctx: ServiceContext,
    request: ServiceRequest,
    change: RequestChange,
    *,
    actor: int,
    now: datetime,
) -> _Plan:
    """The command the form amounts to, checked against the opening rules it
    concerns (UPD-06) and the deadline rule (UPD-09)."""
    fields = _changed_fields(request, change)
    if not fields:
        ensure([rules.UPDATE_NOTHING(request_id=request.id)])
    spec_id = change.specification_id or request.specification_id
    spec, request_type, group = _specification(uow, spec_id)
    location = change.location if change.location is not None else request.location
    place = _place(
        uow,
        location,
        sewer=group is not None and group.flag("sewer"),
        full=True,
        need_municipality=ctx.profile.service_requests.holiday_scope == "municipal",
        lock=True,
    )
    command = OpenRequest(
        specification_id=spec_id,
        unit_id=change.unit_id or request.opening_unit_id,
        channel_id=request.channel_id,
        attended_at=request.attended_at,
        location=place.location,
        requesters=(
            change.requesters if change.requesters is not None else request.requesters
        ),
        observation=(
            change.observation
            if change.observation is not None
            else request.observation
        ),
    )
    others = (
        ()
        if place.prop is None
        else [
            r
            for r in uow.service_requests.find_by(property_id=place.prop.id)
            if r.id != request.id
        ]
    )
    units = load_units(
        uow,
        [command.unit_id, *(r.unit_id for r in command.requesters)],
        ancestors=False,
    )
    facts = _opening_facts(
        uow,
        ctx,
        command,
        actor=actor,
        at=now,
        spec=spec,
        request_type=request_type,
        group=group,
        place=place,
        reactivation=False,
        units=units,
        property_requests=others,
    )
    found = _relevant(rules.check_open(command, facts), fields)
    if change.due_date is not None:
        found += rules.check_due_date_change(
            due_date=change.due_date,
            attended_on=_local_date(request.attended_at, ctx.zone),
        )
    ensure(found)
    assert spec is not None
    return _Plan(fields=tuple(fields), command=command, spec=spec, place=place)


def update_request_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    change: RequestChange,
    actor: int,
    now: datetime,
    expected_version: int | None = None,
) -> ServiceRequest:
    """Change an open request as "Manter RA" does (UPD-01..UPD-09).

    A closed request, a duplicate, one with a scheduled order or one in a unit
    the user may not maintain is refused (UPD-01..UPD-05). The new values pass
    the opening rules they concern, the request itself not counting as its own
    duplicate (UPD-06); the situation follows the place (UPD-07); a new
    specification with a service type generates its order, a new property takes
    the open orders with it (UPD-08); the deadline typed overwrites both
    deadlines, else a new specification recomputes them from the attendance
    date, and a new attendance unit replaces the opening one while the current
    unit stays, with no routing step (UPD-09). The request is locked before its
    orders are read, and its property before the property's requests are."""
    request = uow.service_requests.lock(request_id)
    orders = uow.service_orders.find_by(request_id=request_id)
    ensure(
        rules.check_location_change(
            request,
            expected_version=expected_version,
            authorised=may_maintain(
                uow, ctx.profile, actor=actor, unit_id=request.current_unit_id
            ),
            orders=orders,
        )
    )
    plan = _plan(uow, ctx, request, change, actor=actor, now=now)
    changed = _changed(ctx, request, change, plan)
    uow.service_requests.update(changed)
    _follow_orders(uow, request, changed, orders)
    _record(uow, changed, plan.fields, actor=actor, now=now)
    if "specification" in plan.fields and plan.spec.service_type_id is not None:
        generate_in(
            uow,
            ctx,
            service_type_id=plan.spec.service_type_id,
            actor=actor,
            at=now,
            origin=OrderOrigin.REQUEST,
            property_id=changed.property_id,
            request=RequestFacts(
                id=changed.id,
                allows_orders=True,
                pending=True,
                user_authorised=True,
                current_unit_id=changed.current_unit_id,
                property_id=changed.property_id,
            ),
            observation=_order_observation(changed.observation),
        )
    return changed


def _changed(
    ctx: ServiceContext,
    request: ServiceRequest,
    change: RequestChange,
    plan: _Plan,
) -> ServiceRequest:
    """The request as the change leaves it: the situation follows the place
    (UPD-07); the deadline typed overwrites both deadlines, else a new
    specification recomputes them from the attendance date (UPD-09)."""
    spec, command, place = plan.spec, plan.command, plan.place
    due = change.due_date
    if due is None and "specification" in plan.fields:
        due = _due_date(ctx, spec, request.attended_at, place.municipality_id)
    situation = rules.situation_on_open(place.location)
    action = (
        RequestAction.INFORM_ADDRESS
        if situation is RequestSituation.PENDING
        else RequestAction.REMOVE_ADDRESS
    )
    assert rules.transition(request.situation, action) is situation
    return attrs.evolve(
        request,
        specification_id=spec.id,
        situation=situation,
        opening_unit_id=command.unit_id,
        requesters=command.requesters,
        observation=command.observation,
        original_due_date=request.original_due_date if due is None else due,
        current_due_date=request.current_due_date if due is None else due,
        urgent=spec.urgent,
        version=request.version + 1,
        **location_fields(place.location),
    )


def _record(
    uow: UnitOfWork,
    changed: ServiceRequest,
    fields: tuple[str, ...],
    *,
    actor: int,
    now: datetime,
) -> None:
    events: list[object] = [
        ServiceRequestUpdated(
            occurred_at=now,
            actor=actor,
            request_id=changed.id,
            fields=fields,
            specification_id=changed.specification_id,
            situation=changed.situation,
        )
    ]
    if "location" in fields:
        events.append(
            ServiceRequestLocationChanged(
                occurred_at=now,
                actor=actor,
                request_id=changed.id,
                situation=changed.situation,
            )
        )
    uow.record(*events)  # type: ignore[arg-type]


def _follow_orders(
    uow: UnitOfWork,
    before: ServiceRequest,
    after: ServiceRequest,
    orders: Sequence[ServiceOrder],
) -> None:
    """UPD-08: a new property takes the request's open orders with it."""
    if after.property_id == before.property_id:
        return
    moved = [
        attrs.evolve(o, property_id=after.property_id, version=o.version + 1)
        for o in orders
        if o.is_open
    ]
    if moved:
        uow.service_orders.update_many(moved)
