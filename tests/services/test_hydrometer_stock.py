"""The meter stock on every backend: insert, update, ranges, movements, queries,
the reference tables and the consumption-anomaly escalation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import attrs
import pytest

import gsan_core
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    HydrometersInserted,
    HydrometersMoved,
    InstallHydrometer,
)
from gsan_core.testing.hydrometers import METER, meter_lab

TODAY = date(2025, 1, 6)
NOON = time(12, 0)


def violation_of(
    error: pytest.ExceptionInfo[gsan_core.RuleViolation], code: str
) -> gsan_core.Violation:
    found = [v for v in error.value.violations if v.code == code]
    assert found, error.value.codes
    return found[0]


def snapshot(system: gsan_core.System) -> tuple[object, ...]:
    """Everything the stock commands write."""
    meters = system.hydrometers.in_range(fixed="B24A", first=1, last=9_999_999)
    return (
        tuple(meters),
        system.hydrometers.stock(),
        tuple(system.hydrometers.movements_of(m.id) for m in meters),
    )


def stocked(system: gsan_core.System, last: int = 10) -> list[int]:
    system.hydrometers.insert_range(
        fixed="B24A", first=1, last=last, attributes=METER, location_id=1, actor=1
    )
    return [m.id for m in system.hydrometers.in_range(fixed="B24A", first=1, last=last)]


# ================================================================ insert
def test_h_11_a_range_is_inserted_available_with_the_same_data(
    system: gsan_core.System,
) -> None:
    inserted = system.hydrometers.insert_range(
        fixed="B24A", first=98, last=102, attributes=METER, location_id=1, actor=7
    )
    assert (inserted.count, inserted.first_number, inserted.last_number) == (
        5,
        "B24A000098",
        "B24A000102",
    )
    meters = system.hydrometers.in_range(fixed="B24A", first=1, last=200)
    assert [m.number for m in meters] == [
        "B24A000098",
        "B24A000099",
        "B24A000100",
        "B24A000101",
        "B24A000102",
    ]
    assert {(m.situation_id, m.location_id, m.manufacture_year) for m in meters} == {
        (3, 1, 2024)
    }
    assert {
        (m.accumulated_reading, m.written_off_on, m.last_revision_on) for m in meters
    } == {(0, None, None)}
    assert [m.id for m in meters] == list(
        range(inserted.first_id, inserted.last_id + 1)
    )
    event = [e for e in system.events if isinstance(e, HydrometersInserted)][-1]
    assert (event.count, event.actor, event.location_id) == (5, 7, 1)
    assert system.hydrometers.stock() == {(1, 3): 5}


def test_h_10_a_range_with_an_existing_number_is_refused_whole(
    system: gsan_core.System,
) -> None:
    stocked(system)
    before = snapshot(system)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="B24A", first=5, last=20, attributes=METER, location_id=1, actor=1
        )
    violation = violation_of(error, "hydrometer.range.existing_numbers")
    assert violation.rule == "H-10"
    assert violation.gsan_key == (
        "atencao.ja.existem.hidrometros.numeracao.dentro.faixa.informada"
    )
    assert violation.params["count"] == 6
    assert snapshot(system) == before


def test_h_10_the_exact_padded_numbers_are_compared(system: gsan_core.System) -> None:
    """GSAN's unpadded BETWEEN 'B24A1'..'B24A9' would see B24A100000 and refuse."""
    system.hydrometers.insert(
        number="B24A100000", attributes=METER, location_id=1, actor=1
    )
    inserted = system.hydrometers.insert_range(
        fixed="B24A", first=1, last=9, attributes=METER, location_id=1, actor=1
    )
    assert inserted.count == 9


def test_h_9_a_range_across_the_seventh_digit(system: gsan_core.System) -> None:
    system.hydrometers.insert_range(
        fixed="B24A",
        first=999_998,
        last=1_000_001,
        attributes=METER,
        location_id=1,
        actor=1,
    )
    numbers = [
        m.number
        for m in system.hydrometers.in_range(
            fixed="B24A", first=999_999, last=1_000_000
        )
    ]
    assert numbers == ["B24A999999", "B24A1000000"]
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="B24A",
            first=1_000_000,
            last=1_000_003,
            attributes=METER,
            location_id=1,
            actor=1,
        )
    assert violation_of(error, "hydrometer.range.existing_numbers").params["count"] == 2


def test_h_12_a_malformed_number_is_refused_and_nothing_written(
    system: gsan_core.System,
) -> None:
    for bad in ("B24A12", "b24a000001", "B2XA000001"):
        with pytest.raises(gsan_core.RuleViolation) as error:
            system.hydrometers.insert(
                number=bad, attributes=METER, location_id=1, actor=1
            )
        violation = violation_of(error, "hydrometer.number.malformed")
        assert (violation.rule, violation.gsan_key) == ("H-12", "errors.invalid")
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="B24", first=1, last=3, attributes=METER, location_id=1, actor=1
        )
    assert violation_of(error, "hydrometer.number.malformed_fixed").rule == "H-12"
    assert system.hydrometers.stock() == {}


def test_insert_one_meter_and_refuse_its_number_twice(system: gsan_core.System) -> None:
    meter = system.hydrometers.insert(
        number="b24a000042 ".strip().upper(), attributes=METER, location_id=2, actor=1
    )
    assert system.hydrometers.get(meter.id) == meter
    assert system.hydrometers.find_by_number(" b24a000042") == meter
    assert system.hydrometers.find_by_number("B24A000043") is None
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert(
            number="B24A000042", attributes=METER, location_id=1, actor=1
        )
    violation = violation_of(error, "hydrometer.number.exists")
    assert (violation.rule, violation.gsan_key) == (
        "H-10",
        "atencao.hidrometro_ja_existente",
    )


def test_h_1_to_h_8_are_checked_on_insert(system: gsan_core.System) -> None:
    wrong = attrs.evolve(METER, acquired_on=date(2025, 2, 1), brand_id=11)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="B24A", first=1, last=3, attributes=wrong, location_id=0, actor=1
        )
    assert {v.rule for v in error.value.violations} == {"H-1", "H-2", "H-4"}
    assert system.hydrometers.stock() == {}


def test_h_1_and_h_12_a_reference_deactivated_after_use_is_refused(
    system: gsan_core.System,
) -> None:
    """H-1, H-12: a meter names active reference rows only. The rows are read
    as the active rows of their kinds (kept by the SQL backend's reference
    cache, issue 20): a brand and a stock location deactivated after a meter
    was inserted and updated with them are refused on the next insert and
    update as unknown ones."""
    meter = system.hydrometers.insert(
        number="B24A000001", attributes=METER, location_id=1, actor=1
    )
    meter = system.hydrometers.update(
        meter.id, expected_version=meter.version, actor=1, attributes=METER
    )
    for kind, ident in (
        ("hydrometer_brand", METER.brand_id),
        ("hydrometer_stock_location", 1),
    ):
        item = system.catalog.get(kind, ident)
        system.catalog.deactivate(kind, ident, expected_version=item.version, actor=0)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert(
            number="B24A000002", attributes=METER, location_id=1, actor=1
        )
    assert violation_of(error, "hydrometer.reference_missing").rule == "H-12"
    assert violation_of(error, "hydrometer.location_unknown").rule == "H-1"
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.update(
            meter.id, expected_version=meter.version, actor=1, attributes=METER
        )
    assert violation_of(error, "hydrometer.reference_missing").rule == "H-12"
    assert system.hydrometers.get(meter.id) == meter


def test_the_free_layout_inserts_one_by_one(
    make_system: Callable[..., gsan_core.System], tmp_path: Path
) -> None:
    profile = tmp_path / "free.toml"
    profile.write_text(
        'extends = "gsan_default"\nname = "free"\n[hydrometers]\nnumber_format = "free"\n',
        encoding="utf-8",
    )
    system = make_system(str(profile))
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert(
            number="HD-1", attributes=METER, location_id=1, actor=1
        )
    assert violation_of(error, "common.required").rule == "H-12"
    meter = system.hydrometers.insert(
        number="HD-1",
        attributes=attrs.evolve(METER, manufacture_year=2020),
        location_id=1,
        actor=1,
    )
    assert meter.manufacture_year == 2020
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="HD", first=1, last=2, attributes=METER, location_id=1, actor=1
        )
    assert violation_of(error, "hydrometer.range.needs_layout").rule == "H-9"
    changed = system.hydrometers.update(
        meter.id, expected_version=1, actor=1, number="HD-2"
    )
    assert (changed.number, changed.manufacture_year) == ("HD-2", 2020)


def test_cagepa_numbers_carry_the_turbine_letter(
    make_system: Callable[..., gsan_core.System],
) -> None:
    system = make_system("cagepa")
    with_turbine = attrs.evolve(METER, turbine_type_id=1)
    inserted = system.hydrometers.insert_range(
        fixed="B24AH", first=1, last=3, attributes=with_turbine, location_id=1, actor=1
    )
    assert inserted.last_number == "B24AH00003"
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.insert_range(
            fixed="B24AV",
            first=1,
            last=3,
            attributes=with_turbine,
            location_id=1,
            actor=1,
        )
    assert violation_of(error, "hydrometer.number.turbine_mismatch").gsan_key == (
        "atencao.tipo_turbina_incompativel_numero_fixo"
    )


# ================================================================ update
def test_update_one_meter(system: gsan_core.System) -> None:
    ids = stocked(system, last=3)
    meter = system.hydrometers.get(ids[0])
    changed = system.hydrometers.update(
        meter.id,
        expected_version=meter.version,
        actor=1,
        attributes=attrs.evolve(METER, reading_digits=6, register_id=1),
    )
    assert (changed.reading_digits, changed.register_id, changed.version) == (6, 1, 2)
    renumbered = system.hydrometers.update(
        meter.id, expected_version=2, actor=1, number="B23A000001"
    )
    assert (renumbered.number, renumbered.manufacture_year) == ("B23A000001", 2023)
    with pytest.raises(gsan_core.ConcurrencyConflict):
        system.hydrometers.update(meter.id, expected_version=2, actor=1)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.update(
            ids[1], expected_version=1, actor=1, number="B23A000001"
        )
    assert violation_of(error, "hydrometer.number.exists").rule == "H-10"
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.update(
            ids[1], expected_version=1, actor=1, number="C24A000002"
        )
    assert violation_of(error, "hydrometer.number.capacity_mismatch").rule == "H-3"
    assert system.hydrometers.get(ids[1]).version == 1


def test_update_a_range_copies_the_data(system: gsan_core.System) -> None:
    stocked(system, last=5)
    newer = attrs.evolve(METER, diameter_id=20, acquired_on=date(2024, 6, 1))
    assert (
        system.hydrometers.update_range(
            fixed="B24A", first=2, last=4, attributes=newer, actor=1
        )
        == 3
    )
    diameters = [
        m.diameter_id
        for m in system.hydrometers.in_range(fixed="B24A", first=1, last=5)
    ]
    assert diameters == [13, 20, 20, 20, 13]
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.update_range(
            fixed="B24A", first=50, last=60, attributes=newer, actor=1
        )
    violation = violation_of(error, "hydrometer.range.empty")
    assert (violation.rule, violation.gsan_key) == (
        "H-9",
        "atencao.pesquisa.nenhumresultado",
    )
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.update_range(
            fixed="B24A",
            first=1,
            last=5,
            attributes=attrs.evolve(METER, brand_id=12),
            actor=1,
        )
    assert violation_of(error, "hydrometer.number.brand_mismatch").rule == "H-2"


# ================================================================ movements
def test_v_moving_into_a_workshop_and_back(system: gsan_core.System) -> None:
    ids = stocked(system, last=4)
    movement = system.hydrometers.move(
        hydrometer_ids=[*ids[:3], ids[0]],
        destination_id=3,
        reason_id=1,
        moved_on=TODAY,
        moved_time=NOON,
        actor=5,
        remark="aferição",
    )
    assert (movement.origin_id, movement.destination_id, movement.count) == (1, 3, 3)
    assert movement.situation_id == 2
    assert system.hydrometers.moved_hydrometers(movement.id) == ids[:3]
    assert system.hydrometers.stock() == {(1, 3): 1, (3, 2): 3}
    back = system.hydrometers.move(
        hydrometer_ids=ids[:2],
        destination_id=2,
        reason_id=3,
        moved_on=date(2025, 1, 5),
        moved_time=NOON,
        actor=5,
    )
    assert back.situation_id == 3
    assert system.hydrometers.stock(location_id=2) == {(2, 3): 2}
    assert system.hydrometers.stock(situation_id=2) == {(3, 2): 1}
    history = system.hydrometers.movements_of(ids[0])
    assert [m.id for m in history] == [back.id, movement.id]  # by movement date
    event = [e for e in system.events if isinstance(e, HydrometersMoved)][-1]
    assert (event.count, event.actor) == (2, 5)


def test_v_3_moving_an_installed_meter_is_refused(system: gsan_core.System) -> None:
    lab = meter_lab(system)
    ids = stocked(system, last=3)
    order = system.service_orders.generate(
        service_type_id=304, property_id=lab.connected[0], actor=1
    )
    system.service_orders.close_executed(
        order_id=order.id,
        reason_id=2,
        closed_on=TODAY,
        actor=1,
        commercial=InstallHydrometer(hydrometer_id=ids[0], place_id=1, protection_id=6),
    )
    before = snapshot(system)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.move(
            hydrometer_ids=ids,
            destination_id=3,
            reason_id=1,
            moved_on=TODAY,
            moved_time=NOON,
            actor=1,
        )
    violation = violation_of(error, "hydrometer.move.installed")
    assert (violation.rule, violation.gsan_key) == (
        "V-3",
        "atencao.nao.possivel.movimentar.hidrometros.instalados",
    )
    assert snapshot(system) == before


def test_v_1_v_2_v_5_v_6_are_checked_together(system: gsan_core.System) -> None:
    ids = stocked(system, last=3)
    system.hydrometers.move(
        hydrometer_ids=[ids[0]],
        destination_id=2,
        reason_id=1,
        moved_on=TODAY,
        moved_time=NOON,
        actor=1,
    )
    before = snapshot(system)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.move(
            hydrometer_ids=[*ids, 999],
            destination_id=2,
            reason_id=99,
            moved_on=date(2025, 1, 7),
            moved_time=NOON,
            actor=1,
        )
    assert set(error.value.codes) == {
        "hydrometer.move.meter_unknown",
        "hydrometer.move.mixed_origins",
        "hydrometer.move.same_location",
        "hydrometer.move.date_in_future",
        "hydrometer.reference_missing",
    }
    assert snapshot(system) == before


def test_v_7_a_meter_changed_since_it_was_listed(system: gsan_core.System) -> None:
    ids = stocked(system, last=2)
    listed = {i: system.hydrometers.get(i).version for i in ids}
    system.hydrometers.update(ids[1], expected_version=1, actor=1)
    before = snapshot(system)
    with pytest.raises(gsan_core.ConcurrencyConflict) as error:
        system.hydrometers.move(
            hydrometer_ids=ids,
            destination_id=3,
            reason_id=1,
            moved_on=TODAY,
            moved_time=NOON,
            actor=1,
            expected_versions=listed,
        )
    assert (error.value.id, error.value.gsan_key) == (
        ids[1],
        "atencao.atualizacao.timestamp",
    )
    assert snapshot(system) == before


# ================================================================ reference tables
def test_capacity_and_brand_rules_through_the_catalog(system: gsan_core.System) -> None:
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.catalog.add(
            "hydrometer_capacity",
            description="15 M3/H - M",
            attributes={"code": "B", "min_digits": 6, "max_digits": 5, "order": 5},
            actor=1,
        )
    keys = {v.gsan_key for v in error.value.violations}
    assert keys == {
        "atencao.numero_minimo_nao_pode_ser_maior_que_numero_maximo",
        "atencao.pesquisa_capacidade_do_hidrometro_ja_cadastrada",
        "atencao.pesquisa_numero_de_ordem_da_capacidade_do_hidrometro_ja_cadastrada",
    }
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.catalog.add(
            "hydrometer_brand",
            description="zenner",
            abbreviation="ZN",
            attributes={"code": "P", "revision_days": 30},
            actor=1,
        )
    assert error.value.violations[0].gsan_key == "atencao.hidrometro_marca.existente"
    brand = system.catalog.add(
        "hydrometer_brand",
        description="ITRON",
        abbreviation="ITR",
        attributes={"code": "P", "revision_days": 30},
        actor=1,
    )
    assert brand.text("code") == "P"


def test_a_stock_location_in_use_cannot_be_removed(system: gsan_core.System) -> None:
    stocked(system, last=1)
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.catalog.remove(
            "hydrometer_stock_location", 1, expected_version=1, actor=1
        )
    assert error.value.code == "catalog.in_use"
    system.catalog.remove("hydrometer_stock_location", 2, expected_version=1, actor=1)


# ================================================================ anomaly actions
def test_consumption_anomaly_escalation(system: gsan_core.System) -> None:
    assert system.catalog.get("consumption_anomaly", 16).description == (
        "VIRADA DE HIDROMETRO"
    )
    generic = system.hydrometers.add_anomaly_action(
        anomaly_id=6,
        steps=[
            AnomalyActionStep(month=1, bill_message="CONSUMO ALTO"),
            AnomalyActionStep(month=2, generates_letter=True),
            AnomalyActionStep(month=3, service_type_id=350),
        ],
        actor=1,
    )
    residential = system.hydrometers.add_anomaly_action(
        anomaly_id=6,
        category_id=1,
        steps=[AnomalyActionStep(month=1, bill_message="VERIFIQUE VAZAMENTOS")],
        actor=1,
    )
    with pytest.raises(gsan_core.RuleViolation) as error:
        system.hydrometers.add_anomaly_action(
            anomaly_id=6, category_id=1, steps=[], actor=1
        )
    assert error.value.code == "consumption_anomaly_action.duplicate"
    step = system.hydrometers.escalation(anomaly_id=6, month=1, category_id=1)
    assert step is not None
    assert step.bill_message == "VERIFIQUE VAZAMENTOS"
    assert system.hydrometers.escalation(anomaly_id=6, month=2, category_id=1) is None
    step = system.hydrometers.escalation(anomaly_id=6, month=3, category_id=2)
    assert step is not None
    assert step.service_type_id == 350
    assert system.hydrometers.escalation(anomaly_id=4, month=1) is None
    retired = system.hydrometers.update_anomaly_action(
        attrs.evolve(residential, active=False), actor=1
    )
    assert retired.version == 2
    assert system.hydrometers.escalation(anomaly_id=6, month=1, category_id=1) == (
        generic.step(1)
    )
    with pytest.raises(gsan_core.ConcurrencyConflict):
        system.hydrometers.update_anomaly_action(residential, actor=1)
    assert [a.id for a in system.hydrometers.anomaly_actions(anomaly_id=6)] == [
        generic.id,
        residential.id,
    ]
    assert len(system.hydrometers.anomaly_actions()) == 2
