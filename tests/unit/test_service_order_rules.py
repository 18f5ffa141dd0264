"""The numbered rules of the OS lifecycle (``rules/service_orders.py``), one test
per rule, each asserting the violation's code, rule and GSAN key."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from gsan_core import profiles
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Economies, Property
from gsan_core.model.service_orders import (
    ExecutedActivity,
    ExecutionPeriod,
    InspectionResult,
    KitUsage,
    MaterialKit,
    MaterialUsage,
    OrderAction,
    OrderExecution,
    OrderSituation,
    Team,
    TeamComponent,
)
from gsan_core.rules import service_orders as rules
from gsan_core.rules.service_orders import (
    TRANSITIONS,
    ChargeRequest,
    CloseRequest,
    RequestFacts,
)
from tests.unit.orders_helpers import AT, TODAY, codes, item, only, order, service_type

PROFILE = profiles.default().profile
CONCLUDED = item("closing_reason", 2, executed=True)
GAVE_UP = item("closing_reason", 4, executed=False)
DIAGNOSIS = item(
    "service_type_reference",
    1,
    requires_reference_order=True,
    situation_before=1,
    situation_after=4,
    diagnosis=True,
    service_type_id=None,
)
APPROVED = item("referenced_return_type", 1, approval=True, referenced_situation=1)
APPROVED_CHANGE = item(
    "referenced_return_type",
    3,
    approval=True,
    referenced_situation=1,
    changes_service=True,
)


def close(
    target: Any = None,
    *,
    request: CloseRequest | None = None,
    stype: Any = None,
    reference: CatalogItem | None = None,
    permissions: dict[str, bool] | None = None,
    locked: int | None = None,
    today: date = TODAY,
    profile: Any = PROFILE,
    open_orders: Any = (),
    new_type_reference: CatalogItem | None = None,
) -> tuple[Any, ...]:
    return rules.check_close(
        target if target is not None else order(),
        service_type=stype if stype is not None else service_type(),
        request=request or CloseRequest(reason=CONCLUDED, closed_on=TODAY),
        offered_reasons=[CONCLUDED, GAVE_UP],
        reference=reference,
        today=today,
        generated_on=TODAY,
        profile=profile,
        has_permission=permissions or {},
        locked_reference=locked,
        open_orders_of_request=open_orders,
        new_type_reference=new_type_reference,
    )


def request_facts(**changes: Any) -> RequestFacts:
    values: dict[str, Any] = {
        "id": 77,
        "allows_orders": True,
        "pending": True,
        "user_authorised": True,
        "current_unit_id": 5,
    }
    values.update(changes)
    return RequestFacts(**values)


# ---------------------------------------------------------------- transitions
def test_transition_table_rejects_what_it_does_not_list() -> None:
    assert rules.transition(None, OrderAction.GENERATE) is OrderSituation.PENDING
    assert rules.transition(OrderSituation.CLOSED, OrderAction.UPDATE) is None
    for (before, action), after in TRANSITIONS.items():
        assert rules.transition(before, action) is after


def test_a_closed_order_has_no_way_out_of_the_table() -> None:
    assert not [key for key in TRANSITIONS if key[0] is OrderSituation.CLOSED]


# ---------------------------------------------------------------- generation
def test_gen_01_request_must_allow_orders() -> None:
    found = rules.check_generation(
        service_type=service_type(),
        service_type_id=10,
        reference=None,
        request=request_facts(allows_orders=False),
    )
    only(
        found,
        "service_order.generate.request_does_not_allow_orders",
        "GEN-01",
        "atencao.registro_atendimento.nao_permite_geracao_os",
    )


def test_gen_02_request_must_be_pending() -> None:
    found = rules.check_generation(
        service_type=service_type(),
        service_type_id=10,
        reference=None,
        request=request_facts(pending=False),
    )
    only(
        found,
        "service_order.generate.request_not_pending",
        "GEN-02",
        "atencao.registro_atendimento.diferente_pendente",
    )


def test_gen_03_user_must_be_authorised_for_the_request() -> None:
    found = rules.check_generation(
        service_type=service_type(),
        service_type_id=10,
        reference=None,
        request=request_facts(user_authorised=False),
    )
    only(
        found,
        "service_order.generate.user_not_authorised",
        "GEN-03",
        "atencao.unidade_atendimento.nao_permite_geracao_os",
    )


@pytest.mark.parametrize("stype", [None, service_type(active=False)])
def test_gen_04_service_type_must_exist_and_be_active(stype: Any) -> None:
    found = rules.check_generation(
        service_type=stype, service_type_id=10, reference=None, request=None
    )
    only(
        found,
        "service_order.unknown_service_type",
        "GEN-04",
        "atencao.pesquisa_inexistente",
    )


def test_gen_05_one_open_order_of_a_type_per_request() -> None:
    found = rules.check_generation(
        service_type=service_type(),
        service_type_id=10,
        reference=None,
        request=request_facts(),
        open_orders_of_request=[
            order(3, service_type_id=11),
            order(4, situation=OrderSituation.CLOSED),
            order(5, situation=OrderSituation.IN_EXECUTION),
            order(6),
        ],
    )
    violation = only(
        found,
        "service_order.generate.open_order_of_same_type",
        "GEN-05",
        "atencao.servico_tipo.existe_os",
    )
    assert violation.params["other_id"] == 5


def test_gen_05_per_property_option_refuses_a_second_open_order() -> None:
    others = [order(3, property_id=9), order(4, property_id=9, service_type_id=11)]
    assert not rules.check_property_uniqueness(
        enabled=False,
        property_id=9,
        service_type_id=10,
        open_orders_of_property=others,
    )
    assert not rules.check_property_uniqueness(
        enabled=True, property_id=None, service_type_id=10, open_orders_of_property=[]
    )
    assert not rules.check_property_uniqueness(
        enabled=True,
        property_id=9,
        service_type_id=12,
        open_orders_of_property=others,
    )
    found = rules.check_property_uniqueness(
        enabled=True, property_id=9, service_type_id=10, open_orders_of_property=others
    )
    only(
        found,
        "service_order.generate.open_order_for_property",
        "GEN-05",
        "atencao.servico_tipo.existe_os",
    )


def test_gen_06_reference_order_required() -> None:
    found = rules.check_generation(
        service_type=service_type(reference_id=1),
        service_type_id=10,
        reference=DIAGNOSIS,
        request=None,
    )
    only(
        found,
        "service_order.reference.order_required",
        "GEN-06",
        "atencao.campo.informado",
    )


def test_gen_07_reference_order_of_the_same_request() -> None:
    found = rules.check_generation(
        service_type=service_type(reference_id=1),
        service_type_id=10,
        reference=DIAGNOSIS,
        request=request_facts(),
        reference_order=order(9, request_id=78),
    )
    only(
        found,
        "service_order.reference.other_request",
        "GEN-07",
        "atencao.os_referencia_pertence_outra_ra",
    )


def test_gen_08_referenced_order_of_the_named_type() -> None:
    named = attrs.evolve(
        DIAGNOSIS, attributes={**DIAGNOSIS.attributes, "service_type_id": 12}
    )
    found = rules.check_generation(
        service_type=service_type(reference_id=1),
        service_type_id=10,
        reference=named,
        request=None,
        reference_order=order(9, service_type_id=11),
    )
    only(
        found,
        "service_order.reference.wrong_type",
        "GEN-08",
        "atencao.servico_tipo_os.incompativel",
    )
    assert not rules.check_generation(
        service_type=service_type(reference_id=1),
        service_type_id=10,
        reference=named,
        request=None,
        reference_order=order(9, service_type_id=12),
    )


def test_gen_09_referenced_order_in_the_situation_before() -> None:
    found = rules.check_generation(
        service_type=service_type(reference_id=1),
        service_type_id=10,
        reference=DIAGNOSIS,
        request=None,
        reference_order=order(9, situation=OrderSituation.IN_EXECUTION),
    )
    only(
        found,
        "service_order.reference.wrong_situation",
        "GEN-09",
        "atencao.situacao_os.incompativel.situacao_os_requerida",
    )


def test_generation_observation_within_200() -> None:
    found = rules.check_generation(
        service_type=service_type(),
        service_type_id=10,
        reference=None,
        request=None,
        observation="x" * 201,
    )
    only(found, "common.too_long", None, "atencao.execedeu_limit_observacao")


def test_gen_10_collection_order_needs_the_locality_unit() -> None:
    prop = property_(water_status_id=3)
    assert not rules.check_collection_unit(prop, 102)
    only(
        rules.check_collection_unit(prop, None),
        "service_order.generate.no_unit_for_locality",
        "GEN-10",
        "atencao.unidade_nao_existe_localidade",
    )


def property_(**changes: Any) -> Property:
    values: dict[str, Any] = {
        "id": 1000,
        "locality_id": 1,
        "sector_id": 11,
        "block_id": 100,
        "profile_id": 1,
        "categories": (Economies(category_id=1, count=1),),
        "water_status_id": 3,
        "sewer_status_id": 1,
    }
    values.update(changes)
    return Property(**values)


BILL = OpenDebt(
    id=1,
    property_id=1000,
    kind=DebtKind.BILL,
    amount=Decimal("50.00"),
    reference=202411,
    due_date=date(2024, 12, 10),
)


def cut(**changes: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "allowed_water_statuses": frozenset({3, 4}),
        "service_type": service_type(242),
        "bills": [BILL],
        "requires_notice": False,
        "notice_document_id": None,
    }
    values.update(changes)
    prop = values.pop("prop", property_())
    return rules.check_cut_order(prop, **values)


def test_gen_12_cut_order_needs_a_connected_water_connection() -> None:
    assert not cut()
    assert not cut(prop=property_(water_status_id=4))
    only(
        cut(prop=property_(water_status_id=5)),
        "service_order.cut_order.water_status_not_allowed",
        "GEN-12",
        "atencao.situacao_ligacao_agua_invalida",
    )


def test_gen_14_cut_order_needs_unpaid_bills() -> None:
    only(
        cut(bills=[]),
        "service_order.cut_order.no_debts",
        "GEN-14",
        "atencao.imovel.sem.debito",
    )


def test_gen_14_bills_in_period_filters_references_and_due_dates() -> None:
    slip = attrs.evolve(BILL, id=2, kind=DebtKind.PAYMENT_SLIP)
    undated = attrs.evolve(BILL, id=3, reference=None, due_date=None)
    debts = [BILL, slip, undated]
    assert rules.bills_in_period(debts) == [BILL, undated]
    assert rules.bills_in_period(debts, reference_from=202412) == [undated]
    assert rules.bills_in_period(debts, reference_to=202410) == [undated]
    assert rules.bills_in_period(debts, due_from=date(2024, 12, 11)) == [undated]
    assert rules.bills_in_period(debts, due_to=date(2024, 12, 9)) == [undated]
    assert rules.bills_in_period(
        debts,
        reference_from=202411,
        reference_to=202411,
        due_from=date(2024, 12, 10),
        due_to=date(2024, 12, 10),
    ) == [BILL, undated]


def test_gen_15_cut_notice_only_when_the_profile_asks() -> None:
    assert not cut(requires_notice=False)
    assert not cut(requires_notice=True, notice_document_id=55)
    only(
        cut(requires_notice=True),
        "service_order.cut_order.no_notice",
        "GEN-15",
        "atencao.imovel_sem_documento_do_tipo",
    )


@pytest.mark.parametrize("stype", [None, service_type(242, active=False)])
def test_gen_16_cut_order_type_configured(stype: Any) -> None:
    only(
        cut(service_type=stype),
        "service_order.cut_order.type_not_configured",
        "GEN-16",
        "atencao.servico_tipo_nao_existe",
    )


# ---------------------------------------------------------------- update
def update(target: Any, **changes: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "observation": None,
        "service_type": service_type(),
        "service_type_id": 10,
        "reference": None,
        "request": None,
        "reference_order": None,
    }
    values.update(changes)
    return rules.check_update(target, **values)


def test_upd_01_closed_order_cannot_change() -> None:
    only(
        update(order(situation=OrderSituation.CLOSED)),
        "service_order.update.closed",
        "UPD-01",
        "atencao.situacao.diferente_pendente",
    )


def test_upd_02_observation_within_200() -> None:
    assert not update(order(), observation="x" * 200)
    only(
        update(order(), observation="x" * 201),
        "service_order.update.observation_too_long",
        "UPD-02",
        "atencao.execedeu_limit_observacao",
    )


def test_upd_04_references_revalidated_only_when_they_change() -> None:
    held = order(9, situation=OrderSituation.AWAITING_RELEASE)
    stype = service_type(reference_id=1)
    assert not update(
        order(),
        service_type=stype,
        reference=DIAGNOSIS,
        reference_order=held,
        reference_changed=False,
    )
    only(
        update(order(), service_type=stype, reference=DIAGNOSIS, reference_order=held),
        "service_order.reference.wrong_situation",
        "GEN-09",
        "atencao.situacao_os.incompativel.situacao_os_requerida",
    )
    only(
        update(order(), service_type=None),
        "service_order.unknown_service_type",
        "GEN-04",
        "atencao.pesquisa_inexistente",
    )


# ---------------------------------------------------------------- closing
def test_enc_03_automatic_closing_only() -> None:
    only(
        close(order(automatic_closing=True)),
        "service_order.close.automatic_only",
        "ENC-03",
        "atencao.indicador_encerramento_automatico_ordem_servico",
    )


@pytest.mark.parametrize(
    "situation", [OrderSituation.AWAITING_RELEASE, OrderSituation.CLOSED]
)
def test_enc_05_only_pending_or_in_execution_orders_close(
    situation: OrderSituation,
) -> None:
    violation = only(
        close(order(situation=situation)),
        "service_order.situation_not_allowed",
        "ENC-05",
        "atencao.situacao.diferente_pendente",
    )
    assert "não é possível" in violation.message("pt")
    assert not close(order(situation=OrderSituation.IN_EXECUTION))


def test_enc_06_reason_required_offered_and_existing() -> None:
    only(
        close(request=CloseRequest(reason=None, closed_on=TODAY)),
        "common.required",
        "ENC-06",
        "atencao.required",
    )
    only(
        close(request=CloseRequest(reason=None, reason_id=999, closed_on=TODAY)),
        "service_order.close.reason_not_allowed",
        "ENC-06",
        "atencao.pesquisa_inexistente",
    )
    inactive = item("closing_reason", 3, active=False, executed=False)
    only(
        close(request=CloseRequest(reason=inactive, closed_on=TODAY)),
        "service_order.close.reason_not_allowed",
        "ENC-06",
        "atencao.pesquisa_inexistente",
    )


def test_enc_06_offered_reasons_per_type_without_duplicates() -> None:
    duplicate = item("closing_reason", 5, executed=False, duplicate=True)
    inactive = item("closing_reason", 6, active=False)
    reasons = [CONCLUDED, GAVE_UP, duplicate, inactive]
    assert [r.id for r in rules.allowed_closing_reasons(service_type(), reasons)] == [
        2,
        4,
    ]
    restricted = service_type(closing_reason_ids={4, 5})
    assert [r.id for r in rules.allowed_closing_reasons(restricted, reasons)] == [4]


def test_enc_07_closing_date_required() -> None:
    only(
        close(request=CloseRequest(reason=CONCLUDED, closed_on=None)),
        "common.required",
        "ENC-07",
        "atencao.required",
    )


def test_enc_08_closing_date_not_in_the_future() -> None:
    only(
        close(
            request=CloseRequest(reason=CONCLUDED, closed_on=TODAY + timedelta(days=1))
        ),
        "service_order.close.date_in_future",
        "ENC-08",
        "atencao.data.maior.data.corrente",
    )


def test_enc_09_closing_date_not_before_generation() -> None:
    found = close(
        order(request_id=1),
        request=CloseRequest(reason=CONCLUDED, closed_on=TODAY - timedelta(days=1)),
    )
    only(
        found,
        "service_order.close.date_too_early",
        "ENC-09",
        "atencao.data_encerramento_anterior_permitido",
    )


def test_enc_09_closing_date_not_before_the_days_back() -> None:
    later = TODAY + timedelta(days=40)
    found = rules.check_close(
        order(request_id=1),
        service_type=service_type(),
        request=CloseRequest(reason=CONCLUDED, closed_on=later - timedelta(days=31)),
        offered_reasons=[CONCLUDED],
        reference=None,
        today=later,
        generated_on=TODAY,
        profile=PROFILE,
        has_permission={},
        locked_reference=None,
    )
    violation = only(
        found,
        "service_order.close.date_too_early",
        "ENC-09",
        "atencao.data_encerramento_anterior_permitido",
    )
    assert violation.params["earliest"] == later - timedelta(days=30)


def test_enc_10_selective_orders_have_a_shorter_window_unless_permission_57() -> None:
    later = TODAY + timedelta(days=20)
    kwargs: dict[str, Any] = {
        "service_type": service_type(),
        "request": CloseRequest(reason=CONCLUDED, closed_on=later - timedelta(days=11)),
        "offered_reasons": [CONCLUDED],
        "reference": None,
        "today": later,
        "generated_on": TODAY,
        "profile": PROFILE,
        "locked_reference": None,
    }
    selective = order()
    only(
        rules.check_close(selective, has_permission={}, **kwargs),
        "service_order.close.selective_date_too_early",
        "ENC-10",
        "atencao.data_encerramento_anterior_permitido_os_seletiva",
    )
    assert not rules.check_close(
        selective, has_permission={"close_order_before_today": True}, **kwargs
    )
    assert not rules.check_close(
        order(collection_document_id=3), has_permission={}, **kwargs
    )


def test_enc_12_activities_required_unless_permission_106() -> None:
    stype = service_type(requires_activities=True)
    only(
        close(stype=stype),
        "service_order.close.activities_required",
        "ENC-12",
        "atencao.required",
    )
    assert not close(stype=stype, permissions={"close_order_without_activities": True})
    given = CloseRequest(reason=CONCLUDED, closed_on=TODAY, activities_given=True)
    assert not close(stype=stype, request=given)
    not_executed = CloseRequest(reason=GAVE_UP, closed_on=TODAY)
    assert not close(stype=stype, request=not_executed)


def test_enc_13_inspection_result_required() -> None:
    stype = service_type(inspection=True)
    only(
        close(stype=stype),
        "service_order.close.inspection_result_required",
        "ENC-13",
        "atencao.required",
    )
    given = CloseRequest(
        reason=CONCLUDED, closed_on=TODAY, inspection_result=InspectionResult.APPROVED
    )
    assert not close(stype=stype, request=given)


def test_enc_14_diagnosis_needs_a_remark() -> None:
    target = order()
    only(
        close(target, reference=DIAGNOSIS),
        "service_order.close.diagnosis_remark_required",
        "ENC-14",
        "atencao.indicador_diagnostico_sim",
    )
    with_remark = CloseRequest(reason=GAVE_UP, closed_on=TODAY, remark="ok")
    assert not close(target, reference=DIAGNOSIS, request=with_remark)


def test_enc_15_remark_within_400() -> None:
    long = CloseRequest(reason=CONCLUDED, closed_on=TODAY, remark="x" * 401)
    only(
        close(request=long),
        "service_order.close.remark_too_long",
        "ENC-15",
        "atencao.execedeu_limit_observacao",
    )


def test_enc_16_pavement_area_positive() -> None:
    zero = CloseRequest(reason=CONCLUDED, closed_on=TODAY, pavement_area=Decimal(0))
    only(
        close(request=zero),
        "service_order.close.pavement_not_positive",
        "ENC-16",
        "atencao.metragemSomentePositiva",
    )


def test_enc_17_property_in_field_blocks_types_that_forbid_it() -> None:
    stype = service_type(allows_property_in_field=False)
    violation = only(
        close(order(property_id=1), stype=stype, locked=202501),
        "service_order.close.property_in_field",
        "ENC-17",
        "atencao.imovel_em_campo",
    )
    assert violation.params["reference"] == "01/2025"
    assert not close(order(property_id=1), stype=stype)
    assert not close(order(property_id=1), locked=202501)


# ---------------------------------------------------------------- references
def referring(**changes: Any) -> Any:
    return order(2, reference_order_id=1, request_id=77, **changes)


def test_ref_01_return_type_required() -> None:
    request = CloseRequest(reason=CONCLUDED, closed_on=TODAY, remark="ok")
    only(
        close(referring(), reference=DIAGNOSIS, request=request),
        "service_order.reference.return_type_required",
        "REF-01",
        "atencao.required",
    )


def test_ref_01_not_for_a_rejected_return() -> None:
    rejected = item("referenced_return_type", 2, approval=False, referenced_situation=2)
    request = CloseRequest(
        reason=CONCLUDED, closed_on=TODAY, remark="ok", return_type=rejected
    )
    assert not close(referring(), reference=DIAGNOSIS, request=request)


def test_ref_02_pavement_required_on_an_approved_return() -> None:
    request = CloseRequest(
        reason=CONCLUDED, closed_on=TODAY, remark="ok", return_type=APPROVED
    )
    only(
        close(
            referring(),
            stype=service_type(pavement=True),
            reference=DIAGNOSIS,
            request=request,
        ),
        "service_order.reference.pavement_required",
        "REF-02",
        "atencao.required",
    )


def test_ref_03_new_type_required_when_the_return_changes_the_service() -> None:
    request = CloseRequest(
        reason=CONCLUDED, closed_on=TODAY, remark="ok", return_type=APPROVED_CHANGE
    )
    only(
        close(referring(), reference=DIAGNOSIS, request=request),
        "service_order.reference.new_service_type_required",
        "REF-03",
        "atencao.required",
    )


def test_ref_04_new_type_not_open_in_the_request_and_without_reference() -> None:
    new_type = service_type(20, reference_id=1)
    request = CloseRequest(
        reason=CONCLUDED,
        closed_on=TODAY,
        remark="ok",
        return_type=APPROVED_CHANGE,
        new_service_type=new_type,
    )
    found = close(
        referring(),
        reference=DIAGNOSIS,
        request=request,
        open_orders=[
            order(7, service_type_id=20, request_id=77),
            order(8, service_type_id=20),
        ],
        new_type_reference=DIAGNOSIS,
    )
    only(
        found,
        "service_order.reference.new_type_open",
        "REF-04",
        "atencao.ordem_servico_com_ra",
    )
    only(
        found,
        "service_order.reference.new_type_has_reference",
        "REF-04",
        "atencao.existe_tipo_servico_referencia_os",
    )


# ---------------------------------------------------------------- commercial operation
def test_com_01_menu_path_needs_a_closed_order() -> None:
    only(
        rules.check_menu_path(order(), reason=None, today=TODAY, variant="strict"),
        "service_order.commercial.not_closed",
        "COM-01",
        "atencao.ordem_servico_situacao",
    )


def test_com_02_menu_path_needs_an_executed_order_or_grace_days() -> None:
    closed = order(
        situation=OrderSituation.CLOSED,
        closed_at=order().generated_at,
        closing_reason_id=3,
    )
    debt_paid = item("closing_reason", 3, executed=False, grace_days=30)
    only(
        rules.check_menu_path(closed, reason=debt_paid, today=TODAY, variant="strict"),
        "service_order.commercial.not_executed",
        "COM-02",
        "atencao.ordem_servico_nao_executada",
    )
    assert not rules.check_menu_path(
        closed, reason=debt_paid, today=TODAY + timedelta(days=30), variant="grace"
    )
    assert rules.check_menu_path(
        closed, reason=debt_paid, today=TODAY + timedelta(days=31), variant="grace"
    )
    assert rules.check_menu_path(closed, reason=GAVE_UP, today=TODAY, variant="grace")
    assert rules.check_menu_path(closed, reason=None, today=TODAY, variant="grace")


def test_com_03_commercial_system_updated_only_once() -> None:
    done = order(situation=OrderSituation.CLOSED, commercial_applied=True)
    only(
        rules.check_menu_path(done, reason=CONCLUDED, today=TODAY, variant="strict"),
        "service_order.commercial.already_applied",
        "COM-03",
        "atencao.ordem_servico_sistema_comercial_atualizado",
    )
    assert not rules.check_menu_path(
        done, reason=CONCLUDED, today=TODAY, variant="update"
    )


def test_com_04_type_linked_to_the_operation_or_by_role() -> None:
    kwargs: dict[str, Any] = {
        "operation": "water.cut",
        "operation_title": "cut",
        "profile": PROFILE,
    }
    only(
        rules.check_type_matches(order(), service_type=service_type(), **kwargs),
        "service_order.commercial.wrong_service_type",
        "COM-04",
        "atencao.servico_associado_ordem_servico_invalido",
    )
    linked = service_type(operation="water.cut")
    assert not rules.check_type_matches(order(), service_type=linked, **kwargs)
    by_role = attrs.evolve(
        PROFILE, roles={**PROFILE.roles, "service_type.water.cut": [10]}
    )
    assert not rules.check_type_matches(
        order(),
        service_type=service_type(),
        operation="water.cut",
        operation_title="cut",
        profile=by_role,
    )


def test_com_05_order_needs_a_property() -> None:
    only(
        rules.check_has_property(order(), None),
        "service_order.commercial.no_property",
        "COM-05",
        "atencao.ordem_servico_imovel_invalida",
    )
    assert not rules.check_has_property(order(), 1)


def charge(request: ChargeRequest, **changes: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "service_type": service_type(),
        "suggested_value": Decimal("30.00"),
        "max_installments": 12,
        "may_waive": False,
        "permission_id": 30,
        "non_charge_reasons": [1, 2],
    }
    values.update(changes)
    return rules.check_charge_request(request, **values)


@pytest.mark.parametrize(
    "request_",
    [
        ChargeRequest(percentage=70),
        ChargeRequest(installments=2),
        ChargeRequest(non_charge_reason_id=1),
    ],
)
def test_com_06_special_charges_need_permission_30(request_: ChargeRequest) -> None:
    violation = only(
        charge(request_),
        "service_order.charge.permission_required",
        "COM-06",
        "atencao.necessario_permissao_especial",
    )
    assert violation.params["permission_id"] == 30
    assert not charge(request_, may_waive=True)


def test_com_06_percentage_and_non_charge_reason_valid() -> None:
    only(
        charge(ChargeRequest(percentage=80), may_waive=True),
        "service_order.charge.invalid_percentage",
        "COM-06",
        None,
    )
    only(
        charge(ChargeRequest(non_charge_reason_id=9), may_waive=True),
        "service_order.charge.unknown_non_charge_reason",
        "COM-06",
        "atencao.pesquisa_inexistente",
    )


def test_com_07_value_editable_only_when_the_type_allows() -> None:
    only(
        charge(ChargeRequest(value=Decimal("25.00"))),
        "service_order.charge.value_not_editable",
        "COM-07",
        None,
    )
    assert not charge(ChargeRequest(value=Decimal("30.00")))
    assert not charge(
        ChargeRequest(value=Decimal("25.00")),
        service_type=service_type(value_editable=True),
    )


def test_com_08_installments_within_the_maximum() -> None:
    only(
        charge(ChargeRequest(installments=13), may_waive=True),
        "service_order.charge.too_many_installments",
        "COM-08",
        "atencao.qtde_parcelas_invalida",
    )


def test_deb_05_installments_and_value_positive() -> None:
    only(
        charge(ChargeRequest(installments=0), may_waive=True),
        "service_order.charge.invalid_installments",
        "DEB-05",
        "atencao.qtde_parcelas_invalida",
    )
    only(
        charge(ChargeRequest(value=Decimal(0))),
        "service_order.charge.invalid_value",
        "DEB-05",
        "atencao.valor_debito_invalido",
    )


# ---------------------------------------------------------------- execution data
TEAM = Team(
    id=1,
    name="EQUIPE",
    unit_id=102,
    work_minutes=480,
    components=(TeamComponent(employee_id=102, responsible=True),),
)
ACTIVITIES = {2: item("activity", 2), 3: item("activity", 3, active=False)}
MATERIALS = {1: item("material", 1, unit_id=1)}
KITS = {1: MaterialKit(id=1, description="KIT", lines=())}


def execution(*activities: ExecutedActivity, **changes: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "service_type": service_type(activity_ids=(2, 3)),
        "generated_on": TODAY,
        "closed_on": TODAY + timedelta(days=2),
        "known_activities": ACTIVITIES,
        "teams": {1: TEAM, 2: attrs.evolve(TEAM, id=2, active=False)},
        "materials": MATERIALS,
        "kits": KITS,
    }
    values.update(changes)
    return rules.check_execution(activities, **values)


def period(
    on: date = TODAY, start: int = 8, end: int = 10, teams: Any = (1,)
) -> ExecutionPeriod:
    return ExecutionPeriod(on=on, start=time(start), end=time(end), team_ids=teams)


def test_execution_data_that_follows_the_rules_passes() -> None:
    assert not execution(
        ExecutedActivity(
            activity_id=2,
            periods=[period(), period(TODAY + timedelta(days=2), 10, 10)],
            materials=[MaterialUsage(material_id=1, quantity=Decimal("1.5"))],
            kits=[KitUsage(kit_id=1)],
        )
    )


@pytest.mark.parametrize(
    ("on", "closed_on"),
    [
        (TODAY - timedelta(days=1), TODAY),
        (TODAY + timedelta(days=3), TODAY + timedelta(days=2)),
    ],
)
def test_exe_01_period_between_generation_and_closing(
    on: date, closed_on: date
) -> None:
    found = execution(
        ExecutedActivity(activity_id=2, periods=[period(on)]), closed_on=closed_on
    )
    only(
        found,
        "service_order.execution.date_out_of_range",
        "EXE-01",
        "atencao.data_execucao_invalida",
    )


def test_exe_01_without_closing_date_only_the_generation_bounds() -> None:
    assert not execution(
        ExecutedActivity(activity_id=2, periods=[period(TODAY + timedelta(days=9))]),
        closed_on=None,
    )


def test_exe_02_end_not_before_start() -> None:
    only(
        execution(ExecutedActivity(activity_id=2, periods=[period(start=10, end=9)])),
        "service_order.execution.end_before_start",
        "EXE-02",
        "atencao.hora_final_anterior_hora_inicio",
    )


def test_exe_03_teams_exist_and_are_active() -> None:
    found = execution(ExecutedActivity(activity_id=2, periods=[period(teams=(2, 9))]))
    assert codes(found) == ["service_order.execution.unknown_team"] * 2
    only(
        found[:1],
        "service_order.execution.unknown_team",
        "EXE-03",
        "atencao.pesquisa_inexistente",
    )
    only(
        execution(ExecutedActivity(activity_id=2, periods=[period(teams=())])),
        "service_order.execution.team_required",
        "EXE-03",
        "atencao.required",
    )


def test_execution_activities_of_the_type_active_and_once() -> None:
    found = execution(
        ExecutedActivity(activity_id=3),
        ExecutedActivity(activity_id=4),
        ExecutedActivity(activity_id=9),
        ExecutedActivity(activity_id=2),
        ExecutedActivity(activity_id=2),
        known_activities={**ACTIVITIES, 4: item("activity", 4)},
    )
    assert codes(found) == [
        "service_order.execution.unknown_activity",
        "service_order.execution.unknown_activity",
        "service_order.execution.unknown_activity",
        "service_order.execution.activity_repeated",
    ]
    only(
        found[:1],
        "service_order.execution.unknown_activity",
        None,
        "atencao.pesquisa_inexistente",
    )
    only(found[3:], "service_order.execution.activity_repeated", None, None)
    any_activity = execution(
        ExecutedActivity(activity_id=2),
        service_type=service_type(),
    )
    assert not any_activity


def test_execution_materials_and_kits_exist_with_positive_quantities() -> None:
    found = execution(
        ExecutedActivity(
            activity_id=2,
            materials=[MaterialUsage(material_id=7, quantity=Decimal(0))],
            kits=[KitUsage(kit_id=5, quantity=Decimal(-1))],
        ),
        kits={5: attrs.evolve(KITS[1], id=5, active=False)},
    )
    assert codes(found) == [
        "service_order.reference_missing",
        "service_order.quantity_not_positive",
        "service_order.reference_missing",
        "service_order.quantity_not_positive",
    ]
    only(
        found[:1],
        "service_order.reference_missing",
        None,
        "atencao.pesquisa_inexistente",
    )
    only(
        found[1:2],
        "service_order.quantity_not_positive",
        None,
        "atencao.quantidade_invalida",
    )


# ---------------------------------------------------------------- overdue orders
def test_ven_02_cutoff_adds_the_extra_days() -> None:
    assert rules.overdue_cutoff(TODAY, days=10, extra_days=90) == TODAY - timedelta(
        days=100
    )
    assert rules.overdue_cutoff(TODAY, days=10, extra_days=0) == TODAY - timedelta(
        days=10
    )


def test_ven_01_only_closable_active_types_and_positive_days() -> None:
    kwargs: dict[str, Any] = {"service_type_id": 304, "closable": frozenset({304})}
    assert not rules.check_overdue_request(
        service_type=service_type(304), days=1, **kwargs
    )
    for stype in (None, service_type(304, active=False)):
        only(
            rules.check_overdue_request(service_type=stype, days=1, **kwargs),
            "service_order.overdue.type_not_allowed",
            "VEN-01",
            None,
        )
    only(
        rules.check_overdue_request(
            service_type=service_type(305),
            service_type_id=305,
            days=1,
            closable=frozenset(),
        ),
        "service_order.overdue.type_not_allowed",
        "VEN-01",
        None,
    )
    only(
        rules.check_overdue_request(service_type=service_type(304), days=0, **kwargs),
        "service_order.overdue.days_invalid",
        "VEN-01",
        None,
    )


def test_ven_03_nothing_to_close_message() -> None:
    violation = rules.OVERDUE_NOTHING(service_type_id=304, cutoff=TODAY)
    only(
        [violation],
        "service_order.overdue.nothing_to_close",
        "VEN-03",
        "atencao.pesquisa.nenhumresultado",
    )


def test_reference_spec_reads_the_types_reference_row() -> None:
    assert rules.reference_spec(service_type(), {1: DIAGNOSIS}) is None
    assert (
        rules.reference_spec(service_type(reference_id=1), {1: DIAGNOSIS}) == DIAGNOSIS
    )
    assert rules.reference_spec(service_type(reference_id=2), {1: DIAGNOSIS}) is None


def test_ref_04_a_new_type_without_open_orders_or_reference_passes() -> None:
    request = CloseRequest(
        reason=CONCLUDED,
        closed_on=TODAY,
        remark="ok",
        return_type=APPROVED_CHANGE,
        new_service_type=service_type(20),
    )
    assert not close(
        referring(),
        reference=DIAGNOSIS,
        request=request,
        open_orders=[order(7, service_type_id=21), referring(service_type_id=20)],
    )


def test_deb_04_charged_order_needs_a_property() -> None:
    only(
        rules.check_charged_property(order(), None),
        "service_order.charge.no_property",
        "DEB-04",
        "atencao.os_sem_imovel",
    )
    assert not rules.check_charged_property(order(), property_())


def test_deb_05_values_below_one_refused_by_option() -> None:
    below = ChargeRequest(value=Decimal("0.50"))
    editable = service_type(value_editable=True)
    assert not charge(below, service_type=editable)
    only(
        charge(below, service_type=editable, reject_below_one=True),
        "service_order.charge.invalid_value",
        "DEB-05",
        "atencao.valor_debito_invalido",
    )
    only(
        charge(ChargeRequest(), suggested_value=Decimal("0.99"), reject_below_one=True),
        "service_order.charge.invalid_value",
        "DEB-05",
        "atencao.valor_debito_invalido",
    )
    assert not charge(ChargeRequest(), suggested_value=None, reject_below_one=True)


def test_model_refuses_naive_datetimes() -> None:
    naive = datetime(2025, 1, 6, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        order(generated_at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OrderExecution(id=1, recorded_at=naive, actor=1)
    assert OrderExecution(id=3, recorded_at=order().generated_at, actor=1).order_id == 3


# ---------------------------------------------------------------- GEN-18
def test_gen_18_last_closing_is_the_latest_closed_order_of_the_type() -> None:
    zone = ZoneInfo("America/Fortaleza")
    closed = OrderSituation.CLOSED
    orders = [
        order(1, situation=closed, closed_at=AT - timedelta(days=40)),
        order(2, situation=closed, closed_at=AT - timedelta(days=3)),
        order(3, service_type_id=11, situation=closed, closed_at=AT),
        order(4),
    ]
    assert rules.last_closing(orders, service_type_id=10, zone=zone) == (
        2,
        (AT - timedelta(days=3)).astimezone(zone).date(),
    )
    assert rules.last_closing([order(4)], service_type_id=10, zone=zone) is None


def test_gen_18_window_counts_whole_days_from_the_closing() -> None:
    def check(days: int, closed_days_ago: int, **more: Any) -> list[str]:
        found = rules.check_restriction_window(
            property_id=more.pop("property_id", 5),
            service_type_id=10,
            days=days,
            last_closed=(7, TODAY - timedelta(days=closed_days_ago)),
            today=TODAY,
            **more,
        )
        return codes(found)

    refused = ["service_order.generate.within_restriction_window"]
    assert check(30, 0) == refused
    assert check(30, 29) == refused
    assert check(30, 30) == []
    assert check(0, 0) == []
    assert check(30, 0, may_bypass=True) == []
    assert check(30, 0, property_id=None) == []
    assert (
        rules.check_restriction_window(
            property_id=5, service_type_id=10, days=30, last_closed=None, today=TODAY
        )
        == ()
    )
