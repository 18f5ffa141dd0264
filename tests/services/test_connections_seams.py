"""The hydrometer seam (phase 2) and the guards of the connection service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.memory.connections import MemoryConnectionBatches
from gsan_core.model.connections import (
    ChangeSituationInput,
    ConnectionTarget,
    SuppressionInput,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.services import connections as service
from gsan_core.services.connections import ConnectionOperation, MeterSeam
from gsan_core.testing import FixedClock, SequentialIds
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    CUT,
    TODAY,
    add_property,
    order_for,
    town,
)


class FakeMeters:
    """A hydrometer area stand-in: meters on some properties, calls recorded."""

    def __init__(self, water: set[int], well: set[int]) -> None:
        self.water, self.well = water, well
        self.calls: list[tuple[Any, ...]] = []

    def installed(self, uow: UnitOfWork, *, property_id: int, point: int) -> bool:
        return property_id in (self.water if point == 1 else self.well)

    def after_cut(
        self, uow: UnitOfWork, *, property_id: int, reading: int | None
    ) -> None:
        self.calls.append(("cut", property_id, reading))

    def after_suppression(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        property_id: int,
        reading: int | None,
        removed_on: date,
        actor: int,
        at: datetime,
    ) -> None:
        self.calls.append(("suppression", property_id, reading, removed_on, actor))


def _with_meters(meters: MeterSeam) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds()),
        operations=service.connection_operations(meters=meters),
        clock=FixedClock(),
    )
    system.seed()
    system.connections.meters = meters
    return town(system)


def test_meter_seam_reports_installed_meters_and_receives_readings() -> None:
    meters = FakeMeters(water={1}, well={2})
    gsan = _with_meters(meters)
    add_property(gsan, 1, 3, 3)
    add_property(gsan, 2, 3, 3)
    both = ChangeSituationInput(
        target=ConnectionTarget.BOTH, water_status_id=2, sewer_status_id=2
    )
    with pytest.raises(gsan_core.RuleViolation) as water_meter:
        gsan.connections.change_situation(
            order_id=order_for(gsan, 1004, 1).id, data=both, actor=ACTOR
        )
    assert water_meter.value.code == "connection.change_situation.water_meter_installed"
    with pytest.raises(gsan_core.RuleViolation) as well_meter:
        gsan.connections.change_situation(
            order_id=order_for(gsan, 1004, 2).id, data=both, actor=ACTOR
        )
    assert well_meter.value.code == "connection.change_situation.well_meter_installed"
    gsan.service_orders.close_executed(
        order_id=order_for(gsan, 242, 1).id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=attrs.evolve(CUT, reading=321),
    )
    gsan.service_orders.close_executed(
        order_id=order_for(gsan, 245, 2).id,
        reason_id=CONCLUDED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=SuppressionInput(
            suppression_type_id=1, suppression_reason_id=1, reading=55
        ),
    )
    assert meters.calls == [
        ("cut", 1, 321),
        ("suppression", 2, 55, TODAY, ACTOR),
    ]


def test_operation_registry_and_guards() -> None:
    operation = ConnectionOperation("water.cut")
    assert repr(operation) == "<ConnectionOperation water.cut>"
    assert operation.wrong_type_message is not None
    gsan = town(gsan_core.in_memory())
    with gsan.uow_factory() as uow, pytest.raises(gsan_core.ConfigurationError):
        service.apply_in(
            uow,
            gsan.profile,
            operation="water.fly",
            property_id=1,
            data=None,
            actor=ACTOR,
            at=gsan.clock.now(),
        )


def test_change_situation_needs_the_concluded_reason_role() -> None:
    loaded = profiles.load("gsan_default")
    roles = {
        k: v
        for k, v in loaded.profile.roles.items()
        if k != "closing_reason.service_concluded"
    }
    broken = attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    gsan = town(gsan_core.in_memory(broken))
    add_property(gsan, 3, 3)
    with pytest.raises(gsan_core.ConfigurationError):
        gsan.connections.change_situation(
            order_id=order_for(gsan, 1004, 3).id,
            data=ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2),
            actor=ACTOR,
        )


def test_batch_refuses_a_concurrent_change(monkeypatch: pytest.MonkeyPatch) -> None:
    gsan = town(gsan_core.in_memory())
    add_property(gsan, 4, 4)
    monkeypatch.setattr(MemoryConnectionBatches, "move_water", lambda *_, **__: 0)
    with pytest.raises(gsan_core.ConcurrencyConflict):
        gsan.connections.promote_connected_under_analysis(actor=ACTOR)
    assert gsan.properties.get(4).water_status_id == 4
