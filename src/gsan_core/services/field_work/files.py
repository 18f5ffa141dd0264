"""Field-device files (TXT): generation, life cycle and the streamed writers.

A file is generated in one unit of work (TXT-05: the file and one item per
order, or nothing). Its text is never built in memory: :func:`smartphone_lines`
yields the records page by page (1,000 orders a page, one read of the orders
and one of their properties each) and the service encodes them into the
caller's stream with the utility's declared encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager

from gsan_core.model.field_files import FieldFile, FieldFileItem
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.field_files import record

__all__ = ["PAGE", "inspection_lines", "page_items", "smartphone_lines"]

#: Orders per page when a file is written or its return applied.
PAGE = 1_000

Reader = Callable[[], AbstractContextManager[UnitOfWork]]


def page_items(read: Reader, file: FieldFile) -> Iterator[list[FieldFileItem]]:
    """The file's items a page at a time, in file order (by sequence)."""
    for first in range(1, file.order_count + 1, PAGE):
        wanted = list(range(first, min(first + PAGE, file.order_count + 1)))
        with read() as uow:
            items = uow.field_file_items.find_by(file_id=file.id, sequence=wanted)
        yield sorted(items, key=lambda item: item.sequence)


def _inscription(prop: object) -> str:
    return "{}.{}.{}.{}".format(
        getattr(prop, "locality_id", ""),
        getattr(prop, "sector_id", ""),
        getattr(prop, "block_id", ""),
        getattr(prop, "block_face", "") or "",
    )


def smartphone_lines(read: Reader, file: FieldFile) -> Iterator[str]:
    """UC1484's layout: ``00`` the file id, ``04`` the closing reasons (id,
    description, executed 1/2), ``11`` the service types, then one ``16`` per
    order in file order. Fields the library does not hold (client, meter,
    address text) are written empty, never as ``null``."""
    yield record("00", [file.id])
    with read() as uow:
        reasons = uow.catalog.list("closing_reason")
        types = uow.service_types.find_by()
        names = {
            (kind, item.id): item.description
            for kind in ("water_status", "sewer_status")
            for item in uow.catalog.list(kind)
        }
    for reason in sorted(reasons, key=lambda r: r.id):
        if reason.active:
            yield record("04", [reason.id, reason.description, reason.flag("executed")])
    for kind in sorted(types, key=lambda t: t.id):
        if kind.active:
            yield record("11", [kind.id, kind.description, ""])
    for items in page_items(read, file):
        with read() as uow:
            orders = uow.service_orders.get_many([i.order_id for i in items])
            props = uow.properties.get_many(
                sorted({o.property_id for o in orders.values() if o.property_id})
            )
        for item in items:
            order = orders[item.order_id]
            prop = props.get(order.property_id or 0)
            yield record("16", _order_fields(order, item, prop, names))


def _order_fields(
    order: ServiceOrder,
    item: FieldFileItem,
    prop: object | None,
    names: Mapping[tuple[str, int], str],
) -> Sequence[object]:
    categories = getattr(prop, "categories", ()) or ()
    main = max(categories, key=lambda c: c.count, default=None)
    return [
        order.id,
        order.service_type_id,
        item.sequence,
        "",  # formatted address: not held by the library
        _inscription(prop) if prop is not None else "",
        order.property_id,
        getattr(prop, "profile_id", ""),
        main.count if main is not None else "",
        main.category_id if main is not None else "",
        getattr(prop, "route_id", ""),
        names.get(("water_status", getattr(prop, "water_status_id", -1)), ""),
        names.get(("sewer_status", getattr(prop, "sewer_status_id", -1)), ""),
        1,  # tipo de medição: water (1 when the order has no RA)
        *[""] * 17,  # meter (6), last reading, client (9), average consumption
        "",
    ]


def inspection_lines(
    read: Reader, file: FieldFile, *, produced_on: str
) -> Iterator[str]:
    """INSP-03's layout (prodiga's anomaly-inspection file): one line per
    order, 31 fields each followed by ``;``; the fields the library does not
    hold are empty."""
    for items in page_items(read, file):
        with read() as uow:
            orders = uow.service_orders.get_many([i.order_id for i in items])
            props = uow.properties.get_many(
                sorted({o.property_id for o in orders.values() if o.property_id})
            )
        for item in items:
            order = orders[item.order_id]
            prop = props.get(order.property_id or 0)
            economies = {
                c.category_id: c.count for c in getattr(prop, "categories", ())
            }
            fields: list[object] = [
                order.id,
                produced_on,
                item.sequence,
                _inscription(prop) if prop is not None else "",
                order.property_id,
                getattr(prop, "profile_id", ""),
                "",
                *(economies.get(n, 0) for n in (1, 2, 3, 4)),
                "",
                getattr(prop, "route_id", ""),
                getattr(prop, "water_status_id", ""),
                "",
                getattr(prop, "sewer_status_id", ""),
                *[""] * 15,
            ]
            yield record("", fields, separator=";")
