"""``gsan.billing``: the default billing adapter behind the port.

Every test runs on memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

import gsan_core
from gsan_core.model.billing import Charge, ChargeShare, DebtKind, OpenDebt
from gsan_core.testing import DEFAULT_NOW

BILL = OpenDebt(
    id=10,
    property_id=1,
    kind=DebtKind.BILL,
    amount=Decimal("45.50"),
    due_date=date(2024, 12, 10),
    reference=202411,
)
SLIP = OpenDebt(
    id=11,
    property_id=1,
    kind=DebtKind.PAYMENT_SLIP,
    amount=Decimal(30),
    debit_type_id=5,
    issued_on=date(2025, 1, 3),
)
OTHER = OpenDebt(id=12, property_id=2, kind=DebtKind.CREDIT, amount=Decimal("-5.00"))


def test_record_read_and_settle_debts(system: gsan_core.System) -> None:
    assert system.billing.open_debts(1) == []
    system.billing.record_debts([SLIP, BILL, OTHER])
    assert system.billing.open_debts(1) == [BILL, SLIP]
    assert system.billing.open_debts(2) == [OTHER]
    system.billing.settle([10, 404])
    assert system.billing.open_debts(1) == [SLIP]
    assert system.billing.open_debts(2) == [OTHER]


def test_charges_are_open_debts_too(system: gsan_core.System) -> None:
    charge = Charge(
        id=20,
        property_id=1,
        debit_type_id=3,
        total=Decimal("90.30"),
        installments=3,
        installment_value=Decimal("30.10"),
        generated_at=DEFAULT_NOW,
        shares=(ChargeShare(category_id=1, economies=1, amount=Decimal("90.30")),),
        actor=4,
    )
    other = attrs.evolve(charge, id=21, property_id=2)
    with system.uow_factory() as uow:
        uow.billing.add_charge(charge)
        uow.billing.add_charge(other)
        uow.commit()
    assert system.billing.charges(1) == [charge]
    assert system.billing.charges(2) == [other]
    assert system.billing.charges(3) == []
    system.billing.record_debts([BILL])
    debts = system.billing.open_debts(1)
    assert [(d.kind, d.id, d.amount) for d in debts] == [
        (DebtKind.BILL, 10, Decimal("45.50")),
        (DebtKind.CHARGE, 20, Decimal("90.30")),
    ]
