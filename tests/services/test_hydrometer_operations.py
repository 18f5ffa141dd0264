"""The meter operations on every backend: by closing their service order, from
the menu path, and the interface the connection area composes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.model.hydrometers import (
    HydrometerInstalled,
    HydrometerRelocated,
    HydrometerRemoved,
    HydrometerReplaced,
    InstallationOrigin,
    InstallationReadingsRecorded,
    InstallationUpdated,
    InstallHydrometer,
    MeasurementPoint,
    RelocateHydrometer,
    RemoveHydrometer,
    ReplaceHydrometer,
    UpdateInstallation,
)
from gsan_core.model.service_orders import CommercialOperationApplied
from gsan_core.services import hydrometers as interface
from gsan_core.services.charges import price_facts
from gsan_core.services.service_orders import ClosingResult
from gsan_core.testing import FixedClock
from gsan_core.testing.hydrometers import METER, MeterLab, meter_lab

TODAY = date(2025, 1, 6)
WATER, WELL = MeasurementPoint.WATER_CONNECTION, MeasurementPoint.WELL
INSTALL, REMOVE, REPLACE, RELOCATE, CONFIRM = 304, 307, 310, 308, 313


@attrs.frozen
class Lab:
    system: gsan_core.System
    lab: MeterLab
    meters: list[int]

    @property
    def home(self) -> int:
        return self.lab.connected[0]

    def closing(
        self,
        service_type_id: int,
        data: object,
        *,
        property_id: int | None = None,
        closed_on: date = TODAY,
    ) -> Callable[[], ClosingResult]:
        """Generate the order now; the returned call closes it with ``data``."""
        order = self.system.service_orders.generate(
            service_type_id=service_type_id,
            property_id=self.home if property_id is None else property_id,
            actor=1,
        )
        return lambda: self.system.service_orders.close_executed(
            order_id=order.id,
            reason_id=2,
            closed_on=closed_on,
            actor=1,
            commercial=data,
        )

    def close(
        self, service_type_id: int, data: object, *, property_id: int | None = None
    ) -> ClosingResult:
        return self.closing(service_type_id, data, property_id=property_id)()

    def installing(
        self, index: int = 0, *, property_id: int | None = None
    ) -> Callable[[], ClosingResult]:
        return self.closing(
            INSTALL,
            InstallHydrometer(
                hydrometer_id=self.meters[index],
                reading=10,
                place_id=1,
                protection_id=6,
            ),
            property_id=property_id,
        )

    def install(
        self, index: int = 0, *, property_id: int | None = None
    ) -> ClosingResult:
        return self.installing(index, property_id=property_id)()

    def state(self) -> tuple[object, ...]:
        """What the operations write: meters, history, orders, charges."""
        system = self.system
        properties = [*self.lab.connected, self.lab.cut, self.lab.in_field]
        return (
            tuple(system.hydrometers.get(i) for i in self.meters),
            tuple(
                system.hydrometers.history(property_id=p, point=point)
                for p in properties
                for point in (WATER, WELL)
            ),
            tuple(system.service_orders.find_by()),
            tuple(c for p in properties for c in system.billing.charges(p)),
        )


@pytest.fixture
def lab(system: gsan_core.System) -> Lab:
    labs = meter_lab(system)
    system.hydrometers.insert_range(
        fixed="B24A", first=1, last=6, attributes=METER, location_id=1, actor=1
    )
    meters = [m.id for m in system.hydrometers.in_range(fixed="B24A", first=1, last=6)]
    return Lab(system=system, lab=labs, meters=meters)


def violation_of(
    error: pytest.ExceptionInfo[gsan_core.RuleViolation], code: str
) -> gsan_core.Violation:
    found = [v for v in error.value.violations if v.code == code]
    assert found, error.value.codes
    return found[0]


def refused(lab: Lab, action: object, code: str, rule: str, key: str | None) -> None:
    """``action()`` raises ``code`` (with its rule and key) and writes nothing."""
    before = lab.state()
    with pytest.raises(gsan_core.RuleViolation) as error:
        action()  # type: ignore[operator]
    violation = violation_of(error, code)
    assert (violation.rule, violation.gsan_key) == (rule, key)
    assert lab.state() == before


# ================================================================ closing path
def test_install_by_closing_its_order(lab: Lab) -> None:
    """Installation's effects (§3.1): E-1 a new record from the order's closing
    date, by the user; E-2 it is the point's current record; E-3 the meter is
    INSTALADO and keeps its stock location; E-5 the order is applied and the
    type charged; E-6 the operation is audited (the event carries the actor).
    E-4, the contractor bulletin, is not modelled (docs/profiles.md)."""
    result = lab.install()
    assert result.commercial_applied
    installed = lab.system.hydrometers.current_installation(property_id=lab.home)
    assert installed is not None
    assert (installed.hydrometer_id, installed.installed_on) == (lab.meters[0], TODAY)
    assert (installed.installation_reading, installed.origin) == (
        10,
        InstallationOrigin.INSTALLATION,
    )
    assert (installed.place_id, installed.protection_id, installed.installed_by) == (
        1,
        6,
        1,
    )
    meter = lab.system.hydrometers.get(lab.meters[0])
    assert (meter.situation_id, meter.location_id) == (1, 1)  # location kept
    assert result.charge is not None
    assert (result.charge.debit_type_id, result.charge.total) == (4, Decimal("50.00"))
    assert result.order.commercial_applied
    kinds = {type(e) for e in lab.system.events}
    assert {HydrometerInstalled, CommercialOperationApplied} <= kinds
    audit = [e for e in lab.system.events if isinstance(e, HydrometerInstalled)]
    assert (audit[-1].actor, audit[-1].installation_id) == (1, installed.id)


def test_install_a_well_meter_by_number(lab: Lab) -> None:
    lab.close(
        305,
        InstallHydrometer(
            point=WELL,
            number="b24a000002",
            reading=0,
            place_id=4,
            protection_id=8,
            stand=True,
            seal="S123",
            tamper_seal="L9",
        ),
    )
    well = lab.system.hydrometers.current_installation(property_id=lab.home, point=WELL)
    assert well is not None
    assert (well.hydrometer_id, well.stand, well.seal, well.tamper_seal) == (
        lab.meters[1],
        True,
        "S123",
        "L9",
    )
    assert lab.system.hydrometers.current_installation(property_id=lab.home) is None


def test_e_2_r_e_3_a_well_meter_records_the_wells_type_on_the_property(
    lab: Lab,
) -> None:
    """Installation E-2 (well): the type chosen (a ``well_type`` offered for
    meters) goes on the property (GSAN ``imovel.poco_id``); a replacement keeps
    it (GSAN resets it, [Q] of §3.3 E-3); a correction (UC0368) may change it;
    the removal clears it (§3.2 E-3)."""
    system = lab.system
    lab.close(
        305,
        InstallHydrometer(
            point=WELL,
            hydrometer_id=lab.meters[0],
            place_id=1,
            protection_id=6,
            well_type_id=2,
        ),
    )
    assert system.properties.get(lab.home).well_type_id == 2
    installed = [e for e in system.events if isinstance(e, HydrometerInstalled)]
    assert installed[-1].well_type_id == 2
    lab.close(
        REPLACE,
        ReplaceHydrometer(
            point=WELL,
            removal_reading=5,
            outgoing_situation_id=3,
            outgoing_location_id=1,
            hydrometer_id=lab.meters[1],
            place_id=1,
            protection_id=6,
        ),
    )
    assert system.properties.get(lab.home).well_type_id == 2
    lab.close(CONFIRM, UpdateInstallation(point=WELL, well_type_id=1))
    assert system.properties.get(lab.home).well_type_id == 1
    lab.close(REMOVE, RemoveHydrometer(point=WELL, situation_id=3, location_id=1))
    assert system.properties.get(lab.home).well_type_id is None
    assert (
        system.hydrometers.current_installation(property_id=lab.home, point=WELL)
        is None
    )


def test_i_13_the_well_type_is_offered_for_meters_and_only_on_a_well(
    lab: Lab,
) -> None:
    """I-13: type 3 (CACIMBA) is not offered for meters, 99 does not exist, and a
    water connection meter takes no well type; nothing is written."""
    for point, type_id, code in (
        (WELL, 3, "hydrometer.install.well_type_not_offered"),
        (WELL, 99, "hydrometer.install.well_type_not_offered"),
        (WATER, 1, "hydrometer.install.well_type_on_water_connection"),
    ):
        data = InstallHydrometer(
            point=point,
            hydrometer_id=lab.meters[0],
            place_id=1,
            protection_id=6,
            well_type_id=type_id,
        )
        key = "atencao.pesquisa_inexistente" if point is WELL else None
        refused(
            lab,
            lab.closing(305 if point is WELL else INSTALL, data),
            code,
            "I-13",
            key,
        )
    assert lab.system.properties.get(lab.home).well_type_id is None


def test_remove_by_closing_its_order(lab: Lab) -> None:
    """Removal's effects (§3.2): E-1 the record closes on the order's closing
    date with the reading and the user; E-2 the meter takes the chosen situation
    and location; E-3 the point has no meter any more; E-4 the order is applied
    (its type has no debit, so no charge)."""
    lab.install()
    result = lab.close(
        REMOVE, RemoveHydrometer(reading=33, situation_id=2, location_id=3)
    )
    assert result.charge is None  # type 307 has no debit type
    history = lab.system.hydrometers.history(property_id=lab.home)
    assert [(h.removed_on, h.removal_reading, h.removed_by) for h in history] == [
        (TODAY, 33, 1)
    ]
    meter = lab.system.hydrometers.get(lab.meters[0])
    assert (meter.situation_id, meter.location_id) == (2, 3)
    assert any(isinstance(e, HydrometerRemoved) for e in lab.system.events)
    assert lab.system.hydrometers.current_installation(property_id=lab.home) is None
    assert result.order.commercial_applied


def test_a_stolen_meter_leaves_without_location(lab: Lab) -> None:
    lab.install()
    lab.close(REMOVE, RemoveHydrometer(situation_id=4))
    meter = lab.system.hydrometers.get(lab.meters[0])
    assert (meter.situation_id, meter.location_id) == (4, None)
    assert lab.system.hydrometers.stock(situation_id=4) == {(None, 4): 1}


def test_replace_by_closing_its_order(lab: Lab) -> None:
    """Replacement's effects (§3.3): E-1 the outgoing record closes; E-2 a new
    record (origin 2, replacement) opens the same day; E-3 it is the point's
    current record; E-4 the incoming meter is INSTALADO, the outgoing one takes
    the chosen situation and location; E-5 the order is applied and charged."""
    lab.install()
    result = lab.close(
        REPLACE,
        ReplaceHydrometer(
            removal_reading=120,
            outgoing_situation_id=2,
            outgoing_location_id=3,
            hydrometer_id=lab.meters[1],
            reading=3,
            place_id=2,
            protection_id=7,
        ),
    )
    assert result.charge is not None
    assert result.charge.total == Decimal("40.00")
    old, new = lab.system.hydrometers.history(property_id=lab.home)
    assert (old.removed_on, old.removal_reading) == (TODAY, 120)
    assert (new.hydrometer_id, new.installed_on, new.origin) == (
        lab.meters[1],
        TODAY,
        InstallationOrigin.REPLACEMENT,
    )
    assert [lab.system.hydrometers.get(i).situation_id for i in lab.meters[:2]] == [
        2,
        1,
    ]
    assert lab.system.hydrometers.get(lab.meters[0]).location_id == 3
    assert [h.id for h in lab.system.hydrometers.history_of(lab.meters[1])] == [new.id]
    assert lab.system.hydrometers.installed_at(lab.meters[1]) == new
    assert lab.system.hydrometers.installed_at(lab.meters[0]) is None
    event = next(e for e in lab.system.events if isinstance(e, HydrometerReplaced))
    assert (event.outgoing_installation_id, event.incoming_installation_id) == (
        old.id,
        new.id,
    )
    assert lab.system.hydrometers.current_installation(property_id=lab.home) == new
    assert result.order.commercial_applied


def test_relocate_by_closing_its_order(lab: Lab) -> None:
    lab.install()
    lab.close(RELOCATE, RelocateHydrometer(place_id=3, protection_id=9, stand=True))
    current = lab.system.hydrometers.current_installation(property_id=lab.home)
    assert current is not None
    assert (
        current.place_id,
        current.protection_id,
        current.stand,
        current.version,
    ) == (
        3,
        9,
        True,
        2,
    )
    assert lab.system.hydrometers.get(lab.meters[0]).situation_id == 1
    assert any(isinstance(e, HydrometerRelocated) for e in lab.system.events)


def test_update_installation_by_closing_a_confirmation_order(lab: Lab) -> None:
    lab.install()
    result = lab.close(
        CONFIRM,
        UpdateInstallation(installed_on=date(2025, 1, 2), reading=0, seal="S1"),
    )
    assert result.charge is None
    current = lab.system.hydrometers.current_installation(property_id=lab.home)
    assert current is not None
    assert (current.installed_on, current.installation_reading, current.seal) == (
        date(2025, 1, 2),
        0,
        "S1",
    )
    assert (current.place_id, current.protection_id) == (1, 6)
    assert any(isinstance(e, InstallationUpdated) for e in lab.system.events)


# ================================================================ menu path
MENU_CASES = [
    ("hydrometer.install", INSTALL, False),
    ("hydrometer.remove", REMOVE, True),
    ("hydrometer.replace", REPLACE, True),
    ("hydrometer.relocate", RELOCATE, True),
    ("hydrometer.update_installation", INSTALL, True),
]


def menu_data(operation: str, lab: Lab) -> object:
    return {
        "hydrometer.install": InstallHydrometer(
            hydrometer_id=lab.meters[0], place_id=1, protection_id=6
        ),
        "hydrometer.remove": RemoveHydrometer(situation_id=3, location_id=2),
        "hydrometer.replace": ReplaceHydrometer(
            removal_reading=5,
            outgoing_situation_id=3,
            outgoing_location_id=1,
            hydrometer_id=lab.meters[1],
            place_id=1,
            protection_id=6,
        ),
        "hydrometer.relocate": RelocateHydrometer(place_id=2, protection_id=7),
        "hydrometer.update_installation": UpdateInstallation(reading=4),
    }[operation]


@pytest.mark.parametrize(("operation", "type_id", "needs_meter"), MENU_CASES)
def test_the_menu_path_runs_once_per_order(
    lab: Lab, operation: str, type_id: int, needs_meter: bool
) -> None:
    system = lab.system
    if needs_meter:
        lab.install()
    service_type = system.service_orders.get_type(type_id)
    system.service_orders.update_type(
        attrs.evolve(service_type, updates_commercial=False), actor=1
    )
    order = system.service_orders.generate(
        service_type_id=type_id, property_id=lab.home, actor=1
    )
    closed = system.service_orders.close_executed(
        order_id=order.id, reason_id=2, closed_on=TODAY, actor=1
    )
    assert not closed.commercial_applied
    applied = system.service_orders.apply_operation(
        operation=operation, order_id=order.id, actor=1, data=menu_data(operation, lab)
    )
    current = system.hydrometers.current_installation(property_id=lab.home)
    if operation == "hydrometer.remove":
        assert current is None
    else:
        assert current is not None
    if operation == "hydrometer.update_installation":
        assert current is not None
        assert current.installation_reading == 4
        assert not applied.commercial_applied  # the update variant does not mark it
        return
    assert applied.commercial_applied
    before = lab.state()
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.service_orders.apply_operation(
            operation=operation,
            order_id=order.id,
            actor=1,
            data=menu_data(operation, lab),
        )
    violation = violation_of(error, "service_order.commercial.already_applied")
    assert (violation.rule, violation.gsan_key) == (
        "COM-03",
        "atencao.ordem_servico_sistema_comercial_atualizado",
    )
    assert lab.state() == before


@pytest.mark.parametrize(("operation", "type_id", "needs_meter"), MENU_CASES[:4])
def test_os_1_os_3_os_4_os_5_the_order_checks_of_every_meter_operation(
    lab: Lab, operation: str, type_id: int, needs_meter: bool
) -> None:
    """The common order preconditions of §3.0 for installation (I-1, I-3, I-4,
    I-5), removal (R-1, R-3, R-4, R-5), replacement (S-1, S-3, S-4, S-5) and
    relocation (M-1, M-3, M-4, M-5): OS-1 the order exists; OS-3 from the menu it
    is closed, executed and not applied yet (COM-01..COM-03); OS-4 it has a
    property (COM-05); OS-5 the property is active. Each refusal writes
    nothing."""
    system = lab.system
    if needs_meter:
        lab.install()
    data = menu_data(operation, lab)

    def apply(order_id: int) -> object:
        return system.service_orders.apply_operation(
            operation=operation, order_id=order_id, actor=1, data=data
        )

    before = lab.state()
    with pytest.raises(gsan_core.NotFound):  # OS-1
        apply(987_654)
    pending = system.service_orders.generate(
        service_type_id=type_id, property_id=lab.home, actor=1
    )
    refused(
        lab,
        lambda: apply(pending.id),
        "service_order.commercial.not_closed",
        "COM-01",
        "atencao.ordem_servico_situacao",
    )
    cancelled = system.service_orders.generate(
        service_type_id=type_id, property_id=lab.home, actor=1
    )
    system.service_orders.close_not_executed(
        order_id=cancelled.id, reason_id=4, closed_on=TODAY, actor=1
    )
    refused(
        lab,
        lambda: apply(cancelled.id),
        "service_order.commercial.not_executed",
        "COM-02",
        "atencao.ordem_servico_nao_executada",
    )
    nowhere = system.service_orders.generate(
        service_type_id=type_id, property_id=None, actor=1
    )
    refused(
        lab,
        lambda: apply(nowhere.id),
        "service_order.commercial.no_property",
        "COM-05",
        "atencao.ordem_servico_imovel_invalida",
    )
    inactive = system.properties.get(lab.home)
    system.properties.update(attrs.evolve(inactive, active=False), actor=1)
    refused(
        lab,
        lab.closing(type_id, data),
        "hydrometer.property_inactive",
        "OS-5",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    assert lab.state()[0] == before[0]


WRONG_TYPE_CASES = [
    (
        "hydrometer.install",
        "I-2",
        "atencao.servico_associado_instalacao_hidrometro_invalida",
        "instalação de hidrômetro",
    ),
    (
        "hydrometer.remove",
        "R-2",
        "atencao.servico_associado_retirada_hidrometro_invalida",
        "retirada de hidrômetro",
    ),
    (
        "hydrometer.replace",
        "S-2",
        "atencao.servico_associado_substituicao_hidrometro_invalida",
        "substituição de hidrômetro",
    ),
    (
        "hydrometer.relocate",
        "M-2",
        "atencao.servico_associado_remanejamento_hidrometro_invalida",
        "remanejamento de hidrômetro",
    ),
    (
        "hydrometer.update_installation",
        "A-1",
        "atencao.servico_associado_atualizar_instalacao_hidrometro_invalida",
        "alteração dos dados da instalação de hidrômetro",
    ),
]


@pytest.mark.parametrize(("operation", "rule", "key", "words"), WRONG_TYPE_CASES)
def test_i_02_r_02_s_02_m_02_a_01_the_menu_path_checks_the_service_type(
    lab: Lab, operation: str, rule: str, key: str, words: str
) -> None:
    """I-2, R-2, S-2, M-2, A-1 (OS-2): an order whose type is neither linked to the
    operation nor one of its fallback ids is refused with the operation's own
    GSAN key and words, in Portuguese only."""
    order = lab.system.service_orders.generate(
        service_type_id=33, property_id=lab.home, actor=1
    )
    lab.system.service_orders.close_executed(
        order_id=order.id, reason_id=2, closed_on=TODAY, actor=1
    )
    before = lab.state()
    with pytest.raises(gsan_core.RuleViolation) as error:
        lab.system.service_orders.apply_operation(
            operation=operation,
            order_id=order.id,
            actor=1,
            data=menu_data(operation, lab),
        )
    violation = violation_of(error, f"{operation}.wrong_service_type")
    assert (violation.rule, violation.gsan_key) == (rule, key)
    assert violation.message("pt") == (
        f"Serviço associado à ordem de serviço informada não permite {words}."
    )
    assert str(order.id) in violation.message("en")
    assert lab.state() == before


def test_a_02_an_installation_order_allows_corrections_for_30_days(
    lab: Lab, clock: FixedClock
) -> None:
    result = lab.install()
    clock.advance(timedelta(days=31))

    def correct() -> object:
        return lab.system.service_orders.apply_operation(
            operation="hydrometer.update_installation",
            order_id=result.order.id,
            actor=1,
            data=UpdateInstallation(reading=2),
        )

    refused(
        lab,
        correct,
        "hydrometer.update.window_passed",
        "A-2",
        "atencao.instalacao_hidrometro_data_encerramento_os_invalida",
    )
    clock.advance(timedelta(days=-2))
    correct()


# ================================================================ refusals
def test_i_12_installing_a_meter_that_is_not_available(lab: Lab) -> None:
    lab.install()
    refused(
        lab,
        lab.installing(0, property_id=lab.lab.connected[1]),
        "hydrometer.install.not_available",
        "I-12",
        "atencao.hidrometro_situacao_indisponivel",
    )


def test_i_07_and_i_09_installing_where_it_cannot_go(lab: Lab) -> None:
    """A POTENCIAL property has no water connection row: GSAN refuses it for its
    situation (I-7) before it would look for the row (I-8)."""
    refused(
        lab,
        lab.installing(property_id=lab.lab.potential),
        "hydrometer.install.water_situation_not_allowed",
        "I-7",
        "atencao.instalacao_hidrometro_situacao_ligacao_agua_invalida",
    )
    lab.install()
    refused(
        lab,
        lab.installing(1),
        "hydrometer.install.point_has_meter",
        "I-9",
        "atencao.hidrometro_instalado_ligacao_agua",
    )


def test_i_07_a_cut_connection_takes_a_meter_a_potential_well_does_not(
    lab: Lab,
) -> None:
    lab.install(property_id=lab.lab.cut)
    refused(
        lab,
        lab.closing(
            305,
            InstallHydrometer(
                point=WELL, hydrometer_id=lab.meters[1], place_id=1, protection_id=6
            ),
            property_id=lab.lab.potential,
        ),
        "hydrometer.install.sewer_situation_not_allowed",
        "I-7'",
        "atencao.situacao_instalacao_hidrometro_poco_invalida",
    )


def test_i_11_the_locality_takes_meters_of_its_stock_location(lab: Lab) -> None:
    refused(
        lab,
        lab.installing(property_id=lab.lab.other_locality),
        "hydrometer.install.location_incompatible",
        "I-11",
        "atencao.hidrometro_local_armazenagem_imovel_diferente_hidrometro_local_armazenagem_hidrometro",
    )


def test_os_05_and_os_06_inactive_or_in_field(lab: Lab) -> None:
    """OS-5 on an installation (I-5); OS-6, the billing lock "in field", on the
    installation, the removal, the relocation and the replacement (I-6, R-6,
    M-6, S-6; the last is issue gsan#160)."""
    refused(
        lab,
        lab.installing(property_id=lab.lab.inactive),
        "hydrometer.property_inactive",
        "OS-5",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    lab.system.properties.lock_route_in_field(lab.lab.route_in_field, reference=202501)
    refused(
        lab,
        lab.installing(property_id=lab.lab.in_field),
        "hydrometer.property_in_field",
        "OS-6",
        "atencao.imovel_em_campo",
    )
    lab.system.properties.unlock_route(lab.lab.route_in_field)
    lab.install(property_id=lab.lab.in_field)
    lab.system.properties.lock_route_in_field(lab.lab.route_in_field, reference=202501)
    for data, type_id in (
        (RemoveHydrometer(situation_id=3, location_id=1), REMOVE),
        (RelocateHydrometer(place_id=2, protection_id=7), RELOCATE),
        (
            ReplaceHydrometer(
                removal_reading=1,
                outgoing_situation_id=3,
                outgoing_location_id=1,
                hydrometer_id=lab.meters[1],
                place_id=1,
                protection_id=6,
            ),
            REPLACE,
        ),
    ):
        refused(
            lab,
            lab.closing(type_id, data, property_id=lab.lab.in_field),
            "hydrometer.property_in_field",
            "OS-6",
            "atencao.imovel_em_campo",
        )
    lab.close(CONFIRM, UpdateInstallation(reading=1), property_id=lab.lab.in_field)


def test_r_09_the_screen_asks_a_location_unless_lost(lab: Lab) -> None:
    lab.install()
    refused(
        lab,
        lab.closing(REMOVE, RemoveHydrometer(situation_id=3)),
        "hydrometer.remove.location_required",
        "R-9",
        "atencao.required",
    )


def test_r_10_a_removal_reading_that_is_not_a_number(lab: Lab) -> None:
    lab.install()
    refused(
        lab,
        lab.closing(
            REMOVE,
            RemoveHydrometer(reading="12a", situation_id=3, location_id=1),  # type: ignore[arg-type]
        ),
        "hydrometer.reading.not_a_number",
        "R-10",
        "errors.integer",
    )


def test_r_07_r_08_removing_nothing_or_keeping_it_installed(lab: Lab) -> None:
    refused(
        lab,
        lab.closing(REMOVE, RemoveHydrometer(situation_id=3, location_id=1)),
        "hydrometer.remove.no_meter",
        "R-7",
        "atencao.hidrometro_instalado_nao_existente",
    )
    lab.install()
    refused(
        lab,
        lab.closing(REMOVE, RemoveHydrometer(situation_id=1, location_id=1)),
        "hydrometer.remove.target_installed",
        "R-8",
        "atencao.hidrometro_situacao_disponivel",
    )


def test_s_rules_on_a_replacement(lab: Lab) -> None:
    lab.install()
    lab.install(1, property_id=lab.lab.connected[1])
    replace = ReplaceHydrometer(
        removal_reading=5,
        outgoing_situation_id=3,
        outgoing_location_id=None,
        hydrometer_id=lab.meters[1],
        place_id=1,
        protection_id=6,
    )
    close = lab.closing(REPLACE, replace)
    before = lab.state()
    with pytest.raises(gsan_core.RuleViolation) as error:
        close()
    assert {v.rule for v in error.value.violations} == {"S-11", "S-12"}
    assert lab.state() == before
    refused(
        lab,
        lab.closing(
            REPLACE, attrs.evolve(replace, hydrometer_id=None, number="B24A999999")
        ),
        "hydrometer.replace.meter_unknown",
        "S-9",
        "atencao.numero_hidrometro_inexistente",
    )
    refused(
        lab,
        lab.closing(REPLACE, replace, property_id=lab.lab.connected[2]),
        "hydrometer.replace.no_meter",
        "S-7",
        "atencao.imovel_ligacao_agua_sem_hidrometro",
    )


def test_m_rules_on_a_relocation(lab: Lab) -> None:
    refused(
        lab,
        lab.closing(RELOCATE, RelocateHydrometer(place_id=2, protection_id=7)),
        "hydrometer.relocate.no_meter",
        "M-8",
        "atencao.imovel_ligacao_agua_sem_hidrometro",
    )
    refused(
        lab,
        lab.closing(
            RELOCATE,
            RelocateHydrometer(point=WELL, place_id=2, protection_id=7),
            property_id=lab.lab.potential,
        ),
        "hydrometer.relocate.no_meter",
        "M-8",
        "atencao.imovel_poco_sem_hidrometro",
    )
    lab.install()
    refused(
        lab,
        lab.closing(RELOCATE, RelocateHydrometer(place_id=99, protection_id=7)),
        "hydrometer.reference_missing",
        "M-9",
        "atencao.pesquisa_inexistente",
    )


def test_i_10_the_meter_to_install_is_named(lab: Lab) -> None:
    refused(
        lab,
        lab.closing(INSTALL, InstallHydrometer(place_id=1, protection_id=6)),
        "hydrometer.install.meter_required",
        "I-10",
        "atencao.required",
    )


def test_the_operation_needs_its_input(lab: Lab) -> None:
    refused(
        lab,
        lab.closing(INSTALL, None),
        "service_order.commercial.data_required",
        "COM-05",
        None,
    )


# ================================================================ update by property
def test_a_rules_when_correcting_by_property(lab: Lab) -> None:
    """UC0368 by property: A-3 (an active property), A-4, A-5, A-7 (the current
    record takes no removal reading) and A-8."""
    system = lab.system

    def correct(property_id: int, **changes: object) -> object:
        return system.hydrometers.update_installation(
            property_id=property_id, data=UpdateInstallation(**changes), actor=9
        )

    refused(
        lab,
        lambda: correct(lab.home, reading=1),
        "hydrometer.update.no_meter",
        "A-4",
        "atencao.imovel.ligacao_agua.hidrometro.inexistente",
    )
    lab.install(property_id=lab.lab.cut)
    refused(
        lab,
        lambda: correct(lab.lab.cut, reading=1),
        "hydrometer.update.cut_reading_required",
        "A-8",
        "atencao.numero_leitura_corte_obrigatorio",
    )
    changed = correct(lab.lab.cut, cut_reading=77, installed_on=date(2025, 1, 3))
    assert changed.cut_reading == 77  # type: ignore[attr-defined]
    assert changed.installed_by == 9  # type: ignore[attr-defined]
    refused(
        lab,
        lambda: correct(lab.lab.cut, installed_on=date(2025, 1, 7)),
        "hydrometer.install.date_in_future",
        "A-5",
        "atencao.data_instalacao_maior_data_corrente",
    )
    refused(
        lab,
        lambda: correct(lab.lab.inactive, reading=1),
        "hydrometer.property_inactive",
        "A-3",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    refused(
        lab,
        lambda: correct(lab.lab.cut, removal_reading=5),
        "hydrometer.update.not_removed",
        "A-7",
        None,
    )


# ================================================================ the interface
def test_the_connection_area_interface(lab: Lab) -> None:
    system, at = lab.system, system_now(lab)
    home = lab.home
    with system.uow_factory() as uow:
        assert (
            interface.current_installation(uow, property_id=home, point=WATER) is None
        )
        assert (
            interface.record_readings_in(
                uow, property_id=home, point=WATER, cut_reading=1
            )
            is None
        )
        installed = interface.install_in(
            uow,
            profile=system.profile,
            property_id=home,
            point=WATER,
            installed_on=TODAY,
            reading=0,
            place_id=1,
            protection_id=6,
            actor=3,
            at=at,
            number="B24A000003",
        )
        assert interface.current_installation(uow, property_id=home, point=WATER) == (
            installed
        )
        readings = interface.record_readings_in(
            uow, property_id=home, point=WATER, cut_reading=41, actor=3, at=at
        )
        assert readings is not None
        assert (readings.cut_reading, readings.suppression_reading) == (41, None)
        same = interface.record_readings_in(uow, property_id=home, point=WATER)
        assert same == readings
        with pytest.raises(gsan_core.RuleViolation) as error:
            interface.record_readings_in(
                uow, property_id=home, point=WATER, suppression_reading=-1
            )
        assert error.value.code == "hydrometer.reading.negative"
        replaced = interface.replace_in(
            uow,
            profile=system.profile,
            property_id=home,
            point=WATER,
            replaced_on=TODAY,
            removal_reading=50,
            outgoing_situation_id=2,
            outgoing_location_id=None,
            reading=0,
            place_id=1,
            protection_id=6,
            actor=3,
            at=at,
            hydrometer_id=lab.meters[3],
        )
        interface.record_readings_in(
            uow, property_id=home, point=WATER, suppression_reading=59
        )  # without ``at`` no event is recorded
        interface.record_readings_in(
            uow, property_id=home, point=WATER, suppression_reading=60, actor=3, at=at
        )
        removed = interface.remove_in(
            uow,
            profile=system.profile,
            property_id=home,
            point=WATER,
            removed_on=TODAY,
            reading=61,
            situation_id=3,
            location_id=None,
            actor=3,
            at=at,
        )
        assert removed.id == replaced.id
        uow.commit()
        events = uow.collect_events()
    history = system.hydrometers.history(property_id=home)
    assert [
        (h.hydrometer_id, h.cut_reading, h.suppression_reading) for h in history
    ] == [
        (lab.meters[2], 41, None),
        (lab.meters[3], None, 60),
    ]
    # The outgoing meter kept its location (None given); so did the removed one.
    assert [system.hydrometers.get(i).location_id for i in lab.meters[2:4]] == [1, 1]
    assert [system.hydrometers.get(i).situation_id for i in lab.meters[2:4]] == [2, 3]
    recorded = [e for e in events if isinstance(e, InstallationReadingsRecorded)]
    assert [e.cut_reading for e in recorded] == [41, None]
    assert {type(e) for e in events} >= {
        HydrometerInstalled,
        HydrometerReplaced,
        HydrometerRemoved,
    }


def test_install_in_can_skip_the_field_lock(lab: Lab) -> None:
    system = lab.system
    system.properties.lock_route_in_field(lab.lab.route_in_field, reference=202501)
    with system.uow_factory() as uow:
        with pytest.raises(gsan_core.RuleViolation) as error:
            interface.install_in(
                uow,
                profile=system.profile,
                property_id=lab.lab.in_field,
                point=WATER,
                installed_on=TODAY,
                reading=0,
                place_id=1,
                protection_id=6,
                actor=3,
                at=system_now(lab),
                hydrometer_id=lab.meters[0],
            )
        assert error.value.code == "hydrometer.property_in_field"
        interface.install_in(
            uow,
            profile=system.profile,
            property_id=lab.lab.in_field,
            point=WATER,
            installed_on=TODAY,
            reading=0,
            place_id=1,
            protection_id=6,
            actor=3,
            at=system_now(lab),
            hydrometer_id=lab.meters[0],
            check_field_lock=False,
        )
        uow.commit()
    assert system.hydrometers.current_installation(property_id=lab.lab.in_field)


def test_the_price_lookup_knows_the_meter(lab: Lab) -> None:
    system = lab.system
    with system.uow_factory() as uow:
        facts = price_facts(uow, uow.properties.get(lab.home))
    assert (facts.metered, facts.capacity_id) == (False, None)
    lab.install()
    with system.uow_factory() as uow:
        facts = price_facts(uow, uow.properties.get(lab.home))
    assert (facts.metered, facts.capacity_id) == (True, 5)


def system_now(lab: Lab) -> object:
    return lab.system.clock.now()
