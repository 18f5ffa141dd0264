"""Helpers the service-request flows share: local dates, units and
permissions, the protocol number, moving a request, its specification."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import attrs

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.model.service_requests import (
    RequestSpecification,
    RoutingStep,
    ServiceRequest,
)
from gsan_core.ports.unit_of_work import UnitOfWork

_OPEN_SITUATIONS = (
    OrderSituation.PENDING,
    OrderSituation.IN_EXECUTION,
    OrderSituation.AWAITING_RELEASE,
)


# ---------------------------------------------------------------- helpers
def _zone(profile: UtilityProfile) -> tzinfo:
    return ZoneInfo(profile.timezone)


def _local_date(at: datetime, zone: tzinfo) -> date:
    return at.astimezone(zone).date()


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
    step = routing_step(
        uow,
        request,
        to_unit_id=to_unit_id,
        from_unit_id=from_unit_id,
        at=at,
        actor=actor,
        responsible_id=responsible_id,
        remark=remark,
        automatic=automatic,
    )
    uow.routing_steps.add(step)
    moved = attrs.evolve(
        request, current_unit_id=to_unit_id, version=request.version + 1
    )
    uow.service_requests.update(moved)
    orders = moved_orders(uow.service_orders.find_by(request_id=request.id), to_unit_id)
    if orders:
        uow.service_orders.update_many(orders)
    return moved, step, len(orders)


def routing_step(
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
) -> RoutingStep:
    """The routing step that moves ``request`` to ``to_unit_id`` (not written)."""
    return RoutingStep(
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


def moved_orders(orders: Iterable[ServiceOrder], to_unit_id: int) -> list[ServiceOrder]:
    """The orders not at ``to_unit_id`` yet, moved there (not written)."""
    return [
        attrs.evolve(o, current_unit_id=to_unit_id, version=o.version + 1)
        for o in orders
        if o.current_unit_id != to_unit_id
    ]


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


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants ``[first 00:00, last + 1 day 00:00)`` in the utility's zone."""
    return (
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone),
    )
