"""Infraction notices (AUT): issuing one from a return and expiring one
whose appeal period passed."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InfractionNoticeIssued,
    NoticeSituation,
)
from gsan_core.model.service_orders import (
    ServiceOrder,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.services.charges import create_charge
from gsan_core.services.context import ServiceContext
from gsan_core.services.inspections.results import NoticeInput


def issue_notice(
    uow: UnitOfWork,
    order: ServiceOrder,
    situation: CatalogItem,
    data: NoticeInput,
    *,
    actor: int,
    at: datetime,
) -> InfractionNotice:
    assert data.employee_id is not None
    assert data.issued_on is not None
    notice = InfractionNotice(
        id=uow.next_id("infraction_notice"),
        property_id=order.property_id,
        order_id=order.id,
        situation_id=situation.id,
        employee_id=data.employee_id,
        issued_on=data.issued_on,
        appeal_from=data.appeal_from,
        appeal_until=data.appeal_until,
        debit_type_id=data.debit_type_id,
        installments=data.installments,
        observation=data.observation,
        actor=actor,
    )
    uow.infraction_notices.add(notice)
    uow.record(
        InfractionNoticeIssued(
            occurred_at=at,
            actor=actor,
            notice_id=notice.id,
            property_id=order.property_id,
        )
    )
    return notice


def expire_notice(
    uow: UnitOfWork,
    ctx: ServiceContext,
    notice: InfractionNotice,
    *,
    actor: int,
    at: datetime,
    today: date,
) -> InfractionNotice:
    charge = None
    prop = (
        None if notice.property_id is None else uow.properties.find(notice.property_id)
    )
    if (
        notice.debit_type_id is not None
        and prop is not None
        and notice.charge_id is None
    ):
        debit_type = uow.catalog.find("debit_type", notice.debit_type_id)
        value = None if debit_type is None else debit_type.decimal("suggested_value")
        order = (
            None
            if notice.order_id is None
            else uow.service_orders.find(notice.order_id)
        )
        if value is not None and order is not None:
            service_type = uow.service_types.get(order.service_type_id)
            charge = create_charge(
                uow,
                profile=ctx.profile,
                service_type=attrs.evolve(
                    service_type, debit_type_id=notice.debit_type_id
                ),
                prop=prop,
                value=value,
                request=ChargeRequest(installments=max(1, notice.installments)),
                order=order,
                request_id=order.request_id,
                generated_on=today,
                at=at,
                actor=actor,
            )
    changed = attrs.evolve(
        notice,
        situation=NoticeSituation.APPEAL_EXPIRED,
        charge_id=None if charge is None else charge.id,
        version=notice.version + 1,
    )
    uow.infraction_notices.update(changed)
    return changed
