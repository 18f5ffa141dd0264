"""Type-checked use of the connection API (``mypy tests/typing``; not run)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import gsan_core
from gsan_core.errors import Violation
from gsan_core.model.connections import (
    ConnectWithMeterInput,
    CutInput,
    MeterInstallation,
    SituationChange,
    WaterConnection,
    WaterConnectionInput,
)
from gsan_core.services.batches import BatchSummary
from gsan_core.services.connections import MeterSeam
from gsan_core.services.hydrometers import ConnectionMeters
from gsan_core.services.service_orders import ClosingResult


def cut(gsan: gsan_core.System, order_id: int) -> ClosingResult:
    return gsan.service_orders.close_executed(
        order_id=order_id,
        reason_id=2,
        closed_on=date(2025, 1, 6),
        actor=1,
        commercial=CutInput(cut_type_id=1, cut_reason_id=1),
    )


def reads(
    gsan: gsan_core.System,
) -> tuple[WaterConnection | None, Sequence[SituationChange]]:
    return gsan.connections.water_connection(1), gsan.connections.history(1)


def checks(gsan: gsan_core.System) -> tuple[Violation, ...]:
    return gsan.connections.check(
        "water.connect",
        property_id=1,
        data=WaterConnectionInput(connected_on=date(2025, 1, 6)),
        actor=1,
    )


def batch(gsan: gsan_core.System) -> BatchSummary:
    return gsan.connections.reconnect_cut_with_real_consumption(
        reference=202412, actor=1
    )


def connect_with_meter(gsan: gsan_core.System, order_id: int) -> ClosingResult:
    return gsan.service_orders.close_executed(
        order_id=order_id,
        reason_id=2,
        closed_on=date(2025, 1, 6),
        actor=1,
        commercial=ConnectWithMeterInput(
            connection=WaterConnectionInput(connected_on=date(2025, 1, 6)),
            meter=MeterInstallation(number="B24A000001", place_id=1, protection_id=6),
        ),
    )


def without_order(gsan: gsan_core.System) -> WaterConnection:
    return gsan.connections.connect_water_without_order(
        property_id=1,
        data=WaterConnectionInput(connected_on=date(2025, 1, 6)),
        actor=1,
        meter=MeterInstallation(hydrometer_id=1, place_id=1, protection_id=6),
    )


def the_seam() -> MeterSeam:
    return ConnectionMeters()
