"""Type-checked (``mypy tests/typing``), never executed: the hydrometer API's types
as callers see them, including the interface the connection area composes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import assert_type

import gsan_core
from gsan_core.display import NamedCounts
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
    InstallHydrometer,
    MeasurementPoint,
)
from gsan_core.services import hydrometers as interface
from gsan_core.services.hydrometers import InsertedRange
from gsan_core.testing.hydrometers import METER


def stock(gsan: gsan_core.System) -> None:
    inserted = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=10, attributes=METER, location_id=1, actor=1
    )
    assert_type(inserted, InsertedRange)
    assert_type(gsan.hydrometers.find_by_number("B24A000001"), Hydrometer | None)
    assert_type(
        gsan.hydrometers.in_range(fixed="B24A", first=1, last=10), list[Hydrometer]
    )
    assert_type(gsan.hydrometers.stock(), NamedCounts[tuple[int | None, int]])
    movement = gsan.hydrometers.move(
        hydrometer_ids=[1, 2],
        destination_id=3,
        reason_id=1,
        moved_on=date(2025, 1, 6),
        moved_time=time(9),
        actor=1,
    )
    assert_type(movement, HydrometerMovement)
    gsan.service_orders.close_executed(
        order_id=1,
        reason_id=2,
        closed_on=date(2025, 1, 6),
        actor=1,
        commercial=InstallHydrometer(hydrometer_id=1, place_id=1, protection_id=6),
    )


def connection_area(gsan: gsan_core.System, at: datetime) -> None:
    with gsan.uow_factory() as uow:
        current = interface.current_installation(
            uow, property_id=1, point=MeasurementPoint.WATER_CONNECTION
        )
        assert_type(current, HydrometerInstallation | None)
        installed = interface.install_in(
            uow,
            profile=gsan.profile,
            property_id=1,
            point=MeasurementPoint.WATER_CONNECTION,
            installed_on=at.date(),
            reading=0,
            place_id=1,
            protection_id=6,
            actor=1,
            at=at,
            number="B24A000001",
        )
        assert_type(installed, HydrometerInstallation)
        readings = interface.record_readings_in(
            uow, property_id=1, point=MeasurementPoint.WATER_CONNECTION, cut_reading=5
        )
        assert_type(readings, HydrometerInstallation | None)
