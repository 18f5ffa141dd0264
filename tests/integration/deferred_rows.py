"""The rows and events the deferred-write tests (``test_deferred_*.py``)
write: units of the catalogue and their ``CatalogItemAdded`` events."""

from __future__ import annotations

from datetime import UTC, datetime

from gsan_core.model.catalog import CatalogItemAdded
from gsan_core.model.units import OrganizationalUnit

#: The instant of every event.
AT = datetime(2026, 1, 5, 12, tzinfo=UTC)


def unit(ident: int, name: str = "U") -> OrganizationalUnit:
    """A unit of type 1 (no parent)."""
    return OrganizationalUnit(id=ident, name=name, unit_type_id=1)


def added(item_id: int) -> CatalogItemAdded:
    """The event of unit ``item_id`` added by actor 1 at :data:`AT`."""
    return CatalogItemAdded(occurred_at=AT, actor=1, kind="unit", item_id=item_id)
