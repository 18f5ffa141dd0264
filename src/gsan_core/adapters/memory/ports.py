"""In-memory default adapters of the outside ports: billing, permissions, field lock.

They keep their data in the same store, so their writes commit or roll back with
the unit of work.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date

from gsan_core.adapters.billing_tables import AccountsTables
from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.adapters.memory.store import UNCHECKED, MemoryUnitOfWorkBase
from gsan_core.errors import DuplicateEntity, NotFound
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
from gsan_core.model.consumption import ConsumptionRecord, MeasurementKind

__all__ = ["MemoryBilling", "MemoryFieldLock", "MemoryPermissions"]


class MemoryBilling(AccountsTables):
    """Open debts and charges in memory."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow
        self._payments: MemoryRepository[Payment] = MemoryRepository(uow, "payment")
        self._plans: MemoryRepository[InstallmentPlan] = MemoryRepository(
            uow, "installment_plan"
        )
        self._terms: MemoryRepository[CashPaymentTerms] = MemoryRepository(
            uow, "cash_payment_terms"
        )
        self._tariffs: MemoryRepository[Tariff] = MemoryRepository(uow, "tariff")
        self._billed: MemoryRepository[BilledConsumption] = MemoryRepository(
            uow, "billed_consumption"
        )

    def open_debts(self, property_id: int) -> Sequence[OpenDebt]:
        return list(self.open_debts_of([property_id]).get(property_id, []))

    def open_debts_of(
        self,
        property_ids: Iterable[int],
        *,
        kinds: Collection[DebtKind] | None = None,
    ) -> Mapping[int, Sequence[OpenDebt]]:
        found: dict[int, list[OpenDebt]] = {}
        for pid in set(property_ids):
            for debt in self._uow.rows_where("open_debt", "property_id", pid):
                if kinds is None or debt.kind in kinds:
                    found.setdefault(pid, []).append(debt)
            if kinds is None or DebtKind.CHARGE in kinds:
                for charge in self._uow.rows_where("charge", "property_id", pid):
                    found.setdefault(pid, []).append(_as_debt(charge))
        return {k: sorted(v, key=lambda d: (d.kind, d.id)) for k, v in found.items()}

    def overdue_bills(
        self, property_ids: Iterable[int], *, due_before: date
    ) -> Mapping[int, OverdueBills]:
        debts = self.open_debts_of(property_ids, kinds=(DebtKind.BILL,))
        found = {
            pid: OverdueBills.of(items, due_before=due_before)
            for pid, items in debts.items()
        }
        return {pid: total for pid, total in found.items() if total.count}

    def has_payment_slip(
        self, *, property_id: int, debit_type_id: int, issued_on: date
    ) -> bool:
        return any(
            debt.kind is DebtKind.PAYMENT_SLIP
            and debt.debit_type_id == debit_type_id
            and debt.issued_on == issued_on
            for debt in self._uow.rows_where("open_debt", "property_id", property_id)
        )

    def payment_slips_issued(
        self, keys: Iterable[tuple[int, int, date]]
    ) -> set[tuple[int, int, date]]:
        return {
            key
            for key in keys
            if self.has_payment_slip(
                property_id=key[0], debit_type_id=key[1], issued_on=key[2]
            )
        }

    def add_charge(self, charge: Charge) -> None:
        self._uow.write("charge", charge.id, charge, expect=None)

    def add_charges(self, charges: Iterable[Charge]) -> None:
        for charge in charges:
            self.add_charge(charge)

    def charges_of(self, property_id: int) -> Sequence[Charge]:
        return sorted(
            self._uow.rows_where("charge", "property_id", property_id),
            key=lambda c: c.id,
        )

    def add_credits(self, credits: Iterable[OpenDebt]) -> None:
        self.record_debts(credits)

    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        for debt in debts:
            self._uow.write("open_debt", debt.id, debt, expect=None)

    def settle(self, debt_ids: Iterable[int]) -> None:
        for ident in debt_ids:
            self._uow.delete("open_debt", ident, expect=UNCHECKED)

    def replace_debts(self, debts: Iterable[OpenDebt]) -> None:
        for debt in debts:
            if self._uow.read("open_debt", debt.id) is None:
                raise NotFound("open_debt", debt.id)
            self._uow.write("open_debt", debt.id, debt, expect=UNCHECKED)

    def payments_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[Payment]]:
        found: dict[int, list[Payment]] = {}
        for payment in self._payments.find_by(property_id=list(set(property_ids))):
            found.setdefault(payment.property_id, []).append(payment)
        return found

    def record_payments(self, payments: Iterable[Payment]) -> None:
        self._payments.add_many(payments)

    def update_payments(self, payments: Iterable[Payment]) -> None:
        self._payments.update_many(payments)

    def real_consumption(
        self,
        property_ids: Iterable[int],
        *,
        reference: int,
        real_type_ids: Collection[int],
    ) -> set[int]:
        found: set[int] = set()
        for ident in property_ids:
            row = self._uow.read(
                "consumption", (ident, reference, MeasurementKind.WATER)
            )
            if (
                row is not None
                and row.consumption_type_id in real_type_ids
                and row.billed_volume > 0
            ):
                found.add(ident)
        return found

    def repeated_anomaly(
        self,
        property_ids: Iterable[int],
        *,
        anomaly_ids: Collection[int],
        references: Collection[int],
    ) -> set[int]:
        found: set[int] = set()
        for ident in property_ids:
            rows = [
                self._uow.read("consumption", (ident, month, MeasurementKind.WATER))
                for month in references
            ]
            if references and all(
                row is not None and row.anomaly_id in anomaly_ids for row in rows
            ):
                found.add(ident)
        return found

    def billed_volumes(
        self,
        property_id: int,
        *,
        last: int,
        kind: MeasurementKind = MeasurementKind.WATER,
    ) -> Sequence[int]:
        rows = sorted(
            (
                r
                for r in self._uow.rows("consumption")
                if r.property_id == property_id and r.kind is kind
            ),
            key=lambda r: r.reference,
            reverse=True,
        )
        return [r.billed_volume for r in rows[: max(last, 0)]]

    def minimum_consumption(
        self, property_id: int, *, kind: MeasurementKind = MeasurementKind.WATER
    ) -> int | None:
        rows = [
            r
            for r in self._uow.rows("consumption")
            if r.property_id == property_id and r.kind is kind
        ]
        if not rows:
            return None
        latest: ConsumptionRecord = max(rows, key=lambda r: r.reference)
        return latest.minimum

    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        batch = list(records)
        for record in batch:
            key = (record.property_id, record.reference, record.kind)
            if self._uow.read("consumption", key) is not None:
                raise DuplicateEntity("consumption_history", key)
        for record in batch:
            key = (record.property_id, record.reference, record.kind)
            self._uow.write("consumption", key, record, expect=None)

    def installment_plans_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[InstallmentPlan]]:
        found: dict[int, list[InstallmentPlan]] = {}
        for plan in self._plans.find_by(property_id=list(set(property_ids))):
            found.setdefault(plan.property_id, []).append(plan)
        return {k: sorted(v, key=lambda p: p.id) for k, v in found.items()}


def _as_debt(charge: Charge) -> OpenDebt:
    return OpenDebt(
        id=charge.id,
        property_id=charge.property_id,
        kind=DebtKind.CHARGE,
        amount=charge.total,
        debit_type_id=charge.debit_type_id,
        reference=charge.reference,
        installments=charge.installments,
        installments_billed=charge.installments_billed,
    )


class MemoryPermissions:
    """Special permissions granted to users, in memory."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def has(self, user_id: int, permission_id: int) -> bool:
        """A deactivated user holds no permission (the grant stays stored)."""
        if self._uow.read("permission", (user_id, permission_id)) is None:
            return False
        user = self._uow.read("user", user_id)
        return user is None or bool(user.active)

    def grant(self, user_id: int, permission_id: int) -> None:
        self._uow.write(
            "permission", (user_id, permission_id), value=True, expect=UNCHECKED
        )

    def revoke(self, user_id: int, permission_id: int) -> None:
        self._uow.delete("permission", (user_id, permission_id), expect=UNCHECKED)


class MemoryFieldLock:
    """Routes being billed in the field, in memory."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def locked_reference(self, property_id: int) -> int | None:
        """The lock of the property's route; the route stays share-locked until
        the transaction ends, so billing cannot lock it in between."""
        prop = self._uow.read("property", property_id)
        if prop is None or prop.route_id is None:
            return None
        self._uow.lock_rows("route", [prop.route_id], shared=True)
        route = self._uow.read("route", prop.route_id)
        if route is None or not route.simultaneous_printing:
            return None
        reference: int | None = self._uow.read("field_lock", prop.route_id)
        return reference

    def lock_route(self, route_id: int, reference: int) -> None:
        self._uow.lock_rows("route", [route_id])
        self._uow.write("field_lock", route_id, reference, expect=UNCHECKED)

    def unlock_route(self, route_id: int) -> None:
        self._uow.lock_rows("route", [route_id])
        self._uow.delete("field_lock", route_id, expect=UNCHECKED)
