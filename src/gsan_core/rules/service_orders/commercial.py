"""The commercial operation an OS runs at most once (COM-01..05): the menu
path, the service type and the property."""

from __future__ import annotations

from datetime import date, timedelta

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules.service_orders.lifecycle import MenuVariant
from gsan_core.rules.service_orders.messages import (
    CHARGED_ORDER_WITHOUT_PROPERTY,
    COMMERCIAL_ALREADY_APPLIED,
    MENU_ORDER_NOT_CLOSED,
    MENU_ORDER_NOT_EXECUTED,
    ORDER_WITHOUT_PROPERTY,
    WRONG_SERVICE_TYPE_FOR_OPERATION,
)


# ---------------------------------------------------------------- commercial operation
def check_menu_path(
    order: ServiceOrder,
    *,
    reason: CatalogItem | None,
    today: date,
    variant: MenuVariant,
) -> tuple[Violation, ...]:
    """COM-01..COM-03: an operation run from the menu needs an OS already closed
    *as executed* (``"grace"``: or closed not executed within the reason's grace
    days) that did not update the commercial system yet (``"update"`` skips that
    last check, for the data-correction screens)."""
    if order.situation is not OrderSituation.CLOSED:
        return (MENU_ORDER_NOT_CLOSED(order_id=order.id),)
    found: list[Violation] = []
    executed = reason is not None and reason.flag("executed")
    if not executed:
        grace = None if reason is None else reason.integer("grace_days")
        closed_on = order.closed_at.date() if order.closed_at else None
        within = (
            variant == "grace"
            and grace is not None
            and closed_on is not None
            and closed_on + timedelta(days=grace) >= today
        )
        if not within:
            found.append(MENU_ORDER_NOT_EXECUTED(order_id=order.id))
    if variant != "update" and order.commercial_applied:
        found.append(COMMERCIAL_ALREADY_APPLIED(order_id=order.id))
    return tuple(found)


def check_type_matches(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    operation: str,
    operation_title: str,
    profile: UtilityProfile,
    operation_title_pt: str | None = None,
    message: Message | None = None,
) -> tuple[Violation, ...]:
    """COM-04 (GSAN C-ST): the OS's type runs ``operation``, either because the type
    is linked to it (``servico_tipo_operacao``) or because the profile's role
    ``service_type.<operation>`` lists the type's id (GSAN's hard-coded fallback).

    ``message`` replaces the generic violation with the operation's own (GSAN has
    one message per operation, e.g. ``atencao.servico_associado_corte_ligacao_agua_invalida``);
    it receives the same parameters. The generic message names the operation by
    ``operation_title`` in English and ``operation_title_pt`` in Portuguese."""
    linked = service_type.operation == operation
    fallback = service_type.id in profile.ids(f"service_type.{operation}")
    if linked or fallback:
        return ()
    return (
        (message or WRONG_SERVICE_TYPE_FOR_OPERATION)(
            order_id=order.id,
            service_type_id=service_type.id,
            operation=operation_title,
            operacao=operation_title_pt or operation,
        ),
    )


def check_charged_property(
    order: ServiceOrder, prop: Property | None
) -> tuple[Violation, ...]:
    """DEB-04: an OS whose service is charged has a property (its own or its RA's)."""
    if prop is None:
        return (CHARGED_ORDER_WITHOUT_PROPERTY(order_id=order.id),)
    return ()


def check_has_property(
    order: ServiceOrder, property_id: int | None
) -> tuple[Violation, ...]:
    """COM-05 (first part): the OS has a property, its own or its RA's."""
    if property_id is None:
        return (ORDER_WITHOUT_PROPERTY(order_id=order.id),)
    return ()
