"""Builders shared by the service-order rule tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType

AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
TODAY = date(2025, 1, 6)


def order(id: int = 1, **changes: Any) -> ServiceOrder:
    """A pending order of type 10 generated at :data:`AT`."""
    values: dict[str, Any] = {
        "id": id,
        "service_type_id": 10,
        "generated_at": AT,
        "situation": OrderSituation.PENDING,
    }
    values.update(changes)
    return ServiceOrder(**values)


def service_type(id: int = 10, **changes: Any) -> ServiceType:
    """An active service type without flags."""
    values: dict[str, Any] = {
        "id": id,
        "description": f"TIPO {id}",
        "abbreviation": f"T{id}",
    }
    values.update(changes)
    return ServiceType(**values)


def item(kind: str, id: int, active: bool = True, **attributes: Any) -> CatalogItem:
    """A catalog row with the given attributes."""
    return CatalogItem(
        kind=kind,
        id=id,
        description=f"{kind} {id}",
        active=active,
        attributes=attributes,
    )


def only(
    violations: Iterable[Violation], code: str, rule: str | None, gsan_key: str | None
) -> Violation:
    """The single violation with ``code``, checked for its rule and GSAN key."""
    found = [v for v in violations if v.code == code]
    assert len(found) == 1, [str(v) for v in violations]
    violation = found[0]
    assert violation.rule == rule, violation
    assert violation.gsan_key == gsan_key, violation
    assert violation.message("en")
    assert violation.message("pt")
    return violation


def codes(violations: Iterable[Violation]) -> list[str]:
    """The codes, in order."""
    return [v.code for v in violations]
