"""The parcelamento rules of the statement, as properties: anticipation never
exceeds what is left (EXT-04), the cash-payment discount never exceeds the
surcharges (EXT-15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gsan_core.model.accounts import AccountDebts, DebtLine, SurchargeMemo
from gsan_core.model.billing import (
    CashPaymentTerms,
    DebtKind,
    InstallmentPlan,
    OpenDebt,
)
from gsan_core.model.profile import SurchargeRounding
from gsan_core.rules.accounts.agreements import anticipate, cash_discount, plan_lines

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
percent = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)


@given(
    amount=money,
    installments=st.integers(min_value=2, max_value=60),
    data=st.data(),
)
def test_ext_04_anticipation_stays_within_the_remaining_value(
    amount: Decimal, installments: int, data: st.DataObject
) -> None:
    billed = data.draw(st.integers(min_value=0, max_value=installments - 2))
    debt = OpenDebt(
        id=1,
        property_id=1,
        kind=DebtKind.CHARGE,
        amount=amount,
        installments=installments,
        installments_billed=billed,
        financing_type_id=2,
        installment_plan_id=7,
    )
    debts = AccountDebts(
        property_ids=[1], charges=[DebtLine(debt=debt, value=debt.remaining)]
    )
    plan = InstallmentPlan(id=7, property_id=1, made_on=date(2024, 1, 1))
    groups = plan_lines(debts, [plan])
    left = debt.remaining_installments
    count = data.draw(st.integers(min_value=1, max_value=left))
    (made,), refused = anticipate(groups, ticked_plans=(), wanted={1: count})
    assert refused == []
    assert Decimal(0) <= made.value <= debt.remaining
    if count == left:
        assert made.value == debt.remaining
    _, beyond = anticipate(groups, ticked_plans=(), wanted={1: left + 1})
    assert [v.code for v in beyond] == ["accounts.statement.anticipation_invalid"]


@given(
    fine=money,
    interest=money,
    correction=money,
    fine_pct=percent,
    interest_pct=percent,
    correction_pct=percent,
    rounding=st.sampled_from(["half_up", "down"]),
)
def test_ext_15_the_cash_discount_never_exceeds_the_surcharges(
    fine: Decimal,
    interest: Decimal,
    correction: Decimal,
    fine_pct: Decimal,
    interest_pct: Decimal,
    correction_pct: Decimal,
    rounding: SurchargeRounding,
) -> None:
    memo = SurchargeMemo(
        debt_id=1,
        reference=202410,
        due_date=date(2024, 11, 10),
        fine=fine,
        interest=interest,
        correction=correction,
    )
    bill = OpenDebt(id=1, property_id=1, kind=DebtKind.BILL, amount=Decimal(100))
    terms = CashPaymentTerms(
        id=1,
        property_profile_id=1,
        fine_discount=fine_pct,
        interest_discount=interest_pct,
        correction_discount=correction_pct,
    )
    found = cash_discount(
        [DebtLine(debt=bill, value=bill.amount, surcharge=memo)],
        terms,
        rounding=rounding,
    )
    assert Decimal(0) <= found <= memo.total
    assert found == found.quantize(Decimal("0.01"))
