"""Updating an open RA inside a caller's unit of work: reiterating it (REI,
:func:`reiterate_in`) and changing the place of its occurrence (UPD,
:func:`update_location_in`)."""

from __future__ import annotations

from datetime import datetime

import attrs

from gsan_core.model.service_requests import (
    OpenRequest,
    Reiteration,
    RequestAction,
    RequestLocation,
    RequestSituation,
    ServiceRequest,
    ServiceRequestLocationChanged,
    ServiceRequestReiterated,
    UrgentRequestAlert,
    location_fields,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.common import (
    _local_date,
    _specification,
)
from gsan_core.services.service_requests.opening import _opening_facts
from gsan_core.services.service_requests.place import _place
from gsan_core.services.units import may_maintain


# ---------------------------------------------------------------- reiteration
def reiterate_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    actor: int,
    now: datetime,
    requester_name: str | None = None,
    phone: str | None = None,
    remark: str | None = None,
    expected_version: int | None = None,
) -> tuple[ServiceRequest, Reiteration]:
    """Record that the customer repeated the complaint (REI-01..REI-04)."""
    request = uow.service_requests.get(request_id)
    ensure(
        rules.check_reiterate(
            request,
            today=_local_date(now, ctx.zone),
            authorised=may_maintain(
                uow, ctx.profile, actor=actor, unit_id=request.current_unit_id
            ),
            expected_version=expected_version,
        )
    )
    reiteration = Reiteration(
        id=uow.next_id("reiteration"),
        request_id=request_id,
        at=now,
        actor=actor,
        requester_name=requester_name,
        phone=phone,
        remark=remark,
    )
    uow.reiterations.add(reiteration)
    changed = attrs.evolve(
        request,
        reiterations=request.reiterations + 1,
        last_reiterated_at=now,
        version=request.version + 1,
    )
    uow.service_requests.update(changed)
    events: list[object] = [
        ServiceRequestReiterated(
            occurred_at=now,
            actor=actor,
            request_id=request_id,
            reiterations=changed.reiterations,
        )
    ]
    if request.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=now,
                actor=actor,
                request_id=request_id,
                unit_id=request.current_unit_id,
            )
        )
    uow.record(*events)  # type: ignore[arg-type]
    return changed, reiteration


# ---------------------------------------------------------------- the place
def update_location_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    location: RequestLocation,
    actor: int,
    now: datetime,
    expected_version: int | None = None,
) -> ServiceRequest:
    """Change the place of a request (UPD-01..UPD-07): informing a structured
    address unblocks it, leaving only a description blocks it; a new property
    takes the request's orders with it (UPD-08) and re-runs the duplicate,
    situation and debt checks (UPD-06). The request is locked before its orders
    are read, and the new property before its requests are."""
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
    spec, request_type, group = _specification(uow, request.specification_id)
    sewer = group is not None and group.flag("sewer")
    place = _place(uow, location, sewer=sewer, full=True, lock=True)
    command = OpenRequest(
        specification_id=request.specification_id,
        unit_id=request.opening_unit_id,
        channel_id=request.channel_id,
        location=place.location,
        requesters=request.requesters,
        observation=request.observation,
    )
    others = (
        ()
        if place.prop is None
        else [
            r
            for r in uow.service_requests.find_by(property_id=place.prop.id)
            if r.id != request_id
        ]
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
        units={},
        property_requests=others,
    )
    found = [
        v
        for v in rules.check_open(command, facts)
        if v.rule in {"INS-07", "INS-08", "INS-09", "INS-10", "INS-11", "INS-12"}
    ]
    ensure(found)
    situation = rules.situation_on_open(place.location)
    action = (
        RequestAction.INFORM_ADDRESS
        if situation is RequestSituation.PENDING
        else RequestAction.REMOVE_ADDRESS
    )
    after = rules.transition(request.situation, action)
    assert after is situation
    changed = attrs.evolve(
        request,
        situation=situation,
        version=request.version + 1,
        **location_fields(place.location),
    )
    uow.service_requests.update(changed)
    if changed.property_id != request.property_id:
        moved = [
            attrs.evolve(o, property_id=changed.property_id, version=o.version + 1)
            for o in orders
            if o.is_open
        ]
        if moved:
            uow.service_orders.update_many(moved)
    uow.record(
        ServiceRequestLocationChanged(
            occurred_at=now, actor=actor, request_id=request_id, situation=situation
        )
    )
    return changed
