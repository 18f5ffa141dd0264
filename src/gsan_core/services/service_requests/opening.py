"""The steps of opening an RA: its warnings, facts and deadline, and the order
it generates (:func:`generate_order_in`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from gsan_core.errors import Violation
from gsan_core.model.billing import DebtKind
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import OrderOrigin, ServiceOrder
from gsan_core.model.service_requests import (
    OpenRequest,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    ServiceRequest,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import RequestFacts
from gsan_core.services.context import ServiceContext, holds_permission
from gsan_core.services.service_orders import generate_in
from gsan_core.services.service_requests.common import (
    _local_date,
)
from gsan_core.services.service_requests.place import _Place
from gsan_core.services.units import may_maintain


def _warnings(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    spec: RequestSpecification,
    request_type: CatalogItem | None,
    location: RequestLocation,
    now: datetime,
    property_requests: Sequence[ServiceRequest],
) -> tuple[Violation, ...]:
    """INS-09b and INS-23 (``property_requests``: every request of the property)."""
    open_situations = [RequestSituation.PENDING, RequestSituation.BLOCKED]
    pending_on_property = [r for r in property_requests if r.is_open]
    same_address: Sequence[ServiceRequest] = ()
    days = profile.service_requests.reactivation_warning_days
    closed_here: Sequence[ServiceRequest] = ()
    if location.property_id is not None:
        closed_here = [
            r
            for r in property_requests
            if r.specification_id == spec.id and not r.is_open
        ]
    elif location.street_id is not None:
        same_street = uow.service_requests.find_by(
            street_id=location.street_id, specification_id=spec.id
        )
        same_address = [r for r in same_street if r.is_open]
        closed_here = [r for r in same_street if not r.is_open]
    since = now - timedelta(days=days)
    recent = [
        r for r in closed_here if r.closed_at is not None and r.closed_at >= since
    ]
    outage = request_type is not None and request_type.flag("outage")
    general = outage and not spec.requires_property
    in_area: list[ServiceRequest] = []
    if outage and location.area_id is not None:
        outage_specs = {
            s.id: s
            for s in uow.request_specifications.find_by(
                request_type_id=spec.request_type_id
            )
        }
        for other in uow.service_requests.find_by(
            area_id=location.area_id, situation=open_situations
        ):
            other_spec = outage_specs.get(other.specification_id)
            if other_spec is not None and other_spec.requires_property == general:
                in_area.append(other)
    return rules.opening_warnings(
        property_id=location.property_id,
        area_id=location.area_id,
        specification=spec,
        outage=outage,
        pending_on_property=pending_on_property,
        pending_same_address=same_address,
        recently_closed=recent,
        general_outage=general,
        pending_outages_in_area=in_area,
        warning_days=days,
    )


def _last_manual(uow: UnitOfWork) -> int | None:
    blocks = uow.manual_number_blocks.find_by()
    return max((b.last_number for b in blocks), default=None)


def _has_debts(uow: UnitOfWork, prop: Property) -> bool:
    return any(d.kind is not DebtKind.CREDIT for d in uow.billing.open_debts(prop.id))


def _opening_facts(
    uow: UnitOfWork,
    ctx: ServiceContext,
    command: OpenRequest,
    *,
    actor: int,
    at: datetime,
    spec: RequestSpecification | None,
    request_type: CatalogItem | None,
    group: CatalogItem | None,
    place: _Place,
    reactivation: bool,
    units: Mapping[int, OrganizationalUnit],
    property_requests: Sequence[ServiceRequest],
) -> rules.OpeningFacts:
    profile = ctx.profile
    prop = place.prop
    pending_same: tuple[ServiceRequest, ...] = ()
    situation_profile = None
    water_meter = well_meter = None
    has_debts = False
    if spec is not None and prop is not None:
        pending_same = tuple(
            r
            for r in property_requests
            if r.specification_id == spec.id and r.situation is RequestSituation.PENDING
        )
        if spec.property_situation_id is not None:
            situation_profile = uow.situation_profiles.find(spec.property_situation_id)
            # INS-10's meter facts: the meter area's current installations.
            water_meter, well_meter = (
                uow.hydrometer_installations.current(property_id=prop.id, point=point)
                is not None
                for point in (MeasurementPoint.WATER_CONNECTION, MeasurementPoint.WELL)
            )
        if spec.check_debts and not reactivation:
            has_debts = _has_debts(uow, prop)
    requester_units = {r.unit_id for r in command.requesters if r.unit_id is not None}
    requester_users = {
        r.employee_id for r in command.requesters if r.employee_id is not None
    }
    submitted = None
    if command.submission_key is not None:
        found = uow.service_requests.find_by(submission_key=command.submission_key)
        submitted = found[0] if found else None
    last_manual = None
    used_by = None
    if command.manual_number is not None:
        last_manual = _last_manual(uow)
        text = command.manual_number.strip()
        if text.isdigit():
            used = uow.service_requests.find_by(manual_number=int(text))
            used_by = used[0].id if used else None
    return rules.OpeningFacts(
        now=at,
        zone=ctx.zone,
        params=profile.service_requests,
        specification=spec,
        request_type=request_type,
        group=group,
        channel=uow.catalog.find("request_channel", command.channel_id),
        unit=units.get(command.unit_id),
        prop=prop,
        unknown_places=place.unknown,
        division_compatible=place.division_compatible,
        pending_same=pending_same,
        situation_profile=situation_profile,
        water_meter=water_meter,
        well_meter=well_meter,
        has_debts=has_debts,
        units={u: units[u] for u in requester_units if u in units},
        users=uow.users.get_many(requester_users) if requester_users else {},
        submitted=submitted,
        last_manual_number=last_manual,
        manual_used_by=used_by,
        may_change_due_date=holds_permission(
            profile, uow, actor, "change_due_date_anytime"
        ),
        reactivation=reactivation,
    )


def _due_date(
    ctx: ServiceContext,
    spec: RequestSpecification,
    attended_at: datetime,
    municipality_id: int | None,
) -> date:
    params = ctx.profile.service_requests
    scope = params.holiday_scope
    return routing.due_date(
        _local_date(attended_at, ctx.zone),
        spec.deadline_days,
        business_days=params.deadline_in_business_days,
        is_business_day=lambda day: ctx.calendar.is_business_day(
            day, scope=scope, municipality_id=municipality_id
        ),
    )


def _order_observation(observation: str | None) -> str | None:
    if observation is None:
        return None
    return observation[: order_rules.MAX_OBSERVATION]


def generate_order_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    service_type_id: int,
    actor: int,
    at: datetime,
    observation: str | None = None,
    reference_order_id: int | None = None,
    reference_service_type_id: int | None = None,
    priority_id: int | None = None,
) -> ServiceOrder:
    """Gerar OS for a request (UC0430 from an RA, GEN-01..GEN-09): the
    specification allows orders, the request is pending, the user may maintain
    it; the OS goes to the request's current unit. An OS of a type with a
    reference (diagnosis, inspection) names the OS it refers to
    (``reference_order_id``: GEN-06 requires it, GEN-07 of the same RA), which
    then waits for its release (GEN-09). The request is locked before it is
    read (``docs/concurrency.md``)."""
    request = uow.service_requests.lock(request_id)
    spec = uow.request_specifications.find(request.specification_id)
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
            allows_orders=spec is not None and spec.allows_orders,
            pending=request.situation is RequestSituation.PENDING,
            user_authorised=may_maintain(
                uow, ctx.profile, actor=actor, unit_id=request.current_unit_id
            ),
            current_unit_id=request.current_unit_id,
            property_id=request.property_id,
        ),
        observation=observation,
        reference_order_id=reference_order_id,
        reference_service_type_id=reference_service_type_id,
        priority_id=priority_id,
        request_locked=True,  # locked above
    )
