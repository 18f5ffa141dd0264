"""DEV-16: the RA (or the service order's RA) a Guia de Devolução may be
issued from, on every backend."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.service_requests import (
    Requester,
    RequestSituation,
    RequestSpecification,
)
from gsan_core.rules.accounts.refunds import (
    CREDIT_SPECIFICATION_ROLE,
    refund_guide_subject,
)
from gsan_core.testing import Scenario

MakeSystem = Callable[..., gsan_core.System]
CREDIT_SPEC = "DEVOLUCAO DE VALORES"


@pytest.fixture
def given(make_system: MakeSystem) -> Scenario:
    loaded = profiles.default()
    roles = {**loaded.profile.roles, CREDIT_SPECIFICATION_ROLE: frozenset({960})}
    system = make_system(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    )
    scenario = Scenario(system)
    scenario.ready()
    system.service_requests.configuration.add_specification(
        RequestSpecification(
            id=960,
            request_type_id=101,
            description=CREDIT_SPEC,
            deadline_days=5,
            requires_property=True,
        ),
        actor=scenario.actor,
    )
    return scenario


def test_dev_16_an_open_ra_of_a_credit_specification_gives_its_property(
    given: Scenario,
) -> None:
    home = given.property()
    opened = given.request(
        CREDIT_SPEC,
        property=home,
        requesters=[Requester(name="ANA SOUZA", address="RUA DAS FLORES 10")],
    )
    subject = given.system.accounts.refund_guide_subject(request_id=opened.request.id)
    assert subject.request_id == opened.request.id
    assert subject.property_id == home.id
    assert subject.specification_id == 960
    assert subject.order_id is None


def test_dev_16_a_specification_that_generates_no_credit_is_refused(
    given: Scenario,
) -> None:
    opened = given.request()  # VAZAMENTO NO RAMAL
    with pytest.raises(RuleViolation) as caught:
        given.system.accounts.refund_guide_subject(request_id=opened.request.id)
    assert caught.value.violations[0].gsan_key == (
        "atencao.registro_atendimento.nao.permite.guia.devolucao"
    )


def test_dev_16_an_order_must_belong_to_an_ra(given: Scenario) -> None:
    order = given.order("service_type.cut_order")
    with pytest.raises(RuleViolation) as caught:
        given.system.accounts.refund_guide_subject(order_id=order.id)
    assert caught.value.violations[0].gsan_key == (
        "atencao.ordem_servico.nao.esta.associado.registro_atendimento"
    )
    with pytest.raises(RuleViolation) as missing:
        given.system.accounts.refund_guide_subject(order_id=987654)
    assert missing.value.codes == ("accounts.refund_guide.order_not_found",)
    with pytest.raises(RuleViolation) as nothing:
        given.system.accounts.refund_guide_subject()
    assert nothing.value.codes == ("accounts.refund_guide.subject_required",)
    with pytest.raises(RuleViolation) as unknown:
        given.system.accounts.refund_guide_subject(request_id=987654)
    assert unknown.value.codes == ("accounts.refund.request_not_found",)


def test_dev_16_the_ra_of_an_order_is_checked(given: Scenario) -> None:
    opened = given.request()
    if opened.order is None:
        pytest.skip("the scenario's specification opens no order")
    with pytest.raises(RuleViolation) as caught:
        given.system.accounts.refund_guide_subject(order_id=opened.order.id)
    assert caught.value.codes == ("accounts.refund_guide.not_allowed",)


def test_dev_16_a_closed_ra_without_property_nor_customer(given: Scenario) -> None:
    opened = given.request(CREDIT_SPEC, property=given.property())
    bare = attrs.evolve(
        opened.request,
        property_id=None,
        requesters=(Requester(name="SEM CADASTRO", principal=True),),
        situation=RequestSituation.CLOSED,
    )
    with pytest.raises(RuleViolation) as caught:
        refund_guide_subject(bare, request_id=bare.id, generates_credit=True)
    assert caught.value.codes == (
        "accounts.refund_guide.request_without_subject",
        "accounts.refund_guide.request_closed",
    )
    by_customer = attrs.evolve(
        bare,
        requesters=(Requester(customer_id=42, principal=True),),
        situation=RequestSituation.PENDING,
    )
    subject = refund_guide_subject(
        by_customer, request_id=bare.id, generates_credit=True
    )
    assert (subject.property_id, subject.customer_id) == (None, 42)
