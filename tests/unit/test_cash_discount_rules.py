"""EXT-15: the cash discount only forgives computed surcharges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gsan_core.model.accounts import DebtLine, SurchargeMemo
from gsan_core.model.billing import CashPaymentTerms, DebtKind, OpenDebt
from gsan_core.rules.accounts.agreements import cash_discount


def test_a_bill_without_surcharges_adds_no_discount() -> None:
    plain = OpenDebt(id=1, property_id=1, kind=DebtKind.BILL, amount=Decimal(100))
    late = OpenDebt(id=2, property_id=1, kind=DebtKind.BILL, amount=Decimal(100))
    memo = SurchargeMemo(
        debt_id=2,
        reference=202410,
        due_date=date(2024, 11, 10),
        fine=Decimal("2.00"),
        interest=Decimal("1.00"),
        correction=Decimal("0.50"),
    )
    terms = CashPaymentTerms(
        id=1,
        property_profile_id=1,
        fine_discount=Decimal(100),
        interest_discount=Decimal(100),
        correction_discount=Decimal(100),
    )
    bills = [
        DebtLine(debt=plain, value=plain.amount),
        DebtLine(debt=late, value=late.amount, surcharge=memo),
    ]
    assert cash_discount(bills[:1], terms, rounding="half_up") == Decimal(0)
    assert cash_discount(bills, terms, rounding="half_up") == Decimal("3.50")
