"""Generating and updating an OS (GEN-01..09, UPD-01..04) and its reference
order (REF-01..08)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules.service_orders.lifecycle import MAX_OBSERVATION, RequestFacts
from gsan_core.rules.service_orders.messages import (
    CLOSED_ORDER_UNCHANGEABLE,
    OBSERVATION_TOO_LONG,
    OPEN_ORDER_OF_SAME_TYPE,
    ORDER_TRANSMITTED,
    REFERENCE_ORDER_OTHER_REQUEST,
    REFERENCE_ORDER_REQUIRED,
    REFERENCE_ORDER_WRONG_SITUATION,
    REFERENCE_ORDER_WRONG_TYPE,
    REQUEST_DOES_NOT_ALLOW_ORDERS,
    REQUEST_NOT_PENDING,
    UNKNOWN_SERVICE_TYPE,
    USER_NOT_AUTHORISED_FOR_REQUEST,
)
from gsan_core.rules.validation import optional_text


# ---------------------------------------------------------------- references
def reference_spec(
    service_type: ServiceType, lookup: Mapping[int, CatalogItem]
) -> CatalogItem | None:
    """The service type's reference behaviour row (``servico_tipo_referencia``)."""
    if service_type.reference_id is None:
        return None
    return lookup.get(service_type.reference_id)


def _needs_reference_order(spec: CatalogItem | None) -> bool:
    return spec is not None and spec.flag("requires_reference_order")


# ---------------------------------------------------------------- generation
def check_generation(
    *,
    service_type: ServiceType | None,
    service_type_id: int,
    reference: CatalogItem | None,
    request: RequestFacts | None,
    open_orders_of_request: Iterable[ServiceOrder] = (),
    reference_order: ServiceOrder | None = None,
    observation: str | None = None,
) -> tuple[Violation, ...]:
    """GEN-01..GEN-09 for a new OS.

    GEN-08 compares the *referenced* OS's type with the type the reference row
    names (GSAN compares the new OS's own type, which looks like a bug).
    """
    found: list[Violation] = []
    if request is not None:
        if not request.allows_orders:
            found.append(REQUEST_DOES_NOT_ALLOW_ORDERS(request_id=request.id))
        if not request.pending:
            found.append(REQUEST_NOT_PENDING(request_id=request.id))
        if not request.user_authorised:
            found.append(
                USER_NOT_AUTHORISED_FOR_REQUEST(
                    request_id=request.id, unit_id=request.current_unit_id
                )
            )
    if service_type is None or not service_type.active:
        found.append(UNKNOWN_SERVICE_TYPE(service_type_id=service_type_id))
        return tuple(found)
    if request is not None:
        for other in open_orders_of_request:
            if other.is_open and other.service_type_id == service_type.id:
                found.append(
                    OPEN_ORDER_OF_SAME_TYPE(
                        other_id=other.id,
                        service_type_id=service_type.id,
                        request_id=request.id,
                    )
                )
                break
    found += optional_text(
        observation, field="Observation", campo="Observação", max_length=MAX_OBSERVATION
    )
    if _needs_reference_order(reference):
        assert reference is not None
        found += _reference_order_violations(reference, request, reference_order)
    return tuple(found)


def _reference_order_violations(
    reference: CatalogItem,
    request: RequestFacts | None,
    reference_order: ServiceOrder | None,
) -> list[Violation]:
    if reference_order is None:
        return [REFERENCE_ORDER_REQUIRED()]
    found: list[Violation] = []
    request_id = None if request is None else request.id
    if reference_order.request_id != request_id:
        found.append(REFERENCE_ORDER_OTHER_REQUEST(reference_id=reference_order.id))
    expected_type = reference.integer("service_type_id")
    if expected_type is not None and reference_order.service_type_id != expected_type:
        found.append(
            REFERENCE_ORDER_WRONG_TYPE(
                reference_id=reference_order.id, expected=expected_type
            )
        )
    before = reference.integer("situation_before")
    if before is not None and reference_order.situation != before:
        found.append(
            REFERENCE_ORDER_WRONG_SITUATION(
                reference_id=reference_order.id,
                expected=OrderSituation(before).name.lower(),
            )
        )
    return found


# ---------------------------------------------------------------- update
def check_update(
    order: ServiceOrder,
    *,
    observation: str | None,
    service_type: ServiceType | None,
    service_type_id: int,
    reference: CatalogItem | None,
    request: RequestFacts | None,
    reference_order: ServiceOrder | None,
    reference_changed: bool = True,
    transmitted_file_id: int | None = None,
) -> tuple[Violation, ...]:
    """UPD-01..UPD-04: a closed OS never changes; the reference rules GEN-06..09
    are re-validated when the type or the referenced OS changes (an unchanged
    reference was validated at generation, and the OS it holds is awaiting
    release since then, which GEN-09 would refuse). UPD-05: an order a field
    device already returned (``transmitted_file_id``, its file transmitted or
    finished incomplete by the device) does not change either."""
    if not order.is_open:
        return (CLOSED_ORDER_UNCHANGEABLE(order_id=order.id),)
    found: list[Violation] = []
    if transmitted_file_id is not None:
        found.append(ORDER_TRANSMITTED(order_id=order.id, file_id=transmitted_file_id))
    if observation is not None and len(observation) > MAX_OBSERVATION:
        found.append(OBSERVATION_TOO_LONG(length=len(observation)))
    if service_type is None or not service_type.active:
        found.append(UNKNOWN_SERVICE_TYPE(service_type_id=service_type_id))
    elif reference_changed and _needs_reference_order(reference):
        assert reference is not None
        found += _reference_order_violations(reference, request, reference_order)
    return tuple(found)
