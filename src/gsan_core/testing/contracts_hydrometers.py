"""The contract of the hydrometer repositories, shipped for integrators.

Subclass it like :class:`gsan_core.testing.contracts.UnitOfWorkContract`, with a
``uow_factory`` fixture returning units of work over an empty, migrated store::

    class TestMyHydrometers(HydrometerRepositoriesContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.errors import (
    ConcurrencyConflict,
    NotFound,
    RuleViolation,
)
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
    InstallationOrigin,
    MeasurementPoint,
    MeterPurpose,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.capabilities import (
    ALL,
    ANOMALY_ACTIONS,
    METER_HISTORY,
    require,
)
from gsan_core.testing.contracts import location, sample_property

__all__ = ["HydrometerRepositoriesContract"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 9, 30, tzinfo=timezone(timedelta(hours=-3)))
WATER, WELL = MeasurementPoint.WATER_CONNECTION, MeasurementPoint.WELL


def _meter(ident: int, number: str, **changes: Any) -> Hydrometer:
    base = Hydrometer(
        id=ident,
        number=number,
        acquired_on=date(2024, 3, 1),
        manufacture_year=2024,
        purpose=MeterPurpose.OPERATIONAL,
        reading_digits=5,
        type_id=1,
        situation_id=3,
        brand_id=10,
        capacity_id=5,
        diameter_id=13,
        metrological_class_id=2,
        location_id=1,
        nominal_flow=Decimal("1.50"),
    )
    return attrs.evolve(base, **changes)


def _installation(ident: int, **changes: Any) -> HydrometerInstallation:
    base = HydrometerInstallation(
        id=ident,
        hydrometer_id=1,
        property_id=1,
        point=WATER,
        installed_on=date(2024, 6, 1),
        installation_reading=12,
        registered_at=AT,
        origin=InstallationOrigin.REPLACEMENT,
        place_id=1,
        protection_id=6,
        stand=True,
        seal="S1",
        installed_by=3,
    )
    return attrs.evolve(base, **changes)


class HydrometerRepositoriesContract:
    """Meters, installation history, movements and anomaly actions of one adapter."""

    #: What the adapter offers (:mod:`gsan_core.testing.capabilities`).
    capabilities: frozenset[str] = ALL

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    @staticmethod
    def _with_property(factory: Factory) -> None:
        loc, sector, block, route = location()
        with factory() as uow:
            uow.localities.add(loc)
            uow.sectors.add(sector)
            uow.blocks.add(block)
            uow.routes.add(route)
            uow.properties.add(sample_property())
            uow.commit()

    def test_meters_by_number_and_by_stock(self, uow_factory: Factory) -> None:
        meters = [
            _meter(1, "B24A000009"),
            _meter(2, "B24A000010", situation_id=2, location_id=3),
            _meter(3, "B24A1000000"),
            _meter(4, "B24B000010", location_id=None, situation_id=4),
        ]
        with uow_factory() as uow:
            uow.hydrometers.add_many(meters)
            uow.commit()
        with uow_factory() as uow:
            repo = uow.hydrometers
            assert repo.get(1) == meters[0]
            assert repo.find_by_number("B24A1000000") == meters[2]
            assert repo.find_by_number("B24A000011") is None
            assert repo.numbers_between("B24A000001", "B24A999999") == [
                "B24A000009",
                "B24A000010",
            ]
            assert repo.between("B24A000010", "B24A000010") == [meters[1]]
            assert repo.stock() == {(None, 4): 1, (1, 3): 2, (3, 2): 1}
        with uow_factory() as uow, pytest.raises(RuleViolation) as taken:
            uow.hydrometers.add(_meter(9, "B24A000009"))
            uow.commit()
        # H-10: the unique number is the rule's last line, named as the rule
        assert taken.value.code == "hydrometer.number.exists"
        assert taken.value.violations[0].rule == "H-10"
        assert "B24A000009" not in str(taken.value)

    def test_meters_compare_and_set(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.hydrometers.add(_meter(1, "B24A000001"))
            uow.commit()
        moved = _meter(1, "B24A000001", location_id=2, version=2)
        with uow_factory() as uow:
            uow.hydrometers.update_many([moved])
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.hydrometers.update(attrs.evolve(moved, location_id=3))
            uow.rollback()
        with uow_factory() as uow:
            assert uow.hydrometers.get(1) == moved

    def test_meters_move_by_compare_and_set(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.hydrometers.add_many(
                [_meter(1, "B24A000001"), _meter(2, "B24A000002", version=4)]
            )
            uow.commit()
        with uow_factory() as uow:
            uow.hydrometers.move_many([(1, 1), (2, 4)], location_id=3, situation_id=2)
            uow.commit()
        with uow_factory() as uow:
            moved = [uow.hydrometers.get(i) for i in (1, 2)]
            assert [(m.location_id, m.situation_id, m.version) for m in moved] == [
                (3, 2, 2),
                (3, 2, 5),
            ]
            assert moved[0].number == "B24A000001"
            entries = uow.hydrometers.stock_entries([2, 9, 2])
            assert list(entries) == [2]
            assert (entries[2].number, entries[2].location_id, entries[2].version) == (
                "B24A000002",
                3,
                5,
            )
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.hydrometers.move_many(
                    [(1, 2), (2, 4)], location_id=1, situation_id=3
                )
            uow.rollback()
        with uow_factory() as uow:
            assert uow.hydrometers.get(2).version == 5

    def test_installation_history(self, uow_factory: Factory) -> None:
        require(self.capabilities, METER_HISTORY)
        self._with_property(uow_factory)
        records = [
            _installation(
                1, removed_on=date(2024, 9, 1), removal_reading=80, removed_by=4
            ),
            _installation(
                2, hydrometer_id=2, installed_on=date(2024, 9, 1), cut_reading=90
            ),
            _installation(
                3, hydrometer_id=1, point=WELL, installed_on=date(2024, 10, 1)
            ),
        ]
        with uow_factory() as uow:
            uow.hydrometers.add_many(
                [_meter(1, "B24A000001", situation_id=1), _meter(2, "B24A000002")]
            )
            uow.hydrometer_installations.add_many(records)
            uow.commit()
        with uow_factory() as uow:
            history = uow.hydrometer_installations
            assert history.get(1) == records[0]
            assert history.current(property_id=1, point=WATER) == records[1]
            assert history.current(property_id=1, point=WELL) == records[2]
            assert history.current(property_id=2, point=WATER) is None
            assert history.current_of(1) == records[2]
            assert history.current_of(9) is None
            assert history.of_point(property_id=1, point=WATER) == records[:2]
            assert history.of_hydrometer(1) == [records[0], records[2]]
            assert history.last_removal(property_id=1, point=WATER) == date(2024, 9, 1)
            assert history.last_removal(property_id=1, point=WELL) is None
            assert history.last_removal(hydrometer_id=1) == date(2024, 9, 1)
            assert history.last_removal(hydrometer_id=2) is None
        with uow_factory() as uow, pytest.raises(RuleViolation) as taken:
            uow.hydrometers.add(_meter(3, "B24A000003"))
            uow.hydrometer_installations.add(_installation(4, hydrometer_id=3))
            uow.commit()
        # I-9: one open installation per point, whoever wrote it first
        assert taken.value.code == "hydrometer.install.point_has_meter"
        assert taken.value.violations[0].rule == "I-9"
        with uow_factory() as uow:
            assert uow.hydrometer_installations.find(4) is None

    def test_movements_and_their_lines(self, uow_factory: Factory) -> None:
        require(self.capabilities, METER_HISTORY)
        first = HydrometerMovement(
            id=1,
            moved_at=AT,
            reason_id=1,
            origin_id=1,
            destination_id=3,
            situation_id=2,
            remark="AFERICAO",
            count=2,
            actor=5,
            registered_at=AT,
        )
        second = attrs.evolve(
            first, id=2, moved_at=AT - timedelta(days=1), origin_id=None, count=1
        )
        with uow_factory() as uow:
            uow.hydrometers.add_many([_meter(1, "B24A000001"), _meter(2, "B24A000002")])
            uow.hydrometer_movements.add_many([first, second])
            uow.hydrometer_movements.add_lines(1, [2, 1])
            uow.hydrometer_movements.add_lines(2, [1])
            uow.commit()
        with uow_factory() as uow:
            movements = uow.hydrometer_movements
            assert movements.get(1) == first
            assert movements.hydrometer_ids(1) == [1, 2]
            assert movements.hydrometer_ids(3) == []
            assert movements.of_hydrometer(1) == [second, first]
            assert movements.of_hydrometer(2) == [first]
            with pytest.raises(NotFound):
                movements.get(3)
            # "Consultar Movimentação de Hidrômetro": newest first, paged
            assert movements.search(limit=10) == [first, second]
            assert movements.search(limit=1, offset=1) == [second]
            assert movements.search(limit=10, moved_until=AT) == [second]
            assert movements.search(limit=10, moved_from=AT) == [first]
            assert movements.search(limit=10, location_id=1) == [first]
            assert movements.search(limit=10, location_id=3) == [first, second]
            assert movements.search(limit=10, situation_id=3) == []
            ranged = movements.search(
                limit=10, number_from="B24A000002", number_to="B24A000009"
            )
            assert ranged == [first]
            assert movements.search(limit=10, number_to="B24A000001") == [
                first,
                second,
            ]

    def test_a_meter_without_references_is_removed(self, uow_factory: Factory) -> None:
        meter = _meter(1, "B24A000001")
        with uow_factory() as uow:
            uow.hydrometers.add(meter)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.hydrometers.remove(attrs.evolve(meter, version=2))
            uow.rollback()
        with uow_factory() as uow:
            uow.hydrometers.remove(meter)
            uow.commit()
        with uow_factory() as uow:
            assert uow.hydrometers.find_by_number("B24A000001") is None

    def test_anomaly_actions_round_trip(self, uow_factory: Factory) -> None:
        require(self.capabilities, ANOMALY_ACTIONS)
        action = ConsumptionAnomalyAction(
            id=1,
            anomaly_id=6,
            category_id=1,
            steps=(
                AnomalyActionStep(
                    month=1, consumption_factor=Decimal("1.25"), bill_message="ALTO"
                ),
                AnomalyActionStep(month=3, generates_letter=True, service_type_id=350),
            ),
        )
        with uow_factory() as uow:
            uow.anomaly_actions.add(action)
            uow.commit()
        with uow_factory() as uow:
            assert uow.anomaly_actions.get(1) == action
            assert uow.anomaly_actions.find_by(anomaly_id=6, active=True) == [action]
