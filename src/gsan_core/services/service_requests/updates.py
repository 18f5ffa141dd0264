"""Updating an open RA inside a caller's unit of work: reiterating it (REI,
:func:`reiterate_in`) and changing the place of its occurrence (UPD,
:func:`update_location_in`)."""

from __future__ import annotations

from datetime import datetime

import attrs

from gsan_core.model.service_requests import (
    Reiteration,
    RequestChange,
    RequestLocation,
    ServiceRequest,
    ServiceRequestReiterated,
    UrgentRequestAlert,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.common import (
    _local_date,
)
from gsan_core.services.service_requests.maintenance import update_request_in
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
    """Change the place of a request (UPD-01..UPD-08): informing a structured
    address unblocks it, leaving only a description blocks it; a new property
    takes the request's orders with it (UPD-08) and re-runs the duplicate,
    situation and debt checks (UPD-06). The whole form is
    :func:`~gsan_core.services.service_requests.maintenance.update_request_in`."""
    return update_request_in(
        uow,
        ctx,
        request_id=request_id,
        change=RequestChange(location=location),
        actor=actor,
        now=now,
        expected_version=expected_version,
    )
