"""The billing port's reads and loaders over the accounts' own tables
(installment plans, cash-payment terms, tariffs, billed consumption), the
same on every store that keeps them as repositories: the memory store's and
the SQL adapter's ``Billing`` take them from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Protocol, TypeVar

from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    InstallmentPlan,
    Tariff,
)
from gsan_core.model.properties import Property

__all__ = ["AccountsTables"]

E = TypeVar("E")


class _Table(Protocol[E]):
    def find_by(self, **criteria: object) -> Sequence[E]: ...

    def add_many(self, entities: Iterable[E]) -> None: ...


class AccountsTables:
    """Mixin: needs ``_plans``, ``_terms``, ``_tariffs`` and ``_billed``."""

    _plans: _Table[InstallmentPlan]
    _terms: _Table[CashPaymentTerms]
    _tariffs: _Table[Tariff]
    _billed: _Table[BilledConsumption]

    def record_installment_plans(self, plans: Iterable[InstallmentPlan]) -> None:
        self._plans.add_many(plans)

    def cash_payment_terms(
        self, prop: Property, *, on: date
    ) -> CashPaymentTerms | None:
        return CashPaymentTerms.fitting(
            self._terms.find_by(property_profile_id=prop.profile_id), on=on
        )

    def record_cash_payment_terms(self, terms: Iterable[CashPaymentTerms]) -> None:
        self._terms.add_many(terms)

    def tariffs_in_force(
        self, tariff_ids: Iterable[int], *, on: date
    ) -> Mapping[int, Tariff]:
        """Each tariff's row in force ``on`` (the latest ``valid_from`` not
        after it)."""
        found: dict[int, Tariff] = {}
        wanted = list(set(tariff_ids))
        rows = self._tariffs.find_by(tariff_id=wanted) if wanted else []
        for row in sorted(rows, key=lambda t: (t.valid_from, t.id)):
            if row.valid_from <= on:
                found[row.tariff_id] = row
        return found

    def record_tariffs(self, tariffs: Iterable[Tariff]) -> None:
        self._tariffs.add_many(tariffs)

    def billed_consumption(
        self, bill_ids: Iterable[int]
    ) -> Mapping[int, BilledConsumption]:
        wanted = list(set(bill_ids))
        rows = self._billed.find_by(id=wanted) if wanted else []
        return {row.id: row for row in rows}

    def record_billed_consumption(self, rows: Iterable[BilledConsumption]) -> None:
        self._billed.add_many(rows)
