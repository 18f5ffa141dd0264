"""UC1130/UC1131: refunds of duplicated payments through an RA (DEV-01..DEV-15)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.accounts import Allocation, RefundGuideSubject, RequestPayment
from gsan_core.model.billing import (
    BillStatus,
    DebtKind,
    OpenDebt,
    Payment,
    PaymentSituation,
)
from gsan_core.model.service_requests import ServiceRequest
from gsan_core.rules.accounts import messages as m

__all__ = [
    "CREDIT_ORIGIN_DUPLICATE_PAYMENTS",
    "CREDIT_SPECIFICATION_ROLE",
    "CREDIT_TYPE_REFUND",
    "allocate",
    "check_filter",
    "closing_remark",
    "credit_bills",
    "credits_to_grant",
    "ensure_selection",
    "offered_bills",
    "pt_money",
    "refund_guide_subject",
    "refunded_payments",
    "success_message",
]

ZERO = Decimal(0)
#: DEV-09: ``CreditoTipo.DEVOLUCAO_PAGAMENTOS_DUPLICIDADE``.
CREDIT_TYPE_REFUND = 5
#: DEV-09: ``CreditoOrigem.CONTAS_PAGAS_EM_DUPLICIDADE_EXCESSO``.
CREDIT_ORIGIN_DUPLICATE_PAYMENTS = 1


def check_filter(
    *,
    request_id: int | None,
    property_id: int | None,
    profile_ids: Collection[int],
    attended_from: date | None,
    attended_to: date | None,
) -> list[Violation]:
    """DEV-01, DEV-02: at least one criterion; a period that does not end
    before it starts."""
    found: list[Violation] = []
    if (
        request_id is None
        and property_id is None
        and not profile_ids
        and attended_from is None
        and attended_to is None
    ):
        found.append(m.FILTER_EMPTY())
    if attended_from and attended_to and attended_from > attended_to:
        found.append(m.PERIOD_INVALID(start=attended_from, end=attended_to))
    return found


def offered_bills(items: Sequence[OpenDebt]) -> list[OpenDebt]:
    """DEV-06: the property's open bills that are neither parcelled nor under
    review."""
    return [
        d
        for d in items
        if d.kind is DebtKind.BILL
        and d.status is not BillStatus.PARCELLED
        and not d.in_review
        and d.amount > 0
    ]


def allocate(
    payments: Sequence[RequestPayment], bills: Sequence[OpenDebt]
) -> list[Allocation]:
    """DEV-08, the intended rule: payments largest first, credited to the ticked
    bills in order, never beyond a bill's value; what is left of each payment
    becomes a credit to grant (``bill_id`` None)."""
    remaining = {b.id: b.amount for b in bills}
    found: list[Allocation] = []
    for payment in sorted(payments, key=lambda p: (-p.value, p.id)):
        left = payment.value
        for bill in bills:
            if left <= 0:
                break
            room = remaining[bill.id]
            if room <= 0:
                continue
            amount = min(room, left)
            remaining[bill.id] = room - amount
            left -= amount
            found.append(
                Allocation(
                    payment_id=payment.payment_id,
                    bill_id=bill.id,
                    amount=amount,
                    reference=payment.reference,
                )
            )
        if left > 0:
            found.append(
                Allocation(
                    payment_id=payment.payment_id,
                    bill_id=None,
                    amount=left,
                    reference=payment.reference,
                )
            )
    return found


def credit_bills(
    bills: Sequence[OpenDebt], allocations: Sequence[Allocation]
) -> list[OpenDebt]:
    """DEV-10: each credited bill is retified: its value less the credits put on
    it (a bill fully covered ends at 0)."""
    credited: dict[int, Decimal] = {}
    for a in allocations:
        if a.bill_id is not None:
            credited[a.bill_id] = credited.get(a.bill_id, ZERO) + a.amount
    return [
        attrs.evolve(b, amount=b.amount - credited[b.id], status=BillStatus.RETIFIED)
        for b in bills
        if b.id in credited
    ]


def credits_to_grant(
    allocations: Sequence[Allocation], *, property_id: int, ids: Sequence[int]
) -> list[OpenDebt]:
    """DEV-11: one credit to grant per payment with a leftover: its value, the
    payment's reference, credit type 5, one installment."""
    left = [a for a in allocations if a.bill_id is None]
    return [
        OpenDebt(
            id=ident,
            property_id=property_id,
            kind=DebtKind.CREDIT,
            amount=a.amount,
            reference=a.reference,
            debit_type_id=CREDIT_TYPE_REFUND,
        )
        for a, ident in zip(left, ids, strict=True)
    ]


def refunded_payments(
    payments: Sequence[Payment], *, collection_month: int
) -> list[Payment]:
    """DEV-12: situation 9; the previous situation kept only when the payment
    was classified in the current collection month."""
    return [
        attrs.evolve(
            p,
            situation=PaymentSituation.REFUNDED,
            previous_situation=p.situation
            if p.collection_month == collection_month
            else p.previous_situation,
            version=p.version + 1,
        )
        for p in payments
    ]


def pt_money(value: Decimal) -> str:
    """``1234.5`` -> ``1.234,50`` (pt-BR, no currency symbol)."""
    text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _months(references: Collection[int | None]) -> str:
    months = sorted({r for r in references if r is not None})
    return ",".join(f"{r % 100:02d}/{r // 100}" for r in months)


def closing_remark(
    allocations: Sequence[Allocation],
    *,
    paid_references: Collection[int | None],
    bill_references: dict[int, int | None],
) -> str:
    """DEV-14: the parecer of the RA's closing, truncated to 999 characters
    when longer than 1000."""
    on_bills = sum((a.amount for a in allocations if a.bill_id is not None), ZERO)
    left = sum((a.amount for a in allocations if a.bill_id is None), ZERO)
    paid = _months(paid_references)
    if on_bills > 0:
        credited = _months(
            [bill_references[a.bill_id] for a in allocations if a.bill_id]
        )
        text = (
            f"Devolvido o valor de {pt_money(on_bills)} referente ao(s) pagamento(s) em "
            f"duplicidade da(s) fatura(s) {paid} com crédito(s) lançado(s) na(s) "
            f"fatura(s) {credited}"
        )
        if left > 0:
            text += (
                f" e saldo restante de {pt_money(left)} lançado como crédito a realizar"
            )
    else:
        text = (
            f"Devolvido o valor de {pt_money(left)} referente ao(s) pagamento(s) em "
            f"duplicidade da(s) fatura(s) {paid} lançado como crédito a realizar "
        )
    return text[:999] if len(text) > 1000 else text


def success_message(allocations: Sequence[Allocation]) -> str:
    """DEV-15."""
    on_bills = any(a.bill_id is not None for a in allocations)
    left = any(a.bill_id is None for a in allocations)
    if on_bills and left:
        return (
            "Pagamento(s) duplicado(s) transferido(s) e crédito a realizar gerado "
            "com sucesso"
        )
    if on_bills:
        return "Pagamento(s) duplicado(s) transferido(s) com sucesso"
    return "Crédito a realizar gerado com sucesso"


def ensure_selection(
    *,
    request_id: int,
    linked: Sequence[RequestPayment],
    payment_ids: Collection[int],
    bills: Sequence[OpenDebt],
    bill_ids: Collection[int],
) -> tuple[list[RequestPayment], list[OpenDebt]]:
    """DEV-06, DEV-07: the ticked payments are the RA's, not yet refunded; the
    ticked bills are offered ones; at least one payment."""
    found: list[Violation] = []
    if not payment_ids:
        found.append(m.NO_PAYMENT_SELECTED())
    by_payment = {p.payment_id: p for p in linked if not p.refunded}
    found += [
        m.PAYMENT_NOT_LINKED(payment_id=i, request_id=request_id)
        for i in sorted(set(payment_ids) - set(by_payment))
    ]
    by_bill = {b.id: b for b in bills}
    found += [m.BILL_NOT_OFFERED(debt_id=i) for i in bill_ids if i not in by_bill]
    if found:
        raise RuleViolation(found)
    return (
        [by_payment[i] for i in payment_ids],
        [by_bill[i] for i in bill_ids],
    )


#: The profile role of the specifications with ``step_icgeracaocredito = 1``
#: (a refund guide may be issued from their RAs, DEV-16).
CREDIT_SPECIFICATION_ROLE = "specification.generates_credit"


def refund_guide_subject(
    request: ServiceRequest | None,
    *,
    request_id: int | None,
    order_id: int | None = None,
    order_request_id: int | None = None,
    generates_credit: bool,
) -> RefundGuideSubject:
    """DEV-16 (``validarExibirInserirGuiaDevolucao``): an order must belong to
    an RA; the RA must exist, have a property or a principal customer
    requester, be open, and its specification generate credit."""
    if order_id is not None and order_request_id is None:
        raise RuleViolation([m.GUIDE_ORDER_WITHOUT_REQUEST(order_id=order_id)])
    if request is None:
        raise RuleViolation([m.REQUEST_NOT_FOUND(request_id=request_id)])
    customer = next(
        (r.customer_id for r in request.requesters if r.principal and r.customer_id),
        None,
    )
    found: list[Violation] = []
    if request.property_id is None and customer is None:
        found.append(m.GUIDE_REQUEST_WITHOUT_SUBJECT(request_id=request.id))
    if not request.is_open:
        found.append(m.GUIDE_REQUEST_CLOSED(request_id=request.id))
    if not generates_credit:
        found.append(
            m.GUIDE_NOT_ALLOWED(
                request_id=request.id, specification_id=request.specification_id
            )
        )
    if found:
        raise RuleViolation(found)
    return RefundGuideSubject(
        request_id=request.id,
        order_id=order_id,
        property_id=request.property_id,
        customer_id=customer,
        specification_id=request.specification_id,
    )
