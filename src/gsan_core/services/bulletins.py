"""The bulletin quantities an order of a bulletin type records when it closes
with execution (ENC-19, ``ordem_servico_boletim``), inside the closing's unit
of work; the façade's update and reads are ``gsan.inspections``'."""

from __future__ import annotations

from datetime import datetime

from gsan_core.model.bulletins import BulletinInput, BulletinRecorded, OrderBulletin
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import bulletins as rules
from gsan_core.rules.validation import ensure

__all__ = ["bulletin_setup", "record_bulletin_in"]

_SETUP = "service_type_bulletin"


def bulletin_setup(uow: UnitOfWork, service_type_id: int) -> CatalogItem | None:
    """The active ``service_type_bulletin`` row of a service type, if any."""
    for row in uow.catalog.list(_SETUP, active_only=True):
        if row.integer("service_type_id") == service_type_id:
            return row
    return None


def record_bulletin_in(
    uow: UnitOfWork,
    *,
    order: ServiceOrder,
    bulletin: BulletinInput | None,
    actor: int,
    at: datetime,
) -> OrderBulletin | None:
    """ENC-19 inside the closing's unit of work: an order of a type that asks
    the bulletin records its quantities (checked first: nothing is written
    when they are refused); other types record nothing."""
    setup = bulletin_setup(uow, order.service_type_id)
    ensure(rules.check_bulletin(setup, bulletin, order_id=order.id))
    if setup is None:
        return None
    asphalt, stone, sidewalk = rules.bulletin_quantities(setup, bulletin)
    record = OrderBulletin(
        id=order.id,
        order_id=order.id,
        has_pavement=None if bulletin is None else bulletin.has_pavement,
        actor=actor,
        at=at,
        asphalt=asphalt,
        paving_stone=stone,
        sidewalk=sidewalk,
    )
    uow.order_bulletins.add(record)
    uow.record(BulletinRecorded(occurred_at=at, actor=actor, order_id=order.id))
    return record
