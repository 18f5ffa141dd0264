"""Use cases over the billing port: load open debts, read them and the charges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    Charge,
    InstallmentPlan,
    OpenDebt,
    Payment,
    Tariff,
)
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.services.context import Service

__all__ = ["BillingService"]


class BillingService(Service):
    """``gsan.billing``: what the rules read from billing and what they wrote to it."""

    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        """Load open items (bills, slips, charges, credits) into the default store."""
        with self._work() as uow:
            uow.seeding.record_debts(debts)
            uow.commit()

    def record_payments(self, payments: Iterable[Payment]) -> None:
        """Load payments into the default store (the refunds read them)."""
        with self._work() as uow:
            uow.seeding.record_payments(payments)
            uow.commit()

    def record_installment_plans(self, plans: Iterable[InstallmentPlan]) -> None:
        """Load parcelamentos into the default store (the statement reads them,
        EXT-04)."""
        with self._work() as uow:
            uow.seeding.record_installment_plans(plans)
            uow.commit()

    def installment_plans(self, property_id: int) -> Sequence[InstallmentPlan]:
        """The parcelamentos of a property, by id."""
        with self._read() as uow:
            found = uow.billing.installment_plans_of([property_id])
            return found.get(property_id, [])

    def record_cash_payment_terms(self, terms: Iterable[CashPaymentTerms]) -> None:
        """Load the cash-payment terms of the parcelamento profiles into the
        default store (EXT-15)."""
        with self._work() as uow:
            uow.seeding.record_cash_payment_terms(terms)
            uow.commit()

    def record_tariffs(self, tariffs: Iterable[Tariff]) -> None:
        """Load tariffs into the default store (ACR-12 re-prices with them)."""
        with self._work() as uow:
            uow.seeding.record_tariffs(tariffs)
            uow.commit()

    def record_billed_consumption(self, rows: Iterable[BilledConsumption]) -> None:
        """Load what bills charged for water and sewer (ACR-12)."""
        with self._work() as uow:
            uow.seeding.record_billed_consumption(rows)
            uow.commit()

    def payments(self, property_id: int) -> Sequence[Payment]:
        """The payments of a property, by id."""
        with self._read() as uow:
            return uow.billing.payments_of([property_id]).get(property_id, [])

    def settle(self, debt_ids: Iterable[int]) -> None:
        """Mark open items as paid."""
        with self._work() as uow:
            uow.seeding.settle(debt_ids)
            uow.commit()

    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        """Load consumption history rows into the default store (UC1073 and the
        minimum consumption read them)."""
        with self._work() as uow:
            uow.seeding.record_consumption(records)
            uow.commit()

    def open_debts(self, property_id: int) -> Sequence[OpenDebt]:
        """Every open item of a property."""
        with self._read() as uow:
            return uow.billing.open_debts(property_id)

    def charges(self, property_id: int) -> Sequence[Charge]:
        """The charges created for a property."""
        with self._read() as uow:
            return uow.billing.charges_of(property_id)
