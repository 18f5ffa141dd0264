"""Collection actions: the batch that generates cut orders for a collection group."""

from __future__ import annotations

from typing import ClassVar

import attrs

from gsan_core.model.events import DomainEvent

__all__ = ["CutFact", "CutOrdersGenerated"]


@attrs.frozen(kw_only=True)
class CutFact:
    """What the cut-order batch knows of one property of a route."""

    property_id: int
    route_id: int
    locality_id: int
    water_status_id: int
    active: bool
    #: The property already has an open (not closed) cut order.
    has_open_cut_order: bool


def _ids(value: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CutOrdersGenerated(DomainEvent):
    """A unit (route) of the cut-order batch generated its orders."""

    tag: ClassVar[str] = "collection.cut_orders_generated"
    group_id: int
    route_id: int
    service_type_id: int
    order_ids: tuple[int, ...] = attrs.field(converter=_ids)
    property_ids: tuple[int, ...] = attrs.field(converter=_ids)
