"""RA requesters point to registered customers (INS-19 reads their CPF/CNPJ),
on every backend."""

from __future__ import annotations

from datetime import date

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import CustomerType, PersonKind, PowerSphere, RelationType
from gsan_core.model.service_requests import Requester, RequestSpecification
from gsan_core.testing import Scenario

SPEC = "VALID. CADASTRO TARIFA SOCIAL"


@pytest.fixture
def given(system: gsan_core.System) -> Scenario:
    system.accounts.load_reference(
        power_spheres=[PowerSphere(id=1, description="PARTICULAR")],
        customer_types=[
            CustomerType(
                id=1,
                description="PESSOA FISICA",
                person_kind=PersonKind.INDIVIDUAL,
                power_sphere_id=1,
            )
        ],
    )
    return Scenario(system)


def test_ins_19_a_registered_customer_brings_its_document(given: Scenario) -> None:
    system = given.system
    home = given.property()
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document="52998224725"
    )
    nobody = system.accounts.register_customer(actor=1, name="BIA", customer_type_id=1)
    with pytest.raises(RuleViolation) as exc:
        given.request(
            SPEC, property=home, requesters=(Requester(customer_id=nobody.id),)
        )
    assert exc.value.violations[0].rule == "INS-19"
    opened = given.request(
        SPEC, property=home, requesters=(Requester(customer_id=ana.id),)
    )
    assert opened.request.id


def test_ins_19_the_property_responsible_comes_from_the_register(
    given: Scenario,
) -> None:
    system = given.system
    place = given.ready()
    system.service_requests.configuration.add_specification(
        RequestSpecification(
            id=951,
            request_type_id=2,
            description="DOC DO RESPONSAVEL",
            deadline_days=5,
            requires_property=True,
            requires_customer=True,
            document_required=True,
            validate_responsible_document=True,
        ),
        actor=given.actor,
    )
    home = given.property()
    ana = system.accounts.register_customer(
        actor=1, name="ANA", customer_type_id=1, document="52998224725"
    )
    asking = (Requester(customer_id=ana.id),)
    with pytest.raises(RuleViolation) as exc:
        given.request("DOC DO RESPONSAVEL", property=home, requesters=asking)
    assert exc.value.violations[0].code.endswith("without_responsible")
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=home.id,
        relation=RelationType.RESPONSIBLE,
        start=date(2024, 1, 1),
    )
    opened = given.request("DOC DO RESPONSAVEL", property=home, requesters=asking)
    assert opened.request.id
    _ = place
