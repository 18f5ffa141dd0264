"""``gsan.accounts.issue_bill_copy``: Segunda Via da Conta (SVS-), every backend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import BillCopyIssued, RelationType
from gsan_core.model.billing import DebtKind
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item

D = Decimal


@pytest.fixture
def counter(system: gsan_core.System) -> gsan_core.System:
    setup_counter(system)
    system.billing.record_debts(
        [
            item(101),
            item(102, reference=202411, due_date=date(2024, 12, 10), amount=D("50")),
            item(103, in_review=True, review_reason_id=7),
            item(104, in_review=True, review_reason_id=101),
            item(201, DebtKind.PAYMENT_SLIP, amount=D("30")),
        ]
    )
    return system


def _profiled(**segunda_via: object) -> gsan_core.System:
    loaded = gsan_core.in_memory().loaded_profile
    profile = attrs.evolve(
        loaded.profile,
        segunda_via=attrs.evolve(loaded.profile.segunda_via, **segunda_via),
    )
    system = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(system)
    system.billing.record_debts([item(101), item(102, amount=D("50"))])
    return system


def test_svs_01_08_the_fee_free_copy_of_chosen_bills(counter: gsan_core.System) -> None:
    copy = counter.accounts.issue_bill_copy(
        actor=1, property_id=1, bill_ids=[101, 102, 104]
    )
    assert [x.debt.id for x in copy.bills] == [101, 104, 102]
    assert copy.total == D("250.00")
    assert copy.fees == ()
    assert copy.fee == 0
    assert counter.billing.charges(1) == []
    (event,) = [e for e in counter.events if isinstance(e, BillCopyIssued)]
    assert event.bill_ids == (101, 104, 102)


def test_svs_04_08_refusals_write_nothing(counter: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.issue_bill_copy(actor=1, property_id=1)
    assert (
        exc.value.violations[0].gsan_key
        == "atencao.nao_permite_emitir_conta_em_revisao"
    )
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.issue_bill_copy(actor=1, property_id=1, bill_ids=[201])
    assert exc.value.violations[0].rule == "SVS-08"
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.issue_bill_copy(actor=1, property_id=2)
    assert exc.value.violations[0].gsan_key == "atencao.imovel_sem_debitos"
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.issue_bill_copy(actor=1, property_id=404)
    assert exc.value.violations[0].code == "accounts.property.not_found"
    assert not [e for e in counter.events if isinstance(e, BillCopyIssued)]


def test_svs_01_02_03_the_fee_is_a_charge_per_bill() -> None:
    # SVS-03: parm_vlsegundavia is 0.00, and the default rule still charges
    system = _profiled(tarifa_minima=D("25.55"), tarifa_minima_social=D("10"))
    assert system.profile.segunda_via.valor == 0
    copy = system.accounts.issue_bill_copy(actor=1, property_id=1, with_fee=True)
    assert [c.total for c in copy.fees] == [D("2.56"), D("2.56")]  # 10 % HALF_UP
    assert {c.debit_type_id for c in copy.fees} == {101}
    assert [c.reference for c in copy.fees] == [202410, 202410]
    assert [c.id for c in system.billing.charges(1)] == [c.id for c in copy.fees]
    flat = _profiled(fee_rule="parametro", valor=D("4.00"))
    assert flat.accounts.issue_bill_copy(
        actor=1, property_id=1, bill_ids=[101], with_fee=True
    ).fee == D("4.00")
    exempt = _profiled(tarifa_minima=D("20"), perfis_sem_taxa={1, 2, 3, 4, 5})
    assert (
        exempt.accounts.issue_bill_copy(actor=1, property_id=1, with_fee=True).fee == 0
    )


def test_svs_06_a_customer_with_a_document_unless_permission_73() -> None:
    system = _profiled(exige_documento=True)
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_bill_copy(actor=1, property_id=1)
    assert exc.value.violations[0].gsan_key == "atencao.cliente_documento_nao_informado"
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document="52998224725"
    )
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    assert system.accounts.issue_bill_copy(actor=1, property_id=1).total == D("150.00")
    other = _profiled(exige_documento=True)
    other.units.grant(user_id=1, permission_id=73, actor=0)
    assert other.accounts.issue_bill_copy(actor=1, property_id=1).total == D("150.00")


def test_ext_13_svs_05_a_special_situation_issues_no_document() -> None:
    system = _profiled()
    loaded = system.loaded_profile
    profile = attrs.evolve(
        loaded.profile,
        extrato=attrs.evolve(loaded.profile.extrato, situacoes_sem_documento={3}),
    )
    blocked = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(blocked)
    blocked.billing.record_debts([item(101)])
    with pytest.raises(RuleViolation) as exc:
        blocked.accounts.issue_bill_copy(actor=1, property_id=1)
    assert exc.value.violations[0].rule == "SVS-05"
    with pytest.raises(RuleViolation) as exc:
        blocked.accounts.issue_statement(actor=1, property_id=1)
    assert exc.value.violations[0].rule == "EXT-13"
