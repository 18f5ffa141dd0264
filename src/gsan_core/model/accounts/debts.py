"""Open debts with their late-payment surcharges (UC0067 + UC0216).

:class:`SurchargeIndex` is one month of the index table ("Informar Índices");
:class:`SurchargeMemo` is the "memória de cálculo" of one item: every value the
computation used, so a screen can explain any result; :class:`AccountDebts` is
the answer of UC0067 for a property or a customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.billing import DebtKind, InstallmentPlan, OpenDebt
from gsan_core.model.events import DomainEvent

__all__ = [
    "AccountDebts",
    "Anticipation",
    "DebtLine",
    "DebtOwner",
    "IndexLookup",
    "PlanLines",
    "SurchargeIndex",
    "SurchargeIndexChanged",
    "SurchargeMemo",
    "WrittenOffFilter",
    "ZeroReason",
]

ZERO = Decimal(0)


def _year_month(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 100001 <= value <= 999912 or not 1 <= value % 100 <= 12:
        msg = f"{attribute.name} must be a yyyymm month, got {value}"
        raise ValueError(msg)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class SurchargeIndex:
    """One month of ``cobranca.indices_acrescimos_impontualidade`` (``iaci_``).

    ``id`` is the month (``yyyymm``), so the table has one row per month."""

    id: int = attrs.field(validator=_year_month)
    #: ``iaci_pcmulta``: fine (%), flat or per day.
    fine_rate: Decimal
    #: ``iaci_icmultamensal = 1``: flat fine; ``False``: rate × days late.
    fine_monthly: bool = True
    #: ``iaci_pclimitemulta``: cap (%) of the daily fine; ``None`` = no cap.
    fine_limit: Decimal | None = None
    #: ``iaci_pcjurosmora``: interest (%) per month (or per day).
    interest_rate: Decimal
    #: ``iaci_icjurosmensal = 1``: monthly interest; ``False``: per day.
    interest_monthly: bool = True
    #: ``iaci_pclimitejuros``: cap (%) of the daily interest; ``None`` = no cap.
    interest_limit: Decimal | None = None
    #: ``iaci_nnfatoratlzcmonetaria``: cumulative monetary-correction factor.
    correction_factor: Decimal = ZERO
    version: int = 1

    @property
    def month(self) -> int:
        """The ``yyyymm`` month of the row (its id)."""
        return self.id


class IndexLookup(StrEnum):
    """How ACR-06 found the initial index."""

    EXACT = "exact"
    PREVIOUS = "previous"
    """The latest index before the bill's reference month."""
    EARLIEST = "earliest"
    NONE = "none"
    """The table is empty: every rate is 0."""


class ZeroReason(StrEnum):
    """Why an item carries no surcharge (ACR-16)."""

    NOT_A_BILL = "not_a_bill"
    NO_MUNICIPALITY = "no_municipality"
    AUTOMATIC_DEBIT = "automatic_debit"
    WITHIN_GRACE = "within_grace"
    EXEMPT_CATEGORY = "exempt_category"
    EXEMPT_CUSTOMER = "exempt_customer"
    NOT_DUE = "not_due"


@attrs.frozen(kw_only=True)
class SurchargeMemo:
    """The "memória de cálculo" of one item's late-payment surcharges (ACR-16)."""

    debt_id: int
    reference: int | None
    due_date: date | None
    #: The data base: the payment date, or today for an unpaid item.
    base_date: date | None = None
    paid: bool = False
    grace_end: date | None = None
    business_days_late: int = 0
    grace_days: int = 0
    days_late: int = 0
    months_late: int = 0
    base_value: Decimal = ZERO
    fines_billed: Decimal = ZERO
    fine_charged: bool = False
    index_month: int | None = None
    index_lookup: IndexLookup = IndexLookup.NONE
    fine_rate: Decimal = ZERO
    fine_capped: bool = False
    interest_rate: Decimal = ZERO
    interest_capped: bool = False
    initial_factor: Decimal = ZERO
    final_factor: Decimal = ZERO
    final_factor_month: int | None = None
    correction_ratio: Decimal = ZERO
    correction_applies: bool = False
    #: ACR-12: the correction is the tariff update (the bill re-priced).
    tariff_updated: bool = False
    raw_fine: Decimal = ZERO
    raw_interest: Decimal = ZERO
    raw_correction: Decimal = ZERO
    fine: Decimal = ZERO
    interest: Decimal = ZERO
    correction: Decimal = ZERO
    zero_reason: ZeroReason | None = None

    @property
    def total(self) -> Decimal:
        """ACR-15 "acréscimos": fine + interest + correction."""
        return self.fine + self.interest + self.correction

    def __repr__(self) -> str:
        return short_repr(self, "debt_id", "fine", "interest", "correction")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class DebtLine:
    """One open item as UC0067 lists it: the item, its open value and (bills)
    its surcharges."""

    debt: OpenDebt
    #: The open value: the bill's net value, or the remaining value of a charge
    #: or credit (ODB-05).
    value: Decimal
    surcharge: SurchargeMemo | None = None

    @property
    def kind(self) -> DebtKind:
        return self.debt.kind

    @property
    def surcharges(self) -> Decimal:
        """The item's surcharges (0 when none were computed)."""
        return ZERO if self.surcharge is None else self.surcharge.total

    @property
    def updated_value(self) -> Decimal:
        """ACR-15 "valor atualizado": value + surcharges."""
        return self.value + self.surcharges


def _lines(value: Iterable[DebtLine]) -> tuple[DebtLine, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PlanLines:
    """A parcelamento as the statement shows it (EXT-04): the plan, its
    remaining charges and credits, and ``total = Σ charges − Σ credits``."""

    plan: InstallmentPlan
    charges: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    credits: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)

    @property
    def total(self) -> Decimal:
        debits = sum((x.value for x in self.charges), ZERO)
        return debits - sum((x.value for x in self.credits), ZERO)

    @property
    def lines(self) -> tuple[DebtLine, ...]:
        return self.charges + self.credits


@attrs.frozen(kw_only=True)
class Anticipation:
    """Installments of a plan's charge or credit paid ahead on the statement
    (EXT-04 ``antecipacaoParcela``): how many and their value."""

    debt_id: int
    kind: DebtKind
    installments: int
    value: Decimal


class DebtOwner(IntEnum):
    """``indicadorDebito`` of UC0067."""

    PROPERTY = 1
    BILLED_CUSTOMER = 2
    """Bills naming the customer (``clct_icnomeconta = 1``)."""
    CURRENT_PROPERTIES = 3
    """Everything of the properties where the customer has an open relation."""
    CURRENT_AND_FORMER = 4
    """Bills and slips of current properties, charges and credits of every
    property ever related."""


class WrittenOffFilter(IntEnum):
    """``indicadorDividaAtiva``."""

    ONLY = 1
    EXCLUDE = 2
    BOTH = 3


@attrs.frozen(kw_only=True)
class AccountDebts:
    """UC0067's answer: the open items of a property or customer."""

    property_ids: tuple[int, ...] = attrs.field(converter=_ints)
    bills: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    #: ODB-02: bills left by previous occupants (their own block).
    previous_bills: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    payment_slips: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    charges: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)
    credits: tuple[DebtLine, ...] = attrs.field(factory=tuple, converter=_lines)

    @property
    def debit_lines(self) -> tuple[DebtLine, ...]:
        """Every line that adds to the debt (credits excluded)."""
        return self.bills + self.previous_bills + self.payment_slips + self.charges

    @property
    def bills_total(self) -> Decimal:
        return sum((x.value for x in self.bills), ZERO)

    @property
    def surcharges_total(self) -> Decimal:
        return sum((x.surcharges for x in self.debit_lines), ZERO)

    @property
    def credits_total(self) -> Decimal:
        return sum((x.value for x in self.credits), ZERO)

    @property
    def total(self) -> Decimal:
        """Σ open values of the debit lines − Σ credits (no surcharges)."""
        return sum((x.value for x in self.debit_lines), ZERO) - self.credits_total

    @property
    def updated_total(self) -> Decimal:
        """:attr:`total` plus every surcharge."""
        return self.total + self.surcharges_total

    @property
    def empty(self) -> bool:
        return not (self.debit_lines or self.credits)

    def __repr__(self) -> str:
        return short_repr(self, "property_ids", "total", "surcharges_total")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class SurchargeIndexChanged(DomainEvent):
    """A month of the index table was inserted or updated (IDX-06)."""

    tag: ClassVar[str] = "accounts.surcharge_index_changed"
    month: int
    inserted: bool
