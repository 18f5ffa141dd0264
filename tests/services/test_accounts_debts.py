"""``gsan.accounts`` UC0067 open debts and UC0216 surcharges (every backend)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    DebtOwner,
    RelationType,
    SurchargeIndexChanged,
    WrittenOffFilter,
    ZeroReason,
)
from gsan_core.model.billing import BillStatus, DebtKind, OpenDebt
from gsan_core.rules.accounts.debts import DebtQuery
from tests.services.test_accounts_customers import CPF_ANA, CPF_BIA, setup_counter

D = Decimal


def item(ident: int, kind: DebtKind = DebtKind.BILL, **changes: object) -> OpenDebt:
    base = OpenDebt(
        id=ident,
        property_id=1,
        kind=kind,
        amount=D("100.00"),
        due_date=date(2024, 11, 10),
        reference=202410,
    )
    return attrs.evolve(base, **changes)


def load_indices(system: gsan_core.System) -> None:
    for month, factor in ((202410, "1.0000"), (202411, "1.0050"), (202412, "1.0080")):
        system.accounts.inform_index(
            actor=1,
            month=month,
            fine_rate=D("2"),
            interest_rate=D("1"),
            correction_factor=D(factor),
        )
    system.accounts.inform_index(
        actor=1,
        month=202501,
        fine_rate=D("2"),
        interest_rate=D("1"),
        correction_rate=D("0.2"),
    )


def with_people(system: gsan_core.System) -> tuple[int, int]:
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document=CPF_ANA
    )
    bia = system.accounts.register_customer(
        actor=1, name="BIA", customer_type_id=1, document=CPF_BIA
    )
    system.accounts.relate(
        actor=1,
        customer_id=bia.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2020, 1, 1),
        end=date(2024, 1, 1),
    )
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
        name_on_bill=True,
    )
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.RESPONSIBLE,
        start=date(2024, 1, 1),
    )
    return ana.id, bia.id


@pytest.fixture
def account(system: gsan_core.System) -> tuple[gsan_core.System, int, int]:
    setup_counter(system)
    load_indices(system)
    ana, bia = with_people(system)
    system.billing.record_debts(
        [
            item(101, user_customer_id=ana, billed_customer_id=ana),
            item(
                102,
                reference=202310,
                due_date=date(2023, 11, 10),
                user_customer_id=bia,
                billed_customer_id=bia,
            ),
            item(
                103,
                reference=202411,
                due_date=date(2024, 12, 10),
                amount=D("60"),
                in_review=True,
            ),
            item(104, status=BillStatus.CANCELLED),
            item(105, status=BillStatus.PARCELLED, installment_plan_id=7),
            item(106, status=BillStatus.PARCELLED, installment_plan_id=8),
            item(107, written_off_reference=202412),
            item(108, amount=D("0")),
            item(
                201,
                DebtKind.PAYMENT_SLIP,
                reference=None,
                document_type_id=2,
                installment_plan_id=7,
                amount=D("30"),
            ),
            item(
                301,
                DebtKind.CHARGE,
                amount=D("90"),
                installments=3,
                installments_billed=1,
            ),
            item(
                302,
                DebtKind.CHARGE,
                amount=D("90"),
                installments=3,
                installments_billed=3,
            ),
            item(401, DebtKind.CREDIT, amount=D("20"), refunded=True),
            item(402, DebtKind.CREDIT, amount=D("15")),
            item(501, property_id=2, amount=D("40")),
        ]
    )
    return system, ana, bia


def ids(lines: object) -> list[int]:
    return [x.debt.id for x in lines]  # type: ignore[attr-defined]


def test_odb_01_02_03_05_06_07_what_counts_as_an_open_debt(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    debts = system.accounts.open_debts(property_id=1)
    # ODB-01: cancelled (104) and zero-value (108) bills are out; ODB-03: the
    # parcelled bill of the unconfirmed plan 7 stays, that of plan 8 goes;
    # ordered by property and reference
    assert ids(debts.bills) == [101, 105, 107, 103]  # by reference
    assert ids(debts.previous_bills) == [102]  # ODB-02
    assert ids(debts.payment_slips) == [201]  # ODB-07
    assert ids(debts.charges) == [301]  # ODB-05: 302 fully billed
    assert debts.charges[0].value == D("60.00")
    assert ids(debts.credits) == [402]  # ODB-06: 401 was refunded
    assert debts.total == D("100") * 4 - 40 + 100 + 30 + 60 - 15


def test_odb_01_review_and_written_off_filters(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    no_review = system.accounts.open_debts(
        property_id=1, query=DebtQuery(include_in_review=False)
    )
    assert 103 not in ids(no_review.bills)
    only = system.accounts.open_debts(
        property_id=1, query=DebtQuery(written_off=WrittenOffFilter.ONLY)
    )
    assert ids(only.bills) == [107]
    excluded = system.accounts.open_debts(
        property_id=1, query=DebtQuery(written_off=WrittenOffFilter.EXCLUDE)
    )
    assert 107 not in ids(excluded.bills)
    ranged = system.accounts.open_debts(
        property_id=1, query=DebtQuery(due_to=date(2024, 1, 1), surcharges=False)
    )
    assert ids(ranged.previous_bills) == [102]
    assert ranged.bills == ()
    assert ranged.surcharges_total == 0


def test_acr_surcharges_are_priced_per_bill(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    memos = {m.debt_id: m for m in system.accounts.surcharges(1)}
    first = memos[101]
    # due 2024-11-10, today 2025-01-06: index 202410 (due month − 1)
    assert first.index_month == 202410
    assert first.fine == D("2.00")
    assert first.interest == D("2.00")
    # final factor: 202501 computed from 0.2 % over 202412's 1.0080 (IDX-04)
    assert system.accounts.index(202501).correction_factor == D("1.0100")
    assert first.correction == D("1.00")
    debts = system.accounts.open_debts(property_id=1)
    assert debts.updated_total == debts.total + debts.surcharges_total
    assert debts.bills[0].updated_value == D("105.00")


def test_odb_08_acr_14_exempt_responsible_customer(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, ana, _ = account
    customer = system.accounts.customer(ana)
    system.accounts.update_customer(
        attrs.evolve(customer, charges_surcharges=False), actor=1
    )
    memos = system.accounts.surcharges(1)
    assert {m.zero_reason for m in memos} == {ZeroReason.EXEMPT_CUSTOMER}
    assert sum(m.total for m in memos) == 0


def test_odb_08_acr_14_exempt_category() -> None:
    """A category with ``catg_iccobrancaacrescimos = 2`` (profile option)."""
    loaded = gsan_core.in_memory().loaded_profile
    profile = attrs.evolve(
        loaded.profile,
        surcharge=attrs.evolve(loaded.profile.surcharge, exempt_category_ids={1}),
    )
    exempt = gsan_core.in_memory(attrs.evolve(loaded, profile=profile))
    setup_counter(exempt)
    load_indices(exempt)
    exempt.billing.record_debts([item(101)])
    (memo,) = exempt.accounts.surcharges(1)
    assert memo.zero_reason is ZeroReason.EXEMPT_CATEGORY
    assert memo.total == 0


def test_cnc_04_open_debts_by_customer_modes(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, ana, bia = account
    current = system.accounts.open_debts(
        customer_id=ana, owner=DebtOwner.CURRENT_PROPERTIES
    )
    assert current.property_ids == (1,)
    billed = system.accounts.open_debts(
        customer_id=bia, owner=DebtOwner.BILLED_CUSTOMER
    )
    assert ids(billed.bills) == [102]
    former = system.accounts.open_debts(
        customer_id=bia, owner=DebtOwner.CURRENT_AND_FORMER
    )
    assert former.bills == ()
    assert ids(former.charges) == [301]
    with pytest.raises(RuleViolation) as exc:
        system.accounts.open_debts(customer_id=999)
    assert exc.value.violations[0].gsan_key == "atencao.pesquisa_inexistente"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.open_debts(property_id=404)
    assert exc.value.violations[0].code == "accounts.property.not_found"


def test_idx_01_05_06_inform_index_inserts_updates_and_refuses(
    account: tuple[gsan_core.System, int, int],
) -> None:
    system, _, _ = account
    before = len(system.accounts.indices())
    with pytest.raises(RuleViolation) as exc:
        system.accounts.inform_index(
            actor=1, month=202503, fine_rate=D("2"), interest_rate=D("1")
        )
    assert exc.value.violations[0].rule == "IDX-01"
    with pytest.raises(RuleViolation) as exc:
        system.accounts.inform_index(
            actor=1, month=202502, fine_rate=D("-2"), interest_rate=D("-1")
        )
    assert [v.rule for v in exc.value.violations] == ["IDX-02", "IDX-02"]
    # a non-finite rate is refused where it enters, before the rules
    with pytest.raises(RuleViolation) as exc:
        system.accounts.inform_index(
            actor=1, month=202502, fine_rate=D("2"), interest_rate=D("Infinity")
        )
    assert exc.value.code == "input.invalid.interest_rate"
    assert len(system.accounts.indices()) == before
    updated = system.accounts.inform_index(
        actor=1,
        month=202410,
        fine_rate=D("3"),
        interest_rate=D("1"),
        correction_factor=D("1"),
    )
    assert updated.version == 2
    assert system.accounts.index(202410).fine_rate == D("3")
    assert [e.inserted for e in system.events if isinstance(e, SurchargeIndexChanged)][
        -1
    ] is False
    with pytest.raises(RuleViolation) as exc:
        system.accounts.index(199901)
    assert exc.value.violations[0].code == "accounts.index.month_missing"
