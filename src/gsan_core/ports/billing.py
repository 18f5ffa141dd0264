"""The billing port: a property's open debts, payment slips, and new charges.

Loading debts, payments and consumption into the default stores is the seeding
port's (:mod:`gsan_core.ports.seeding`), not this one's.

The default adapters (memory and SQL) keep these in this library's own tables, in
the same transaction as the rules; integrators replace them with their billing
system.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Protocol

from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    Charge,
    DebtKind,
    InstallmentPlan,
    OpenDebt,
    OverdueBills,
    Payment,
    Tariff,
)
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.properties import Property

__all__ = ["Billing"]


class Billing(Protocol):
    """What the rules need from billing and collection."""

    def open_debts(self, property_id: int) -> Sequence[OpenDebt]:
        """Every open item of the property (bills, slips, charges, credits)."""
        ...

    def open_debts_of(
        self,
        property_ids: Iterable[int],
        *,
        kinds: Collection[DebtKind] | None = None,
    ) -> Mapping[int, Sequence[OpenDebt]]:
        """Open items of many properties in one round trip (batch work), of the
        given ``kinds`` only when given."""
        ...

    def overdue_bills(
        self, property_ids: Iterable[int], *, due_before: date
    ) -> Mapping[int, OverdueBills]:
        """The unpaid bills due before ``due_before`` of many properties, counted
        and added up (only properties that have some); one round trip per chunk.
        The cut-order batch reads this instead of every open item."""
        ...

    def has_payment_slip(
        self, *, property_id: int, debit_type_id: int, issued_on: date
    ) -> bool:
        """Whether a payment slip of that debit type was issued on that day."""
        ...

    def payment_slips_issued(
        self, keys: Iterable[tuple[int, int, date]]
    ) -> set[tuple[int, int, date]]:
        """:meth:`has_payment_slip` for many charges at once (a batch's chunk,
        DEB-02): of the ``(property_id, debit_type_id, issued_on)`` keys, those
        for which such a slip was issued; one round trip per chunk."""
        ...

    def add_charge(self, charge: Charge) -> None:
        """Create a charge to be billed ("débito a cobrar")."""
        ...

    def add_charges(self, charges: Iterable[Charge]) -> None:
        """Create many charges (a batch's chunk): one round trip per chunk."""
        ...

    def charges_of(self, property_id: int) -> Sequence[Charge]:
        """Charges created for the property."""
        ...

    def add_credits(self, credits: Iterable[OpenDebt]) -> None:
        """Create credits to be granted ("crédito a realizar", kind ``CREDIT``:
        DEV-11 as the refunds use it)."""
        ...

    def replace_debts(self, debts: Iterable[OpenDebt]) -> None:
        """Store new versions of open items (a bill retified with a credit, a
        credit granted: UC0150 as the refunds use it)."""
        ...

    def payments_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[Payment]]:
        """The payments of many properties (one round trip), by id."""
        ...

    def update_payments(self, payments: Iterable[Payment]) -> None:
        """Store new versions of payments (their situation after a refund);
        compare-and-set on each payment's version."""
        ...

    def real_consumption(
        self,
        property_ids: Iterable[int],
        *,
        reference: int,
        real_type_ids: Collection[int],
    ) -> set[int]:
        """The properties among ``property_ids`` whose *water* consumption of the
        ``reference`` month (``yyyymm``) was of one of the real consumption types
        and billed more than zero (UC1073). Set-based: one round trip per chunk."""
        ...

    def repeated_anomaly(
        self,
        property_ids: Iterable[int],
        *,
        anomaly_ids: Collection[int],
        references: Collection[int],
    ) -> set[int]:
        """The properties among ``property_ids`` whose *water* reading had one
        of ``anomaly_ids`` in every one of the ``references`` months
        (``yyyymm``; INSP-02). Set-based: one round trip per chunk."""
        ...

    def minimum_consumption(
        self, property_id: int, *, kind: MeasurementKind = MeasurementKind.WATER
    ) -> int | None:
        """UC0105: the minimum consumption billing computed for the property (its
        latest reference), or ``None`` when billing does not know it."""
        ...

    def billed_volumes(
        self,
        property_id: int,
        *,
        last: int,
        kind: MeasurementKind = MeasurementKind.WATER,
    ) -> Sequence[int]:
        """The billed volumes (m³) of the property's ``last`` latest months of
        consumption history, newest first (FIS-13 code 1)."""
        ...

    def installment_plans_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[InstallmentPlan]]:
        """The parcelamentos of many properties (one round trip), any status;
        their charges and credits are the open items naming them (EXT-04)."""
        ...

    def cash_payment_terms(
        self, prop: Property, *, on: date
    ) -> CashPaymentTerms | None:
        """The cash-payment discounts of the parcelamento profile that fits the
        property on that day (UC0214; EXT-15), or ``None``. The reference
        adapters choose by the property's profile and the terms' last day."""
        ...

    def tariffs_in_force(
        self, tariff_ids: Iterable[int], *, on: date
    ) -> Mapping[int, Tariff]:
        """The tariff in force on ``on`` of each consumption tariff (the
        latest ``valid_from`` not after it), by ``tariff_id`` (ACR-12)."""
        ...

    def billed_consumption(
        self, bill_ids: Iterable[int]
    ) -> Mapping[int, BilledConsumption]:
        """What each bill charged for water and sewer and on what (ACR-12),
        by bill id (bills billing does not know are left out)."""
        ...
