"""The seeding port of the library's own stores (memory and SQL).

Both default adapters keep the loaders on their billing, permissions and
field-lock objects; :class:`StoreSeeding` is the one
:class:`~gsan_core.ports.seeding.Seeding` over them, so the port's methods are
written once for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    InstallmentPlan,
    OpenDebt,
    Payment,
    Tariff,
)
from gsan_core.model.consumption import ConsumptionRecord

__all__ = ["StoreSeeding"]


class _BillingStore(Protocol):
    def record_debts(self, debts: Iterable[OpenDebt]) -> None: ...
    def settle(self, debt_ids: Iterable[int]) -> None: ...
    def record_payments(self, payments: Iterable[Payment]) -> None: ...
    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None: ...
    def record_installment_plans(self, plans: Iterable[InstallmentPlan]) -> None: ...
    def record_cash_payment_terms(self, terms: Iterable[CashPaymentTerms]) -> None: ...
    def record_tariffs(self, tariffs: Iterable[Tariff]) -> None: ...
    def record_billed_consumption(self, rows: Iterable[BilledConsumption]) -> None: ...


class _PermissionStore(Protocol):
    def grant(self, user_id: int, permission_id: int) -> None: ...
    def revoke(self, user_id: int, permission_id: int) -> None: ...


class _FieldLockStore(Protocol):
    def lock_route(self, route_id: int, reference: int) -> None: ...
    def unlock_route(self, route_id: int) -> None: ...


class StoreSeeding:
    """The seeding port over an adapter's billing, permissions and field lock:
    it loads the default stores."""

    def __init__(
        self,
        billing: _BillingStore,
        permissions: _PermissionStore,
        field_lock: _FieldLockStore,
    ) -> None:
        self._billing = billing
        self._permissions = permissions
        self._field_lock = field_lock

    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        self._billing.record_debts(debts)

    def settle(self, debt_ids: Iterable[int]) -> None:
        self._billing.settle(debt_ids)

    def record_payments(self, payments: Iterable[Payment]) -> None:
        self._billing.record_payments(payments)

    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        self._billing.record_consumption(records)

    def record_installment_plans(self, plans: Iterable[InstallmentPlan]) -> None:
        self._billing.record_installment_plans(plans)

    def record_cash_payment_terms(self, terms: Iterable[CashPaymentTerms]) -> None:
        self._billing.record_cash_payment_terms(terms)

    def record_tariffs(self, tariffs: Iterable[Tariff]) -> None:
        self._billing.record_tariffs(tariffs)

    def record_billed_consumption(self, rows: Iterable[BilledConsumption]) -> None:
        self._billing.record_billed_consumption(rows)

    def grant(self, user_id: int, permission_id: int) -> None:
        self._permissions.grant(user_id, permission_id)

    def revoke(self, user_id: int, permission_id: int) -> None:
        self._permissions.revoke(user_id, permission_id)

    def lock_route(self, route_id: int, reference: int) -> None:
        self._field_lock.lock_route(route_id, reference)

    def unlock_route(self, route_id: int) -> None:
        self._field_lock.unlock_route(route_id)
