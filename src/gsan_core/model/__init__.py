"""The model ring: frozen attrs types only (no I/O, no clock, no SQLAlchemy).

Importing this package imports every model module, so every domain event class is
known to :func:`gsan_core.model.events.all_event_types`.
"""

from gsan_core.model import (
    billing,
    catalog,
    collection,
    connections,
    consumption,
    events,
    hydrometers,
    kinds,
    profile,
    properties,
    reference_tables,
    service_orders,
    service_requests,
    units,
)

__all__ = [
    "billing",
    "catalog",
    "collection",
    "connections",
    "consumption",
    "events",
    "hydrometers",
    "kinds",
    "profile",
    "properties",
    "reference_tables",
    "service_orders",
    "service_requests",
    "units",
]
