"""Connection operations through the public API, on memory, SQLite and PostgreSQL.

Every operation runs (a) as the commercial operation of closing its order and
(b) from the menu with an order already closed as executed; an order is applied
once; bad input writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.connections import (
    AdministrativeCutInput,
    ChangeCutTypeInput,
    ConnectionKind,
    ConnectionOperationApplied,
    CutInput,
    MinimumConsumptionInput,
    MinimumVolumeInput,
    ReconnectionInput,
    RestorationInput,
    SewerBillingInput,
    SewerConnectionInput,
    SewerUpdateInput,
    SuppressionInput,
    WaterConnection,
    WaterUpdateInput,
)
from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.rules import connections as rules
from tests.services.connections_setup import (
    ACTOR,
    BARE_BLOCK,
    CONCLUDED,
    CONNECT,
    CUT,
    DEBT_PAID,
    DESISTED,
    FIELD_ROUTE,
    OTHER,
    TODAY,
    add_property,
    closed_not_applied,
    order_for,
    town,
)

SEWER = SewerConnectionInput(
    connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1, grease_trap=False
)


def _water_update(system: gsan_core.System, pid: int) -> object:
    row = system.connections.water_connection(pid)
    assert row is not None
    return attrs.evolve(WaterUpdateInput.from_connection(row), diameter_id=2)


def _sewer_update(system: gsan_core.System, pid: int) -> object:
    row = system.connections.sewer_connection(pid)
    assert row is not None
    return attrs.evolve(SewerUpdateInput.from_connection(row), material_id=2)


@attrs.frozen
class Case:
    """One operation: its order type, the property before, the input, after."""

    key: str
    service_type_id: int
    before: tuple[int, int]
    after: tuple[int, int]
    data: Any
    charges: bool = False

    def input_for(self, system: gsan_core.System, pid: int) -> object:
        return self.data(system, pid) if callable(self.data) else self.data


CASES = [
    Case("water.connect", 619, (2, 5), (3, 3), CONNECT, charges=True),
    Case("water.cut", 242, (3, 1), (5, 1), CUT, charges=True),
    Case(
        "water.administrative_cut",
        241,
        (3, 1),
        (3, 1),
        AdministrativeCutInput(cut_type_id=3),
    ),
    Case(
        "water.suppress",
        245,
        (3, 1),
        (6, 1),
        SuppressionInput(suppression_type_id=1, suppression_reason_id=2),
    ),
    Case("water.reconnect", 243, (5, 5), (3, 3), ReconnectionInput(), charges=True),
    Case("water.restore", 244, (6, 5), (3, 3), RestorationInput(), charges=True),
    Case(
        "water.minimum_consumption",
        690,
        (3, 1),
        (3, 1),
        MinimumConsumptionInput(minimum_consumption=12),
    ),
    Case("water.update", 255, (3, 1), (3, 1), _water_update),
    Case("sewer.connect", 726, (3, 2), (3, 3), SEWER, charges=True),
    Case("sewer.billing_situation", 743, (1, 3), (1, 6), SewerBillingInput()),
    Case(
        "sewer.minimum_volume",
        755,
        (3, 3),
        (3, 3),
        MinimumVolumeInput(minimum_volume=8),
    ),
    Case("sewer.update", 254, (3, 3), (3, 3), _sewer_update),
]


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    return town(system)


def _situations(system: gsan_core.System, pid: int) -> tuple[int, int]:
    prop = system.properties.get(pid)
    return prop.water_status_id, prop.sewer_status_id


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_operation_runs_by_closing_its_order(
    gsan: gsan_core.System, case: Case
) -> None:
    """Every operation run by closing its order: E-TRX (the audit event with
    its actor and order, and the situation history), E-OS (the order marked as
    applied) and E-DEB (the type's charge where it has one)."""
    pid = 100
    add_property(gsan, pid, *case.before)
    order = order_for(gsan, case.service_type_id, pid)
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=case.input_for(gsan, pid),
    )
    assert result.commercial_applied
    assert result.order.commercial_applied
    assert _situations(gsan, pid) == case.after
    assert (result.charge is not None) is case.charges
    applied = [e for e in gsan.events if isinstance(e, ConnectionOperationApplied)]
    assert applied[-1].operation == case.key
    assert applied[-1].actor == ACTOR
    assert applied[-1].order_id == order.id
    history = gsan.connections.history(pid)
    moved = case.before != case.after
    assert bool(history) is moved
    assert all(h.order_id == order.id and h.actor == ACTOR for h in history)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_operation_runs_from_the_menu_once(gsan: gsan_core.System, case: Case) -> None:
    pid = 200
    add_property(gsan, pid, *case.before)
    order = closed_not_applied(gsan, case.service_type_id, pid)
    data = case.input_for(gsan, pid)
    applied = gsan.service_orders.apply_operation(
        operation=case.key, order_id=order.id, actor=ACTOR, data=data
    )
    assert _situations(gsan, pid) == case.after
    charges = gsan.billing.charges(pid)
    assert bool(charges) is case.charges
    if case.key.endswith(".update"):
        # the "atualização" check: a data correction does not use the order up
        assert not applied.commercial_applied
        gsan.service_orders.apply_operation(
            operation=case.key, order_id=order.id, actor=ACTOR, data=data
        )
        return
    assert applied.commercial_applied  # Q7: always marked as used
    version = gsan.properties.get(pid).version
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation=case.key, order_id=order.id, actor=ACTOR, data=data
        )
    assert "service_order.commercial.already_applied" in refused.value.codes
    assert gsan.properties.get(pid).version == version


#: The operations whose GSAN order checks the notes number: C-OS (the "aditivo"
#: variant but for the sewer connection, strict) and C-IM.
ORDER_CHECKS = [
    ("water.connect", 619, "V-LA2", "V-LA3", "grace"),
    ("water.cut", 242, "V-CO3", "V-CO4", "grace"),
    ("water.suppress", 245, "V-SU2", "V-SU3", "grace"),
    ("sewer.connect", 726, "V-LE2", "V-LE3", "strict"),
]


@pytest.mark.parametrize(
    ("key", "type_id", "order_rule", "property_rule", "variant"),
    ORDER_CHECKS,
    ids=[c[0] for c in ORDER_CHECKS],
)
def test_v_la2_v_la3_v_co3_v_co4_v_su2_v_su3_v_le2_v_le3_the_order_checks(
    gsan: gsan_core.System,
    key: str,
    type_id: int,
    order_rule: str,
    property_rule: str,
    variant: str,
) -> None:
    """C-OS from the menu (V-LA2, V-CO3, V-SU2, V-LE2): an open order is refused;
    an order closed without execution is accepted within its reason's grace days
    for an "aditivo" operation and refused for a strict one (the sewer
    connection). C-IM (V-LA3, V-CO4, V-SU3, V-LE3): an order without property is
    refused. Nothing is written by a refusal."""
    case = next(c for c in CASES if c.key == key)
    pid = 700 + type_id % 100
    add_property(gsan, pid, *case.before)
    open_order = order_for(gsan, type_id, pid)
    with pytest.raises(RuleViolation) as not_closed:
        gsan.service_orders.apply_operation(
            operation=key, order_id=open_order.id, actor=ACTOR, data=case.data
        )
    assert not_closed.value.code == "service_order.commercial.not_closed"
    graced = closed_not_applied(gsan, type_id, pid, reason=DEBT_PAID)
    version = gsan.properties.get(pid).version

    def apply_graced() -> object:
        return gsan.service_orders.apply_operation(
            operation=key, order_id=graced.id, actor=ACTOR, data=case.data
        )

    if variant == "grace":
        apply_graced()
        assert _situations(gsan, pid) == case.after
    else:
        with pytest.raises(RuleViolation) as strict:
            apply_graced()
        assert strict.value.code == "service_order.commercial.not_executed"
        assert gsan.properties.get(pid).version == version
    nowhere = gsan.service_orders.generate(
        service_type_id=type_id, property_id=None, actor=ACTOR
    )
    gsan.service_orders.close_executed(
        order_id=nowhere.id, reason_id=CONCLUDED, closed_on=TODAY, actor=ACTOR
    )
    with pytest.raises(RuleViolation) as no_property:
        gsan.service_orders.apply_operation(
            operation=key, order_id=nowhere.id, actor=ACTOR, data=case.data
        )
    assert no_property.value.code == "service_order.commercial.no_property"
    assert not gsan.service_orders.get(nowhere.id).commercial_applied


def test_v_co1_a_cut_runs_only_through_its_order(gsan: gsan_core.System) -> None:
    """V-CO1: the cut has no entry point without an order, and validating it for
    display without one says so ("Informe Ordem de Serviço")."""
    add_property(gsan, 330, 3)
    found = gsan.connections.check("water.cut", property_id=330, data=CUT, actor=ACTOR)
    assert [(v.code, v.rule) for v in found] == [("connection.order_required", "V-CO1")]
    assert found[0].message("pt") == "Informe Ordem de Serviço."
    order = order_for(gsan, 242, 330)
    assert (
        gsan.connections.check(
            "water.cut", property_id=330, data=CUT, actor=ACTOR, order_id=order.id
        )
        == ()
    )
    assert not hasattr(gsan.connections, "cut")
    without = gsan.connections.check(
        "water.connect_without_order", property_id=330, data=CONNECT, actor=ACTOR
    )
    assert "connection.order_required" not in [v.code for v in without]


def test_c_st_wrong_service_type_for_the_order_writes_nothing(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 300, 3)
    order = closed_not_applied(gsan, 243, 300)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation="water.cut", order_id=order.id, actor=ACTOR, data=CUT
        )
    violation = refused.value.violations[0]
    assert violation.code == "connection.water.cut.wrong_service_type"
    assert violation.rule == "V-CO2"
    assert violation.gsan_key == "atencao.servico_associado_corte_ligacao_agua_invalida"
    assert _situations(gsan, 300) == (3, 1)
    assert not gsan.service_orders.get(order.id).commercial_applied


def test_c_os_grace_days_for_aditivo_operations_but_not_strict_ones(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 310, 3)
    order = closed_not_applied(gsan, 242, 310, reason=DEBT_PAID)
    gsan.service_orders.apply_operation(
        operation="water.cut", order_id=order.id, actor=ACTOR, data=CUT
    )
    assert _situations(gsan, 310) == (5, 1)
    add_property(gsan, 311, 3)
    strict = closed_not_applied(gsan, 241, 311, reason=DEBT_PAID)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation="water.administrative_cut",
            order_id=strict.id,
            actor=ACTOR,
            data=AdministrativeCutInput(cut_type_id=3),
        )
    assert refused.value.code == "service_order.commercial.not_executed"
    add_property(gsan, 312, 3)
    expired = closed_not_applied(gsan, 242, 312, reason=DESISTED)
    with pytest.raises(RuleViolation) as no_grace:
        gsan.service_orders.apply_operation(
            operation="water.cut", order_id=expired.id, actor=ACTOR, data=CUT
        )
    assert no_grace.value.code == "service_order.commercial.not_executed"


def test_c_os_the_menu_path_needs_a_closed_order(gsan: gsan_core.System) -> None:
    add_property(gsan, 320, 3)
    order = order_for(gsan, 242, 320)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation="water.cut", order_id=order.id, actor=ACTOR, data=CUT
        )
    assert refused.value.code == "service_order.commercial.not_closed"


def test_c_im_q6_order_without_property(gsan: gsan_core.System) -> None:
    order = gsan.service_orders.generate(
        service_type_id=242, property_id=None, actor=ACTOR
    )
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=CUT,
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "service_order.commercial.no_property",
        "COM-05",
        "atencao.ordem_servico_imovel_invalida",
    )
    assert gsan.service_orders.get(order.id).situation is OrderSituation.PENDING


def _nothing_written(
    gsan: gsan_core.System, pid: int, order_id: int, version: int
) -> None:
    assert gsan.properties.get(pid).version == version
    assert gsan.service_orders.get(order_id).situation is OrderSituation.PENDING
    assert gsan.connections.history(pid) == []
    assert gsan.billing.charges(pid) == []


@pytest.mark.parametrize(
    ("data", "code", "gsan_key"),
    [
        (
            CutInput(cut_type_id=1, cut_reason_id=99),
            "connection.unknown_reference",
            "atencao.pesquisa_inexistente",
        ),
        (
            attrs.evolve(CUT, cut_on=TODAY + timedelta(days=1)),
            "connection.date_in_future",
            "atencao.data.invalida",
        ),
        (
            attrs.evolve(CUT, cut_on=date(2024, 1, 9)),
            "connection.date_too_early",
            "atencao.data.invalida",
        ),
    ],
    ids=["unknown-reason", "future-date", "before-connection"],
)
def test_bad_cut_input_closes_nothing(
    gsan: gsan_core.System, data: CutInput, code: str, gsan_key: str
) -> None:
    prop = add_property(gsan, 400, 3)
    order = order_for(gsan, 242, 400)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=data,
        )
    violation = next(v for v in refused.value.violations if v.code == code)
    assert violation.gsan_key == gsan_key
    _nothing_written(gsan, 400, order.id, prop.version)


def test_inactive_property_refused(gsan: gsan_core.System) -> None:
    prop = add_property(gsan, 410, 3, active=False)
    order = order_for(gsan, 242, 410)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=CUT,
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "connection.property_inactive",
        "C-ATV",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    _nothing_written(gsan, 410, order.id, prop.version)


def test_closing_without_the_operation_input_is_refused(gsan: gsan_core.System) -> None:
    add_property(gsan, 420, 3)
    order = order_for(gsan, 242, 420)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id, reason_id=CONCLUDED, closed_on=TODAY, actor=ACTOR
        )
    assert refused.value.code == "service_order.commercial.data_required"


def test_change_cut_type_through_a_linked_type(gsan: gsan_core.System) -> None:
    gsan.service_orders.add_type(
        ServiceType(
            id=9503,
            description="ALTERAR TIPO DE CORTE",
            abbreviation="ALT CORTE",
            updates_commercial=True,
            operation="water.change_cut_type",
            priority_id=1,
        ),
        actor=0,
    )
    add_property(gsan, 430, 5, water_changes={"cut_type_id": 1})
    order = order_for(gsan, 9503, 430)
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=ChangeCutTypeInput(cut_type_id=4),
    )
    row = gsan.connections.water_connection(430)
    assert row is not None
    assert row.cut_type_id == 4


# ---------------------------------------------------------------- special paths
def test_connect_without_order_needs_permission_65(gsan: gsan_core.System) -> None:
    add_property(gsan, 500, 1)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.connect_water_without_order(
            property_id=500, data=CONNECT, actor=OTHER
        )
    assert refused.value.code == "connection.without_order.permission_required"
    water = gsan.connections.connect_water_without_order(
        property_id=500, data=CONNECT, actor=ACTOR
    )
    assert isinstance(water, WaterConnection)
    assert _situations(gsan, 500) == (3, 1)
    assert gsan.billing.charges(500) == []
    assert gsan.connections.history(500)[0].order_id is None


def test_connect_sewer_without_order_needs_permission_67(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 510, 3, 2)
    with pytest.raises(RuleViolation):
        gsan.connections.connect_sewer_without_order(
            property_id=510, data=SEWER, actor=OTHER
        )
    sewer = gsan.connections.connect_sewer_without_order(
        property_id=510, data=SEWER, actor=ACTOR
    )
    assert sewer.sewer_percentage == Decimal("80.00")
    assert _situations(gsan, 510) == (3, 3)


def test_v_la5_no_network_in_the_block(gsan: gsan_core.System) -> None:
    add_property(gsan, 520, 1, block=BARE_BLOCK)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.connect_water_without_order(
            property_id=520, data=CONNECT, actor=ACTOR
        )
    assert refused.value.code == "connection.water.connect.no_network"


def test_v_la7_a_profile_with_bound_tariffs_needs_one_of_them(
    gsan: gsan_core.System,
) -> None:
    """The default profile binds tariff 2 (TARIFA AGUA BRUTA) to water profile 3:
    connecting with profile 3 needs a property with tariff 2, read from the
    catalog and the property on every backend; nothing is written when refused."""
    raw_water = attrs.evolve(CONNECT, profile_id=3)
    add_property(gsan, 530, 1, consumption_tariff_id=1)
    add_property(gsan, 531, 1, consumption_tariff_id=2)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.connect_water_without_order(
            property_id=530, data=raw_water, actor=ACTOR
        )
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "connection.water.connect.tariff_not_allowed",
        "V-LA7",
        "atencao.tarifa_consumo_perfil_ligacao",
    )
    assert _situations(gsan, 530) == (1, 1)
    assert gsan.connections.water_connection(530) is None
    gsan.connections.connect_water_without_order(
        property_id=531, data=raw_water, actor=ACTOR
    )
    assert _situations(gsan, 531) == (3, 1)
    # profile 1 has no tariff bound to it: any tariff connects
    gsan.connections.connect_water_without_order(
        property_id=530, data=CONNECT, actor=ACTOR
    )
    assert _situations(gsan, 530) == (3, 1)


def test_suppression_debt_gate_and_permission_79(gsan: gsan_core.System) -> None:
    add_property(gsan, 600, 3)
    gsan.billing.record_debts(
        [OpenDebt(id=1, property_id=600, kind=DebtKind.BILL, amount=Decimal("12.50"))]
    )
    on_request = SuppressionInput(suppression_type_id=1, suppression_reason_id=2)
    order = order_for(gsan, 245, 600)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=on_request,
        )
    assert refused.value.code == "connection.water.suppress.debts"
    other_reason = SuppressionInput(suppression_type_id=1, suppression_reason_id=1)
    unlinked = closed_not_applied(gsan, 245, 600)
    with pytest.raises(RuleViolation) as no_permission:
        gsan.service_orders.apply_operation(
            operation="water.suppress",
            order_id=unlinked.id,
            actor=OTHER,
            data=other_reason,
        )
    assert no_permission.value.code == "connection.water.suppress.permission_required"
    gsan.service_orders.apply_operation(
        operation="water.suppress", order_id=unlinked.id, actor=ACTOR, data=other_reason
    )
    assert _situations(gsan, 600) == (6, 1)


def test_c_campo_blocks_reconnection_not_cuts(gsan: gsan_core.System) -> None:
    add_property(gsan, 700, 5, route_id=FIELD_ROUTE)
    add_property(gsan, 701, 3, route_id=FIELD_ROUTE)
    gsan.properties.lock_route_in_field(FIELD_ROUTE, reference=202501)
    reconnect = closed_not_applied(gsan, 243, 700)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation="water.reconnect",
            order_id=reconnect.id,
            actor=ACTOR,
            data=ReconnectionInput(),
        )
    assert refused.value.code == "connection.property_in_field"
    cut = closed_not_applied(gsan, 242, 701)
    gsan.service_orders.apply_operation(
        operation="water.cut", order_id=cut.id, actor=ACTOR, data=CUT
    )
    assert _situations(gsan, 701) == (5, 1)


def test_sewer_deactivation_by_network(gsan: gsan_core.System) -> None:
    add_property(gsan, 710, 1, 3)
    order = order_for(gsan, 752, 710)
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=None,
    )
    assert _situations(gsan, 710) == (1, 2)


# ---------------------------------------------------------------- alterar situação
def test_change_situation_closes_its_open_order(gsan: gsan_core.System) -> None:
    from gsan_core.model.connections import (  # noqa: PLC0415
        ChangeSituationInput,
        ConnectionTarget,
    )

    add_property(gsan, 800, 3, 3)
    order = order_for(gsan, 1004, 800)
    data = ChangeSituationInput(
        target=ConnectionTarget.BOTH, water_status_id=2, sewer_status_id=2
    )
    result = gsan.connections.change_situation(
        order_id=order.id, data=data, actor=ACTOR
    )
    assert result.order.situation is OrderSituation.CLOSED
    assert result.order.closing_reason_id == CONCLUDED
    assert _situations(gsan, 800) == (2, 2)
    assert gsan.connections.water_connection(800) is None
    assert gsan.connections.sewer_connection(800) is None
    removed = [e for e in gsan.events if isinstance(e, ConnectionOperationApplied)][-1]
    assert removed.removed == (ConnectionKind.WATER, ConnectionKind.SEWER)
    with pytest.raises(RuleViolation) as again:
        gsan.connections.change_situation(order_id=order.id, data=data, actor=ACTOR)
    violation = again.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "connection.change_situation.order_closed",
        "V-AS2",
        "atencao.os.encerrada",
    )
    with pytest.raises(RuleViolation) as menu:
        gsan.service_orders.apply_operation(
            operation="connection.change_situation",
            order_id=order.id,
            actor=ACTOR,
            data=data,
        )
    assert "service_order.commercial.already_applied" in menu.value.codes


def test_change_situation_with_debts_needs_permission_81(
    gsan: gsan_core.System,
) -> None:
    from gsan_core.model.connections import (  # noqa: PLC0415
        ChangeSituationInput,
        ConnectionTarget,
    )

    add_property(gsan, 810, 3)
    gsan.billing.record_debts(
        [OpenDebt(id=2, property_id=810, kind=DebtKind.CREDIT, amount=Decimal(3))]
    )
    order = order_for(gsan, 1004, 810)
    data = ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.change_situation(order_id=order.id, data=data, actor=OTHER)
    assert refused.value.code == "connection.change_situation.debts"
    assert gsan.service_orders.get(order.id).situation is OrderSituation.PENDING
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=data,
    )
    assert _situations(gsan, 810) == (2, 1)


def test_change_situation_with_an_unlinked_type_still_closes(
    gsan: gsan_core.System,
) -> None:
    from gsan_core.model.connections import (  # noqa: PLC0415
        ChangeSituationInput,
        ConnectionTarget,
    )
    from tests.services.connections_setup import unlink  # noqa: PLC0415

    add_property(gsan, 820, 3)
    unlink(gsan, 1004)
    order = order_for(gsan, 1004, 820)
    data = ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2)
    result = gsan.connections.change_situation(
        order_id=order.id, data=data, actor=ACTOR
    )
    assert result.order.situation is OrderSituation.CLOSED
    assert _situations(gsan, 820) == (2, 1)
    wrong = order_for(gsan, 242, 820)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.change_situation(order_id=wrong.id, data=data, actor=ACTOR)
    assert refused.value.code == "connection.change_situation.wrong_service_type"


# ---------------------------------------------------------------- reads, check, history
def test_history_between_and_check(gsan: gsan_core.System) -> None:
    add_property(gsan, 900, 3, 5)
    cut = closed_not_applied(gsan, 242, 900)
    gsan.service_orders.apply_operation(
        operation="water.cut",
        order_id=cut.id,
        actor=ACTOR,
        data=attrs.evolve(CUT, cut_on=date(2025, 1, 2), reading=4321),
    )
    changes = gsan.connections.changes_between(
        date(2025, 1, 1), date(2025, 1, 31), operations=["water.cut"]
    )
    assert [(c.property_id, c.before_id, c.after_id, c.reading) for c in changes] == [
        (900, 3, 5, 4321)
    ]
    assert changes[0].effective_on == date(2025, 1, 2)
    assert (
        gsan.connections.changes_between(
            date(2025, 1, 1), date(2025, 1, 31), kind=ConnectionKind.SEWER
        )
        == []
    )
    found = gsan.connections.check(
        "water.reconnect",
        property_id=900,
        data=ReconnectionInput(reconnected_on=date(2025, 1, 1)),
        actor=ACTOR,
        order_id=cut.id,
    )
    assert [v.code for v in found] == ["connection.date_too_early"]
    with pytest.raises(gsan_core.ConfigurationError):
        gsan.connections.check("water.fly", property_id=900, data=None, actor=ACTOR)


def test_bulk_load_needs_existing_properties(gsan: gsan_core.System) -> None:
    row = WaterConnection(
        id=999,
        connected_on=TODAY,
        implanted_on=TODAY,
        diameter_id=1,
        material_id=1,
        profile_id=1,
    )
    with pytest.raises(gsan_core.NotFound):
        gsan.connections.load(actor=0, water=[row])


def test_minimum_consumption_reads_billing(gsan: gsan_core.System) -> None:
    from gsan_core.model.consumption import ConsumptionRecord  # noqa: PLC0415

    add_property(gsan, 910, 3)
    gsan.billing.record_consumption(
        [
            ConsumptionRecord(
                property_id=910,
                reference=202411,
                consumption_type_id=1,
                billed_volume=10,
                minimum=15,
            ),
            ConsumptionRecord(
                property_id=910,
                reference=202412,
                consumption_type_id=1,
                billed_volume=10,
                minimum=10,
            ),
        ]
    )
    order = order_for(gsan, 690, 910)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=MinimumConsumptionInput(minimum_consumption=9),
        )
    assert refused.value.violations[0].params["minimum"] == 10
    with pytest.raises(gsan_core.DuplicateEntity):
        gsan.billing.record_consumption(
            [
                ConsumptionRecord(
                    property_id=910,
                    reference=202412,
                    consumption_type_id=1,
                    billed_volume=1,
                )
            ]
        )


def test_concurrent_change_is_refused(
    gsan: gsan_core.System, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C-CONC: the property changed between the read and the write."""
    # apply_in reads load_facts from the module that runs the operation
    from gsan_core.services.connections import apply as service  # noqa: PLC0415

    add_property(gsan, 920, 3)
    add_property(gsan, 921, 3)
    original: Callable[..., Any] = service.load_facts
    cut = closed_not_applied(gsan, 242, 920)
    rival = closed_not_applied(gsan, 241, 920)

    def stale(uow: object, profile: object, property_id: int, **rest: Any) -> object:
        with gsan.uow_factory() as fresh:
            facts = original(fresh, profile, property_id, **rest)
        monkeypatch.setattr(service, "load_facts", original)
        gsan.service_orders.apply_operation(
            operation="water.administrative_cut",
            order_id=rival.id,
            actor=ACTOR,
            data=AdministrativeCutInput(cut_type_id=3),
        )
        return facts

    monkeypatch.setattr(service, "load_facts", stale)
    with pytest.raises(gsan_core.ConcurrencyConflict):
        gsan.service_orders.apply_operation(
            operation="water.cut", order_id=cut.id, actor=ACTOR, data=CUT
        )
    assert _situations(gsan, 920) == (3, 1)
    assert not gsan.service_orders.get(cut.id).commercial_applied


@pytest.mark.parametrize(
    "key", sorted(set(rules.WRONG_SERVICE_TYPE) - {"connection.change_situation"})
)
def test_c_st_each_operation_refuses_another_type_with_its_own_message(
    gsan: gsan_core.System, key: str
) -> None:
    """V-LA1, V-CO2, V-SU1, V-LE1 and the other operations' C-ST messages."""
    add_property(gsan, 950, 3, 3)
    order = closed_not_applied(gsan, 458 if key != "water.cut" else 243, 950)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation=key, order_id=order.id, actor=ACTOR, data=None
        )
    expected = rules.WRONG_SERVICE_TYPE[key]
    violation = refused.value.violations[0]
    assert (violation.code, violation.rule, violation.gsan_key) == (
        expected.code,
        expected.rule,
        expected.gsan_key,
    )
