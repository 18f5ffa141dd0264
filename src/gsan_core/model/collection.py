"""Collection actions: the batch that generates cut orders for a collection group."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from gsan_core.model.events import DomainEvent
from gsan_core.model.service_orders import OrderUnitRecord, ServiceOrder

__all__ = [
    "CutCriteria",
    "CutFact",
    "CutOrderTemplate",
    "CutOrdersGenerated",
    "CutOrdersWritten",
    "CutSelection",
    "WrittenCutOrder",
]


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


def _frozen_ids(value: frozenset[int] | set[int] | tuple[int, ...]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class CutCriteria:
    """CUT-1..CUT-5 as data, for an adapter that decides a chunk of routes in
    the database (``CollectionQueries.select_cut_orders``)."""

    #: The order types that count as an open cut order (CUT-2).
    cut_service_type_ids: frozenset[int] = attrs.field(converter=_frozen_ids)
    #: The water situations that allow a cut (CUT-1).
    allowed_situations: frozenset[int] = attrs.field(converter=_frozen_ids)
    #: CUT-3: bills due before this day count, at least this many, adding up
    #: to at least this amount.
    due_before: date
    min_bills: int
    min_amount: Decimal
    #: CUT-5 (GEN-18): the type whose last closing restricts a new order, and
    #: the instant from which a closing is too recent (``None``: no window).
    restricted_type_id: int | None = None
    restricted_since: datetime | None = None


@attrs.frozen(kw_only=True)
class CutSelection:
    """What the database decided for a chunk of routes: the properties that
    get an order (by id) and how many were skipped, by reason."""

    processed: int
    chosen: tuple[CutFact, ...]
    skipped: Mapping[str, int] = attrs.field(factory=dict)
    #: The unit of each chosen property's locality (CUT-4: its active unit of
    #: the highest id), by locality id.
    units: Mapping[int, int] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class CutOrderTemplate:
    """What every order of a chunk shares, for an adapter that writes the
    chunk's orders in the store (``CollectionQueries.write_cut_orders``).

    ``order`` and ``trail`` are samples: the store writes them as they are,
    but for the new ids, the property and its locality's unit."""

    order: ServiceOrder
    trail: OrderUnitRecord


@attrs.frozen(kw_only=True)
class WrittenCutOrder:
    """One order a chunk wrote: its id, its property and the property's route."""

    order_id: int
    property_id: int
    route_id: int


@attrs.frozen(kw_only=True)
class CutOrdersWritten:
    """What the store decided and wrote for a chunk of routes: the orders
    (ascending by id, which follows the property id) and the skips by reason."""

    processed: int
    orders: tuple[WrittenCutOrder, ...]
    skipped: Mapping[str, int] = attrs.field(factory=dict)
