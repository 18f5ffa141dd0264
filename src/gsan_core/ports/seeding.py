"""The seeding port: loading what the outside modules own into the default stores.

Billing and collection, security and the billing "in field" lock are modules
outside this library (ports). Their read sides are what the rules need
(:class:`~gsan_core.ports.billing.Billing`,
:class:`~gsan_core.ports.permissions.Permissions`,
:class:`~gsan_core.ports.field_lock.FieldLock`). Putting data *into* them (open
debts, payments, consumption history, installment plans, tariffs, special permissions, a route billed in the
field) is what the library's own default stores (memory, SQL) need for tests,
notebooks and a utility without those modules; an integrator whose billing and
security live elsewhere (a GSAN database) has nothing to load and no
:class:`Seeding` to offer.

Reached as ``uow.seeding``. The public face keeps its methods
(``gsan.billing.record_debts(...)``, ``gsan.units.grant(...)``,
``gsan.properties.lock_route_in_field(...)``); on a backend without seeding
they raise ``ConfigurationError`` (``configuration.no_seeding``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    InstallmentPlan,
    OpenDebt,
    Payment,
    Tariff,
)
from gsan_core.model.consumption import ConsumptionRecord

__all__ = ["BulkLoading", "Seeding"]


class Seeding(Protocol):
    """Loaders of the outside modules' data (default adapters only)."""

    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        """Load open items (bills, slips, charges, credits)."""
        ...

    def settle(self, debt_ids: Iterable[int]) -> None:
        """Mark open items as paid."""
        ...

    def record_payments(self, payments: Iterable[Payment]) -> None:
        """Load payments."""
        ...

    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        """Load consumption history rows (``DuplicateEntity`` for a month that
        is there)."""
        ...

    def record_installment_plans(self, plans: Iterable[InstallmentPlan]) -> None:
        """Load installment plans (parcelamentos)."""
        ...

    def record_cash_payment_terms(self, terms: Iterable[CashPaymentTerms]) -> None:
        """Load the cash-payment terms of parcelamento profiles."""
        ...

    def record_tariffs(self, tariffs: Iterable[Tariff]) -> None:
        """Load consumption tariffs."""
        ...

    def record_billed_consumption(self, rows: Iterable[BilledConsumption]) -> None:
        """Load what bills charged for water and sewer."""
        ...

    def grant(self, user_id: int, permission_id: int) -> None:
        """Grant a special permission (idempotent)."""
        ...

    def revoke(self, user_id: int, permission_id: int) -> None:
        """Revoke a special permission (idempotent)."""
        ...

    def lock_route(self, route_id: int, reference: int) -> None:
        """Billing started for the route in the field (``yyyymm``)."""
        ...

    def unlock_route(self, route_id: int) -> None:
        """The route's group was billed: release it."""
        ...


@runtime_checkable
class BulkLoading(Protocol):
    """A unit of work that can insert a cadastral load's new rows in bulk
    (the SQL adapter: ``COPY`` on PostgreSQL). The synthetic utility uses it
    when the store is empty; rows are exactly what the stores' ``add_many``
    would write, with no checks (the caller knows the rows are new and valid).
    ``store``: ``property``, ``water_connection``, ``sewer_connection``,
    ``hydrometer``, ``hydrometer_installation`` or ``open_debt``."""

    def bulk_add(self, store: str, entities: Sequence[object]) -> None:
        """Insert ``entities`` (new rows of ``store``) in this transaction."""
        ...
