"""The service-request flows working inside a caller's unit of work: open,
forward, close, reactivate, reiterate, and the place of the occurrence.

The ``*_in`` functions work inside a caller's unit of work, so other flows compose
them: closing an OS closes or routes back its request (the order-closed hook),
closing a request opens the follow-up one (ENC-15), the batch command closes
thousands at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from gsan_core.errors import Violation
from gsan_core.model.billing import Charge, DebtKind
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters, UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    OrderAction,
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceOrderClosed,
    ServiceType,
)
from gsan_core.model.service_requests import (
    OpenRequest,
    Reiteration,
    RequestAction,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    RoutingReason,
    RoutingStep,
    SatisfactionSurveyRequested,
    ServiceRequest,
    ServiceRequestClosed,
    ServiceRequestForwarded,
    ServiceRequestLocationChanged,
    ServiceRequestOpened,
    ServiceRequestReactivated,
    ServiceRequestReiterated,
    UrgentRequestAlert,
    location_fields,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import ChargeRequest, RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import create_charge
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_orders import close_in, generate_in

__all__ = [
    "CLOSED_BY_COMMAND_REMARK",
    "ForwardResult",
    "OpeningResult",
    "RequestClosingResult",
    "RequestDetails",
    "apply_close",
    "close_orders_by_request",
    "close_request_in",
    "day_bounds",
    "forward_in",
    "generate_order_in",
    "load_units",
    "may_maintain",
    "move_request",
    "open_in",
    "prepare_close",
    "protocol_number",
    "reactivate_in",
    "reiterate_in",
    "suggest_in",
    "update_location_in",
]

#: ``parecer`` of the batch closing (CMD-07).
CLOSED_BY_COMMAND_REMARK = "RA encerrado por meio do comando de encerramento {id}"
_OPEN_SITUATIONS = (
    OrderSituation.PENDING,
    OrderSituation.IN_EXECUTION,
    OrderSituation.AWAITING_RELEASE,
)


# ---------------------------------------------------------------- results
@attrs.frozen(kw_only=True)
class OpeningResult:
    """What opening (or reactivating) a request did."""

    request: ServiceRequest
    #: The opening routing step (INS-24).
    step: RoutingStep
    #: Why the destination was chosen.
    reason: RoutingReason
    #: The OS generated automatically (INS-20), if any.
    order: ServiceOrder | None = None
    #: The soft warnings (INS-09b, INS-23): the request was opened anyway.
    warnings: tuple[Violation, ...] = ()
    #: The closing, for an automatically closed specification (INS-22).
    closing: RequestClosingResult | None = None


@attrs.frozen(kw_only=True)
class ForwardResult:
    """A forwarding: the request after it and the step recorded."""

    request: ServiceRequest
    step: RoutingStep
    orders_moved: int


@attrs.frozen(kw_only=True)
class RequestClosingResult:
    """What closing a request did."""

    request: ServiceRequest
    executed: bool
    #: Orders closed without execution with it (ENC-09).
    closed_orders: tuple[ServiceOrder, ...] = ()
    charge: Charge | None = None
    #: ENC-15: the specification offers a new request of this specification.
    new_request_offer: int | None = None
    #: The new request, when the offer was accepted.
    new_request: OpeningResult | None = None
    #: The satisfaction survey was requested (SAT-02).
    survey_requested: bool = False


@attrs.frozen(kw_only=True)
class RequestDetails:
    """A request with its routing history, orders and reiterations."""

    request: ServiceRequest
    steps: tuple[RoutingStep, ...]
    orders: tuple[ServiceOrder, ...]
    reiterations: tuple[Reiteration, ...]
    #: The request it reactivates and the one that reactivated it, if any.
    previous_id: int | None = None
    successor_id: int | None = None


# ---------------------------------------------------------------- helpers
def _zone(profile: UtilityProfile) -> tzinfo:
    return ZoneInfo(profile.timezone)


def _local_date(at: datetime, zone: tzinfo) -> date:
    return at.astimezone(zone).date()


def load_units(
    uow: UnitOfWork, ids: Iterable[int | None], *, ancestors: bool = True
) -> dict[int, OrganizationalUnit]:
    """The units of ``ids`` with their dispatch centres and (optionally) every
    superior up the tree, in a few round trips (one per missing level)."""
    found: dict[int, OrganizationalUnit] = {}
    wanted = {i for i in ids if i is not None}
    while wanted:
        loaded = uow.units.get_many(wanted)
        found.update(loaded)
        missing: set[int] = set()
        for unit in loaded.values():
            for other in (
                unit.dispatch_centre_id,
                unit.superior_id if ancestors else None,
            ):
                if other is not None and other not in found:
                    missing.add(other)
        wanted = missing - set(found) - (wanted - set(loaded))
    return found


def _permission(
    profile: UtilityProfile, uow: UnitOfWork, actor: int, role: str
) -> bool:
    return any(
        uow.permissions.has(actor, pid) for pid in profile.ids(f"permission.{role}")
    )


def may_maintain(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    actor: int,
    unit_id: int,
    units: Mapping[int, OrganizationalUnit] | None = None,
) -> bool:
    """AUTH-01 for the acting user on a request now in ``unit_id``."""
    user = uow.users.find(actor)
    user_unit = None if user is None else user.unit_id
    tree = dict(units) if units is not None else {}
    missing = [u for u in (unit_id, user_unit) if u is not None and u not in tree]
    if missing:
        tree.update(load_units(uow, missing))
    return routing.is_authorised(
        user_unit_id=user_unit,
        unit_id=unit_id,
        units=tree,
        may_forward_anywhere=_permission(
            profile, uow, actor, "forward_request_to_any_unit"
        ),
    )


def _user_unit(uow: UnitOfWork, actor: int) -> int | None:
    user = uow.users.find(actor)
    return None if user is None else user.unit_id


def protocol_number(number: int, at: datetime, zone: tzinfo, *, origin: int = 1) -> str:
    """``obterProtocoloAtendimento``: the year, an origin digit and a 9-digit
    sequence. A request's own id is the sequence of origin 1; a protocol handed
    out before any request exists (the simplified form) takes its own sequence
    with origin 2, so the two never collide."""
    return f"{at.astimezone(zone).year}{origin}{number:09d}"


def move_request(
    uow: UnitOfWork,
    request: ServiceRequest,
    *,
    to_unit_id: int,
    from_unit_id: int | None = None,
    at: datetime,
    actor: int,
    responsible_id: int | None = None,
    remark: str | None = None,
    automatic: bool = False,
) -> tuple[ServiceRequest, RoutingStep, int]:
    """Record a routing step and move the request and *all* its orders to
    ``to_unit_id`` (§2.5 effects 1-3). No rule is checked here."""
    step = RoutingStep(
        id=uow.next_id("routing_step"),
        request_id=request.id,
        from_unit_id=request.current_unit_id if from_unit_id is None else from_unit_id,
        to_unit_id=to_unit_id,
        at=at,
        registered_by=actor,
        responsible_id=actor if responsible_id is None else responsible_id,
        remark=remark,
        automatic=automatic,
    )
    uow.routing_steps.add(step)
    moved = attrs.evolve(
        request, current_unit_id=to_unit_id, version=request.version + 1
    )
    uow.service_requests.update(moved)
    orders = [
        attrs.evolve(o, current_unit_id=to_unit_id, version=o.version + 1)
        for o in uow.service_orders.find_by(request_id=request.id)
        if o.current_unit_id != to_unit_id
    ]
    if orders:
        uow.service_orders.update_many(orders)
    return moved, step, len(orders)


# ---------------------------------------------------------------- opening
def _completed_location(
    location: RequestLocation, prop: Property | None
) -> RequestLocation:
    """The place, with the locality, sector and block of the property (GSAN copies
    them from the imóvel)."""
    if prop is None:
        return location
    return attrs.evolve(
        location,
        locality_id=prop.locality_id,
        sector_id=prop.sector_id,
        block_id=prop.block_id,
    )


@attrs.frozen(kw_only=True)
class _Place:
    location: RequestLocation
    prop: Property | None
    unknown: tuple[tuple[str, str, int], ...]
    division_compatible: bool
    division_unit_id: int | None
    municipality_id: int | None


def _place(
    uow: UnitOfWork,
    location: RequestLocation,
    *,
    sewer: bool,
    full: bool,
    need_municipality: bool = False,
) -> _Place:
    """The place with what the rules read about it. Only what is needed is read:
    the block for a sewer type or an unchecked block, the locality when there is
    no property (or when municipal holidays need its municipality)."""
    unknown: list[tuple[str, str, int]] = []
    prop = None
    if location.property_id is not None:
        prop = uow.properties.find(location.property_id)
        if prop is None:
            unknown.append(("Property", "Imóvel", location.property_id))
    location = _completed_location(location, prop)
    needs_block = (sewer and location.sewer_division_id is None) or (
        full and prop is None
    )
    block = None
    if location.block_id is not None and needs_block:
        block = uow.blocks.find(location.block_id)
        if block is None:
            unknown.append(("Block", "Quadra", location.block_id))
    if sewer and location.sewer_division_id is None and block is not None:
        location = attrs.evolve(location, sewer_division_id=block.sewer_division_id)
    locality = None
    if location.locality_id is not None and (prop is None or need_municipality):
        locality = uow.localities.find(location.locality_id)
        if locality is None:
            unknown.append(("Locality", "Localidade", location.locality_id))
    if full and prop is None:
        if location.sector_id is not None:
            sector = uow.sectors.find(location.sector_id)
            if sector is None or sector.locality_id != location.locality_id:
                unknown.append(
                    ("Commercial sector", "Setor Comercial", location.sector_id)
                )
        if block is not None and block.sector_id != location.sector_id:
            unknown.append(("Block", "Quadra", block.id))
        for kind, value, field, campo in (
            (
                "street_pavement",
                location.street_pavement_id,
                "Street pavement",
                "Pavimento Rua",
            ),
            (
                "sidewalk_pavement",
                location.sidewalk_pavement_id,
                "Sidewalk pavement",
                "Pavimento Calçada",
            ),
        ):
            if value is not None and uow.catalog.find(kind, value) is None:
                unknown.append((field, campo, value))
    division_unit = None
    compatible = True
    if location.sewer_division_id is not None:
        division = uow.catalog.find("sewer_division", location.sewer_division_id)
        if division is None:
            unknown.append(
                ("Sewer division", "Divisão de Esgoto", location.sewer_division_id)
            )
        else:
            division_unit = division.integer("unit_id")
        if full and prop is None:
            compatible = _division_serves(uow, location, block)
    municipality = location.municipality_id
    if municipality is None and locality is not None:
        municipality = locality.municipality_id
    return _Place(
        location=location,
        prop=prop,
        unknown=tuple(unknown),
        division_compatible=compatible,
        division_unit_id=division_unit,
        municipality_id=municipality,
    )


def _division_serves(
    uow: UnitOfWork, location: RequestLocation, block: object | None
) -> bool:
    """INS-11 (FS0013): the division serves the block, else the sector, else the
    locality given."""
    division = location.sewer_division_id
    if block is not None:
        return getattr(block, "sewer_division_id", None) == division
    if location.sector_id is not None:
        return (
            uow.blocks.count_by(
                sector_id=location.sector_id, sewer_division_id=division
            )
            > 0
        )
    if location.locality_id is not None:
        return (
            uow.blocks.count_by(
                locality_id=location.locality_id, sewer_division_id=division
            )
            > 0
        )
    return True


def _routing_tables(
    uow: UnitOfWork,
    spec: RequestSpecification,
    *,
    locality_id: int | None,
    group_id: int | None,
    collection_situation_ids: Iterable[int],
    division_unit_id: int | None,
) -> routing.RoutingTables:
    collection, by_locality, by_group = uow.service_requests.routing_associations(
        specification_id=spec.id,
        locality_id=locality_id,
        group_id=group_id,
        collection_situation_ids=sorted(collection_situation_ids),
    )
    return routing.RoutingTables(
        collection=collection,
        locality_specification=by_locality,
        locality_group=by_group,
        sewer_division_unit_id=division_unit_id,
    )


def _large_consumer(
    uow: UnitOfWork, prop: Property | None, params: ServiceRequestParameters
) -> bool:
    if prop is None or params.large_consumer_unit_id is None:
        return False
    profile = uow.catalog.find("property_profile", prop.profile_id)
    return profile is not None and profile.flag("large_consumer")


def _suggest(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    spec: RequestSpecification,
    group: CatalogItem | None,
    place: _Place,
    reactivation: bool,
    more_units: Iterable[int | None] = (),
) -> tuple[routing.Destination, dict[int, OrganizationalUnit]]:
    """The suggested destination, and the units read to choose it (with
    ``more_units``, loaded in the same round trips)."""
    params = profile.service_requests
    location = place.location
    prop = place.prop
    facts = routing.RoutingFacts(
        specification=spec,
        group_id=None if group is None else group.id,
        sewer=group is not None and group.flag("sewer"),
        locality_id=location.locality_id,
        has_property=prop is not None,
        large_consumer=_large_consumer(uow, prop, params),
        collection_situation_ids=() if prop is None else prop.collection_situation_ids,
        sewer_division_id=location.sewer_division_id,
    )
    tables = _routing_tables(
        uow,
        spec,
        locality_id=location.locality_id,
        group_id=facts.group_id,
        collection_situation_ids=facts.collection_situation_ids,
        division_unit_id=place.division_unit_id,
    )
    candidates = [
        spec.unit_id,
        tables.sewer_division_unit_id,
        params.large_consumer_unit_id,
        *(r.unit_id for r in tables.collection),
        *(r.unit_id for r in tables.locality_specification),
        *(r.unit_id for r in tables.locality_group),
        *more_units,
    ]
    units = load_units(uow, candidates, ancestors=False)
    choose = (
        routing.reactivation_destination
        if reactivation
        else routing.initial_destination
    )
    return choose(facts, tables, units, params), units


def suggest_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    specification_id: int,
    location: RequestLocation,
) -> routing.Destination:
    """The destination a new request of the specification at ``location`` would
    get (§2.2); nothing is checked or written."""
    spec, _, group = _specification(uow, specification_id)
    if spec is None:
        ensure([rules.UNKNOWN_SPECIFICATION(specification_id=specification_id)])
    assert spec is not None
    sewer = group is not None and group.flag("sewer")
    place = _place(uow, location, sewer=sewer, full=False)
    destination, _ = _suggest(
        uow, ctx.profile, spec=spec, group=group, place=place, reactivation=False
    )
    return destination


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
    has_debts = False
    if spec is not None and prop is not None:
        pending_same = tuple(
            r
            for r in property_requests
            if r.specification_id == spec.id and r.situation is RequestSituation.PENDING
        )
        if spec.property_situation_id is not None:
            situation_profile = uow.situation_profiles.find(spec.property_situation_id)
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
        has_debts=has_debts,
        units={u: units[u] for u in requester_units if u in units},
        users=uow.users.get_many(requester_users) if requester_users else {},
        submitted=submitted,
        last_manual_number=last_manual,
        manual_used_by=used_by,
        may_change_due_date=_permission(profile, uow, actor, "change_due_date_anytime"),
        reactivation=reactivation,
    )


def _specification(
    uow: UnitOfWork, specification_id: int
) -> tuple[RequestSpecification | None, CatalogItem | None, CatalogItem | None]:
    spec = uow.request_specifications.find(specification_id)
    request_type = (
        None if spec is None else uow.catalog.find("request_type", spec.request_type_id)
    )
    group_id = None if request_type is None else request_type.integer("group_id")
    group = (
        None if group_id is None else uow.catalog.find("request_type_group", group_id)
    )
    return spec, request_type, group


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
    spec, request_type, group = _specification(uow, command.specification_id)
    sewer = group is not None and group.flag("sewer")
    municipal = ctx.profile.service_requests.holiday_scope == "municipal"
    place = _place(
        uow,
        command.location,
        sewer=sewer,
        full=not reactivation,
        need_municipality=municipal,
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
    location = place.location
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
    warnings = (
        ()
        if reactivation
        else _warnings(
            uow,
            ctx.profile,
            spec=spec,
            request_type=request_type,
            location=location,
            now=at,
            property_requests=property_requests,
        )
    )
    attended_at = command.attended_at if command.attended_at is not None else at
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
    current = destination if destination is not None else command.unit_id
    manual = (
        None if command.manual_number is None else int(command.manual_number.strip())
    )
    request_id = uow.next_id("service_request")
    request = ServiceRequest(
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
        current_unit_id=current,
        reactivation_of_id=None if reactivation_of is None else reactivation_of.id,
        reactivation_reason_id=reactivation_reason_id,
        urgent=spec.urgent,
        submission_key=command.submission_key,
        **location_fields(location),
    )
    uow.service_requests.add(request)
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
            specification_id=spec.id,
            situation=situation,
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
    if spec.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=at, actor=actor, request_id=request.id, unit_id=current
            )
        )
    uow.record(*events)  # type: ignore[arg-type]
    order = None
    if spec.service_type_id is not None:
        order = generate_in(
            uow,
            ctx,
            service_type_id=spec.service_type_id,
            actor=actor,
            at=at,
            origin=OrderOrigin.REQUEST,
            property_id=request.property_id,
            request=RequestFacts(
                id=request.id,
                allows_orders=True,
                pending=True,
                user_authorised=True,
                current_unit_id=current,
                property_id=request.property_id,
            ),
            observation=_order_observation(observation),
        )
    closing = None
    if spec.auto_close and not reactivation:
        reason_id = ctx.profile.id("closing_reason.service_concluded")
        closing = close_request_in(
            uow,
            ctx,
            request_id=request.id,
            reason_id=reason_id,
            actor=actor,
            now=at,
            closed_at=attended_at,
            authorise=False,
        )
        request = closing.request
    return OpeningResult(
        request=request,
        step=step,
        reason=reason,
        order=order,
        warnings=warnings,
        closing=closing,
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
) -> ServiceOrder:
    """Gerar OS for a request (UC0430 from an RA, GEN-01..GEN-09): the
    specification allows orders, the request is pending, the user may maintain
    it; the OS goes to the request's current unit."""
    request = uow.service_requests.get(request_id)
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
    )


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
) -> ForwardResult:
    """Forward a request (TRM-01..TRM-15, first failure only) and move it and all
    its orders to the destination."""
    request = uow.service_requests.get(request_id)
    when = now if at is None else at
    orders = tuple(uow.service_orders.find_by(request_id=request_id))
    user = uow.users.find(actor)
    spec, request_type, group = _specification(uow, request.specification_id)
    by_group: dict[int, list[int]] = {}
    if request.locality_id is not None:
        for row in uow.locality_group_units.find_by(locality_id=request.locality_id):
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
    steps = uow.routing_steps.find_by(request_id=request_id)
    last = max(steps, key=lambda s: (s.at, s.id)) if steps else None
    type_ids = {o.service_type_id for o in orders}
    codes = {item.id: item.text("code") or "" for item in uow.catalog.list("unit_type")}
    del spec
    facts = rules.ForwardFacts(
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
        at=when,
        now=now,
        zone=ctx.zone,
        params=ctx.profile.service_requests,
        may_forward_anywhere=_permission(
            ctx.profile, uow, actor, "forward_request_to_any_unit"
        ),
        expected_version=expected_version,
        joint=joint,
    )
    ensure(rules.check_forward(facts))
    ensure(
        rules.check_text(
            remark,
            field="Remark",
            campo="Parecer",
            max_length=rules.ROUTING_REMARK_MAX,
        )
    )
    origin = units.get(request.current_unit_id)
    destination = units[destination_unit_id]
    moved, step, count = move_request(
        uow,
        request,
        to_unit_id=destination_unit_id,
        at=when,
        actor=actor,
        responsible_id=responsible_id,
        remark=remark,
    )
    events: list[object] = [
        ServiceRequestForwarded(
            occurred_at=now,
            actor=actor,
            request_id=request_id,
            step_id=step.id,
            from_unit_id=step.from_unit_id,
            to_unit_id=destination_unit_id,
            to_contractor=codes.get(destination.unit_type_id) == "T"
            and origin is not None
            and codes.get(origin.unit_type_id) == "C",
        )
    ]
    if request.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=now,
                actor=actor,
                request_id=request_id,
                unit_id=destination_unit_id,
            )
        )
    uow.record(*events)  # type: ignore[arg-type]
    return ForwardResult(request=moved, step=step, orders_moved=count)


# ---------------------------------------------------------------- closing
@attrs.frozen(kw_only=True)
class _ClosePlan:
    request: ServiceRequest
    spec: RequestSpecification | None
    reason: CatalogItem
    executed: bool
    closed_at: datetime
    remark: str | None
    duplicate_of_id: int | None
    open_orders: tuple[ServiceOrder, ...]


def prepare_close(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    request_id: int,
    reason_id: int | None,
    actor: int,
    now: datetime,
    closed_at: datetime | None = None,
    remark: str | None = None,
    duplicate_of_id: int | None = None,
    expected_version: int | None = None,
    authorise: bool = True,
    force_executed: bool = False,
) -> tuple[_ClosePlan | None, tuple[Violation, ...]]:
    """Read and check a closing (ENC-01..ENC-08); nothing is written."""
    request = uow.service_requests.get(request_id)
    spec = uow.request_specifications.find(request.specification_id)
    reason = (
        None if reason_id is None else uow.catalog.find("closing_reason", reason_id)
    )
    orders = tuple(uow.service_orders.find_by(request_id=request_id))
    reference = (
        None if duplicate_of_id is None else uow.service_requests.find(duplicate_of_id)
    )
    authorised = not authorise or may_maintain(
        uow, profile, actor=actor, unit_id=request.current_unit_id
    )
    when = now if closed_at is None else closed_at
    checked_reason = reason
    if force_executed and reason is not None:
        checked_reason = attrs.evolve(
            reason, attributes={**reason.attributes, "executed": True}
        )
    violations = rules.check_close(
        rules.CloseFacts(
            request=request,
            specification=spec,
            reason_id=reason_id,
            reason=checked_reason,
            closed_at=when,
            remark=remark,
            duplicate_of_id=duplicate_of_id,
            reference=reference,
            orders=orders,
            authorised=authorised,
            now=now,
            zone=_zone(profile),
            params=profile.service_requests,
            expected_version=expected_version,
        )
    )
    if violations:
        return None, violations
    assert reason is not None
    return (
        _ClosePlan(
            request=request,
            spec=spec,
            reason=reason,
            executed=force_executed or reason.flag("executed"),
            closed_at=when,
            remark=remark,
            duplicate_of_id=duplicate_of_id,
            open_orders=tuple(o for o in orders if o.is_open),
        ),
        (),
    )


def close_orders_by_request(
    uow: UnitOfWork,
    orders: Sequence[ServiceOrder],
    *,
    reason_id: int,
    closed_at: datetime,
    remark: str | None,
    actor: int,
    unit_id: int | None,
    at: datetime,
) -> list[ServiceOrder]:
    """Close open orders because their request closed (``CLOSE_BY_REQUEST``),
    set-based: one update of the orders, one insert of their unit records."""
    closed = []
    for order in orders:
        ensure(order_rules.check_transition(order, OrderAction.CLOSE_BY_REQUEST))
        closed.append(
            attrs.evolve(
                order,
                situation=OrderSituation.CLOSED,
                closed_at=closed_at,
                closing_reason_id=reason_id,
                closing_remark=remark,
                version=order.version + 1,
            )
        )
    if not closed:
        return []
    uow.service_orders.update_many(closed)
    ids = uow.next_ids("order_unit", len(closed))
    uow.order_units.add_many(
        OrderUnitRecord(
            id=ident,
            order_id=order.id,
            unit_id=unit_id,
            user_id=actor,
            relation=OrderUnitRelation.CLOSED,
            at=at,
        )
        for ident, order in zip(ids, closed, strict=True)
    )
    uow.record(
        *(
            ServiceOrderClosed(
                occurred_at=at,
                actor=actor,
                order_id=order.id,
                closing_reason_id=reason_id,
                executed=False,
                closed_at=closed_at,
                request_id=order.request_id,
            )
            for order in closed
        )
    )
    return closed


def _request_charge(
    uow: UnitOfWork,
    ctx_profile: UtilityProfile,
    *,
    plan: _ClosePlan,
    charge: ChargeRequest | None,
    value: Decimal | None,
    actor: int,
    at: datetime,
) -> Charge | None:
    """ENC-14: the charge of the specification, for a service concluded."""
    spec = plan.spec
    request = plan.request
    concluded = ctx_profile.plays("closing_reason.service_concluded", plan.reason.id)
    if spec is None or spec.debit_type_id is None or not concluded:
        return None
    if request.property_id is None:
        return None
    prop = uow.properties.get(request.property_id)
    descriptor = ServiceType(
        id=spec.service_type_id or 0,
        description=spec.description,
        abbreviation=spec.description[:20],
        debit_type_id=spec.debit_type_id,
        value=spec.debit_value,
        value_editable=spec.value_editable or spec.debit_value is None,
        charge_interest=spec.charge_interest,
    )
    request_charge = charge or ChargeRequest()
    may_waive = _permission(ctx_profile, uow, actor, "inform_non_charge_reason")
    ensure(
        order_rules.check_charge_request(
            request_charge,
            service_type=descriptor,
            suggested_value=spec.debit_value,
            max_installments=ctx_profile.system.max_installments,
            may_waive=may_waive,
            permission_id=ctx_profile.id("permission.inform_non_charge_reason"),
            non_charge_reasons=[
                item.id
                for item in uow.catalog.list("non_charge_reason", active_only=True)
            ],
        )
    )
    amount = value if value is not None else spec.debit_value
    return create_charge(
        uow,
        profile=ctx_profile,
        service_type=descriptor,
        prop=prop,
        value=amount,
        request=request_charge,
        order=None,
        request_id=request.id,
        generated_on=_local_date(request.attended_at, _zone(ctx_profile)),
        at=at,
        actor=actor,
    )


def apply_close(
    uow: UnitOfWork,
    ctx: ServiceContext,
    plan: _ClosePlan,
    *,
    actor: int,
    now: datetime,
    charge: ChargeRequest | None = None,
    charge_value: Decimal | None = None,
    command_id: int | None = None,
    with_charge: bool = True,
) -> RequestClosingResult:
    """Write a checked closing (ENC-09, ENC-10, ENC-12, ENC-14)."""
    request = plan.request
    reason = plan.reason
    closed_orders: list[ServiceOrder] = []
    zone = ctx.zone
    user_unit = _user_unit(uow, actor)
    if not plan.executed:
        local = plan.closed_at.astimezone(zone)
        awaiting: list[ServiceOrder] = []
        for listed in plan.open_orders:
            order = uow.service_orders.get(listed.id)
            if not order.is_open:
                continue
            if order.situation is OrderSituation.AWAITING_RELEASE:
                awaiting.append(order)
                continue
            result = close_in(
                uow,
                ctx,
                order_id=order.id,
                reason_id=reason.id,
                closed_on=local.date(),
                closing_time=local.time().replace(microsecond=0),
                actor=actor,
                at=now,
                remark=plan.remark,
                run_hooks=False,
            )
            closed_orders.append(result.order)
        fresh = [uow.service_orders.get(o.id) for o in awaiting]
        closed_orders += close_orders_by_request(
            uow,
            [o for o in fresh if o.is_open],
            reason_id=reason.id,
            closed_at=plan.closed_at,
            remark=plan.remark,
            actor=actor,
            unit_id=user_unit,
            at=now,
        )
    made = None
    if plan.executed and with_charge:
        made = _request_charge(
            uow,
            ctx.profile,
            plan=plan,
            charge=charge,
            value=charge_value,
            actor=actor,
            at=now,
        )
    current = uow.service_requests.get(request.id)
    assert (
        rules.transition(current.situation, RequestAction.CLOSE)
        is RequestSituation.CLOSED
    )
    closed = attrs.evolve(
        current,
        situation=RequestSituation.CLOSED,
        closed_at=plan.closed_at,
        closing_reason_id=reason.id,
        closing_remark=None if plan.remark is None else plan.remark.upper(),
        closing_unit_id=user_unit,
        closed_by=actor,
        duplicate_of_id=plan.duplicate_of_id,
        non_charge_reason_id=None if charge is None else charge.non_charge_reason_id,
        version=current.version + 1,
    )
    uow.service_requests.update(closed)
    events: list[object] = [
        ServiceRequestClosed(
            occurred_at=now,
            actor=actor,
            request_id=request.id,
            closing_reason_id=reason.id,
            executed=plan.executed,
            closed_at=plan.closed_at,
            duplicate_of_id=plan.duplicate_of_id,
            command_id=command_id,
        )
    ]
    survey = _survey_event(uow, ctx.profile, plan, closed, actor=actor, now=now)
    if survey is not None:
        events.append(survey)
    uow.record(*events)  # type: ignore[arg-type]
    spec = plan.spec
    return RequestClosingResult(
        request=closed,
        executed=plan.executed,
        closed_orders=tuple(closed_orders),
        charge=made,
        new_request_offer=None if spec is None else spec.new_request_specification_id,
        survey_requested=survey is not None,
    )


def _survey_event(
    uow: UnitOfWork,
    profile: UtilityProfile,
    plan: _ClosePlan,
    closed: ServiceRequest,
    *,
    actor: int,
    now: datetime,
) -> SatisfactionSurveyRequested | None:
    """ENC-12 / SAT-02: a concluded service whose type sends the survey."""
    spec = plan.spec
    if (
        spec is None
        or spec.service_type_id is None
        or not profile.plays("closing_reason.service_concluded", plan.reason.id)
    ):
        return None
    service_type = uow.service_types.find(spec.service_type_id)
    if service_type is None or not service_type.send_survey:
        return None
    email = next(
        (r.email for r in closed.requesters if r.survey_opt_in and r.email),
        None,
    )
    if email is None:
        return None
    return SatisfactionSurveyRequested(
        occurred_at=now,
        actor=actor,
        request_id=closed.id,
        email=email,
        protocol=closed.protocol,
    )


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
) -> RequestClosingResult:
    """Close a request inside ``uow`` (ENC-01..ENC-15)."""
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
    """Reactivate a closed request as a new linked one (REA-01..REA-06)."""
    old = uow.service_requests.get(request_id)
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
    situation and debt checks (UPD-06)."""
    request = uow.service_requests.get(request_id)
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
    place = _place(uow, location, sewer=sewer, full=True)
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


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants ``[first 00:00, last + 1 day 00:00)`` in the utility's zone."""
    return (
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone),
    )
