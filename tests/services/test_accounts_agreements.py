"""Installment agreements behind the billing port, on every backend: the
contract-of-parcelamento blocks (ODB-04, SVS-07), the parcelamentos of the
statement with anticipation (EXT-04) and the cash-payment discount of the
parcelamento profile (EXT-15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import SurchargeOption
from gsan_core.model.billing import (
    CashPaymentTerms,
    DebtKind,
    InstallmentPlan,
    InstallmentPlanStatus,
    OpenDebt,
)
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices

D = Decimal
MakeSystem = Callable[..., gsan_core.System]


def _system(make_system: MakeSystem, **sections: dict[str, object]) -> gsan_core.System:
    loaded = profiles.default()
    changes = {
        name: attrs.evolve(getattr(loaded.profile, name), **values)
        for name, values in sections.items()
    }
    gsan = make_system(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, **changes))
    )
    setup_counter(gsan)
    load_indices(gsan)
    return gsan


def _contract_items() -> list[OpenDebt]:
    return [
        item(101),
        item(102, reference=202409, due_date=date(2024, 10, 10), contract_id=9),
        item(201, DebtKind.PAYMENT_SLIP, amount=D("30"), contract_id=9),
        item(301, DebtKind.CHARGE, amount=D("50"), contract_id=9),
    ]


# ================================================================ ODB-04
def test_odb_04_items_of_an_active_contract_are_not_open_debts(
    make_system: MakeSystem,
) -> None:
    gsan = _system(
        make_system,
        surcharge={"contract_blocks_bills": True, "contract_blocks_charges": True},
    )
    gsan.billing.record_debts(_contract_items())
    debts = gsan.accounts.open_debts(property_id=1)
    assert [x.debt.id for x in debts.bills] == [101]
    assert [x.debt.id for x in debts.payment_slips] == [201]  # guias not blocked
    assert debts.charges == ()


def test_odb_04_without_the_parameters_the_contract_does_not_hide_anything(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system)
    gsan.billing.record_debts(_contract_items())
    debts = gsan.accounts.open_debts(property_id=1)
    assert [x.debt.id for x in debts.bills] == [102, 101]
    assert [x.debt.id for x in debts.payment_slips] == [201]
    assert [x.debt.id for x in debts.charges] == [301]


def test_odb_04_the_slip_block_and_the_certificate_follow_it(
    make_system: MakeSystem,
) -> None:
    gsan = _system(
        make_system,
        surcharge={
            "contract_blocks_bills": True,
            "contract_blocks_charges": True,
            "contract_blocks_slips": True,
        },
    )
    gsan.billing.record_debts([x for x in _contract_items() if x.id != 101])
    assert gsan.accounts.open_debts(property_id=1).empty
    cert = gsan.accounts.issue_certificate(actor=1, property_id=1)
    assert not cert.certificate.positive_effect


# ================================================================ SVS-07
def test_svs_07_a_set_of_bills_leaves_out_the_contract_bills(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system, segunda_via={"bloqueia_contrato_conjunto": True})
    gsan.billing.record_debts(_contract_items())
    single = gsan.accounts.issue_bill_copy(actor=1, property_id=1)
    assert {x.debt.id for x in single.bills} == {101, 102}
    in_set = gsan.accounts.issue_bill_copy(actor=1, property_id=1, bill_set=True)
    assert [x.debt.id for x in in_set.bills] == [101]
    named = gsan.accounts.issue_bill_copy(
        actor=1, property_id=1, bill_ids=[101, 102], bill_set=True
    )
    assert [x.debt.id for x in named.bills] == [101]


def test_svs_07_without_the_parameter_the_set_keeps_every_bill(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system)
    gsan.billing.record_debts(_contract_items())
    in_set = gsan.accounts.issue_bill_copy(actor=1, property_id=1, bill_set=True)
    assert {x.debt.id for x in in_set.bills} == {101, 102}


def test_svs_07_a_set_of_only_contract_bills_is_refused(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system, segunda_via={"bloqueia_contrato_conjunto": True})
    gsan.billing.record_debts([item(102, contract_id=9)])
    with pytest.raises(RuleViolation) as caught:
        gsan.accounts.issue_bill_copy(actor=1, property_id=1, bill_set=True)
    assert caught.value.codes == ("accounts.bill_copy.no_open_bill",)


# ================================================================ EXT-04
def _with_plans(gsan: gsan_core.System) -> None:
    gsan.billing.record_debts(
        [
            item(101),
            # plan 77: 60.00 + 10.00 − 20.00 = 50.00
            item(
                301,
                DebtKind.CHARGE,
                amount=D("90"),
                installments=3,
                installments_billed=1,
                financing_type_id=2,
                installment_plan_id=77,
            ),
            item(
                302,
                DebtKind.CHARGE,
                amount=D("10"),
                installments=3,
                financing_type_id=8,
                installment_plan_id=77,
            ),
            item(
                401,
                DebtKind.CREDIT,
                amount=D("20"),
                installments=2,
                installment_plan_id=77,
            ),
            # plan 78 is undone; plan 79 has nothing left to bill
            item(
                303,
                DebtKind.CHARGE,
                amount=D("40"),
                financing_type_id=4,
                installment_plan_id=78,
            ),
            item(
                304,
                DebtKind.CHARGE,
                amount=D("40"),
                installments=2,
                installments_billed=2,
                financing_type_id=4,
                installment_plan_id=79,
            ),
        ]
    )
    gsan.billing.record_installment_plans(
        [
            InstallmentPlan(id=77, property_id=1, made_on=date(2024, 6, 1)),
            InstallmentPlan(
                id=78,
                property_id=1,
                made_on=date(2024, 6, 1),
                status=InstallmentPlanStatus.UNDONE,
            ),
            InstallmentPlan(id=79, property_id=1, made_on=date(2024, 6, 1)),
        ]
    )


def test_ext_04_parcelamentos_are_grouped_not_offered_item_by_item(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system)
    _with_plans(gsan)
    plain = gsan.accounts.issue_statement(actor=1, property_id=1)
    assert [(g.plan.id, g.total) for g in plain.plans] == [(77, D("50.00"))]
    assert {x.debt.id for x in plain.plans[0].lines} == {301, 302, 401}
    assert [i.debt_id for i in plain.document.items] == [101]
    assert plain.plan_ids == ()
    with pytest.raises(RuleViolation) as caught:
        gsan.accounts.issue_statement(actor=1, property_id=1, selected=[101, 401])
    assert caught.value.codes == ("accounts.statement.item_not_open",)


def test_ext_04_a_ticked_parcelamento_adds_its_total(make_system: MakeSystem) -> None:
    gsan = _system(make_system)
    _with_plans(gsan)
    plain = gsan.accounts.issue_statement(actor=1, property_id=1)
    whole = gsan.accounts.issue_statement(actor=1, property_id=1, plan_ids=[77])
    assert whole.value == plain.value + D("50.00")
    assert whole.plan_ids == (77,)
    assert {i.debt_id for i in whole.document.items} == {101, 301, 302, 401}
    assert whole.credits_total == plain.credits_total + D("20.00")
    stored = gsan.accounts.collection_documents(1)
    assert {d.value for d in stored} == {plain.value, whole.value}


def test_ext_04_installments_are_anticipated(make_system: MakeSystem) -> None:
    gsan = _system(make_system)
    _with_plans(gsan)
    plain = gsan.accounts.issue_statement(actor=1, property_id=1)
    ahead = gsan.accounts.issue_statement(
        actor=1, property_id=1, anticipate={301: 1, 302: 3, 401: 1}
    )
    # 301: one installment of 30.00; 302: every installment left, the
    # remaining 10.00 (3 × 3.33 would lose a cent); 401: a credit of 10.00
    assert [(a.debt_id, a.value) for a in ahead.anticipations] == [
        (301, D("30.00")),
        (302, D("10.00")),
        (401, D("10.00")),
    ]
    assert ahead.value == plain.value + D("30.00")
    assert {i.debt_id: i.value for i in ahead.document.items}[301] == D("30.00")


def test_ext_04_bad_plans_and_anticipations_write_nothing(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system)
    _with_plans(gsan)
    with pytest.raises(RuleViolation) as caught:
        gsan.accounts.issue_statement(
            actor=1,
            property_id=1,
            plan_ids=[77, 78],
            anticipate={301: 1, 999: 1},
        )
    assert caught.value.codes == (
        "accounts.statement.plan_not_open",
        "accounts.statement.anticipation_invalid",
        "accounts.statement.anticipation_invalid",
    )
    with pytest.raises(RuleViolation) as again:
        gsan.accounts.issue_statement(actor=1, property_id=1, anticipate={301: 3})
    assert again.value.codes == ("accounts.statement.anticipation_invalid",)
    assert again.value.violations[0].params["maximum"] == 2
    assert gsan.accounts.collection_documents(1) == []


# ================================================================ EXT-15
def _terms(**changes: object) -> CashPaymentTerms:
    base = CashPaymentTerms(
        id=1,
        property_profile_id=1,
        fine_discount=D("100"),
        interest_discount=D("50"),
        correction_discount=D("0"),
    )
    return attrs.evolve(base, **changes)


def test_ext_15_the_cash_payment_discount_of_the_parcelamento_profile(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system, extrato={"resolucao_diretoria": True})
    gsan.billing.record_debts([item(101), item(102, reference=202409)])
    gsan.billing.record_cash_payment_terms([_terms()])
    plain = gsan.accounts.issue_statement(actor=1, property_id=1)
    cash = gsan.accounts.issue_statement(actor=1, property_id=1, cash_payment=True)
    memos = [x.surcharge for x in plain.bills if x.surcharge is not None]
    expected = sum(
        (
            m.fine + (m.interest * D("0.5")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
            for m in memos
        ),
        D(0),
    )
    assert expected > 0
    assert cash.cash_discount == expected
    assert cash.value == plain.value - expected
    assert cash.document.discount == expected
    assert cash.credits_total == plain.credits_total + expected


def test_ext_15_is_offered_only_with_a_board_resolution_and_surcharges(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system)
    gsan.billing.record_debts([item(101)])
    gsan.billing.record_cash_payment_terms([_terms()])
    with pytest.raises(RuleViolation) as caught:
        gsan.accounts.issue_statement(actor=1, property_id=1, cash_payment=True)
    assert caught.value.codes == ("accounts.statement.cash_discount_not_offered",)
    assert gsan.accounts.collection_documents(1) == []


def test_ext_15_terms_past_their_last_day_do_not_apply(
    make_system: MakeSystem,
) -> None:
    gsan = _system(make_system, extrato={"resolucao_diretoria": True})
    gsan.billing.record_debts([item(101)])
    gsan.billing.record_cash_payment_terms([_terms(valid_until=date(2020, 1, 31))])
    with pytest.raises(RuleViolation) as caught:
        gsan.accounts.issue_statement(actor=1, property_id=1, cash_payment=True)
    assert caught.value.codes == ("accounts.statement.no_cash_terms",)
    with pytest.raises(RuleViolation) as excluded:
        gsan.accounts.issue_statement(
            actor=1,
            property_id=1,
            cash_payment=True,
            surcharges=SurchargeOption.EXCLUDE,
        )
    assert excluded.value.codes == ("accounts.statement.cash_discount_not_offered",)


def test_ext_15_terms_outside_percentages_are_refused() -> None:
    with pytest.raises(ValueError, match="percentage"):
        _terms(fine_discount=D("101"))
    with pytest.raises(ValueError, match="percentage"):
        _terms(interest_discount=D("NaN"))
