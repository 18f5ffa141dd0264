"""``gsan.accounts`` customers: CPF/CNPJ, relations, hierarchy (every backend)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    CustomerRegistered,
    CustomerType,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.units import OrganizationalUnit, User
from tests.services.conftest import add_location, valid_property

CPF_ANA = "52998224725"
CPF_BIA = "11144477735"
CNPJ_ACME = "11222333000181"


def setup_counter(system: gsan_core.System) -> gsan_core.System:
    """A property, the spheres of power and customer types of the counter."""
    add_location(system)
    system.units.register(
        OrganizationalUnit(id=1, name="ATENDIMENTO", unit_type_id=10), actor=0
    )
    system.units.register_user(User(id=1, name="ATENDENTE", unit_id=1), actor=0)
    system.properties.register(valid_property(1), actor=1)
    system.properties.register(valid_property(2), actor=1)
    system.accounts.load_reference(
        power_spheres=[
            PowerSphere(id=1, description="PARTICULAR"),
            PowerSphere(
                id=2,
                description="FEDERAL",
                property_certificate_allowed=False,
                customer_certificate_allowed=False,
            ),
        ],
        customer_types=[
            CustomerType(
                id=1,
                description="PESSOA FISICA",
                person_kind=PersonKind.INDIVIDUAL,
                power_sphere_id=1,
            ),
            CustomerType(
                id=2,
                description="EMPRESA",
                person_kind=PersonKind.COMPANY,
                power_sphere_id=1,
            ),
            CustomerType(
                id=3,
                description="ORGAO FEDERAL",
                person_kind=PersonKind.COMPANY,
                power_sphere_id=2,
            ),
        ],
    )
    return system


@pytest.fixture
def counter(system: gsan_core.System) -> gsan_core.System:
    return setup_counter(system)


def codes(exc: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [v.code for v in exc.value.violations]


def test_register_customer_with_cpf_and_cnpj(counter: gsan_core.System) -> None:
    ana = counter.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document="529.982.247-25"
    )
    acme = counter.accounts.register_customer(
        actor=1, name="ACME", customer_type_id=2, document="11.222.333/0001-81"
    )
    assert ana.document == CPF_ANA
    assert ana.person_kind is PersonKind.INDIVIDUAL
    assert acme.document == CNPJ_ACME
    assert acme.person_kind is PersonKind.COMPANY
    assert counter.accounts.customer(ana.id) == ana
    assert any(isinstance(e, CustomerRegistered) for e in counter.events)


@pytest.mark.parametrize(
    ("type_id", "document", "code"),
    [
        (1, "52998224724", "accounts.customer.invalid_cpf"),
        (1, "11111111111", "accounts.customer.invalid_cpf"),
        (1, "123", "accounts.customer.invalid_cpf"),
        (2, "11222333000180", "accounts.customer.invalid_cnpj"),
        (2, "abc", "accounts.customer.invalid_cnpj"),
        (1, CNPJ_ACME, "accounts.customer.document_kind_mismatch"),
        (2, CPF_ANA, "accounts.customer.document_kind_mismatch"),
        (9, CPF_ANA, "accounts.customer.type_not_found"),
    ],
)
def test_malformed_documents_are_refused_and_nothing_written(
    counter: gsan_core.System, type_id: int, document: str, code: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.register_customer(
            actor=1, name="X", customer_type_id=type_id, document=document
        )
    assert code in codes(exc)
    assert exc.value.violations[0].gsan_key
    assert counter.accounts.relations(property_id=1) == []
    with pytest.raises(RuleViolation):
        counter.accounts.customer(1)


def test_the_same_document_twice_is_refused(counter: gsan_core.System) -> None:
    counter.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document=CPF_ANA
    )
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.register_customer(
            actor=1, name="ANA 2", customer_type_id=1, document=CPF_ANA
        )
    assert codes(exc) == ["accounts.customer.duplicate_document"]


def test_relations_are_half_open_and_one_per_type(counter: gsan_core.System) -> None:
    ana = counter.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document=CPF_ANA
    )
    bia = counter.accounts.register_customer(
        actor=1, name="BIA", customer_type_id=1, document=CPF_BIA
    )
    first = counter.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2020, 1, 1),
        end=date(2024, 1, 1),
    )
    # [2020-01-01, 2024-01-01) and [2024-01-01, ...) do not overlap
    counter.accounts.relate(
        actor=1,
        customer_id=bia.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    assert first.open_on(date(2023, 12, 31))
    assert not first.open_on(date(2024, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.relate(
            actor=1,
            customer_id=ana.id,
            property_id=1,
            relation=RelationType.USER,
            start=date(2024, 6, 1),
        )
    assert codes(exc) == ["accounts.relation.overlap"]
    # another type may overlap
    counter.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.OWNER,
        start=date(2020, 1, 1),
    )
    assert len(counter.accounts.relations(property_id=1)) == 3
    assert len(counter.accounts.relations(customer_id=ana.id)) == 2


def test_relation_bad_input(counter: gsan_core.System) -> None:
    ana = counter.accounts.register_customer(actor=1, name="ANA", customer_type_id=1)
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.relate(
            actor=1,
            customer_id=999,
            property_id=404,
            relation=RelationType.USER,
            start=date(2024, 1, 1),
        )
    assert codes(exc) == ["accounts.customer.not_found", "accounts.property.not_found"]
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.relate(
            actor=1,
            customer_id=ana.id,
            property_id=1,
            relation=RelationType.USER,
            start=date(2024, 1, 1),
            end=date(2024, 1, 1),
        )
    assert codes(exc) == ["accounts.relation.period_invalid"]
    assert counter.accounts.relations(property_id=1) == []


def test_end_relation(counter: gsan_core.System) -> None:
    ana = counter.accounts.register_customer(actor=1, name="ANA", customer_type_id=1)
    rel = counter.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.RESPONSIBLE,
        start=date(2024, 1, 1),
    )
    ended = counter.accounts.end_relation(
        actor=1, relation_id=rel.id, end=date(2024, 5, 1)
    )
    assert ended.end == date(2024, 5, 1)
    assert not ended.is_open
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.end_relation(actor=1, relation_id=rel.id, end=date(2023, 1, 1))
    assert codes(exc) == ["accounts.relation.period_invalid"]
    with pytest.raises(RuleViolation):
        counter.accounts.end_relation(actor=1, relation_id=12345, end=date(2024, 5, 1))


def test_hierarchy_is_walked_breadth_first_and_never_loops(
    counter: gsan_core.System,
) -> None:
    boss = counter.accounts.register_customer(
        actor=1, name="MATRIZ", customer_type_id=2
    )
    a = counter.accounts.register_customer(
        actor=1, name="FILIAL A", customer_type_id=2, responsible_customer_id=boss.id
    )
    b = counter.accounts.register_customer(
        actor=1, name="FILIAL B", customer_type_id=2, responsible_customer_id=boss.id
    )
    a1 = counter.accounts.register_customer(
        actor=1, name="LOJA A1", customer_type_id=2, responsible_customer_id=a.id
    )
    assert counter.accounts.hierarchy(boss.id) == [boss.id, a.id, b.id, a1.id]
    assert counter.accounts.hierarchy(a.id) == [a.id, a1.id]
    looped = counter.accounts.customer(boss.id)
    with pytest.raises(RuleViolation) as exc:
        counter.accounts.update_customer(
            attrs.evolve(looped, responsible_customer_id=a1.id), actor=1
        )
    assert codes(exc) == ["accounts.customer.responsible_cycle"]
    renamed = counter.accounts.update_customer(
        attrs.evolve(looped, name="MATRIZ SA"), actor=1
    )
    assert renamed.version == 2
    assert counter.accounts.customer(boss.id).name == "MATRIZ SA"
