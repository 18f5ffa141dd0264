"""The billing values: their short repr."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gsan_core.model.billing import (
    CashPaymentTerms,
    InstallmentPlan,
    InstallmentPlanStatus,
    Tariff,
)


def test_an_installment_plan_shows_its_property_status_and_date() -> None:
    plan = InstallmentPlan(
        id=7,
        property_id=1,
        status=InstallmentPlanStatus.UNDONE,
        made_on=date(2024, 1, 2),
    )
    assert repr(plan) == "<InstallmentPlan 7 property_id=1 UNDONE made_on=2024-01-02>"


def test_cash_payment_terms_show_their_profile_discount_and_limit() -> None:
    terms = CashPaymentTerms(
        id=3,
        property_profile_id=2,
        fine_discount=Decimal(50),
        valid_until=date(2024, 12, 31),
    )
    assert repr(terms) == (
        "<CashPaymentTerms 3 property_profile_id=2 fine_discount=50.00"
        " valid_until=2024-12-31>"
    )


def test_a_tariff_shows_its_tariff_and_start() -> None:
    tariff = Tariff(id=9, tariff_id=4, valid_from=date(2024, 5, 1))
    assert repr(tariff) == "<Tariff 9 tariff_id=4 valid_from=2024-05-01>"
