"""The connection operations with a meter, on memory, SQLite and PostgreSQL.

The "com instalação de hidrômetro" operations (706, 16044, 879), the "com
substituição" ones (16045..16047) and UC0579 ("sem RA", the meter optional) run
the connection's effects and the hydrometer area's installation or replacement
in one unit of work, by closing their order or from the menu; the cut writes its
reading on the open installation and the suppression removes the meter. Every
refusal writes nothing: the meters stay where they were, the situations do not
move, no installation record appears.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.connections import (
    ConnectionOperationApplied,
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    MeterInstallation,
    MeterReplacement,
    ReconnectionInput,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
    SuppressionInput,
)
from gsan_core.model.hydrometers import (
    HydrometerInstalled,
    HydrometerRemoved,
    HydrometerReplaced,
    InstallationOrigin,
    InstallHydrometer,
    MeasurementPoint,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    NetworkIndicator,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.services.connections import ConnectionOperation
from gsan_core.services.hydrometers import ConnectionMeters, install_in
from gsan_core.testing.hydrometers import METER
from tests.services.connections_setup import (
    ACTOR,
    BARE_BLOCK,
    CONCLUDED,
    CONNECT,
    CUT,
    FIELD_ROUTE,
    OTHER,
    TODAY,
    add_property,
    closed_not_applied,
    order_for,
    town,
)

WATER = MeasurementPoint.WATER_CONNECTION
INSTALLED, AVAILABLE = 1, 3
#: A locality whose meters come from stock location 2 (I-11), and its block.
OTHER_STOCK_BLOCK = 9


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    """The connections' town with six meters in stock location 1."""
    town(system)
    system.properties.load_locations(
        actor=0,
        localities=[Locality(id=9, name="BOA VISTA", stock_location_id=2)],
        sectors=[CommercialSector(id=91, locality_id=9, code=1)],
        blocks=[
            Block(
                id=OTHER_STOCK_BLOCK,
                locality_id=9,
                sector_id=91,
                number=1,
                water_network=NetworkIndicator.NETWORK,
            )
        ],
    )
    system.hydrometers.insert_range(
        fixed="B24A", first=1, last=6, attributes=METER, location_id=1, actor=0
    )
    return system


def meters(gsan: gsan_core.System) -> list[int]:
    return [m.id for m in gsan.hydrometers.in_range(fixed="B24A", first=1, last=6)]


def meter(gsan: gsan_core.System, index: int = 0, **changes: Any) -> MeterInstallation:
    base = MeterInstallation(
        hydrometer_id=meters(gsan)[index], reading=10, place_id=1, protection_id=6
    )
    return attrs.evolve(base, **changes)


def replacement(
    gsan: gsan_core.System, index: int = 1, **changes: Any
) -> MeterReplacement:
    base = MeterReplacement(
        removal_reading=120,
        outgoing_situation_id=AVAILABLE,
        outgoing_location_id=1,
        hydrometer_id=meters(gsan)[index],
        reading=3,
        place_id=2,
        protection_id=7,
    )
    return attrs.evolve(base, **changes)


def installed(gsan: gsan_core.System, pid: int, index: int = 0) -> None:
    """A meter already on the water connection (a GSAN database may hold one in
    any situation: the interface does not check it)."""
    with gsan.uow_factory() as uow:
        install_in(
            uow,
            profile=gsan.profile,
            property_id=pid,
            point=WATER,
            installed_on=date(2025, 1, 2),
            reading=100,
            place_id=1,
            protection_id=6,
            actor=0,
            at=gsan.clock.now(),
            hydrometer_id=meters(gsan)[index],
        )
        uow.commit()


def situations(gsan: gsan_core.System, pid: int) -> tuple[int, int]:
    prop = gsan.properties.get(pid)
    return prop.water_status_id, prop.sewer_status_id


def state(gsan: gsan_core.System, pid: int) -> tuple[object, ...]:
    """What an operation writes: the property, its rows and history, the meters,
    the installation history, the charges."""
    return (
        gsan.properties.get(pid),
        gsan.connections.water_connection(pid),
        gsan.connections.sewer_connection(pid),
        tuple(gsan.connections.history(pid)),
        tuple(gsan.hydrometers.get(i) for i in meters(gsan)),
        tuple(gsan.hydrometers.history(property_id=pid, point=WATER)),
        tuple(gsan.billing.charges(pid)),
    )


def refused_with(error: pytest.ExceptionInfo[RuleViolation], code: str) -> Violation:
    found = [v for v in error.value.violations if v.code == code]
    assert found, error.value.codes
    return found[0]


# ---------------------------------------------------------------- the operations
@attrs.frozen
class Case:
    """One operation: its key, GSAN operation, type, the property before, its
    input (built for the system) and the charge of its type."""

    key: str
    gsan_operation: int
    service_type_id: int
    before: tuple[int, int]
    meter_before: bool
    total: Decimal

    def data(self, gsan: gsan_core.System) -> object:
        if self.key == "water.connect_with_meter":
            return ConnectWithMeterInput(connection=CONNECT, meter=meter(gsan))
        if self.key == "water.reconnect_with_meter":
            return ReconnectWithMeterInput(meter=meter(gsan))
        if self.key == "water.restore_with_meter":
            return RestoreWithMeterInput(meter=meter(gsan))
        if self.key == "water.connect_with_replacement":
            return ConnectWithReplacementInput(
                connection=CONNECT, replacement=replacement(gsan)
            )
        if self.key == "water.reconnect_with_replacement":
            return ReconnectWithReplacementInput(replacement=replacement(gsan))
        return RestoreWithReplacementInput(replacement=replacement(gsan))


CASES = [
    Case("water.connect_with_meter", 706, 1001, (2, 5), False, Decimal("80.00")),
    Case("water.reconnect_with_meter", 16044, 1006, (5, 5), False, Decimal("60.00")),
    Case("water.restore_with_meter", 879, 1005, (6, 5), False, Decimal("70.00")),
    Case(
        "water.connect_with_replacement", 16045, 16045, (4, 5), True, Decimal("80.00")
    ),
    Case(
        "water.reconnect_with_replacement",
        16046,
        16046,
        (5, 5),
        True,
        Decimal("60.00"),
    ),
    Case(
        "water.restore_with_replacement", 16047, 16047, (6, 5), True, Decimal("70.00")
    ),
]


def _prepare(gsan: gsan_core.System, case: Case, pid: int) -> None:
    add_property(gsan, pid, *case.before)
    if case.meter_before:
        installed(gsan, pid)


def _assert_applied(
    gsan: gsan_core.System, case: Case, pid: int, order_id: int
) -> None:
    """Dates, situations, sewer coupling 5 -> 3, history, events and the meter."""
    assert situations(gsan, pid) == (3, 3)
    history = gsan.connections.history(pid)
    assert {(h.kind.value, h.after_id) for h in history} >= {("sewer", 3)}
    assert all(h.order_id == order_id and h.actor == ACTOR for h in history)
    applied = [e for e in gsan.events if isinstance(e, ConnectionOperationApplied)]
    assert (applied[-1].operation, applied[-1].gsan_operation) == (
        case.key,
        case.gsan_operation,
    )
    water = gsan.connections.water_connection(pid)
    assert water is not None
    if case.key.startswith("water.connect_"):
        assert (water.connected_on, water.implanted_on) == (TODAY, TODAY)
    elif "reconnect" in case.key:
        assert water.reconnected_on == TODAY
    else:
        assert water.restored_on == TODAY
    incoming = meters(gsan)[1 if case.meter_before else 0]
    current = gsan.hydrometers.current_installation(property_id=pid)
    assert current is not None
    assert (current.hydrometer_id, current.installed_on) == (incoming, TODAY)
    assert gsan.hydrometers.get(incoming).situation_id == INSTALLED
    if case.meter_before:
        assert current.origin is InstallationOrigin.REPLACEMENT
        outgoing = gsan.hydrometers.get(meters(gsan)[0])
        assert (outgoing.situation_id, outgoing.location_id) == (AVAILABLE, 1)
        closed = gsan.hydrometers.history(property_id=pid, point=WATER)[0]
        assert (closed.removed_on, closed.removal_reading) == (TODAY, 120)
        assert any(isinstance(e, HydrometerReplaced) for e in gsan.events)
    else:
        assert current.origin is InstallationOrigin.INSTALLATION
        assert (current.installation_reading, current.installed_by) == (10, ACTOR)
        assert any(isinstance(e, HydrometerInstalled) for e in gsan.events)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_operation_with_a_meter_runs_by_closing_its_order(
    gsan: gsan_core.System, case: Case
) -> None:
    pid = 100
    _prepare(gsan, case, pid)
    order = order_for(gsan, case.service_type_id, pid)
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=case.data(gsan),
    )
    assert result.commercial_applied
    assert result.charge is not None
    assert result.charge.total == case.total
    _assert_applied(gsan, case, pid, order.id)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_operation_with_a_meter_runs_from_the_menu_once(
    gsan: gsan_core.System, case: Case
) -> None:
    pid = 200
    _prepare(gsan, case, pid)
    order = closed_not_applied(gsan, case.service_type_id, pid)
    data = case.data(gsan)
    applied = gsan.service_orders.apply_operation(
        operation=case.key, order_id=order.id, actor=ACTOR, data=data
    )
    assert applied.commercial_applied
    assert [c.total for c in gsan.billing.charges(pid)] == [case.total]
    _assert_applied(gsan, case, pid, order.id)
    before = state(gsan, pid)
    with pytest.raises(RuleViolation) as again:
        gsan.service_orders.apply_operation(
            operation=case.key, order_id=order.id, actor=ACTOR, data=data
        )
    assert "service_order.commercial.already_applied" in again.value.codes
    assert state(gsan, pid) == before


def test_c_os_the_meter_variants_are_strict(gsan: gsan_core.System) -> None:
    """§4: the "com instalação" operations take the strict check: an order
    closed without execution is refused even within its grace days."""
    add_property(gsan, 300, 5)
    order = closed_not_applied(gsan, 1006, 300, reason=3)  # DEBITO PAGO: 30 days
    before = state(gsan, 300)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.apply_operation(
            operation="water.reconnect_with_meter",
            order_id=order.id,
            actor=ACTOR,
            data=ReconnectWithMeterInput(meter=meter(gsan)),
        )
    assert refused.value.code == "service_order.commercial.not_executed"
    assert state(gsan, 300) == before


# ---------------------------------------------------------------- refusals
def _closing_refused(
    gsan: gsan_core.System, service_type_id: int, pid: int, data: object
) -> pytest.ExceptionInfo[RuleViolation]:
    """Closing the order with ``data`` is refused, and nothing is written."""
    order = order_for(gsan, service_type_id, pid)
    before = state(gsan, pid)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=data,
        )
    assert state(gsan, pid) == before
    assert gsan.service_orders.get(order.id).situation is OrderSituation.PENDING
    assert all(
        gsan.hydrometers.get(i).situation_id == AVAILABLE for i in meters(gsan)[2:]
    )
    return refused


def _rule(violation: Violation) -> tuple[str | None, str | None]:
    return violation.rule, violation.gsan_key


def test_v_lah1_is_i_9_a_connection_with_its_meter_gets_no_other(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 310, 3)
    installed(gsan, 310)
    refused = _closing_refused(
        gsan, 1001, 310, ConnectWithMeterInput(connection=CONNECT, meter=meter(gsan, 1))
    )
    violation = refused_with(refused, "hydrometer.install.point_has_meter")
    assert _rule(violation) == ("I-9", "atencao.hidrometro_instalado_ligacao_agua")


def test_v_lah2_is_i_10_and_i_12_the_meter_exists_and_is_available(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 320, 2)
    add_property(gsan, 321, 3)
    installed(gsan, 321)
    unknown = _closing_refused(
        gsan,
        1001,
        320,
        ConnectWithMeterInput(
            connection=CONNECT, meter=meter(gsan, hydrometer_id=None, number="X1")
        ),
    )
    violation = refused_with(unknown, "hydrometer.install.meter_unknown")
    assert _rule(violation) == ("I-10", "atencao.hidrometro_inexistente")
    busy = _closing_refused(
        gsan, 1001, 320, ConnectWithMeterInput(connection=CONNECT, meter=meter(gsan))
    )
    violation = refused_with(busy, "hydrometer.install.not_available")
    assert _rule(violation) == ("I-12", "atencao.hidrometro_situacao_indisponivel")


def test_v_lah3_and_the_meter_rules_are_reported_together(
    gsan: gsan_core.System,
) -> None:
    """GSAN's "validate for display": every violation of the connection and of
    its meter at once."""
    add_property(gsan, 330, 5)
    refused = _closing_refused(
        gsan,
        1001,
        330,
        ConnectWithMeterInput(
            connection=CONNECT, meter=meter(gsan, reading=-1, place_id=99)
        ),
    )
    status = refused_with(
        refused, "connection.water.connect_with_meter.water_status_not_allowed"
    )
    assert _rule(status) == (
        "V-LAH3",
        "atencao.situacao_validar_ligacao_agua_invalida_exibir",
    )
    assert {"hydrometer.reading.negative", "hydrometer.reference_missing"} <= set(
        refused.value.codes
    )


def test_c_hid1_the_meter_is_required_on_the_order_path(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 340, 5)
    refused = _closing_refused(gsan, 1006, 340, ReconnectWithMeterInput())
    violation = refused_with(refused, "connection.water.meter_required")
    assert _rule(violation) == ("C-HID1", "atencao.required")


def test_v_rlh1_v_rlh2_reconnection_with_a_meter_needs_a_cut_active_property(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 350, 3)
    add_property(gsan, 351, 5, active=False)
    connected = _closing_refused(
        gsan, 1006, 350, ReconnectWithMeterInput(meter=meter(gsan))
    )
    violation = refused_with(
        connected, "connection.water.reconnect_with_meter.water_status_not_allowed"
    )
    assert _rule(violation) == (
        "V-RLH1",
        "atencao.situacao_validar_religacao_agua_invalida_exibir",
    )
    inactive = _closing_refused(
        gsan, 1006, 351, ReconnectWithMeterInput(meter=meter(gsan))
    )
    violation = refused_with(
        inactive, "connection.water.reconnect_with_meter.property_inactive"
    )
    assert _rule(violation) == ("V-RLH2", "atencao.situacao_imovel_indicador_exclusao")


def test_reconnection_with_a_meter_of_a_cut_connection_that_kept_its_meter(
    gsan: gsan_core.System,
) -> None:
    """GSAN's §3.8 has no "meter installed" check; a point holds one meter
    (I-9): the reconnection "com substituição" is the one for that case."""
    add_property(gsan, 360, 3)
    installed(gsan, 360)
    cut = order_for(gsan, 242, 360)
    gsan.service_orders.close_executed(
        order_id=cut.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=CUT,
    )
    refused = _closing_refused(
        gsan, 1006, 360, ReconnectWithMeterInput(meter=meter(gsan, 1))
    )
    assert _rule(refused_with(refused, "hydrometer.install.point_has_meter"))[0] == (
        "I-9"
    )


def test_v_rsh_restoration_with_a_meter(gsan: gsan_core.System) -> None:
    """V-RSH1 (suppressed), V-RSH3 (network) and the locality's stock location
    (I-11)."""
    add_property(gsan, 370, 5)
    add_property(gsan, 371, 6, block=BARE_BLOCK)
    add_property(gsan, 372, 6, block=OTHER_STOCK_BLOCK, locality_id=9, sector_id=91)
    data = RestoreWithMeterInput(meter=meter(gsan))
    cut = _closing_refused(gsan, 1005, 370, data)
    violation = refused_with(
        cut, "connection.water.restore_with_meter.water_status_not_allowed"
    )
    assert _rule(violation) == (
        "V-RSH1",
        "atencao.situacao_ligacao_agua_invalida_restabelecimento",
    )
    bare = _closing_refused(gsan, 1005, 371, data)
    violation = refused_with(bare, "connection.water.restore_with_meter.no_network")
    assert _rule(violation) == ("V-RSH3", "atencao.seituacao_rede_agua_quadra")
    elsewhere = _closing_refused(gsan, 1005, 372, data)
    violation = refused_with(elsewhere, "hydrometer.install.location_incompatible")
    assert violation.rule == "I-11"
    assert violation.gsan_key is not None
    assert violation.gsan_key.startswith("atencao.hidrometro_local_armazenagem")


def test_replacement_needs_a_meter_to_replace_and_its_data(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 380, 5)
    no_meter = _closing_refused(
        gsan, 16046, 380, ReconnectWithReplacementInput(replacement=replacement(gsan))
    )
    violation = refused_with(no_meter, "hydrometer.replace.no_meter")
    assert _rule(violation) == ("S-7", "atencao.imovel_ligacao_agua_sem_hidrometro")
    no_data = _closing_refused(gsan, 16046, 380, ReconnectWithReplacementInput())
    violation = refused_with(no_data, "connection.water.replacement_required")
    assert _rule(violation) == ("C-HID2", "atencao.required")


def test_c_campo_is_reported_once_for_a_connection_with_a_meter(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 390, 2, route_id=FIELD_ROUTE)
    gsan.properties.lock_route_in_field(FIELD_ROUTE, reference=202501)
    refused = _closing_refused(
        gsan, 1001, 390, ConnectWithMeterInput(connection=CONNECT, meter=meter(gsan))
    )
    assert refused.value.codes == ("connection.property_in_field",)


# ---------------------------------------------------------------- cut and suppression
def test_cut_records_its_reading_on_the_open_installation(
    gsan: gsan_core.System,
) -> None:
    """§3.4: the cut reading goes to the installation (GSAN writes the reading
    informed, or null); C-HID3: it fits the meter's digits."""
    add_property(gsan, 400, 3)
    installed(gsan, 400)
    too_long = _closing_refused(gsan, 242, 400, attrs.evolve(CUT, reading=123456))
    violation = refused_with(too_long, "hydrometer.reading.too_many_digits")
    assert violation.rule == "C-HID3"
    order = order_for(gsan, 242, 400)
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=attrs.evolve(CUT, reading=4321),
    )
    current = gsan.hydrometers.current_installation(property_id=400)
    assert current is not None
    assert current.cut_reading == 4321
    assert gsan.connections.history(400)[-1].reading == 4321
    reconnect = order_for(gsan, 243, 400)
    gsan.service_orders.close_executed(
        order_id=reconnect.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=ReconnectionInput(),
    )
    again = order_for(gsan, 242, 400)
    gsan.service_orders.close_executed(
        order_id=again.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=CUT,
    )
    current = gsan.hydrometers.current_installation(property_id=400)
    assert current is not None
    assert current.cut_reading is None


def test_suppression_removes_the_meter_without_a_charge(
    gsan: gsan_core.System,
) -> None:
    """§3.6: the suppression reading is written, the installation closes on the
    suppression date, the meter goes back to DISPONIVEL at its location."""
    add_property(gsan, 410, 3)
    installed(gsan, 410)
    order = order_for(gsan, 245, 410)
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=SuppressionInput(
            suppression_type_id=1,
            suppression_reason_id=1,
            reading=150,
            suppressed_on=TODAY - timedelta(days=1),
        ),
    )
    assert result.charge is None  # type 245 has no debit type; the removal none
    assert situations(gsan, 410) == (6, 1)
    assert gsan.hydrometers.current_installation(property_id=410) is None
    (closed,) = gsan.hydrometers.history(property_id=410, point=WATER)
    assert (closed.removed_on, closed.removal_reading, closed.suppression_reading) == (
        TODAY - timedelta(days=1),
        150,
        150,
    )
    assert closed.removed_by == ACTOR
    removed = gsan.hydrometers.get(meters(gsan)[0])
    assert (removed.situation_id, removed.location_id) == (AVAILABLE, 1)
    assert any(isinstance(e, HydrometerRemoved) for e in gsan.events)
    assert gsan.billing.charges(410) == []


def test_suppression_removal_runs_the_in_field_lock(gsan: gsan_core.System) -> None:
    """Q13: a suppression does not run the lock, the meter removal in it does
    (§3.6): refused with a meter, allowed without one."""
    add_property(gsan, 420, 3, route_id=FIELD_ROUTE)
    add_property(gsan, 421, 3, route_id=FIELD_ROUTE)
    installed(gsan, 420)
    gsan.properties.lock_route_in_field(FIELD_ROUTE, reference=202501)
    data = SuppressionInput(suppression_type_id=1, suppression_reason_id=1)
    refused = _closing_refused(gsan, 245, 420, data)
    violation = refused_with(refused, "hydrometer.property_in_field")
    assert violation.rule == "OS-6"
    order = order_for(gsan, 245, 421)
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=data,
    )
    assert situations(gsan, 421) == (6, 1)


def test_a_suppressed_connection_comes_back_with_a_new_meter(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 430, 3, 5)
    installed(gsan, 430)
    for type_id, data in (
        (245, SuppressionInput(suppression_type_id=1, suppression_reason_id=1)),
        (1005, RestoreWithMeterInput(meter=meter(gsan, 1))),
    ):
        order = order_for(gsan, type_id, 430)
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=data,
        )
    assert situations(gsan, 430) == (3, 3)
    history = gsan.hydrometers.history(property_id=430, point=WATER)
    assert [(h.hydrometer_id, h.is_open) for h in history] == [
        (meters(gsan)[0], False),
        (meters(gsan)[1], True),
    ]


# ---------------------------------------------------------------- sem RA (UC0579)
def test_connection_without_order_with_an_optional_meter(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 500, 2, 5)
    add_property(gsan, 501, 1)
    before = state(gsan, 500)
    with pytest.raises(RuleViolation) as refused:
        gsan.connections.connect_water_without_order(
            property_id=500, data=CONNECT, actor=OTHER, meter=meter(gsan)
        )
    assert refused.value.code == "connection.without_order.permission_required"
    with pytest.raises(RuleViolation) as unknown:
        gsan.connections.connect_water_without_order(
            property_id=500,
            data=CONNECT,
            actor=ACTOR,
            meter=meter(gsan, hydrometer_id=9999),
        )
    assert unknown.value.code == "hydrometer.install.meter_unknown"
    assert state(gsan, 500) == before
    gsan.connections.connect_water_without_order(
        property_id=500, data=CONNECT, actor=ACTOR, meter=meter(gsan)
    )
    assert situations(gsan, 500) == (3, 3)
    current = gsan.hydrometers.current_installation(property_id=500)
    assert current is not None
    assert (current.hydrometer_id, current.installed_on) == (meters(gsan)[0], TODAY)
    assert gsan.billing.charges(500) == []
    gsan.connections.connect_water_without_order(
        property_id=501, data=CONNECT, actor=ACTOR
    )
    assert gsan.hydrometers.current_installation(property_id=501) is None


def test_check_reports_the_meter_rules(gsan: gsan_core.System) -> None:
    add_property(gsan, 510, 6)
    found = gsan.connections.check(
        "water.restore_with_meter",
        property_id=510,
        data=RestoreWithMeterInput(meter=meter(gsan, hydrometer_id=9999)),
        actor=ACTOR,
    )
    assert [v.code for v in found] == ["hydrometer.install.meter_unknown"]


# ---------------------------------------------------------------- profiles, charges
def test_cagepa_reconnects_with_a_meter_from_cut_on_request(
    make_system: Any,
) -> None:
    """CAGEPA's reconnection (and its meter variants) also takes CORTADO A
    PEDIDO (10); the default profile has no such situation."""
    gsan = town(make_system("cagepa"))
    # CAGEPA numbers its meters in the 5x5 layout (the turbine letter)
    inserted = gsan.hydrometers.insert_range(
        fixed="B24AH",
        first=1,
        last=1,
        attributes=attrs.evolve(METER, turbine_type_id=1),
        location_id=1,
        actor=0,
    ).first_number
    add_property(gsan, 600, 10, 5)
    order = order_for(gsan, 1006, 600)
    gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=ReconnectWithMeterInput(
            meter=MeterInstallation(number=inserted, place_id=1, protection_id=6)
        ),
    )
    assert situations(gsan, 600) == (3, 3)
    assert gsan.hydrometers.current_installation(property_id=600) is not None


def test_the_charge_is_priced_with_the_incoming_meter(gsan: gsan_core.System) -> None:
    """§4.1 "with a given hidrômetro": metered, the incoming meter's capacity;
    rows for a category do not apply; the unmetered price is not used."""
    for service_type_id in (1001, 304):
        for value, metered, capacity, category in (
            ("33.00", False, None, None),
            ("95.00", True, 5, None),
            ("99.00", True, 5, 1),
        ):
            gsan.service_orders.add_price(
                service_type_id=service_type_id,
                value=Decimal(value),
                metered=metered,
                capacity_id=capacity,
                category_id=category,
                valid_from=date(2024, 1, 1),
                valid_until=date(2025, 12, 31),
                actor=0,
            )
    add_property(gsan, 700, 2)
    add_property(gsan, 701, 2)
    order = order_for(gsan, 1001, 700)
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=ConnectWithMeterInput(connection=CONNECT, meter=meter(gsan)),
    )
    assert result.charge is not None
    assert result.charge.total == Decimal("95.00")
    menu = closed_not_applied(gsan, 1001, 701)
    gsan.service_orders.apply_operation(
        operation="water.connect_with_meter",
        order_id=menu.id,
        actor=ACTOR,
        data=ConnectWithMeterInput(
            connection=CONNECT,
            meter=meter(gsan, 1, hydrometer_id=None, number="b24a000002"),
        ),
    )
    assert [c.total for c in gsan.billing.charges(701)] == [Decimal("95.00")]
    # the meter installation itself is priced the same way
    add_property(gsan, 702, 3)
    install = order_for(gsan, 304, 702)
    installing = gsan.service_orders.close_executed(
        order_id=install.id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=InstallHydrometer(
            hydrometer_id=meters(gsan)[2], place_id=1, protection_id=6
        ),
    )
    assert installing.charge is not None
    assert installing.charge.total == Decimal("95.00")


def test_an_unknown_incoming_meter_prices_the_property_as_it_is(
    gsan: gsan_core.System,
) -> None:
    add_property(gsan, 710, 2)
    operation = ConnectionOperation(
        "water.connect_with_meter", meters=ConnectionMeters()
    )
    cut = ConnectionOperation("water.cut", meters=ConnectionMeters())
    with gsan.uow_factory() as uow:
        prop = uow.properties.get(710)
        unknown = ConnectWithMeterInput(
            connection=CONNECT, meter=meter(gsan, hydrometer_id=9999)
        )
        assert operation.price_facts(uow, prop=prop, data=unknown) is None
        assert operation.price_facts(uow, prop=prop, data=None) is None
        assert cut.price_facts(uow, prop=prop, data=CUT) is None
        by_number = attrs.evolve(
            unknown, meter=meter(gsan, hydrometer_id=None, number=" b24a000001 ")
        )
        facts = operation.price_facts(uow, prop=prop, data=by_number)
    assert facts is not None
    assert (facts.metered, facts.capacity_id, facts.category_id) == (True, 5, None)
