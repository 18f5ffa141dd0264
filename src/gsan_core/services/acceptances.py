"""The "serviço aceito / não aceito" of closing an inspection order
(service-orders §2.9.4): the inspector says the inspected service was not
accepted, and the order the inspection refers to is recorded as not accepted
against its contractor, in the closing's unit of work."""

from __future__ import annotations

from datetime import datetime

from gsan_core.model.inspections import OrderAcceptance, OrderAcceptanceRecorded
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.unit_of_work import UnitOfWork

__all__ = ["refuse_referenced_in"]


def refuse_referenced_in(
    uow: UnitOfWork, *, order: ServiceOrder, actor: int, at: datetime
) -> OrderAcceptance | None:
    """Record the order ``order`` refers to as not accepted, once (nothing when
    it has no reference or was already inspected): with the first active
    non-acceptance reason flagged ``for_inspection`` (none when there is
    none) and GSAN's observation "USUÁRIO <id> REJEITOU A ORDEM DE SERVIÇO"."""
    referenced = order.reference_order_id
    if referenced is None or uow.order_acceptances.find_by(order_id=referenced):
        return None
    reasons = [
        r
        for r in uow.catalog.list("non_acceptance_reason", active_only=True)
        if r.flag("for_inspection")
    ]
    record = OrderAcceptance(
        id=uow.next_id("order_acceptance"),
        order_id=referenced,
        accepted=False,
        reason_id=min((r.id for r in reasons), default=None),
        observation=f"USUÁRIO {actor} REJEITOU A ORDEM DE SERVIÇO",
        actor=actor,
        at=at,
    )
    uow.order_acceptances.add(record)
    uow.record(
        OrderAcceptanceRecorded(
            occurred_at=at,
            actor=actor,
            order_id=referenced,
            accepted=False,
            reason_id=record.reason_id,
        )
    )
    return record
