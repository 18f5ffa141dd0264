"""The hydrometer seam and the guards of the connection service."""

from __future__ import annotations

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.memory.connections import MemoryConnectionBatches
from gsan_core.model.connections import ChangeSituationInput, ConnectionTarget
from gsan_core.model.hydrometers import InstallHydrometer, MeasurementPoint
from gsan_core.services import connections as service
from gsan_core.services.connections import ConnectionOperation
from gsan_core.services.hydrometers import ConnectionMeters
from gsan_core.services.operations import PricedOperation, registry
from gsan_core.testing import Scenario
from gsan_core.testing.hydrometers import METER
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    TODAY,
    add_property,
    order_for,
    town,
)


def test_the_meter_seam_sees_the_installed_meters(system: gsan_core.System) -> None:
    """V-AS6 / V-AS7: "alterar situação" asks the hydrometer area whether a meter
    is on the water connection or on the well."""
    gsan = town(system)
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=2, attributes=METER, location_id=1, actor=0
    )
    water_meter, well_meter = (
        m.id for m in gsan.hydrometers.in_range(fixed="B24A", first=1, last=2)
    )
    add_property(gsan, 1, 3, 3)
    add_property(gsan, 2, 3, 3)
    for pid, meter_id, point in (
        (1, water_meter, MeasurementPoint.WATER_CONNECTION),
        (2, well_meter, MeasurementPoint.WELL),
    ):
        order = order_for(gsan, 304, pid)
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=InstallHydrometer(
                point=point, hydrometer_id=meter_id, place_id=1, protection_id=6
            ),
        )
    both = ChangeSituationInput(
        target=ConnectionTarget.BOTH, water_status_id=2, sewer_status_id=2
    )
    with pytest.raises(gsan_core.RuleViolation) as water:
        gsan.connections.change_situation(
            order_id=order_for(gsan, 1004, 1).id, data=both, actor=ACTOR
        )
    assert water.value.codes == ("connection.change_situation.water_meter_installed",)
    with pytest.raises(gsan_core.RuleViolation) as well:
        gsan.connections.change_situation(
            order_id=order_for(gsan, 1004, 2).id, data=both, actor=ACTOR
        )
    assert well.value.codes == ("connection.change_situation.well_meter_installed",)
    assert (
        gsan.properties.get(1).water_status_id,
        gsan.properties.get(2).sewer_status_id,
    ) == (3, 3)
    meters = ConnectionMeters()
    with gsan.uow_factory() as uow:
        assert meters.installed(uow, property_id=1, point=1)
        assert not meters.installed(uow, property_id=1, point=2)
        assert meters.installed(uow, property_id=2, point=2)


def test_operation_registry_and_guards() -> None:
    operation = ConnectionOperation("water.cut", meters=ConnectionMeters())
    assert repr(operation) == "<ConnectionOperation water.cut>"
    assert operation.wrong_type_message is not None
    assert isinstance(operation, PricedOperation)
    with pytest.raises(gsan_core.ConfigurationError, match="registered twice"):
        registry([operation, operation])
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
            meters=ConnectionMeters(),
        )


def test_change_situation_needs_the_concluded_reason_role() -> None:
    loaded = profiles.load("gsan_default")
    roles = {
        k: v
        for k, v in loaded.profile.roles.items()
        if k != "closing_reason.service_concluded"
    }
    broken = attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    given = Scenario(gsan_core.in_memory(broken))
    order = given.order("service_type.connection.change_situation")
    with pytest.raises(gsan_core.ConfigurationError):
        given.system.connections.change_situation(
            order_id=order.id,
            data=ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2),
            actor=given.place.technician,
        )


def test_batch_refuses_a_concurrent_change(monkeypatch: pytest.MonkeyPatch) -> None:
    given = Scenario(gsan_core.in_memory())
    home = given.property(water="water_status.under_inspection")
    monkeypatch.setattr(MemoryConnectionBatches, "move_water", lambda *_, **__: 0)
    with pytest.raises(gsan_core.ConcurrencyConflict):
        given.system.connections.promote_connected_under_analysis(
            actor=given.place.technician
        )
    assert given.system.properties.get(home.id).water_status_id == 4
