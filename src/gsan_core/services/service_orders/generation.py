"""Generating an OS inside a caller's unit of work (:func:`generate_in`,
:func:`generate_from_collection_in`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    OrderAction,
    OrderOrigin,
    OrderUnitRelation,
    ServiceOrder,
    ServiceOrderGenerated,
    ServiceOrderSituationChanged,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as rules
from gsan_core.rules.service_orders import RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_orders.common import (
    _locality_unit,
    _move,
    _permission,
    _reference_of,
    _unit_record,
    missing_references,
)


# ---------------------------------------------------------------- generation
def generate_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    service_type_id: int,
    actor: int,
    at: datetime,
    origin: OrderOrigin = OrderOrigin.STANDALONE,
    property_id: int | None = None,
    request: RequestFacts | None = None,
    collection_document_id: int | None = None,
    reference_order_id: int | None = None,
    reference_service_type_id: int | None = None,
    unit_id: int | None = None,
    priority_id: int | None = None,
    observation: str | None = None,
    emitted: bool = False,
    known_property: Property | None = None,
    request_locked: bool = False,
) -> ServiceOrder:
    """Generate an OS inside ``uow`` (GEN-01..GEN-09; §2.2 common initialisation).

    The request (GEN-05 reads its open orders) and, when the profile allows one
    open order per property and type, the property are locked before their
    orders are read (``docs/concurrency.md``). ``known_property``: the
    property as the caller read it in ``uow`` (not read again unless locked)."""
    if request is not None:
        property_id = property_id if property_id is not None else request.property_id
    checked = _read_and_check(
        uow,
        ctx,
        service_type_id=service_type_id,
        actor=actor,
        at=at,
        property_id=property_id,
        request=request,
        reference_order_id=reference_order_id,
        unit_id=unit_id,
        priority_id=priority_id,
        observation=observation,
        known_property=known_property,
        request_locked=request_locked,
    )
    prop = _property(uow, property_id, checked.prop)
    if unit_id is None:
        unit_id = (
            request.current_unit_id
            if request is not None
            else _locality_unit(uow, prop)
        )
    service_type = checked.service_type
    order = ServiceOrder(
        id=uow.next_id("service_order"),
        service_type_id=service_type.id,
        origin=origin,
        property_id=property_id,
        request_id=None if request is None else request.id,
        collection_document_id=collection_document_id,
        reference_order_id=reference_order_id,
        reference_service_type_id=reference_service_type_id,
        generated_at=at,
        emitted_at=at if emitted else None,
        observation=observation,
        original_value=service_type.value,
        current_unit_id=unit_id,
        original_priority_id=service_type.priority_id,
        current_priority_id=priority_id
        if priority_id is not None
        else service_type.priority_id,
    )
    uow.service_orders.add(order)
    _unit_record(uow, order, OrderUnitRelation.OPENED, actor, at)
    _record_generated(uow, order, checked, actor=actor, at=at)
    return order


@attrs.frozen(kw_only=True)
class _Generation:
    """What the generation rules read: the type, its reference behaviour, the
    reference order, and the property when locked for GEN-uniqueness (else as
    the caller read it)."""

    service_type: ServiceType
    reference: CatalogItem | None
    reference_order: ServiceOrder | None
    prop: Property | None


def _read_and_check(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    service_type_id: int,
    actor: int,
    at: datetime,
    property_id: int | None,
    request: RequestFacts | None,
    reference_order_id: int | None,
    unit_id: int | None,
    priority_id: int | None,
    observation: str | None,
    known_property: Property | None,
    request_locked: bool,
) -> _Generation:
    """GEN-01..GEN-09: the type, the request's open orders (after its lock),
    the reference order, the references given, one open order per property
    and type (after the property's lock) and the restriction window."""
    service_type = uow.service_types.find(service_type_id)
    reference = _reference_of(uow, service_type)
    open_of_request: Sequence[ServiceOrder] = ()
    if request is not None and not request.new:
        # (the facts may describe a request another module keeps: no NotFound;
        # ``request_locked``: the caller locked it in ``uow`` already)
        if not request_locked:
            uow.service_requests.lock_many([request.id])
        open_of_request = uow.service_orders.find_by(request_id=request.id)
    reference_order = (
        None
        if reference_order_id is None
        else uow.service_orders.find(reference_order_id)
    )
    found = rules.check_generation(
        service_type=service_type,
        service_type_id=service_type_id,
        reference=reference,
        request=request,
        open_orders_of_request=open_of_request,
        reference_order=reference_order,
        observation=observation,
    )
    found = (
        *found,
        *missing_references(uow, priority_id=priority_id, unit_id=unit_id),
    )
    per_property = ctx.profile.service_orders.one_open_order_per_property_type
    if per_property and property_id is not None and not found:
        known_property = uow.properties.lock_many([property_id]).get(property_id)
        found = rules.check_property_uniqueness(
            enabled=per_property,
            property_id=property_id,
            service_type_id=service_type_id,
            open_orders_of_property=uow.service_orders.find_by(
                property_id=property_id, service_type_id=service_type_id
            ),
        )
    if not found:
        found = _restriction_window(
            uow, ctx, service_type_id, property_id=property_id, actor=actor, at=at
        )
    ensure(found)
    assert service_type is not None
    return _Generation(
        service_type=service_type,
        reference=reference,
        reference_order=reference_order,
        prop=known_property,
    )


def _property(
    uow: UnitOfWork, property_id: int | None, known: Property | None
) -> Property | None:
    """The order's property: as read already when it is the one, else read."""
    if property_id is None:
        return None
    return (
        known
        if known is not None and known.id == property_id
        else uow.properties.get(property_id)
    )


def _record_generated(
    uow: UnitOfWork,
    order: ServiceOrder,
    checked: _Generation,
    *,
    actor: int,
    at: datetime,
) -> None:
    """The order's event; an open reference order that the type requires is
    held for it, with its event."""
    events: list[object] = [
        ServiceOrderGenerated(
            occurred_at=at,
            actor=actor,
            order_id=order.id,
            service_type_id=order.service_type_id,
            origin=order.origin,
            property_id=order.property_id,
            request_id=order.request_id,
        )
    ]
    reference, reference_order = checked.reference, checked.reference_order
    if (
        reference_order is not None
        and reference is not None
        and reference.flag("requires_reference_order")
        and reference_order.is_open
    ):
        held = _move(uow, reference_order, OrderAction.HOLD_FOR_REFERENCE)
        events.append(
            ServiceOrderSituationChanged(
                occurred_at=at,
                actor=actor,
                order_id=held.id,
                before=reference_order.situation,
                after=held.situation,
            )
        )
    uow.record(*events)  # type: ignore[arg-type]


def _restriction_window(
    uow: UnitOfWork,
    ctx: ServiceContext,
    service_type_id: int,
    *,
    property_id: int | None,
    actor: int,
    at: datetime,
) -> tuple[Violation, ...]:
    """GEN-18: the profile's restriction window of the type (CAGEPA)."""
    days = ctx.profile.service_orders.restriction_days(service_type_id)
    if days <= 0 or property_id is None:
        return ()
    orders = uow.service_orders.find_by(
        property_id=property_id, service_type_id=service_type_id
    )
    return rules.check_restriction_window(
        property_id=property_id,
        service_type_id=service_type_id,
        days=days,
        last_closed=rules.last_closing(
            orders, service_type_id=service_type_id, zone=ctx.zone
        ),
        today=at.astimezone(ctx.zone).date(),
        may_bypass=_permission(ctx, uow, actor, "generate_order_within_restriction"),
    )


def generate_from_collection_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    service_type_id: int,
    property_id: int,
    collection_document_id: int,
    actor: int,
    at: datetime,
    observation: str | None = None,
) -> ServiceOrder:
    """Generate inside ``uow`` the OS of a collection action (GEN-10: the unit is
    the one of the property's locality, and there must be one)."""
    prop = uow.properties.get(property_id)
    unit_id = _locality_unit(uow, prop)
    ensure(rules.check_collection_unit(prop, unit_id))
    return generate_in(
        uow,
        ctx,
        service_type_id=service_type_id,
        actor=actor,
        at=at,
        origin=OrderOrigin.COLLECTION,
        property_id=property_id,
        collection_document_id=collection_document_id,
        unit_id=unit_id,
        observation=observation,
        known_property=prop,
    )
