"""What this library needs to know about billing and collection, and what it asks of them.

Billing lives outside this library. The rules read a property's *open debts*
(unpaid bills, payment slips, charges to bill, credits) and write *charges*
("débito a cobrar") for charged services. The :class:`~gsan_core.ports.billing.Billing`
port carries these types; integrators connect it to their own billing system.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "Charge",
    "ChargeCreated",
    "ChargeShare",
    "CollectionForm",
    "DebtKind",
    "OpenDebt",
    "OverdueBills",
]


class DebtKind(StrEnum):
    """The four things GSAN counts as a property's debt (UC0067)."""

    BILL = "bill"
    """An unpaid water bill (``conta``)."""
    PAYMENT_SLIP = "payment_slip"
    """An unpaid payment slip (``guia de pagamento``)."""
    CHARGE = "charge"
    """A charge still to be billed (``débito a cobrar``)."""
    CREDIT = "credit"
    """A credit still to be granted (``crédito a realizar``)."""


class CollectionForm(IntEnum):
    """How a charge is collected (GSAN ``CobrancaForma``, ``cbfm_id``)."""

    IN_BILL = 1
    """``COBRANCA_EM_CONTA``: one installment on each water bill."""
    CREDIT_CARD = 3
    """``COBRANCA_EM_CARTAO_CREDITO``."""
    ICMS = 4
    """``COBRANCA_POR_ICMS``."""
    STATEMENT = 5
    """``COBRANCA_POR_EXTRATO``."""


@attrs.frozen(kw_only=True)
class OpenDebt:
    """One open item of a property's account."""

    id: int
    property_id: int
    kind: DebtKind
    amount: Decimal
    due_date: date | None = None
    #: Billing reference month as ``yyyymm`` (bills).
    reference: int | None = None
    debit_type_id: int | None = None
    #: Issue date (payment slips).
    issued_on: date | None = None


@attrs.frozen(kw_only=True)
class OverdueBills:
    """A property's unpaid bills due before a date, counted and added up: what
    the cut-order batch needs of its debts (CUT-3), in one row per property."""

    count: int = 0
    amount: Decimal = Decimal(0)

    @classmethod
    def of(cls, debts: Iterable[OpenDebt], *, due_before: date) -> OverdueBills:
        """The bills among ``debts`` due before ``due_before``."""
        overdue = [
            d.amount
            for d in debts
            if d.kind is DebtKind.BILL
            and d.due_date is not None
            and d.due_date < due_before
        ]
        return cls(count=len(overdue), amount=sum(overdue, Decimal(0)))


@attrs.frozen(kw_only=True)
class ChargeShare:
    """The part of a charge that falls on one category (``DebitoACobrarCategoria``)."""

    category_id: int
    economies: int
    amount: Decimal


def _shares(value: Iterable[ChargeShare]) -> tuple[ChargeShare, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Charge:
    """A charge to be billed with the water bill (``DebitoACobrar``).

    What GSAN stores for the débito a cobrar of a closed order (§4.4): the value,
    the installments and how many of them bills already carried (0 at creation),
    the form of collection (in the bill), the debit type, the order, the RA and
    the split by category.
    """

    id: int
    property_id: int
    debit_type_id: int
    #: Total value to bill (installment value x installments).
    total: Decimal
    installments: int
    installment_value: Decimal
    #: ``numeroPrestacaoCobradas``: installments bills already carried; 0 when
    #: the charge is created.
    installments_billed: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    #: ``cobrancaForma``: the service charges of an order go in the bill (1).
    collection_form: CollectionForm = CollectionForm.IN_BILL
    #: Monthly interest (%) used to compute the installments.
    interest_rate: Decimal = Decimal(0)
    service_order_id: int | None = None
    service_request_id: int | None = None
    generated_at: datetime
    #: ``anoMesReferenciaDebito`` (yyyymm), when billing supplies it.
    reference: int | None = None
    shares: tuple[ChargeShare, ...] = attrs.field(factory=tuple, converter=_shares)
    actor: int

    def __repr__(self) -> str:
        return short_repr(
            self, "property_id", "total", "installments", "service_order_id"
        )

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class ChargeCreated(DomainEvent):
    """A charge was handed to billing."""

    tag: ClassVar[str] = "billing.charge_created"
    charge_id: int
    property_id: int
    total: Decimal
    service_order_id: int | None = None
    service_request_id: int | None = None
