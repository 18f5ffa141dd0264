"""What this library needs to know about billing and collection, and what it asks of them.

Billing lives outside this library. The rules read a property's *open debts*
(unpaid bills, payment slips, charges to bill, credits) and write *charges*
("débito a cobrar") for charged services. The :class:`~gsan_core.ports.billing.Billing`
port carries these types; integrators connect it to their own billing system.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from enum import IntEnum, StrEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "BillStatus",
    "BilledConsumption",
    "CashPaymentTerms",
    "CategoryTariff",
    "Charge",
    "ChargeCreated",
    "ChargeShare",
    "CollectionForm",
    "DebtKind",
    "InstallmentPlan",
    "InstallmentPlanStatus",
    "OpenDebt",
    "OverdueBills",
    "Payment",
    "PaymentSituation",
    "Tariff",
    "TariffRange",
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


class BillStatus(IntEnum):
    """``DebitoCreditoSituacao`` of an open item (ODB-01 keeps 0, 1, 2 and 5)."""

    NORMAL = 0
    RETIFIED = 1
    """``RETIFICADA``."""
    INCLUDED = 2
    """``INCLUIDA``."""
    CANCELLED = 3
    PARCELLED = 5
    """``PARCELADA``: in an installment plan (ODB-03)."""


@attrs.frozen(kw_only=True)
class OpenDebt:
    """One open item of a property's account.

    The fields after ``issued_on`` are what UC0067 and the late-payment
    surcharges (UC0216) read; their defaults describe a plain item (a normal
    bill, not in review, nothing charged yet), so a billing system that does not
    know them still answers correctly for the common case.
    """

    id: int
    property_id: int
    kind: DebtKind
    #: The net value: for a bill ``água + esgoto + débitos − créditos − impostos``;
    #: for a charge or credit its total value (see ``installments``).
    amount: Decimal
    due_date: date | None = None
    #: Billing reference month as ``yyyymm`` (bills).
    reference: int | None = None
    debit_type_id: int | None = None
    #: Issue date (payment slips).
    issued_on: date | None = None
    #: ``DebitoCreditoSituacao`` (ODB-01, ODB-03).
    status: BillStatus = BillStatus.NORMAL
    #: ``cnta_dtrevisao is not null``: the bill is under review (and the reason).
    in_review: bool = False
    review_reason_id: int | None = None
    #: ``cnta_amreferenciabaixacontabil``: month the bill went to dívida ativa.
    written_off_reference: int | None = None
    #: The USER customer of the bill (``cliente_conta`` relation 2, ODB-02).
    user_customer_id: int | None = None
    #: The customer whose name is printed on the bill (``clct_icnomeconta = 1``).
    billed_customer_id: int | None = None
    #: ``cnta_iccobrancamulta = 1``: the fine was already charged (ACR-08).
    fine_charged: bool = False
    #: Fines already billed inside this bill (débito tipo 80, ACR-08).
    fines_billed: Decimal = Decimal(0)
    #: A payment of the bill came by automatic debit (ACR-03).
    automatic_debit: bool = False
    #: Charges and credits: installments, installments billed and bonus (ODB-05).
    installments: int = 1
    installments_billed: int = 0
    bonus_installments: int = 0
    #: ``FinanciamentoTipo`` of a charge (EXT-03) and its installment plan.
    financing_type_id: int | None = None
    installment_plan_id: int | None = None
    #: Credits already linked to a refund (``Devolucao``) are not open (ODB-06).
    refunded: bool = False
    #: ``DocumentoTipo`` of a payment slip (EXT-06: 2 = entrada de parcelamento).
    document_type_id: int | None = None
    #: The active *contrato de parcelamento por cliente* the item is tied to
    #: (ODB-04, SVS-07); billing gives it only while the contract is active.
    contract_id: int | None = None

    @property
    def remaining(self) -> Decimal:
        """ODB-05: a charge or credit minus its billed installments (each
        installment truncated to cents); a bill or slip is its amount."""
        if (
            self.kind not in (DebtKind.CHARGE, DebtKind.CREDIT)
            or self.installments <= 1
        ):
            return self.amount
        billed = self.installments_billed + self.bonus_installments
        if billed >= self.installments:
            return Decimal(0)
        share = (self.amount / self.installments).quantize(
            Decimal("0.01"), rounding=ROUND_DOWN
        )
        return self.amount - share * billed

    @property
    def remaining_installments(self) -> int:
        """Installments still to bill (charges and credits)."""
        return max(
            self.installments - self.installments_billed - self.bonus_installments, 0
        )


class InstallmentPlanStatus(IntEnum):
    """``ParcelamentoSituacao`` of an installment plan."""

    NORMAL = 1
    UNDONE = 2
    """``DESFEITO``: the plan was undone."""


@attrs.frozen(kw_only=True)
class InstallmentPlan:
    """A parcelamento (installment agreement) of a property, as the statement
    reads it (EXT-04): its charges and credits are the open items whose
    ``installment_plan_id`` names it."""

    id: int
    property_id: int
    status: InstallmentPlanStatus = InstallmentPlanStatus.NORMAL
    made_on: date
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "status", "made_on")


def _percent(_: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        msg = f"{attribute.name} must be a percentage in [0, 100], got {value}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class CashPaymentTerms:
    """The cash-payment discounts of a parcelamento profile (``ParcelamentoPerfil``
    of the current ``ResolucaoDiretoria``, UC0214): the share of each surcharge
    forgiven when the debt is paid at once (EXT-15)."""

    id: int
    #: The property profile (``imovelPerfil``) the terms apply to.
    property_profile_id: int
    #: ``percentualDescontoAcrescimoMulta`` (%).
    fine_discount: Decimal = attrs.field(default=Decimal(0), validator=_percent)
    #: ``percentualDescontoAcrescimoJurosMora`` (%).
    interest_discount: Decimal = attrs.field(default=Decimal(0), validator=_percent)
    #: ``percentualDescontoAcrescimoAtualizacaoMonetaria`` (%).
    correction_discount: Decimal = attrs.field(default=Decimal(0), validator=_percent)
    #: ``dataLimiteDescontoPagamentoAVista``: the last day the terms hold
    #: (``None``: no limit).
    valid_until: date | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "property_profile_id", "fine_discount", "valid_until")

    @staticmethod
    def fitting(
        rows: Iterable[CashPaymentTerms], *, on: date
    ) -> CashPaymentTerms | None:
        """The reference adapters' choice among a profile's terms: of those
        still valid on ``on``, the one with the highest id (the latest
        resolution)."""
        valid = [t for t in rows if t.valid_until is None or on <= t.valid_until]
        return max(valid, key=lambda t: t.id) if valid else None


@attrs.frozen(kw_only=True)
class TariffRange:
    """One consumption range of a category's tariff (``consumo_tarifa_faixa``):
    the price of each m³ from ``start`` (exclusive) up to ``end`` (inclusive,
    ``None``: no upper bound), per economy."""

    start: int = attrs.field(validator=attrs.validators.ge(0))
    end: int | None = None
    price: Decimal


def _ranges(value: Iterable[TariffRange]) -> tuple[TariffRange, ...]:
    return tuple(sorted(value, key=lambda r: r.start))


@attrs.frozen(kw_only=True)
class CategoryTariff:
    """A category's part of a tariff (``consumo_tarifa_categoria``): the
    minimum volume and value per economy, and the ranges above it."""

    category_id: int
    minimum_volume: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    minimum_value: Decimal = Decimal(0)
    ranges: tuple[TariffRange, ...] = attrs.field(factory=tuple, converter=_ranges)


def _categories(value: Iterable[CategoryTariff]) -> tuple[CategoryTariff, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Tariff:
    """A consumption tariff in force from ``valid_from`` (``consumo_tarifa_vigencia``)."""

    id: int
    #: ``cstf_id``: the consumption tariff (``consumption_tariff`` row).
    tariff_id: int
    valid_from: date
    categories: tuple[CategoryTariff, ...] = attrs.field(
        factory=tuple, converter=_categories
    )
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "tariff_id", "valid_from")


def _economies(value: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple((int(c), int(e)) for c, e in value)


@attrs.frozen(kw_only=True)
class BilledConsumption:
    """What a bill charged for water and sewer and on what (ACR-12): its
    tariff, water volume, economies per category, the values billed and the
    sewer percentage (``None``: the sewer was not connected)."""

    #: The bill (``OpenDebt.id``).
    id: int
    tariff_id: int
    water_volume: int = attrs.field(validator=attrs.validators.ge(0))
    #: (category, economies) of the bill.
    economies: tuple[tuple[int, int], ...] = attrs.field(converter=_economies)
    water_value: Decimal
    sewer_value: Decimal = Decimal(0)
    sewer_percent: Decimal | None = None
    version: int = 1


class PaymentSituation(IntEnum):
    """``PagamentoSituacao`` of a payment (the ones the refunds read)."""

    CLASSIFIED = 0
    """``PAGAMENTO_CLASSIFICADO``."""
    DUPLICATE = 1
    """``PAGAMENTO_EM_DUPLICIDADE``: the refunds of UC1130/UC1131 look for these."""
    REFUNDED = 9
    """``DUPLICIDADE_EXCESSO_DEVOLVIDO``: the duplicated amount was returned."""


@attrs.frozen(kw_only=True)
class Payment:
    """A payment received by collection (``arrecadacao.pagamento``)."""

    id: int
    property_id: int
    value: Decimal
    paid_on: date
    #: ``pgmt_amreferenciapagamento``: the month of the bill it paid.
    reference: int | None = None
    #: ``pgmt_amreferenciaarrecadacao``: the collection month it was classified in.
    collection_month: int | None = None
    situation: PaymentSituation = PaymentSituation.CLASSIFIED
    previous_situation: PaymentSituation | None = None
    #: The payment slip it paid (``gpag_id``), when not a bill.
    slip_id: int | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "property_id", "value", "reference", "situation")

    def _repr_html_(self) -> str:
        return html_of(self)


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
