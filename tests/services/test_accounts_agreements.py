"""Installment agreements behind the billing port, on every backend: the
contract-of-parcelamento blocks (ODB-04, SVS-07), the parcelamentos of the
statement with anticipation (EXT-04) and the cash-payment discount of the
parcelamento profile (EXT-15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.billing import DebtKind, OpenDebt
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
