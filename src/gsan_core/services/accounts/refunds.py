"""UC1130/UC1131 inside a unit of work: link duplicated payments to an RA, find
the refund RAs, and refund them (DEV-01..DEV-15)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import NotFound, RuleViolation
from gsan_core.model.accounts import (
    PaymentsLinked,
    RefundDone,
    RefundResult,
    RequestPayment,
)
from gsan_core.model.billing import OpenDebt, PaymentSituation
from gsan_core.model.service_requests import RequestSituation, ServiceRequest
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts import refunds as rules
from gsan_core.rules.accounts.surcharges import month_of
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.lifecycle import close_request_in

__all__ = ["find_refund_requests", "link_payments", "refund"]


def _refund_request(uow: UnitOfWork, request_id: int, *, lock: bool) -> ServiceRequest:
    """DEV-03: the RA exists, is pending and its specification refunds payments."""
    try:  # locked, the request is read under its lock (one statement)
        request = (
            uow.service_requests.lock(request_id)
            if lock
            else uow.service_requests.get(request_id)
        )
    except NotFound:
        raise RuleViolation([m.REQUEST_NOT_FOUND(request_id=request_id)]) from None
    spec = uow.request_specifications.find(request.specification_id)
    if request.situation is not RequestSituation.PENDING:
        raise RuleViolation([m.REQUEST_NOT_PENDING(request_id=request_id)])
    if spec is None or not spec.duplicate_payment:
        raise RuleViolation([m.NOT_A_REFUND_REQUEST(request_id=request_id)])
    return request


def link_payments(
    uow: UnitOfWork,
    *,
    request_id: int,
    payment_ids: Collection[int],
    at: datetime,
    actor: int,
) -> list[RequestPayment]:
    """§6.1: link the property's duplicated payments (situation 1, with a
    reference, not a slip's) to the RA."""
    request = _refund_request(uow, request_id, lock=True)
    property_id = request.property_id or 0
    payments = {
        p.id: p for p in uow.billing.payments_of([property_id]).get(property_id, ())
    }
    linked = {r.payment_id for r in uow.request_payments.find_by(request_id=request_id)}
    missing = [
        i
        for i in payment_ids
        if i not in payments
        or payments[i].situation is not PaymentSituation.DUPLICATE
        or payments[i].reference is None
        or payments[i].slip_id is not None
    ]
    if missing or not payment_ids:
        wanted: list[int | None] = list(missing) or [None]
        raise RuleViolation(
            [
                m.NO_DUPLICATE_PAYMENT(property_id=property_id, payment_id=i)
                for i in wanted
            ]
        )
    fresh = [i for i in payment_ids if i not in linked]
    rows = [
        RequestPayment(
            id=ident,
            request_id=request_id,
            payment_id=i,
            property_id=property_id,
            reference=payments[i].reference,
            paid_on=payments[i].paid_on,
            value=payments[i].value,
        )
        for i, ident in zip(
            fresh, uow.next_ids("request_payment", len(fresh)), strict=True
        )
    ]
    uow.request_payments.add_many(rows)
    uow.record(
        PaymentsLinked(
            occurred_at=at,
            actor=actor,
            request_id=request_id,
            payment_ids=[r.payment_id for r in rows],
        )
    )
    return rows


def find_refund_requests(
    uow: UnitOfWork,
    *,
    request_id: int | None,
    property_id: int | None,
    profile_ids: Collection[int],
    attended_from: date | None,
    attended_to: date | None,
    local_date: Callable[[datetime], date],
) -> list[ServiceRequest]:
    """UC1130 (DEV-01..DEV-05): pending refund RAs with a payment to refund."""
    found = rules.check_filter(
        request_id=request_id,
        property_id=property_id,
        profile_ids=profile_ids,
        attended_from=attended_from,
        attended_to=attended_to,
    )
    if found:
        raise RuleViolation(found)
    if request_id is not None:
        _refund_request(uow, request_id, lock=False)
    if property_id is not None and uow.properties.find(property_id) is None:
        raise RuleViolation([m.REFUND_PROPERTY_NOT_FOUND(property_id=property_id)])
    criteria: dict[str, object] = {"refunded": False}
    if request_id is not None:
        criteria["request_id"] = request_id
    if property_id is not None:
        criteria["property_id"] = property_id
    pending = {r.request_id for r in uow.request_payments.find_by(**criteria)}
    requests = uow.service_requests.get_many(pending).values()
    specs = uow.request_specifications.get_many({r.specification_id for r in requests})
    props = uow.properties.get_many({r.property_id for r in requests if r.property_id})
    listed = []
    for r in requests:
        spec = specs.get(r.specification_id)
        attended = local_date(r.attended_at)
        prop = props.get(r.property_id or 0)
        if (
            r.situation is RequestSituation.PENDING
            and spec is not None
            and spec.duplicate_payment
            and (attended_from is None or attended >= attended_from)
            and (attended_to is None or attended <= attended_to)
            and (
                not profile_ids or (prop is not None and prop.profile_id in profile_ids)
            )
        ):
            listed.append(r)
    if not listed:
        raise RuleViolation([m.NOTHING_FOUND()])
    return sorted(listed, key=lambda r: (r.attended_at, r.id))


def refund(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    payment_ids: Sequence[int],
    bill_ids: Sequence[int],
    close: bool,
    actor: int,
    at: datetime,
    today: date,
) -> RefundResult:
    """UC1131 (DEV-06..DEV-15) in one unit of work: credit the ticked payments
    to the ticked bills, the rest as credits to grant, mark the payments
    refunded, and close the RA."""
    # the request's lock, then its property's, and after both what the
    # refund and the closing read: the request, its orders, its payment
    # links, the property, its bills and its payments (PostgreSQL: two
    # statements)
    uow.read_ahead("refund", request_id)
    request, chosen_payments, chosen_bills = _selection(
        uow, request_id=request_id, payment_ids=payment_ids, bill_ids=bill_ids
    )
    result = _credit(
        uow,
        request,
        chosen_payments,
        chosen_bills,
        today=today,
        close=close,
    )
    if close:  # DEV-14
        close_request_in(
            uow,
            ctx,
            request_id=request_id,
            reason_id=ctx.profile.id("closing_reason.service_concluded"),
            actor=actor,
            now=at,
            remark=result.remark,
            locked=request,  # locked above, not written since
        )
    uow.record(
        RefundDone(
            occurred_at=at,
            actor=actor,
            request_id=request_id,
            property_id=request.property_id or 0,
            credited_on_bills=result.credited_on_bills,
            credit_to_grant=result.credit_to_grant,
        )
    )
    return result


def _selection(
    uow: UnitOfWork,
    *,
    request_id: int,
    payment_ids: Sequence[int],
    bill_ids: Sequence[int],
) -> tuple[ServiceRequest, list[RequestPayment], list[OpenDebt]]:
    """DEV-03, DEV-06, DEV-07: the refund RA (locked, then its property), and
    the ticked payments among its links and bills among the offered ones."""
    request = _refund_request(uow, request_id, lock=True)
    property_id = request.property_id or 0
    uow.properties.lock(property_id)
    linked = uow.request_payments.find_by(request_id=request_id)
    bills = rules.offered_bills(uow.billing.open_debts(property_id))
    chosen_payments, chosen_bills = rules.ensure_selection(
        request_id=request_id,
        linked=linked,
        payment_ids=payment_ids,
        bills=bills,
        bill_ids=bill_ids,
    )
    return request, chosen_payments, chosen_bills


def _credit(
    uow: UnitOfWork,
    request: ServiceRequest,
    chosen_payments: Sequence[RequestPayment],
    chosen_bills: Sequence[OpenDebt],
    *,
    today: date,
    close: bool,
) -> RefundResult:
    """DEV-08..DEV-13: allocate the payments to the bills, write the
    retified bills, the credits to grant, the refunded payments and their
    links; the refund's result (its remark the closing's, DEV-14)."""
    property_id = request.property_id or 0
    allocations = rules.allocate(chosen_payments, chosen_bills)
    retified = rules.credit_bills(chosen_bills, allocations)
    left = [a for a in allocations if a.bill_id is None]
    granted = rules.credits_to_grant(
        allocations,
        property_id=property_id,
        ids=uow.next_ids("open_debt", len(left)) if left else [],
    )
    stored = {
        p.id: p for p in uow.billing.payments_of([property_id]).get(property_id, ())
    }
    payments = rules.refunded_payments(
        [stored[p.payment_id] for p in chosen_payments if p.payment_id in stored],
        collection_month=month_of(today),
    )
    uow.billing.replace_debts(retified)  # DEV-10
    uow.billing.add_credits(granted)  # DEV-11
    uow.billing.update_payments(payments)  # DEV-12
    uow.request_payments.update_many(
        attrs.evolve(p, refunded=True, version=p.version + 1) for p in chosen_payments
    )
    return RefundResult(
        request_id=request.id,
        allocations=allocations,
        retified_bills=retified,
        credits=granted,
        payments=payments,
        remark=rules.closing_remark(
            allocations,
            paid_references=[p.reference for p in chosen_payments],
            bill_references={b.id: b.reference for b in chosen_bills},
        ),
        message=rules.success_message(allocations),
        closed=close,
    )
