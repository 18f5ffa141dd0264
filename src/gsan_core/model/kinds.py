"""Every reference-table kind the library knows, gathered from each area."""

from __future__ import annotations

from collections.abc import Mapping

from gsan_core.model.bulletins import BULLETIN_KINDS
from gsan_core.model.catalog import CatalogKind
from gsan_core.model.field_visits import FIELD_VISIT_KINDS
from gsan_core.model.hydrometers import HYDROMETER_KINDS
from gsan_core.model.inspections import INSPECTION_KINDS
from gsan_core.model.reference_tables import FOUNDATION_KINDS
from gsan_core.model.repaving import REPAVING_KINDS
from gsan_core.model.scheduling import SCHEDULING_KINDS
from gsan_core.model.service_orders import SERVICE_ORDER_KINDS
from gsan_core.model.service_requests import SERVICE_REQUEST_KINDS

__all__ = ["ALL_KINDS", "kinds_by_name"]

ALL_KINDS: tuple[CatalogKind, ...] = (
    *FOUNDATION_KINDS,
    *SERVICE_ORDER_KINDS,
    *HYDROMETER_KINDS,
    *SERVICE_REQUEST_KINDS,
    *SCHEDULING_KINDS,
    *INSPECTION_KINDS,
    *REPAVING_KINDS,
    *FIELD_VISIT_KINDS,
    *BULLETIN_KINDS,
)


def kinds_by_name(
    kinds: tuple[CatalogKind, ...] = ALL_KINDS,
) -> Mapping[str, CatalogKind]:
    """The kinds keyed by name; a name used twice is a programming error."""
    found: dict[str, CatalogKind] = {}
    for kind in kinds:
        if kind.name in found:
            msg = f"catalog kind {kind.name!r} is declared twice"
            raise ValueError(msg)
        found[kind.name] = kind
    return found
