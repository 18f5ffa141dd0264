"""The OS lifecycle through ``gsan.service_orders`` on memory, SQLite and
PostgreSQL: generation paths, update, closing with execution data, references,
the commercial operation run once, charges, and bad input writing nothing."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core import profiles
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.properties import Block, CommercialSector, Locality, Property
from gsan_core.model.service_orders import (
    ExecutedActivity,
    ExecutionPeriod,
    KitLine,
    KitUsage,
    MaterialUsage,
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrderGenerated,
    ServiceOrderSituationChanged,
    TeamComponent,
)
from gsan_core.services.service_orders import close_in
from tests.services.orders_support import (
    ACTOR,
    CUT_ORDER,
    DEBT_PAID,
    DIAGNOSIS,
    EXECUTED,
    GAVE_UP,
    LEAK_REPAIR,
    OTHER,
    OTHER_CUT,
    PLAIN,
    Harness,
    harness,
)

__all__ = ["harness"]

D = Decimal


def violation(error: pytest.ExceptionInfo[RuleViolation], code: str) -> Any:
    found = [v for v in error.value.violations if v.code == code]
    assert found, error.value.codes
    return found[0]


def unchanged(h: Harness, before: Any) -> None:
    assert h.orders() == before


# ---------------------------------------------------------------- generation
def test_generate_records_the_opening_unit_and_an_event(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    assert order.situation is OrderSituation.PENDING
    assert order.current_unit_id == 102
    trail = harness.gsan.service_orders.unit_history(order.id)
    assert [(r.relation, r.unit_id, r.user_id) for r in trail] == [
        (OrderUnitRelation.OPENED, 102, ACTOR)
    ]
    generated = [e for e in harness.gsan.events if isinstance(e, ServiceOrderGenerated)]
    assert [(e.order_id, e.actor) for e in generated] == [(order.id, ACTOR)]


def test_gen_04_unknown_service_type_writes_nothing(harness: Harness) -> None:
    with pytest.raises(RuleViolation) as error:
        harness.generate(999)
    found = violation(error, "service_order.unknown_service_type")
    assert (found.rule, found.gsan_key) == ("GEN-04", "atencao.pesquisa_inexistente")
    assert harness.orders() == {}


def test_a_priority_or_unit_that_does_not_exist_is_refused_not_stored(
    harness: Harness,
) -> None:
    with pytest.raises(RuleViolation) as error:
        harness.generate(PLAIN, priority_id=987_654, unit_id=876_543)
    assert error.value.codes == (
        "service_order.reference_missing",
        "service_order.reference_missing",
    )
    assert harness.orders() == {}
    order = harness.generate(PLAIN)
    with pytest.raises(RuleViolation) as updating:
        harness.gsan.service_orders.update(
            order_id=order.id,
            expected_version=order.version,
            actor=ACTOR,
            priority_id=987_654,
        )
    assert updating.value.codes == ("service_order.reference_missing",)
    assert harness.gsan.service_orders.get(order.id) == order


def test_gen_05_per_property_uniqueness_is_a_profile_option(harness: Harness) -> None:
    first = harness.generate(PLAIN)
    second = harness.generate(PLAIN)
    assert second.id != first.id
    strict = harness.variant(one_open_order_per_property_type=True)
    with pytest.raises(RuleViolation) as error:
        strict.service_orders.generate(
            service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
        )
    found = violation(error, "service_order.generate.open_order_for_property")
    assert (found.rule, found.gsan_key) == ("GEN-05", "atencao.servico_tipo.existe_os")
    other_property = strict.service_orders.generate(
        service_type_id=PLAIN, property_id=harness.prop(1), actor=ACTOR
    )
    assert other_property.property_id == harness.prop(1)


def test_gen_09_a_diagnosis_holds_the_referenced_order(harness: Harness) -> None:
    target = harness.generate(PLAIN)
    diagnosis = harness.generate(DIAGNOSIS, reference_order_id=target.id)
    held = harness.gsan.service_orders.get(target.id)
    assert held.situation is OrderSituation.AWAITING_RELEASE
    assert held.version == target.version + 1
    with pytest.raises(RuleViolation) as error:
        harness.generate(DIAGNOSIS, reference_order_id=target.id)
    assert violation(error, "service_order.reference.wrong_situation").rule == "GEN-09"
    assert diagnosis.reference_order_id == target.id


def test_gen_10_collection_order_goes_to_the_locality_unit(harness: Harness) -> None:
    prop = harness.town.properties[0]
    order = harness.gsan.service_orders.generate_from_collection(
        service_type_id=PLAIN,
        property_id=prop.id,
        collection_document_id=5001,
        actor=ACTOR,
    )
    assert order.origin is OrderOrigin.COLLECTION
    assert order.collection_document_id == 5001
    unit = harness.gsan.units.get(order.current_unit_id or 0)
    assert unit.locality_id == prop.locality_id


def test_gen_10_no_unit_for_the_locality_writes_nothing(harness: Harness) -> None:
    source = harness.town.properties[0]
    loc, sector, block = _lone_location(harness)
    orphan = Property(
        id=9_000_001,
        locality_id=loc,
        sector_id=sector,
        block_id=block,
        profile_id=1,
        water_status_id=3,
        sewer_status_id=1,
        categories=source.categories,
    )
    harness.gsan.properties.register(orphan, actor=0)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.generate_from_collection(
            service_type_id=PLAIN,
            property_id=orphan.id,
            collection_document_id=5002,
            actor=ACTOR,
        )
    found = violation(error, "service_order.generate.no_unit_for_locality")
    assert (found.rule, found.gsan_key) == (
        "GEN-10",
        "atencao.unidade_nao_existe_localidade",
    )
    assert harness.orders() == {}


def _lone_location(h: Harness) -> tuple[int, int, int]:
    h.gsan.properties.load_locations(
        actor=0,
        localities=[Locality(id=9, name="SEM UNIDADE")],
        sectors=[CommercialSector(id=91, locality_id=9, code=1)],
        blocks=[Block(id=9101, locality_id=9, sector_id=91, number=1)],
        routes=[],
    )
    return 9, 91, 9101


# ---------------------------------------------------------------- cut orders
BILL = OpenDebt(
    id=70,
    property_id=0,
    kind=DebtKind.BILL,
    amount=D("35.10"),
    reference=202411,
    due_date=None,
)


def _bill(h: Harness, property_id: int, ident: int = 70) -> None:
    h.gsan.billing.record_debts([attrs.evolve(BILL, id=ident, property_id=property_id)])


def test_gen_12_to_16_cut_order_generated_emitted(harness: Harness) -> None:
    prop = harness.prop(0, water_status_id=3)
    _bill(harness, prop)
    result = harness.gsan.service_orders.generate_cut_order(
        property_id=prop, actor=ACTOR
    )
    assert result.generated
    order = result.order
    assert (order.service_type_id, order.origin) == (CUT_ORDER, OrderOrigin.CUT)
    assert order.emitted_at is not None
    assert order.current_unit_id == 102


def test_gen_13_an_open_cut_order_is_emitted_again(harness: Harness) -> None:
    prop = harness.prop(0, water_status_id=3)
    existing = harness.generate(OTHER_CUT, property_id=prop)
    result = harness.gsan.service_orders.generate_cut_order(
        property_id=prop, actor=ACTOR
    )
    assert not result.generated
    assert result.order.id == existing.id
    assert result.order.emitted_at is not None
    assert result.order.version == existing.version + 1
    assert len(harness.orders()) == 1


def test_gen_12_water_connection_must_be_connected(harness: Harness) -> None:
    prop = harness.prop(0, water_status_id=5)
    _bill(harness, prop)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.generate_cut_order(property_id=prop, actor=ACTOR)
    found = violation(error, "service_order.cut_order.water_status_not_allowed")
    assert (found.rule, found.gsan_key) == (
        "GEN-12",
        "atencao.situacao_ligacao_agua_invalida",
    )
    assert harness.orders() == {}


def test_gen_14_and_15_bills_in_period_and_cut_notice(harness: Harness) -> None:
    prop = harness.prop(0, water_status_id=4)
    _bill(harness, prop)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.generate_cut_order(
            property_id=prop, actor=ACTOR, reference_from=202412
        )
    assert violation(error, "service_order.cut_order.no_debts").gsan_key == (
        "atencao.imovel.sem.debito"
    )
    strict = harness.variant(cut_order_requires_notice=True)
    with pytest.raises(RuleViolation) as error:
        strict.service_orders.generate_cut_order(property_id=prop, actor=ACTOR)
    assert violation(error, "service_order.cut_order.no_notice").rule == "GEN-15"
    assert harness.orders() == {}
    made = strict.service_orders.generate_cut_order(
        property_id=prop, actor=ACTOR, notice_document_id=8080
    )
    assert made.order.collection_document_id == 8080


def test_gen_16_cut_order_type_must_be_configured(harness: Harness) -> None:
    prop = harness.prop(0, water_status_id=3)
    _bill(harness, prop)
    loaded = profiles.default()
    roles = {**loaded.profile.roles, "service_type.cut_order": {999}}
    unset = harness.with_profile(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    )
    with pytest.raises(RuleViolation) as error:
        unset.service_orders.generate_cut_order(property_id=prop, actor=ACTOR)
    found = violation(error, "service_order.cut_order.type_not_configured")
    assert (found.rule, found.gsan_key) == ("GEN-16", "atencao.servico_tipo_nao_existe")


# ---------------------------------------------------------------- update and situations
def test_upd_01_closed_order_cannot_change(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    closed = harness.gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    ).order
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.update(
            order_id=order.id,
            expected_version=closed.version,
            actor=ACTOR,
            observation="tarde demais",
        )
    assert violation(error, "service_order.update.closed").rule == "UPD-01"
    unchanged(harness, before)


def test_enc_18_update_names_the_version_it_read(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    changed = harness.gsan.service_orders.update(
        order_id=order.id, expected_version=order.version, actor=ACTOR, observation="a"
    )
    assert changed.version == order.version + 1
    with pytest.raises(ConcurrencyConflict):
        harness.gsan.service_orders.update(
            order_id=order.id,
            expected_version=order.version,
            actor=ACTOR,
            observation="b",
        )
    assert harness.gsan.service_orders.get(order.id).observation == "a"


def test_back_to_pending_with_a_non_execution_reason(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    harness.gsan.service_orders.start_execution(order_id=order.id, actor=ACTOR)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.back_to_pending(
            order_id=order.id, actor=ACTOR, reason_id=99
        )
    assert violation(error, "service_order.reference_missing").gsan_key == (
        "atencao.pesquisa_inexistente"
    )
    back = harness.gsan.service_orders.back_to_pending(
        order_id=order.id, actor=ACTOR, reason_id=7
    )
    assert back.situation is OrderSituation.PENDING
    changes = [
        e for e in harness.gsan.events if isinstance(e, ServiceOrderSituationChanged)
    ]
    assert changes[-1].reason_id == 7


# ---------------------------------------------------------------- closing: bad input
@pytest.mark.parametrize(
    ("days", "code", "rule", "key"),
    [
        (
            1,
            "service_order.close.date_in_future",
            "ENC-08",
            "atencao.data.maior.data.corrente",
        ),
        (
            -1,
            "service_order.close.date_too_early",
            "ENC-09",
            "atencao.data_encerramento_anterior_permitido",
        ),
    ],
)
def test_enc_08_09_closing_date_bounds_write_nothing(
    harness: Harness, days: int, code: str, rule: str, key: str
) -> None:
    order = harness.generate(PLAIN)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_not_executed(
            order_id=order.id,
            reason_id=GAVE_UP,
            closed_on=harness.today + timedelta(days=days),
            actor=ACTOR,
        )
    found = violation(error, code)
    assert (found.rule, found.gsan_key) == (rule, key)
    unchanged(harness, before)
    assert len(harness.gsan.service_orders.unit_history(order.id)) == 1


def test_enc_06_unknown_or_inactive_reason_writes_nothing(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_not_executed(
            order_id=order.id, reason_id=999, closed_on=harness.today, actor=ACTOR
        )
    found = violation(error, "service_order.close.reason_not_allowed")
    assert (found.rule, found.gsan_key) == ("ENC-06", "atencao.pesquisa_inexistente")
    reason = harness.gsan.catalog.get("closing_reason", GAVE_UP)
    harness.gsan.catalog.deactivate(
        "closing_reason", GAVE_UP, expected_version=reason.version, actor=0
    )
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_not_executed(
            order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
        )
    assert violation(error, "service_order.close.reason_not_allowed").rule == "ENC-06"
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_executed(
            order_id=order.id, reason_id=DEBT_PAID, closed_on=harness.today, actor=ACTOR
        )
    assert violation(error, "service_order.close.reason_mismatch").rule == "ENC-06"
    unchanged(harness, before)


# ---------------------------------------------------------------- execution data
def _crew(h: Harness) -> int:
    team = h.gsan.service_orders.add_team(
        name="EQUIPE RAMAL",
        unit_id=102,
        work_minutes=480,
        plate="QRS4321",
        components=[TeamComponent(employee_id=ACTOR, responsible=True)],
        actor=0,
    )
    return team.id


def test_enc_12_activities_required_and_satisfied_by_execution_data(
    harness: Harness,
) -> None:
    order = harness.generate(LEAK_REPAIR)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_executed(
            order_id=order.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
        )
    found = violation(error, "service_order.close.activities_required")
    assert (found.rule, found.gsan_key) == ("ENC-12", "atencao.required")
    team = _crew(harness)
    kit = harness.gsan.service_orders.add_kit(
        description="KIT RAMAL 20MM",
        lines=[
            KitLine(material_id=1, quantity=D("1.5")),
            KitLine(material_id=2, quantity=D(2)),
        ],
        actor=0,
    )
    execution = [
        ExecutedActivity(
            activity_id=2,
            periods=[
                ExecutionPeriod(
                    on=harness.today, start=time(8, 30), end=time(11), team_ids=[team]
                )
            ],
            materials=[MaterialUsage(material_id=4, quantity=D("0.75"))],
            kits=[KitUsage(kit_id=kit.id, quantity=D(2))],
        ),
        ExecutedActivity(activity_id=3),
    ]
    result = harness.gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=EXECUTED,
        closed_on=harness.today,
        actor=ACTOR,
        execution=execution,
    )
    assert result.execution is not None
    stored = harness.gsan.service_orders.execution(order.id)
    assert stored == result.execution
    assert stored.activities == tuple(execution)
    assert stored.order_id == order.id
    assert result.charge is not None
    assert result.charge.total == D("80.00")


def test_enc_12_permission_106_closes_without_activities(harness: Harness) -> None:
    order = harness.generate(LEAK_REPAIR)
    harness.gsan.units.grant(user_id=ACTOR, permission_id=106, actor=0)
    result = harness.gsan.service_orders.close_executed(
        order_id=order.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    )
    assert result.executed
    assert harness.gsan.service_orders.execution(order.id) is None


def test_exe_01_to_03_bad_execution_data_writes_nothing(harness: Harness) -> None:
    order = harness.generate(LEAK_REPAIR, days_ago=2)
    before = harness.orders()
    execution = [
        ExecutedActivity(
            activity_id=2,
            periods=[
                ExecutionPeriod(
                    on=harness.today - timedelta(days=3),
                    start=time(10),
                    end=time(9),
                    team_ids=[404],
                )
            ],
        )
    ]
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=EXECUTED,
            closed_on=harness.today,
            actor=ACTOR,
            execution=execution,
        )
    assert {v.rule for v in error.value.violations} == {"EXE-01", "EXE-02", "EXE-03"}
    unchanged(harness, before)
    assert harness.gsan.service_orders.execution(order.id) is None


def test_execution_data_only_with_execution(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error, harness.gsan.uow_factory() as uow:
        close_in(
            uow,
            harness.gsan.service_orders._ctx,
            order_id=order.id,
            reason_id=GAVE_UP,
            closed_on=harness.today,
            actor=ACTOR,
            at=harness.clock.now(),
            execution=[ExecutedActivity(activity_id=2)],
        )
    found = violation(error, "service_order.execution.not_executed")
    assert (found.rule, found.gsan_key) == ("ENC-12", None)
    unchanged(harness, before)


# ---------------------------------------------------------------- ENC-01
def test_enc_01_without_a_request_the_profile_may_check_the_closing_unit(
    harness: Harness,
) -> None:
    """ENC-01 for an order without RA: with ``validate_location_on_close``
    (GSAN ``indicadorValidarLocalizacaoEncerramentoOS``) only a user of the
    order's current unit, or of a superior one, closes it
    (``atencao.os_foi_gerada_por_outra_unidade_organizacional``); without it
    (GSAN's default) anyone may."""
    order = harness.generate(PLAIN)
    checking = harness.variant(validate_location_on_close=True)
    before = harness.orders()
    with pytest.raises(RuleViolation) as refused:
        checking.service_orders.close_not_executed(
            order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=OTHER
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "service_order.close.order_of_another_unit",
        "ENC-01",
        "atencao.os_foi_gerada_por_outra_unidade_organizacional",
    )
    assert violation.params["unit_id"] == order.current_unit_id
    assert harness.orders() == before
    closed = checking.service_orders.close_not_executed(
        order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    assert closed.order.situation is OrderSituation.CLOSED
    other = harness.generate(PLAIN)
    anyone = harness.gsan.service_orders.close_not_executed(
        order_id=other.id, reason_id=GAVE_UP, closed_on=harness.today, actor=OTHER
    )
    assert anyone.order.situation is OrderSituation.CLOSED
