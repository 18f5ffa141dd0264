"""The requests (RA) an inspection return opens (UC0488): a new situation
whose water or sewer matrix row, for the property's current situation, names a
request specification opens that RA through the service requests' opening
path, in the return's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    OpenRequest,
    Requester,
    RequestLocation,
    ServiceRequest,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import inspections as rules
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.lifecycle import open_in

__all__ = ["open_requests", "requested_specifications"]


def requested_specifications(
    chosen: Sequence[CatalogItem],
    prop: Property | None,
    water_rows: Sequence[CatalogItem],
    sewer_rows: Sequence[CatalogItem],
) -> list[int]:
    """The specifications the new situations' matrix rows name for the
    property's current water and sewer situations, each once, in order."""
    if prop is None:
        return []
    found: list[int] = []
    for flag, rows, status in (
        ("validates_water", water_rows, prop.water_status_id),
        ("validates_sewer", sewer_rows, prop.sewer_status_id),
    ):
        for item in chosen:
            if not item.flag(flag):
                continue
            row = rules.matching_effect(rows, situation_id=item.id, status_id=status)
            spec = None if row is None else row.integer("specification_id")
            if spec is not None and spec not in found:
                found.append(spec)
    return found


def open_requests(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    specifications: Sequence[int],
    order: ServiceOrder,
    prop: Property,
    requester: Requester | None,
    actor: int,
    at: datetime,
) -> tuple[ServiceRequest, ...]:
    """Open one RA per specification for the property, through the service
    requests' opening rules (INS), on the internal channel (role
    ``request_channel.internal``), attended by the inspection order's unit;
    the requester is ``requester``, else the acting user for its unit."""
    if not specifications:
        return ()
    channels = ctx.profile.ids("request_channel.internal")
    if not channels:
        raise ConfigurationError(
            "the role request_channel.internal names no request channel"
        )
    who = requester or _acting(uow, actor)
    unit_id = (
        order.current_unit_id if order.current_unit_id is not None else who.unit_id
    )
    assert unit_id is not None
    opened = []
    for spec in specifications:
        command = OpenRequest(
            specification_id=spec,
            unit_id=unit_id,
            channel_id=min(channels),
            location=RequestLocation(property_id=prop.id),
            requesters=(who,),
            observation=f"FISCALIZACAO DA OS {order.id}",
        )
        opened.append(open_in(uow, ctx, command, actor=actor, at=at).request)
    return tuple(opened)


def _acting(uow: UnitOfWork, actor: int) -> Requester:
    user = uow.users.find(actor)
    if user is None:
        # INS-18 then asks the caller for a requester
        return Requester(employee_id=actor)
    unit = uow.units.find(user.unit_id)
    return Requester(
        unit_id=user.unit_id,
        employee_id=actor,
        address=None if unit is None else unit.name,
    )
