"""Infraction notices (AUT): issuing one from a return and expiring one
whose appeal period passed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InfractionNoticeIssued,
    NoticeSituation,
)
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.services.charges import build_charge, charge_created
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


#: A notice to charge: the notice, its property, its order, the fine's debit
#: type and value.
_Due = tuple[InfractionNotice, Property, ServiceOrder, int, Decimal]


def _due(
    uow: UnitOfWork, notices: Sequence[InfractionNotice]
) -> tuple[list[_Due], Mapping[int, ServiceType]]:
    """The notices of the chunk to charge (not charged yet, with a property,
    an order and a debit type of suggested value), and their orders' types:
    the properties, orders and types read in one round trip each."""
    props = uow.properties.get_many(
        {n.property_id for n in notices if n.property_id is not None}
    )
    orders = uow.service_orders.get_many(
        {n.order_id for n in notices if n.order_id is not None}
    )
    types = uow.service_types.get_many({o.service_type_id for o in orders.values()})
    values: dict[int, Decimal | None] = {}
    due: list[_Due] = []
    for notice in notices:
        prop = None if notice.property_id is None else props.get(notice.property_id)
        order = None if notice.order_id is None else orders.get(notice.order_id)
        debit_type_id = notice.debit_type_id
        if prop is None or order is None or debit_type_id is None:
            continue
        if notice.charge_id is not None:
            continue
        if debit_type_id not in values:
            row = uow.catalog.find("debit_type", debit_type_id)
            values[debit_type_id] = (
                None if row is None else row.decimal("suggested_value")
            )
        value = values[debit_type_id]
        if value is not None:
            due.append((notice, prop, order, debit_type_id, value))
    return due, types


def expire_chunk(
    uow: UnitOfWork,
    ctx: ServiceContext,
    notices: Sequence[InfractionNotice],
    *,
    actor: int,
    at: datetime,
    today: date,
) -> tuple[InfractionNotice, ...]:
    """AUT-05 for one chunk of expired notices: each not yet charged, with a
    debit type of suggested value, a property and an order, gets its fine
    (in its installments, through the charge rules); all move to "appeal
    expired". The chunk's properties, orders, types and DEB-02's payment slips
    are read in one round trip each (the slips by
    ``Billing.payment_slips_issued``, as CMD-07 does, not one check per
    notice), the charges written in one and the notices updated in one
    compare-and-set statement: the statements of a chunk do not grow with its
    notices."""
    due, types = _due(uow, notices)
    issued = (
        uow.billing.payment_slips_issued({(p.id, d, today) for _, p, _, d, _ in due})
        if due
        else set()
    )
    charges: list[Charge] = []
    charge_ids: dict[int, int] = {}
    # the chunk's charge ids at once: a run of 100 fines takes a block of ids
    # every fourth run instead of every run (the id generator gives a large
    # request room for its next ones)
    ids = iter(uow.next_ids("charge", len(due)) if due else ())
    for notice, prop, order, debit_type_id, value in due:
        charge = build_charge(
            uow,
            profile=ctx.profile,
            service_type=attrs.evolve(
                types[order.service_type_id], debit_type_id=debit_type_id
            ),
            prop=prop,
            value=value,
            request=ChargeRequest(installments=max(1, notice.installments)),
            order=order,
            request_id=order.request_id,
            generated_on=today,
            at=at,
            actor=actor,
            slip_issued=(prop.id, debit_type_id, today) in issued,
            charge_id=next(ids),
        )
        if charge is not None:
            charges.append(charge)
            charge_ids[notice.id] = charge.id
    uow.billing.add_charges(charges)
    uow.record(*(charge_created(c, at=at) for c in charges))
    uow.infraction_notices.mark_expired(notices, charge_ids=charge_ids)
    return tuple(
        attrs.evolve(
            n,
            situation=NoticeSituation.APPEAL_EXPIRED,
            charge_id=charge_ids.get(n.id, n.charge_id),
            version=n.version + 1,
        )
        for n in notices
    )
