"""Opening, closing and reactivating an RA inside a caller's unit of work
(:func:`open_in`, :func:`close_request_in`, :func:`reactivate_in`).

They call each other, so they live together: an auto-closing specification
closes the request it opens, a closing may open the follow-up request (ENC-15)
and a reactivation opens a new one. Their steps are in the ``opening`` and
``closing`` modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.accounts import Customer, RelationType
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import OrderOrigin, ServiceOrder
from gsan_core.model.service_requests import (
    OpenRequest,
    RequestAction,
    Requester,
    RequestSituation,
    RequestSpecification,
    RoutingReason,
    RoutingStep,
    ServiceRequest,
    ServiceRequestOpened,
    ServiceRequestReactivated,
    UrgentRequestAlert,
    location_fields,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import ChargeRequest, RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_desk.schedules import outage_warnings_in
from gsan_core.services.service_orders import generate_in
from gsan_core.services.service_requests.closing import apply_close, prepare_close
from gsan_core.services.service_requests.common import (
    _specification,
    _user_unit,
    protocol_number,
)
from gsan_core.services.service_requests.opening import (
    _due_date,
    _opening_facts,
    _order_observation,
    _warnings,
)
from gsan_core.services.service_requests.place import _Place, _place, _suggest
from gsan_core.services.service_requests.results import (
    OpeningResult,
    RequestClosingResult,
)
from gsan_core.services.units import load_units, may_maintain


def with_customers(uow: UnitOfWork, command: OpenRequest) -> OpenRequest:
    """The requesters and the property's responsible as GSAN reads them from
    the customer register: a requester naming a registered customer gets its
    name and CPF/CNPJ when the form left them out, and a property with an open
    RESPONSIBLE relation gives the responsible INS-19 checks (when the command
    names none). Customers the register does not know stay as given."""
    wanted = {r.customer_id for r in command.requesters if r.customer_id is not None}
    property_id = command.location.property_id
    responsible_id = None
    if command.responsible is None and property_id is not None:
        responsible_id = next(
            (
                r.customer_id
                for r in uow.customer_properties.find_by(property_id=property_id)
                if r.relation is RelationType.RESPONSIBLE and r.is_open
            ),
            None,
        )
    if responsible_id is not None:
        wanted.add(responsible_id)
    if not wanted:
        return command
    known = uow.customers.get_many(wanted)
    requesters = tuple(_from_register(r, known) for r in command.requesters)
    responsible = command.responsible
    if responsible_id is not None and responsible_id in known:
        customer = known[responsible_id]
        responsible = Requester(
            customer_id=customer.id, name=customer.name, document=customer.document
        )
    return attrs.evolve(command, requesters=requesters, responsible=responsible)


def _from_register(requester: Requester, known: Mapping[int, Customer]) -> Requester:
    customer = known.get(requester.customer_id or 0)
    if customer is None:
        return requester
    return attrs.evolve(
        requester,
        name=requester.name or customer.name,
        document=requester.document or customer.document,
    )


def open_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    command: OpenRequest,
    *,
    actor: int,
    at: datetime,
    reactivation_of: ServiceRequest | None = None,
    reactivation_reason_id: int | None = None,
) -> OpeningResult:
    """Open a request inside ``uow`` (INS-01..INS-25); with ``reactivation_of``,
    the new request of a reactivation (REA-05, REA-06)."""
    reactivation = reactivation_of is not None
    command = with_customers(uow, command)
    opening = _read_and_check(
        uow, ctx, command, actor=actor, at=at, reactivation=reactivation
    )
    spec = opening.spec
    attended_at = command.attended_at if command.attended_at is not None else at
    warnings = (
        ()
        if reactivation
        else _opening_warnings(uow, ctx, opening, at=at, attended_at=attended_at)
    )
    request = _new_request(
        uow,
        ctx,
        command,
        opening,
        actor=actor,
        at=at,
        attended_at=attended_at,
        reactivation_of=reactivation_of,
        reactivation_reason_id=reactivation_reason_id,
    )
    uow.service_requests.add(request)
    step = _record_opening(
        uow,
        command,
        request,
        opening.reason,
        actor=actor,
        at=at,
        reactivation_of=reactivation_of,
    )
    order = (
        None
        if spec.service_type_id is None
        else _request_order(
            uow, ctx, request, opening.place, spec.service_type_id, actor=actor, at=at
        )
    )
    closing = None
    if spec.auto_close and not reactivation:
        closing = close_request_in(
            uow,
            ctx,
            request_id=request.id,
            reason_id=ctx.profile.id("closing_reason.service_concluded"),
            actor=actor,
            now=at,
            closed_at=attended_at,
            authorise=False,
        )
        request = closing.request
    return OpeningResult(
        request=request,
        step=step,
        reason=opening.reason,
        order=order,
        warnings=warnings,
        closing=closing,
    )


def _request_order(
    uow: UnitOfWork,
    ctx: ServiceContext,
    request: ServiceRequest,
    place: _Place,
    service_type_id: int,
    *,
    actor: int,
    at: datetime,
) -> ServiceOrder:
    """The order of a specification with a service type, generated with the
    request (the property read under its lock is not read again)."""
    return generate_in(
        uow,
        ctx,
        service_type_id=service_type_id,
        actor=actor,
        at=at,
        origin=OrderOrigin.REQUEST,
        property_id=request.property_id,
        request=RequestFacts(
            id=request.id,
            allows_orders=True,
            pending=True,
            user_authorised=True,
            current_unit_id=request.current_unit_id,
            property_id=request.property_id,
            new=True,
        ),
        known_property=place.prop,
        observation=_order_observation(request.observation),
    )


@attrs.frozen(kw_only=True)
class _Opening:
    """What an opening read and checked: its specification, type and group,
    its place, the property's requests, the units read and the destination
    (None: the request stays in the unit that opened it) with its reason."""

    spec: RequestSpecification
    request_type: CatalogItem | None
    place: _Place
    property_requests: Sequence[ServiceRequest]
    destination: int | None
    reason: RoutingReason


def _read_and_check(
    uow: UnitOfWork,
    ctx: ServiceContext,
    command: OpenRequest,
    *,
    actor: int,
    at: datetime,
    reactivation: bool,
) -> _Opening:
    """Read what the opening rules read (the place under its property's lock,
    then the property's requests; the routing's units) and check them
    (INS-01..INS-25), then the destination suggested or informed."""
    spec, request_type, group = _specification(uow, command.specification_id)
    place = _place(
        uow,
        command.location,
        sewer=group is not None and group.flag("sewer"),
        full=not reactivation,
        need_municipality=ctx.profile.service_requests.holiday_scope == "municipal",
        lock=True,
    )
    property_requests: Sequence[ServiceRequest] = (
        ()
        if place.prop is None
        else uow.service_requests.find_by(property_id=place.prop.id)
    )
    suggestion = routing.Destination(None, RoutingReason.NONE)
    units: Mapping[int, OrganizationalUnit] = {}
    more_units = [
        command.unit_id,
        command.destination_unit_id,
        *(r.unit_id for r in command.requesters),
    ]
    if spec is not None:
        suggestion, units = _suggest(
            uow,
            ctx.profile,
            spec=spec,
            group=group,
            place=place,
            reactivation=reactivation,
            more_units=more_units,
        )
    else:
        units = load_units(uow, more_units, ancestors=False)
    facts = _opening_facts(
        uow,
        ctx,
        command,
        actor=actor,
        at=at,
        spec=spec,
        request_type=request_type,
        group=group,
        place=place,
        reactivation=reactivation,
        units=units,
        property_requests=property_requests,
    )
    ensure(rules.check_open(command, facts))
    assert spec is not None
    destination, reason = suggestion
    informed = command.destination_unit_id
    if informed is not None and reason is not RoutingReason.LARGE_CONSUMER:
        destination, reason = informed, RoutingReason.INFORMED
    if destination is not None:
        found = units.get(destination)
        ensure(
            rules.check_destination(
                destination, found if found is not None else uow.units.find(destination)
            )
        )
    return _Opening(
        spec=spec,
        request_type=request_type,
        place=place,
        property_requests=property_requests,
        destination=destination,
        reason=reason,
    )


def _opening_warnings(
    uow: UnitOfWork,
    ctx: ServiceContext,
    opening: _Opening,
    *,
    at: datetime,
    attended_at: datetime,
) -> tuple[Violation, ...]:
    """The warnings of a new opening (not a reactivation's): the opening's
    own, and the outages of its area for a request of an outage type."""
    location = opening.place.location
    request_type = opening.request_type
    warnings = _warnings(
        uow,
        ctx.profile,
        spec=opening.spec,
        request_type=request_type,
        location=location,
        now=at,
        property_requests=opening.property_requests,
    )
    if (
        request_type is not None
        and request_type.flag("outage")
        and location.area_id is not None
    ):
        warnings += outage_warnings_in(
            uow,
            ctx,
            at=attended_at,
            area_id=location.area_id,
            neighbourhood_id=location.neighbourhood_id,
        )
    return warnings


def _new_request(
    uow: UnitOfWork,
    ctx: ServiceContext,
    command: OpenRequest,
    opening: _Opening,
    *,
    actor: int,
    at: datetime,
    attended_at: datetime,
    reactivation_of: ServiceRequest | None,
    reactivation_reason_id: int | None,
) -> ServiceRequest:
    """The request opened: its deadline, its situation (by its place), its
    observation (the specification's message when none is typed), in the
    destination's unit or the opening one."""
    spec, place = opening.spec, opening.place
    location = place.location
    due = _due_date(ctx, spec, attended_at, place.municipality_id)
    situation = rules.situation_on_open(location)
    action = (
        RequestAction.OPEN
        if situation is RequestSituation.PENDING
        else RequestAction.OPEN_WITHOUT_ADDRESS
    )
    assert rules.transition(None, action) is situation
    observation = command.observation
    if observation is None and spec.message_id is not None:
        message = uow.catalog.find("request_message", spec.message_id)
        observation = None if message is None else message.description
    destination = opening.destination
    manual = (
        None if command.manual_number is None else int(command.manual_number.strip())
    )
    request_id = uow.next_id("service_request")
    return ServiceRequest(
        id=request_id,
        specification_id=spec.id,
        situation=situation,
        attended_at=attended_at,
        online=command.attended_at is None,
        manual_number=manual,
        wait_started_at=command.wait_started_at,
        wait_ended_at=command.wait_ended_at,
        original_due_date=due,
        current_due_date=due,
        channel_id=command.channel_id,
        protocol=command.protocol or protocol_number(request_id, at, ctx.zone),
        observation=observation,
        requesters=command.requesters,
        opening_unit_id=command.unit_id,
        opened_by=actor,
        current_unit_id=destination if destination is not None else command.unit_id,
        reactivation_of_id=None if reactivation_of is None else reactivation_of.id,
        reactivation_reason_id=reactivation_reason_id,
        urgent=spec.urgent,
        submission_key=command.submission_key,
        **location_fields(location),
    )


def _record_opening(
    uow: UnitOfWork,
    command: OpenRequest,
    request: ServiceRequest,
    reason: RoutingReason,
    *,
    actor: int,
    at: datetime,
    reactivation_of: ServiceRequest | None,
) -> RoutingStep:
    """The opening's routing step (from the opening unit to the current one)
    and its events: opened, reactivated, urgent."""
    current = request.current_unit_id
    step = RoutingStep(
        id=uow.next_id("routing_step"),
        request_id=request.id,
        from_unit_id=command.unit_id,
        to_unit_id=current,
        at=at,
        registered_by=actor,
        responsible_id=actor,
        remark=command.remark or rules.DEFAULT_OPENING_REMARK,
        automatic=command.remark is None,
    )
    uow.routing_steps.add(step)
    events: list[object] = [
        ServiceRequestOpened(
            occurred_at=at,
            actor=actor,
            request_id=request.id,
            specification_id=request.specification_id,
            situation=request.situation,
            unit_id=current,
            routing_reason=reason,
            property_id=request.property_id,
            protocol=request.protocol,
        )
    ]
    if reactivation_of is not None:
        events.append(
            ServiceRequestReactivated(
                occurred_at=at,
                actor=actor,
                request_id=request.id,
                previous_id=reactivation_of.id,
            )
        )
    if request.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=at, actor=actor, request_id=request.id, unit_id=current
            )
        )
    uow.record(*events)  # type: ignore[arg-type]
    return step


def close_request_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    reason_id: int | None,
    actor: int,
    now: datetime,
    closed_at: datetime | None = None,
    remark: str | None = None,
    duplicate_of_id: int | None = None,
    charge: ChargeRequest | None = None,
    expected_version: int | None = None,
    open_new_request: bool = False,
    authorise: bool = True,
    force_executed: bool = False,
    charge_value: Decimal | None = None,
    locked: ServiceRequest | None = None,
) -> RequestClosingResult:
    """Close a request inside ``uow`` (ENC-01..ENC-15); ``locked``: the
    request as the caller read it under its lock (:func:`prepare_close`)."""
    plan, violations = prepare_close(
        uow,
        ctx.profile,
        request_id=request_id,
        reason_id=reason_id,
        actor=actor,
        now=now,
        closed_at=closed_at,
        remark=remark,
        duplicate_of_id=duplicate_of_id,
        expected_version=expected_version,
        authorise=authorise,
        force_executed=force_executed,
        locked=locked,
    )
    ensure(violations)
    assert plan is not None
    result = apply_close(
        uow,
        ctx,
        plan,
        actor=actor,
        now=now,
        charge=charge,
        charge_value=charge_value,
    )
    offer = result.new_request_offer
    if open_new_request and offer is not None:
        previous = result.request
        unit_id = _user_unit(uow, actor)
        new = open_in(
            uow,
            ctx,
            OpenRequest(
                specification_id=offer,
                unit_id=unit_id if unit_id is not None else previous.opening_unit_id,
                channel_id=previous.channel_id,
                location=previous.location,
                requesters=previous.requesters,
            ),
            actor=actor,
            at=now,
        )
        result = attrs.evolve(result, new_request=new)
    return result


# ---------------------------------------------------------------- reactivation
def reactivate_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    reason_id: int | None,
    unit_id: int,
    channel_id: int,
    actor: int,
    now: datetime,
    attended_at: datetime | None = None,
    destination_unit_id: int | None = None,
    remark: str | None = None,
    observation: str | None = None,
) -> OpeningResult:
    """Reactivate a closed request as a new linked one (REA-01..REA-06). The
    closed request is locked first: it is reactivated once. What it and the
    new request's opening read is read ahead (after the request's lock, then
    the property's: ADR 0004's order) in fewer statements."""
    uow.read_ahead("reactivate_request", request_id)
    old = uow.service_requests.lock(request_id)
    successors = uow.service_requests.find_by(reactivation_of_id=request_id)
    reason = (
        None
        if reason_id is None
        else uow.catalog.find("reactivation_reason", reason_id)
    )
    units = load_units(uow, [old.current_unit_id, unit_id, _user_unit(uow, actor)])
    ensure(
        rules.check_reactivate(
            old,
            authorised=may_maintain(
                uow, ctx.profile, actor=actor, unit_id=old.current_unit_id, units=units
            ),
            authorised_new_unit=may_maintain(
                uow, ctx.profile, actor=actor, unit_id=unit_id, units=units
            ),
            new_unit_id=unit_id,
            successor=successors[0] if successors else None,
            destination_informed=destination_unit_id is not None,
            remark=remark,
            reason_id=reason_id,
            reason=reason,
            observation=observation,
        )
    )
    return open_in(
        uow,
        ctx,
        OpenRequest(
            specification_id=old.specification_id,
            unit_id=unit_id,
            channel_id=channel_id,
            attended_at=attended_at,
            location=old.location,
            requesters=old.requesters,
            observation=observation if observation is not None else old.observation,
            destination_unit_id=destination_unit_id,
            remark=remark,
            protocol=old.protocol,
        ),
        actor=actor,
        at=now,
        reactivation_of=old,
        reactivation_reason_id=reason_id,
    )
