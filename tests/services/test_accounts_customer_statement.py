"""``gsan.accounts`` EXT-20: the debt statement by customer (every backend)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import CollectionDocumentIssued, RelationType
from tests.services.conftest import valid_property
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices
from tests.services.test_accounts_property_view import statements

D = Decimal


def _company(
    system: gsan_core.System, name: str, responsible: int | None = None
) -> int:
    return system.accounts.register_customer(
        actor=1, name=name, customer_type_id=2, responsible_customer_id=responsible
    ).id


def _relate(
    system: gsan_core.System,
    customer_id: int,
    property_id: int,
    relation: RelationType = RelationType.USER,
    end: date | None = None,
) -> None:
    system.accounts.relate(
        actor=1,
        customer_id=customer_id,
        property_id=property_id,
        relation=relation,
        start=date(2024, 1, 1),
        end=end,
    )


@pytest.fixture
def group(system: gsan_core.System) -> tuple[gsan_core.System, int, int]:
    """MATRIZ owns property 1, its FILIAL uses property 2 and property 3 (which
    owes nothing); property 4, with a debt, was the FILIAL's until 2024-06."""
    setup_counter(system)
    load_indices(system)
    for pid in (3, 4):
        system.properties.register(valid_property(pid), actor=1)
    boss = _company(system, "MATRIZ")
    branch = _company(system, "FILIAL", responsible=boss)
    _relate(system, boss, 1, RelationType.OWNER)
    _relate(system, branch, 2)
    _relate(system, branch, 3)
    _relate(system, branch, 4, end=date(2024, 6, 1))
    system.billing.record_debts(
        [
            item(101),
            item(102, reference=202411, due_date=date(2024, 12, 10), amount=D("60")),
            item(201, property_id=2, amount=D("40")),
            item(401, property_id=4, amount=D("70")),
        ]
    )
    return system, boss, branch


def test_ext_20_the_statement_of_a_customer_and_those_under_it(
    group: tuple[gsan_core.System, int, int],
) -> None:
    """EXT-20: the hierarchy's current properties, one persisted statement per
    property with the property statement's figures, grouped by property."""
    system, boss, branch = group
    result = system.accounts.issue_customer_statement(actor=1, customer_id=boss)
    assert result.customer_ids == (boss, branch)
    assert result.property_ids == (1, 2)  # 3 owes nothing, 4 is a former one
    assert result.skipped == {3: "accounts.statement.nothing_to_list"}
    first, second = result.statements
    assert [x.debt.id for x in first.bills] == [101, 102]
    assert [x.debt.id for x in second.bills] == [201]
    assert first.document.surcharges > 0
    assert result.bills_total == D("200.00")
    assert result.value == first.value + second.value
    assert result.value == result.bills_total + result.services_total - (
        result.credits_total
    )
    # persisted as the property statement is: one document per property
    assert list(system.accounts.collection_documents(1)) == [first.document]
    assert list(system.accounts.collection_documents(2)) == [second.document]
    assert system.accounts.collection_documents(3) == []
    issued = [e for e in system.events if isinstance(e, CollectionDocumentIssued)]
    assert sorted(e.property_id for e in issued) == [1, 2]
    # the same figures as the property's own statement
    alone = system.accounts.issue_statement(actor=1, property_id=2)
    assert alone.value == second.value
    assert alone.bills_total == second.bills_total


def test_ext_20_the_branch_alone_and_by_relation(
    group: tuple[gsan_core.System, int, int],
) -> None:
    """EXT-20: a customer below sees only its own part; ``relation`` keeps
    the properties of that relation only."""
    system, boss, branch = group
    below = system.accounts.issue_customer_statement(actor=1, customer_id=branch)
    assert below.customer_ids == (branch,)
    assert below.property_ids == (2,)
    owned = system.accounts.issue_customer_statement(
        actor=1, customer_id=boss, relation=RelationType.OWNER
    )
    assert owned.property_ids == (1,)


def test_ext_20_refusals(group: tuple[gsan_core.System, int, int]) -> None:
    """EXT-20: an unknown customer, a customer without a current property and
    one whose properties have nothing to list are refused, nothing written."""
    system, boss, branch = group
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_statement(actor=1, customer_id=999)
    assert exc.value.violations[0].gsan_key == "atencao.pesquisa_inexistente"
    lonely = _company(system, "SEM IMOVEL")
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_statement(actor=1, customer_id=lonely)
    assert exc.value.code == "accounts.statement.customer_without_properties"
    assert exc.value.violations[0].gsan_key == "atencao.relatorio.vazio"
    assert exc.value.violations[0].rule == "EXT-20"
    former = _company(system, "ANTIGO")
    _relate(system, former, 4, RelationType.OWNER, end=date(2024, 6, 1))
    with pytest.raises(RuleViolation) as exc:  # only a closed relation
        system.accounts.issue_customer_statement(actor=1, customer_id=former)
    assert exc.value.code == "accounts.statement.customer_without_properties"
    with pytest.raises(RuleViolation) as exc:  # no property of that relation
        system.accounts.issue_customer_statement(
            actor=1, customer_id=boss, relation=RelationType.RESPONSIBLE
        )
    assert exc.value.code == "accounts.statement.customer_without_properties"
    quiet = _company(system, "EM DIA")
    _relate(system, quiet, 3, RelationType.OWNER)
    with pytest.raises(RuleViolation) as exc:
        system.accounts.issue_customer_statement(actor=1, customer_id=quiet)
    assert exc.value.violations[0].gsan_key == "atencao.imovel_sem_debito_credito"
    assert system.accounts.collection_documents(3) == []
    _ = branch


def _customer_with(system: gsan_core.System, first: int, count: int) -> int:
    owner = _company(system, f"DONO {first}")
    for pid in range(first, first + count):
        system.properties.register(valid_property(pid), actor=1)
        _relate(system, owner, pid, RelationType.OWNER)
    system.billing.record_debts(
        [item(10 * pid, property_id=pid) for pid in range(first, first + count)]
    )
    return owner


def test_ext_20_a_bounded_number_of_statements(system: gsan_core.System) -> None:
    """EXT-20: the statement by customer sends as many SQL statements for 9
    properties as for 3 (no N+1)."""
    setup_counter(system)
    load_indices(system)
    warm = _customer_with(system, 100, 2)
    small_owner = _customer_with(system, 200, 3)
    large_owner = _customer_with(system, 300, 9)
    system.accounts.issue_customer_statement(actor=1, customer_id=warm)
    with statements(system) as small:
        three = system.accounts.issue_customer_statement(
            actor=1, customer_id=small_owner
        )
    with statements(system) as large:
        nine = system.accounts.issue_customer_statement(
            actor=1, customer_id=large_owner
        )
    assert len(three.statements) == 3
    assert len(nine.statements) == 9
    assert len(large) == len(small)
    # hierarchy, relations, properties (locked), each debt table, documents,
    # outbox: 13 on PostgreSQL, 14 on SQLite when measured
    assert len(small) <= 16
