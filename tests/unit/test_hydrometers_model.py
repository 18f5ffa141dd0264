"""The hydrometer model: type-like invariants, periods, the catalog kinds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import (
    HYDROMETER_CAPACITY,
    HYDROMETER_KINDS,
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerAttributes,
    HydrometerInstallation,
    HydrometerMovement,
    MeasurementPoint,
)
from gsan_core.model.kinds import kinds_by_name
from gsan_core.rules import catalog as catalog_rules

AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


def meter(**changes: object) -> Hydrometer:
    base = Hydrometer(
        id=1,
        number="B24A000001",
        acquired_on=date(2024, 1, 2),
        manufacture_year=2024,
        reading_digits=5,
        type_id=1,
        situation_id=3,
        brand_id=10,
        capacity_id=5,
        diameter_id=13,
        metrological_class_id=2,
        nominal_flow=Decimal("1.5"),
    )
    return attrs.evolve(base, **changes)


def installation(**changes: object) -> HydrometerInstallation:
    base = HydrometerInstallation(
        id=1,
        hydrometer_id=1,
        property_id=1,
        point=MeasurementPoint.WATER_CONNECTION,
        installed_on=date(2025, 1, 1),
        installation_reading=0,
        registered_at=AT,
        place_id=1,
        protection_id=6,
        installed_by=1,
    )
    return attrs.evolve(base, **changes)


def test_measurement_points_are_gsan_medicao_tipo() -> None:
    assert MeasurementPoint.WATER_CONNECTION == 1
    assert MeasurementPoint.WELL == 2


@pytest.mark.parametrize(
    "number", ["", "b24a000001", "B24A 000001", "B24A0000012345", "-B24"]
)
def test_a_meter_number_is_upper_case_and_short(number: str) -> None:
    with pytest.raises(ValueError, match="number"):
        meter(number=number)


def test_a_meter_number_may_be_free() -> None:
    assert meter(number="CX-12/3.4").number == "CX-12/3.4"


def test_counts_and_readings_are_not_negative() -> None:
    with pytest.raises(ValueError, match="reading_digits"):
        meter(reading_digits=-1)
    with pytest.raises(ValueError, match="accumulated_reading"):
        meter(accumulated_reading=-1)
    with pytest.raises(ValueError, match="removal_reading"):
        installation(removal_reading=-1)


def test_instants_are_aware() -> None:
    with pytest.raises(ValueError, match="registered_at"):
        installation(registered_at=datetime(2025, 1, 6, 12))  # noqa: DTZ001
    with pytest.raises(ValueError, match="moved_at"):
        HydrometerMovement(
            id=1,
            moved_at=datetime(2025, 1, 6, 12),  # noqa: DTZ001
            reason_id=1,
            origin_id=1,
            destination_id=2,
            situation_id=3,
            count=1,
            actor=1,
            registered_at=AT,
        )
    local = AT.astimezone(timezone(timedelta(hours=-3)))
    assert installation(registered_at=local).registered_at == AT


def test_installation_periods_are_half_open() -> None:
    open_ = installation()
    assert open_.is_open
    assert open_.covers(date(2025, 1, 1))
    assert open_.covers(date(2030, 1, 1))
    assert not open_.covers(date(2024, 12, 31))
    closed = installation(removed_on=date(2025, 2, 1))
    assert not closed.is_open
    assert closed.covers(date(2025, 1, 31))
    assert not closed.covers(date(2025, 2, 1))


def test_attributes_of_a_stored_meter() -> None:
    stored = meter(register_id=2)
    copied = HydrometerAttributes.of(stored)
    assert copied.register_id == 2
    assert copied.manufacture_year == 2024
    assert copied.nominal_flow == Decimal("1.5")


def test_anomaly_action_steps_are_sorted_by_month() -> None:
    action = ConsumptionAnomalyAction(
        id=1,
        anomaly_id=6,
        steps=[AnomalyActionStep(month=3), AnomalyActionStep(month=1)],
    )
    assert [s.month for s in action.steps] == [1, 3]
    assert action.step(1) == AnomalyActionStep(month=1)
    assert action.step(2) is None


def test_hydrometer_kinds_are_registered_once() -> None:
    kinds = kinds_by_name()
    for kind in HYDROMETER_KINDS:
        assert kinds[kind.name] is kind


def capacity(ident: int, **attributes: object) -> CatalogItem:
    values = {"code": "B", "min_digits": 4, "max_digits": 6, "order": 5}
    values.update(attributes)
    return CatalogItem(
        kind="hydrometer_capacity",
        id=ident,
        description=f"CAPACIDADE {ident}",
        attributes=values,  # type: ignore[arg-type]
    )


def test_cat_3_a_capacity_reads_at_least_its_fewest_digits() -> None:
    found = catalog_rules.check_item(
        capacity(1, min_digits=6, max_digits=4),
        kind=HYDROMETER_CAPACITY,
        siblings=[],
        lookup=lambda kind, ident: None,
    )
    assert [v.code for v in found] == ["catalog.attribute_below_other"]
    assert found[0].rule == "CAT-3"
    assert (
        found[0].gsan_key
        == "atencao.numero_minimo_nao_pode_ser_maior_que_numero_maximo"
    )
    assert found[0].message("pt")


def test_cat_4_capacity_letter_and_order_are_unique_with_their_keys() -> None:
    found = catalog_rules.check_item(
        capacity(2),
        kind=HYDROMETER_CAPACITY,
        siblings=[capacity(1)],
        lookup=lambda kind, ident: None,
    )
    keys = {v.params["attribute"]: v.gsan_key for v in found}
    assert keys == {
        "code": "atencao.pesquisa_capacidade_do_hidrometro_ja_cadastrada",
        "order": "atencao.pesquisa_numero_de_ordem_da_capacidade_do_hidrometro_ja_cadastrada",
    }
    assert {v.rule for v in found} == {"CAT-4"}
