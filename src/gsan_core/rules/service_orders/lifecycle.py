"""The OS lifecycle as data (:data:`TRANSITIONS`), its limits, and the facts
the rules are given."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Literal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import (
    InspectionResult,
    OrderAction,
    OrderSituation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.rules.service_orders.messages import NOT_ALLOWED_FROM_SITUATION

P, C, E, A = (
    OrderSituation.PENDING,
    OrderSituation.CLOSED,
    OrderSituation.IN_EXECUTION,
    OrderSituation.AWAITING_RELEASE,
)

#: ``(situation before, action) -> situation after``; ``None`` before = a new OS.
TRANSITIONS: Mapping[tuple[OrderSituation | None, OrderAction], OrderSituation] = {
    (None, OrderAction.GENERATE): P,
    (P, OrderAction.UPDATE): P,
    (E, OrderAction.UPDATE): E,
    (A, OrderAction.UPDATE): A,
    (P, OrderAction.START_EXECUTION): E,
    (E, OrderAction.BACK_TO_PENDING): P,
    (P, OrderAction.CLOSE_EXECUTED): C,
    (E, OrderAction.CLOSE_EXECUTED): C,
    (P, OrderAction.CLOSE_NOT_EXECUTED): C,
    (E, OrderAction.CLOSE_NOT_EXECUTED): C,
    (P, OrderAction.HOLD_FOR_REFERENCE): A,
    (A, OrderAction.RELEASE): P,
    (A, OrderAction.RELEASE_CLOSING): C,
    (P, OrderAction.CLOSE_WITH_REFERRING): C,
    (E, OrderAction.CLOSE_WITH_REFERRING): C,
    (A, OrderAction.CLOSE_WITH_REFERRING): C,
    (P, OrderAction.CLOSE_OVERDUE): C,
    (P, OrderAction.CLOSE_BY_REQUEST): C,
    (E, OrderAction.CLOSE_BY_REQUEST): C,
    (A, OrderAction.CLOSE_BY_REQUEST): C,
}

#: ``orse_pcvalorcobranca``: the percentages of the value a charge may take.
CHARGE_PERCENTAGES = (100, 70, 50)
MenuVariant = Literal["strict", "grace", "update"]
MAX_REMARK = 400
MAX_OBSERVATION = 200


# ---------------------------------------------------------------- facts given to rules
@attrs.frozen(kw_only=True)
class RequestFacts:
    """What generation needs to know about the service request (RA) of an OS."""

    id: int
    allows_orders: bool
    pending: bool
    user_authorised: bool
    current_unit_id: int | None = None
    property_id: int | None = None
    #: Opened in the same unit of work: no other writer sees it yet (nothing
    #: to lock) and it has no orders yet (none to read).
    new: bool = False


@attrs.frozen(kw_only=True)
class ChargeRequest:
    """What the operator filled in the charge part of the commercial screen."""

    value: Decimal | None = None
    percentage: int = 100
    installments: int = 1
    non_charge_reason_id: int | None = None


@attrs.frozen(kw_only=True)
class CloseRequest:
    """The closing form of an OS (UC0457)."""

    reason: CatalogItem | None
    closed_on: date | None
    remark: str | None = None
    #: The reason id the operator chose (``reason`` is ``None`` when it does not
    #: exist): reported as not allowed rather than missing.
    reason_id: int | None = None
    inspection_result: InspectionResult | None = None
    activities_given: bool = False
    return_type: CatalogItem | None = None
    new_service_type: ServiceType | None = None
    pavement_area: Decimal | None = None


# ---------------------------------------------------------------- transitions
def transition(
    situation: OrderSituation | None, action: OrderAction
) -> OrderSituation | None:
    """The situation after ``action``, or ``None`` when not allowed."""
    return TRANSITIONS.get((situation, action))


_SITUATION_PT = {
    P: "pendente",
    C: "encerrada",
    E: "em execução",
    A: "aguardando liberação",
}


def check_transition(order: ServiceOrder, action: OrderAction) -> tuple[Violation, ...]:
    """ENC-05 (and its siblings): the action must be allowed from the situation."""
    if transition(order.situation, action) is not None:
        return ()
    return (
        NOT_ALLOWED_FROM_SITUATION(
            order_id=order.id,
            situation=order.situation.name.lower(),
            situacao=_SITUATION_PT[order.situation],
            action=action.value.replace("_", " "),
            acao=action.value.replace("_", " "),
        ),
    )
