"""Refunds of duplicated payments through an RA (UC1130 filter, UC1131 efetuar)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.billing import OpenDebt, Payment
from gsan_core.model.events import DomainEvent

__all__ = [
    "Allocation",
    "PaymentsLinked",
    "RefundDone",
    "RefundGuideSubject",
    "RefundResult",
    "RequestPayment",
]

ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class RequestPayment:
    """A duplicated payment linked to an RA
    (``RegistroAtendimentoPagamentoDuplicidade``, §6.1)."""

    id: int
    request_id: int
    payment_id: int
    property_id: int
    reference: int | None = None
    paid_on: date
    value: Decimal
    #: ``rapd_icpagtodevolvido``: the payment was refunded (DEV-12).
    refunded: bool = False
    version: int = 1


@attrs.frozen(kw_only=True)
class Allocation:
    """One credit line of DEV-08: part of a payment put on a bill, or left as a
    credit to grant (``bill_id is None``)."""

    payment_id: int
    bill_id: int | None
    amount: Decimal
    #: The payment's reference month (DEV-09).
    reference: int | None = None


def _allocations(value: Iterable[Allocation]) -> tuple[Allocation, ...]:
    return tuple(value)


def _debts(value: Iterable[OpenDebt]) -> tuple[OpenDebt, ...]:
    return tuple(value)


def _payments(value: Iterable[Payment]) -> tuple[Payment, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RefundResult:
    """What UC1131 did: the allocations, the bills retified, the credits granted,
    the payments marked refunded, the RA's closing remark and the message."""

    request_id: int
    allocations: tuple[Allocation, ...] = attrs.field(converter=_allocations)
    retified_bills: tuple[OpenDebt, ...] = attrs.field(converter=_debts)
    credits: tuple[OpenDebt, ...] = attrs.field(converter=_debts)
    payments: tuple[Payment, ...] = attrs.field(converter=_payments)
    remark: str
    message: str
    closed: bool = False

    @property
    def credited_on_bills(self) -> Decimal:
        return sum((a.amount for a in self.allocations if a.bill_id is not None), ZERO)

    @property
    def credit_to_grant(self) -> Decimal:
        return sum((a.amount for a in self.allocations if a.bill_id is None), ZERO)

    def __repr__(self) -> str:
        return short_repr(self, "request_id", "credited_on_bills", "credit_to_grant")

    def _repr_html_(self) -> str:
        return html_of(list(self.allocations), title=self.message)


@attrs.frozen(kw_only=True)
class RefundDone(DomainEvent):
    """Duplicated payments of an RA were refunded (DEV-10..DEV-13)."""

    tag: ClassVar[str] = "accounts.refund_done"
    request_id: int
    property_id: int
    credited_on_bills: Decimal
    credit_to_grant: Decimal


def _ids(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PaymentsLinked(DomainEvent):
    """Duplicated payments were linked to a refund RA (§6.1)."""

    tag: ClassVar[str] = "accounts.payments_linked"
    request_id: int
    payment_ids: tuple[int, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class RefundGuideSubject:
    """What a Guia de Devolução may be issued from (DEV-16): an open RA whose
    specification generates credit (or the RA of a service order), with its
    property or, without one, its principal customer requester. Arrecadação
    issues the guide itself (value, validity, accounting references)."""

    request_id: int
    order_id: int | None = None
    property_id: int | None = None
    #: The RA's principal customer requester (the guide's customer when the
    #: RA has no property).
    customer_id: int | None = None
    specification_id: int
