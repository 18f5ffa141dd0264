"""Closing that runs the commercial operation once, references (REF-05..07),
charges end to end (DEB-01..06, COM-06..08) and the charge simulation, on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.errors import ConfigurationError, RuleViolation
from gsan_core.model.billing import CollectionForm, DebtKind, OpenDebt
from gsan_core.model.properties import Economies
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    OrderSituation,
    ServiceType,
)
from gsan_core.rules.service_orders import ChargeRequest
from tests.services.orders_support import (
    ACTOR,
    COMMERCIAL,
    DEBT_PAID,
    DIAGNOSIS,
    EDITABLE,
    EXECUTED,
    GAVE_UP,
    LEAK_REPAIR,
    METER_TEST,
    PLAIN,
    Harness,
    harness,
    orders_profile,
)

__all__ = ["harness"]

D = Decimal


def violation(error: pytest.ExceptionInfo[RuleViolation], code: str) -> Any:
    found = [v for v in error.value.violations if v.code == code]
    assert found, error.value.codes
    return found[0]


def close_executed(h: Harness, order_id: int, **options: Any) -> Any:
    return h.gsan.service_orders.close_executed(
        order_id=order_id,
        reason_id=EXECUTED,
        closed_on=h.today,
        actor=ACTOR,
        **options,
    )


def charges(h: Harness, property_id: int | None = None) -> Any:
    return h.gsan.billing.charges(property_id or h.prop())


# ---------------------------------------------------------------- the operation
def test_closing_runs_the_operation_once_and_charges(harness: Harness) -> None:
    order = harness.generate(COMMERCIAL)
    result = close_executed(harness, order.id)
    assert result.commercial_applied
    assert result.order.commercial_applied
    assert result.order.current_value == D("30.00")
    assert result.order.charge_percentage == 100
    assert harness.counting.calls == {order.id: 1}
    assert result.charge is not None
    assert (result.charge.total, result.charge.debit_type_id) == (D("30.00"), 7)
    applied = [
        e for e in harness.gsan.events if isinstance(e, CommercialOperationApplied)
    ]
    assert [(e.order_id, e.via_closing) for e in applied] == [(order.id, True)]
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.apply_operation(
            operation="test.counting", order_id=order.id, actor=ACTOR
        )
    found = violation(error, "service_order.commercial.already_applied")
    assert (found.rule, found.gsan_key) == (
        "COM-03",
        "atencao.ordem_servico_sistema_comercial_atualizado",
    )
    assert harness.counting.calls == {order.id: 1}
    assert len(charges(harness)) == 1


def test_deb_06_the_charge_record_is_gsans_debito_a_cobrar(harness: Harness) -> None:
    """§4.4: the charge of a closed order stores what GSAN's DebitoACobrar does:
    value, installments and the installments bills already carried (0 at
    creation), the form of collection (1, in the bill), the debit type, the
    order, its RA and the split by category; and reads back so on every
    backend."""
    harness.gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    order = harness.generate(COMMERCIAL)
    made = close_executed(harness, order.id, charge=ChargeRequest(installments=3))
    charge = made.charge
    assert charge is not None
    (stored,) = charges(harness)
    assert stored == charge
    assert stored.installments_billed == 0
    assert stored.collection_form is CollectionForm.IN_BILL
    assert stored.collection_form == 1
    assert stored.installments == 3
    assert stored.debit_type_id == 7
    assert stored.service_order_id == order.id
    assert stored.service_request_id == order.request_id
    assert sum(share.amount for share in stored.shares) == stored.total
    assert abs(stored.total - stored.installment_value * 3) < D("0.01")


def test_a_failing_operation_leaves_the_order_pending(harness: Harness) -> None:
    failing_type = ServiceType(
        id=970,
        description="OPERACAO QUE FALHA",
        abbreviation="FALHA",
        updates_commercial=True,
        operation="test.failing",
        debit_type_id=7,
        value=D("10.00"),
    )
    harness.gsan.service_orders.add_type(failing_type, actor=0)
    order = harness.generate(970)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id)
    assert error.value.code == "test.operation_failed"
    assert harness.failing.calls == {order.id: 1}
    assert harness.orders() == before
    assert charges(harness) == []
    assert len(harness.gsan.service_orders.unit_history(order.id)) == 1


def test_unregistered_operation_is_a_wiring_error(harness: Harness) -> None:
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.add_type(
            ServiceType(
                id=971,
                description="SEM OPERACAO",
                abbreviation="SEM OP",
                updates_commercial=True,
                operation="water.unknown",
            ),
            actor=0,
        )
    assert error.value.code == "service_type.unknown_operation"
    with pytest.raises(ConfigurationError):
        harness.gsan.service_orders.apply_operation(
            operation="water.unknown", order_id=1, actor=ACTOR
        )


def test_com_01_02_menu_path_grace_days(harness: Harness) -> None:
    order = harness.generate(EDITABLE)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.apply_operation(
            operation="test.grace", order_id=order.id, actor=ACTOR
        )
    assert violation(error, "service_order.commercial.not_closed").rule == "COM-01"
    harness.gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=DEBT_PAID, closed_on=harness.today, actor=ACTOR
    )
    applied = harness.gsan.service_orders.apply_operation(
        operation="test.grace", order_id=order.id, actor=ACTOR
    )
    assert applied.commercial_applied
    assert harness.grace.calls == {order.id: 1}
    assert len(charges(harness)) == 1
    other = harness.generate(EDITABLE)
    harness.gsan.service_orders.close_not_executed(
        order_id=other.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.apply_operation(
            operation="test.grace", order_id=other.id, actor=ACTOR
        )
    found = violation(error, "service_order.commercial.not_executed")
    assert (found.rule, found.gsan_key) == (
        "COM-02",
        "atencao.ordem_servico_nao_executada",
    )


def test_com_04_menu_path_needs_a_matching_type(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    close_executed(harness, order.id)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.apply_operation(
            operation="test.counting", order_id=order.id, actor=ACTOR
        )
    assert violation(error, "service_order.commercial.wrong_service_type").rule == (
        "COM-04"
    )


def test_com_05_operation_needs_a_property(harness: Harness) -> None:
    order = harness.generate(COMMERCIAL, property_id=None)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id)
    assert violation(error, "service_order.commercial.no_property").rule == "COM-05"
    assert harness.counting.calls == {}


# ---------------------------------------------------------------- references
def _held(h: Harness) -> tuple[int, int]:
    target = h.generate(PLAIN)
    diagnosis = h.generate(DIAGNOSIS, reference_order_id=target.id)
    return target.id, diagnosis.id


def test_ref_05_cancelling_a_referring_order_closes_the_referenced(
    harness: Harness,
) -> None:
    _, diagnosis = _held(harness)
    result = harness.gsan.service_orders.close_not_executed(
        order_id=diagnosis,
        reason_id=GAVE_UP,
        closed_on=harness.today,
        actor=ACTOR,
        remark="cliente desistiu",
    )
    assert result.referenced is not None
    assert result.referenced.situation is OrderSituation.CLOSED
    assert result.referenced.closing_reason_id == GAVE_UP


def test_ref_06_an_approved_return_releases_the_referenced(harness: Harness) -> None:
    target, diagnosis = _held(harness)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, diagnosis, remark="ok")
    assert violation(error, "service_order.reference.return_type_required").rule == (
        "REF-01"
    )
    result = close_executed(harness, diagnosis, remark="ok", return_type_id=1)
    released = harness.gsan.service_orders.get(target)
    assert released.situation is OrderSituation.PENDING
    assert released.diagnosed
    assert result.referenced == released


def test_ref_06_a_rejected_return_closes_the_referenced(harness: Harness) -> None:
    target, diagnosis = _held(harness)
    close_executed(harness, diagnosis, remark="indeferido", return_type_id=2)
    closed = harness.gsan.service_orders.get(target)
    assert closed.situation is OrderSituation.CLOSED
    assert closed.closing_reason_id == 69


def test_ref_06_07_a_service_change_swaps_the_type_and_generates_the_next(
    harness: Harness,
) -> None:
    target = harness.generate(PLAIN)
    diagnosis = harness.generate(
        DIAGNOSIS, reference_order_id=target.id, reference_service_type_id=METER_TEST
    )
    result = close_executed(
        harness,
        diagnosis.id,
        remark="trocar",
        return_type_id=3,
        new_service_type_id=LEAK_REPAIR,
    )
    swapped = harness.gsan.service_orders.get(target.id)
    assert swapped.service_type_id == LEAK_REPAIR
    assert result.order.reference_service_type_id == LEAK_REPAIR
    assert result.follow_up is not None
    assert result.follow_up.service_type_id == LEAK_REPAIR


# ---------------------------------------------------------------- charges (DEB)
def test_deb_01_automatic_charge_only_when_executed(harness: Harness) -> None:
    harness.gsan.units.grant(user_id=ACTOR, permission_id=106, actor=0)
    executed = harness.generate(METER_TEST)
    result = close_executed(harness, executed.id)
    assert result.charge is not None
    assert (result.charge.total, result.charge.installments) == (D("45.50"), 1)
    assert result.charge.debit_type_id == 9
    cancelled = harness.generate(METER_TEST)
    result = harness.gsan.service_orders.close_not_executed(
        order_id=cancelled.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    assert result.charge is None
    plain = harness.generate(PLAIN)
    assert close_executed(harness, plain.id).charge is None
    assert len(charges(harness)) == 1


def test_deb_01_split_of_the_charge_by_category(harness: Harness) -> None:
    harness.gsan.units.grant(user_id=ACTOR, permission_id=106, actor=0)
    prop = harness.prop(
        0,
        categories=(
            Economies(category_id=1, subcategory_id=10, count=1),
            Economies(category_id=2, subcategory_id=20, count=1),
            Economies(category_id=3, subcategory_id=30, count=1),
        ),
    )
    order = harness.generate(METER_TEST, property_id=prop)
    charge = close_executed(harness, order.id).charge
    assert charge is not None
    assert [s.amount for s in charge.shares] == [D("15.18"), D("15.16"), D("15.16")]
    assert harness.gsan.billing.charges(prop) == [charge]


def test_deb_02_no_charge_when_a_payment_slip_was_issued_that_day(
    harness: Harness,
) -> None:
    harness.gsan.units.grant(user_id=ACTOR, permission_id=106, actor=0)
    order = harness.generate(METER_TEST)
    harness.gsan.billing.record_debts(
        [
            OpenDebt(
                id=901,
                property_id=harness.prop(),
                kind=DebtKind.PAYMENT_SLIP,
                amount=D("45.50"),
                debit_type_id=9,
                issued_on=harness.today,
            )
        ]
    )
    assert close_executed(harness, order.id).charge is None
    assert charges(harness) == []


def test_deb_03_no_charge_of_zero_for_a_social_tariff_property(
    harness: Harness,
) -> None:
    free = ServiceType(
        id=972,
        description="SERVICO GRATUITO",
        abbreviation="GRATIS",
        updates_commercial=True,
        operation="test.counting",
        debit_type_id=7,
        value=D(0),
    )
    harness.gsan.service_orders.add_type(free, actor=0)
    social = harness.prop(0, profile_id=4)
    order = harness.generate(972, property_id=social)
    result = close_executed(harness, order.id)
    assert result.commercial_applied
    assert result.charge is None
    assert harness.gsan.billing.charges(social) == []


def test_deb_04_a_charged_service_needs_a_property(harness: Harness) -> None:
    harness.gsan.units.grant(user_id=ACTOR, permission_id=106, actor=0)
    order = harness.generate(METER_TEST, property_id=None)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id)
    found = violation(error, "service_order.charge.no_property")
    assert (found.rule, found.gsan_key) == ("DEB-04", "atencao.os_sem_imovel")
    assert harness.orders() == before


def test_deb_05_values_below_one_by_profile_option(harness: Harness) -> None:
    gsan = harness.with_profile(_below_one())
    order = harness.generate(EDITABLE)
    gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=EXECUTED,
            closed_on=harness.today,
            actor=ACTOR,
            charge=ChargeRequest(value=D("0.50")),
        )
    found = violation(error, "service_order.charge.invalid_value")
    assert (found.rule, found.gsan_key) == ("DEB-05", "atencao.valor_debito_invalido")
    assert harness.orders() == before
    assert harness.grace.calls == {}
    result = close_executed(harness, order.id, charge=ChargeRequest(value=D("0.50")))
    assert result.charge is not None
    assert result.charge.total == D("0.50")


def _below_one() -> Any:
    loaded = orders_profile()
    system = attrs.evolve(loaded.profile.system, reject_charges_below_one=True)
    return attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, system=system))


def test_deb_05_an_operator_value_must_be_positive(harness: Harness) -> None:
    order = harness.generate(EDITABLE)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id, charge=ChargeRequest(value=D(0)))
    assert violation(error, "service_order.charge.invalid_value").rule == "DEB-05"
    assert harness.grace.calls == {}


def test_deb_06_non_charge_reason_skips_the_charge(harness: Harness) -> None:
    order = harness.generate(COMMERCIAL)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id, charge=ChargeRequest(non_charge_reason_id=1))
    found = violation(error, "service_order.charge.permission_required")
    assert (found.rule, found.params["permission_id"]) == ("COM-06", 30)
    harness.gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    result = close_executed(
        harness, order.id, charge=ChargeRequest(non_charge_reason_id=1)
    )
    assert result.commercial_applied
    assert result.charge is None
    assert result.order.non_charge_reason_id == 1
    assert result.order.current_value == D("30.00")


# ---------------------------------------------------------------- COM-06..08
def test_com_06_percentage_and_installments_with_permission_30(
    harness: Harness,
) -> None:
    order = harness.generate(COMMERCIAL)
    request = ChargeRequest(percentage=70, installments=3)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id, charge=request)
    assert violation(error, "service_order.charge.permission_required").gsan_key == (
        "atencao.necessario_permissao_especial"
    )
    assert harness.counting.calls == {}
    harness.gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    charge = close_executed(harness, order.id, charge=request).charge
    assert charge is not None
    # 30.00 x 70 % = 21.00 in 3 at 1 %: 1/1.01^3 = 0.9705901, factor 2.9409900,
    # 21 / 2.94099 = 7.1404527 -> total 21.4213581 -> 21.42
    assert charge.installment_value == D("7.1404527")
    assert charge.total == D("21.42")
    assert charge.interest_rate == D("1.00")


def test_com_06_a_percentage_the_profile_does_not_offer_is_refused(
    harness: Harness,
) -> None:
    """§4.2: GSAN's form offers 100, 70 and 50 and its server bills any other
    value as 100 %; the library refuses it (nothing written) rather than bill the
    full value silently. A utility that offers another percentage lists it in
    ``system.charge_percentages`` and it is billed as given."""
    harness.gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    order = harness.generate(COMMERCIAL)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id, charge=ChargeRequest(percentage=80))
    refused = violation(error, "service_order.charge.invalid_percentage")
    assert refused.rule == "COM-06"
    assert refused.params["allowed"] == "100, 70, 50"
    assert "100, 70, 50" in refused.message("pt")
    assert harness.orders() == before
    assert harness.counting.calls == {}
    assert charges(harness) == []
    loaded = orders_profile()
    offering = attrs.evolve(
        loaded,
        profile=attrs.evolve(
            loaded.profile,
            system=attrs.evolve(loaded.profile.system, charge_percentages=(100, 80)),
        ),
    )
    result = harness.with_profile(offering).service_orders.close_executed(
        order_id=order.id,
        reason_id=EXECUTED,
        closed_on=harness.today,
        actor=ACTOR,
        charge=ChargeRequest(percentage=80),
    )
    assert result.charge is not None
    assert result.charge.total == D("24.00")  # 30.00 x 80 %
    assert result.order.charge_percentage == 80


def test_com_07_value_changed_only_where_the_type_allows(harness: Harness) -> None:
    fixed = harness.generate(COMMERCIAL)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, fixed.id, charge=ChargeRequest(value=D("25.00")))
    assert violation(error, "service_order.charge.value_not_editable").rule == "COM-07"
    editable = harness.generate(EDITABLE)
    result = close_executed(
        harness, editable.id, charge=ChargeRequest(value=D("25.00"))
    )
    assert result.order.current_value == D("25.00")
    assert result.charge is not None
    assert result.charge.total == D("25.00")


def test_com_08_installments_within_the_maximum(harness: Harness) -> None:
    harness.gsan.units.grant(user_id=ACTOR, permission_id=30, actor=0)
    order = harness.generate(COMMERCIAL)
    with pytest.raises(RuleViolation) as error:
        close_executed(harness, order.id, charge=ChargeRequest(installments=13))
    found = violation(error, "service_order.charge.too_many_installments")
    assert (found.rule, found.gsan_key) == ("COM-08", "atencao.qtde_parcelas_invalida")
    assert harness.gsan.service_orders.get(order.id).situation is OrderSituation.PENDING


# ---------------------------------------------------------------- simulation
def test_simulate_charge_computes_without_writing(harness: Harness) -> None:
    simulated = harness.gsan.service_orders.simulate_charge(
        service_type_id=LEAK_REPAIR, property_id=harness.prop(), installments=6
    )
    assert simulated.price_row_id is None
    assert simulated.suggested_value == D("80.00")
    assert simulated.charged
    computation = simulated.computation
    # 80 in 6 at 1 %: 1/1.01^6 = 0.9420452, factor 5.7954800,
    # 80 / 5.79548 = 13.8038609 -> total 82.8231654 -> 82.82
    assert computation.installment_value == D("13.8038609")
    assert computation.total == D("82.82")
    assert harness.orders() == {}
    assert charges(harness) == []


def test_simulate_charge_uses_the_price_table(harness: Harness) -> None:
    row = harness.gsan.service_orders.add_price(
        service_type_id=METER_TEST,
        value=D("60.00"),
        metered=True,
        valid_from=harness.today,
        valid_until=harness.today,
        actor=0,
    )
    unmetered = harness.gsan.service_orders.simulate_charge(
        service_type_id=METER_TEST, property_id=harness.prop(), percentage=50
    )
    assert (unmetered.price_row_id, unmetered.computation.total) == (None, D("22.75"))
    metered = harness.gsan.service_orders.simulate_charge(
        service_type_id=METER_TEST,
        property_id=harness.prop(),
        metered=True,
        capacity_id=1,
    )
    assert metered.price_row_id == row.id
    assert metered.computation.total == D("60.00")
    given = harness.gsan.service_orders.simulate_charge(
        service_type_id=LEAK_REPAIR, property_id=harness.prop(), value=D("90.00")
    )
    assert given.computation.value == D("90.00")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"service_type_id": 999}, "service_order.unknown_service_type"),
        ({"installments": 0}, "service_order.charge.invalid_installments"),
        ({"percentage": 60}, "service_order.charge.invalid_percentage"),
        (
            {"value": D("10.00"), "service_type_id": METER_TEST},
            "service_order.charge.value_not_editable",
        ),
    ],
)
def test_simulate_charge_refuses_bad_input(
    harness: Harness, options: dict[str, Any], code: str
) -> None:
    values = {"service_type_id": LEAK_REPAIR, "property_id": harness.prop(), **options}
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.simulate_charge(**values)
    assert code in error.value.codes


def test_commercial_price_table_lists_active_types_with_a_value(
    harness: Harness,
) -> None:
    table = harness.gsan.service_orders.commercial_price_table()
    listed = {row.service_type_id: row.value for row in table}
    assert listed[METER_TEST] == D("45.50")
    assert listed[COMMERCIAL] == D("30.00")
    assert PLAIN not in listed
    stored = harness.gsan.service_orders.get_type(COMMERCIAL)
    harness.gsan.service_orders.update_type(attrs.evolve(stored, active=False), actor=0)
    assert COMMERCIAL not in {
        r.service_type_id for r in harness.gsan.service_orders.commercial_price_table()
    }
