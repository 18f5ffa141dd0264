"""Forwarding an RA to another unit (TRM-01..15, GSAN's order, first failure
only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.service_requests import (
    RequestSituation,
    RoutingStep,
    ServiceRequest,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.request_routing import dispatch_centre, is_authorised
from gsan_core.rules.service_requests.lifecycle import _local
from gsan_core.rules.service_requests.messages import (
    FORWARD_BEFORE_LAST_STEP,
    FORWARD_CLOSED_OR_BLOCKED,
    FORWARD_CONCURRENT,
    FORWARD_CONTRACTOR_FROM_CENTRE_ONLY,
    FORWARD_CONTRACTOR_USER,
    FORWARD_DATE_IN_FUTURE,
    FORWARD_DESTINATION_INACTIVE,
    FORWARD_DESTINATION_NOT_ROUTABLE,
    FORWARD_MANY_PENDING_ORDERS,
    FORWARD_NO_CONTRACTOR_ORDER,
    FORWARD_NOT_AUTHORISED,
    FORWARD_ORDER_AWAITING,
    FORWARD_ORDER_IN_EXECUTION,
    FORWARD_ORDER_SCHEDULED,
    FORWARD_SAME_INSTANT,
    FORWARD_SAME_UNIT,
    FORWARD_TIME_IN_FUTURE,
    FORWARD_UNKNOWN_DESTINATION,
    FORWARD_WRONG_CENTRE,
)


# ================================================================= forwarding, TRM
@attrs.frozen(kw_only=True)
class ForwardFacts:
    """What forwarding one request reads, loaded by the service."""

    request: ServiceRequest
    destination_id: int
    destination: OrganizationalUnit | None
    origin: OrganizationalUnit | None
    #: Code letter of each unit type (``untp_cdtipo``: C, T, L...).
    unit_type_codes: Mapping[int, str]
    units: Mapping[int, OrganizationalUnit]
    user: User | None
    orders: tuple[ServiceOrder, ...]
    #: Service types of the request's orders, by id.
    service_types: Mapping[int, ServiceType]
    request_type: CatalogItem | None
    group_id: int | None
    #: Units associated to the request's locality, by request-type group (TRM-11).
    locality_group_units: Mapping[int, tuple[int, ...]]
    last_step: RoutingStep | None
    at: datetime
    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    may_forward_anywhere: bool
    expected_version: int | None = None
    #: Joint forwarding skips TRM-14 and TRM-15 (§2.6).
    joint: bool = False


def _code(unit: OrganizationalUnit | None, codes: Mapping[int, str]) -> str | None:
    return None if unit is None else codes.get(unit.unit_type_id)


def _forward_orders(
    request_id: int, orders: Sequence[ServiceOrder]
) -> Violation | None:
    for order in orders:
        if order.situation is OrderSituation.IN_EXECUTION:
            return FORWARD_ORDER_IN_EXECUTION(request_id=request_id, order_id=order.id)
    for order in orders:
        if order.situation is OrderSituation.AWAITING_RELEASE:
            return FORWARD_ORDER_AWAITING(request_id=request_id, order_id=order.id)
    for order in orders:
        if order.situation is OrderSituation.PENDING and order.scheduled:
            return FORWARD_ORDER_SCHEDULED(request_id=request_id, order_id=order.id)
    return None


def _forward_authorised(facts: ForwardFacts, social: bool) -> bool:
    if not facts.params.routing_control:
        return True
    user_unit = None if facts.user is None else facts.user.unit_id
    if is_authorised(
        user_unit_id=user_unit,
        unit_id=facts.request.current_unit_id,
        units=facts.units,
        may_forward_anywhere=facts.may_forward_anywhere,
    ):
        return True
    home = None if user_unit is None else facts.units.get(user_unit)
    return social and home is not None and home.social_tariff


def _forward_when(facts: ForwardFacts) -> Violation | None:
    at = _local(facts.at, facts.zone)
    now = _local(facts.now, facts.zone)
    if at.date() > now.date():
        return FORWARD_DATE_IN_FUTURE(on=at.date(), today=now.date())
    if at > now:
        return FORWARD_TIME_IN_FUTURE(
            at=at.time().isoformat("minutes"), now=now.time().isoformat("minutes")
        )
    return None


def _centre_allowed(facts: ForwardFacts, pending: Sequence[ServiceOrder]) -> bool:
    associated = facts.locality_group_units
    if facts.params.dispatch_centre_any_group_with_pending_order and pending:
        candidates = [u for units in associated.values() for u in units]
    else:
        candidates = list(associated.get(facts.group_id or -1, ()))
    return any(
        dispatch_centre(unit_id, facts.units) == facts.destination_id
        or unit_id == facts.destination_id
        for unit_id in candidates
    )


def check_forward(facts: ForwardFacts) -> tuple[Violation, ...]:
    """TRM-01..TRM-15 in GSAN's order; only the first failure is reported
    (``validarTramitacao`` stops at it). TRM-16, the library's own: a step is
    never dated before the request's last step (GSAN does not check it), so the
    history in time order ends with the step to the current unit."""
    request = facts.request
    rid = request.id
    orders = facts.orders
    open_orders = [o for o in orders if o.is_open]
    pending = [o for o in orders if o.situation is OrderSituation.PENDING]
    social = facts.request_type is not None and facts.request_type.flag("social_tariff")
    dest = facts.destination
    dest_code = _code(dest, facts.unit_type_codes)
    origin_code = _code(facts.origin, facts.unit_type_codes)
    checks: list[Violation | None] = []
    if request.situation is not RequestSituation.PENDING:
        return (FORWARD_CLOSED_OR_BLOCKED(request_id=rid),)
    found = _forward_orders(rid, open_orders)
    if found is not None:
        return (found,)
    if not _forward_authorised(facts, social):
        return (
            FORWARD_NOT_AUTHORISED(request_id=rid, unit_id=request.current_unit_id),
        )
    checks.append(_forward_when(facts))
    if facts.destination_id == request.current_unit_id:
        checks.append(FORWARD_SAME_UNIT(unit_id=facts.destination_id))
    if dest is None:
        checks.append(FORWARD_UNKNOWN_DESTINATION(unit_id=facts.destination_id))
    else:
        if not dest.accepts_routing and not social:
            checks.append(FORWARD_DESTINATION_NOT_ROUTABLE(unit_id=dest.id))
        if not dest.active:
            checks.append(FORWARD_DESTINATION_INACTIVE(unit_id=dest.id))
    if dest_code == "T":
        if origin_code != "C":
            checks.append(FORWARD_CONTRACTOR_FROM_CENTRE_ONLY())
        if not any(
            facts.service_types.get(o.service_type_id) is not None
            and facts.service_types[o.service_type_id].contractor
            for o in pending
        ):
            checks.append(FORWARD_NO_CONTRACTOR_ORDER(request_id=rid))
    if dest_code == "C" and origin_code != "C" and not _centre_allowed(facts, pending):
        checks.append(
            FORWARD_WRONG_CENTRE(request_id=rid, unit_id=facts.destination_id)
        )
    if origin_code == "T" and (
        facts.user is None or facts.user.unit_id != request.current_unit_id
    ):
        checks.append(FORWARD_CONTRACTOR_USER(unit_id=request.current_unit_id))
    if dest_code == "T" and len(pending) > 1:
        checks.append(FORWARD_MANY_PENDING_ORDERS(request_id=rid))
    last = facts.last_step
    if last is not None and facts.at < last.at:
        checks.append(
            FORWARD_BEFORE_LAST_STEP(
                at=facts.at.isoformat(), last_at=last.at.isoformat()
            )
        )
    if not facts.joint:
        if last is not None and last.at == facts.at:
            checks.append(FORWARD_SAME_INSTANT(request_id=rid, at=facts.at.isoformat()))
        expected = facts.expected_version
        if expected is not None and expected != request.version:
            checks.append(
                FORWARD_CONCURRENT(
                    request_id=rid, expected=expected, actual=request.version
                )
            )
    for violation in checks:
        if violation is not None:
            return (violation,)
    return ()
