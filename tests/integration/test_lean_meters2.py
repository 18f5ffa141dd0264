"""The lean correction of ``benchmarks.lean_meters2`` leaves the rows the
library leaves (issue 20): UC0368's installation reading corrected through
the library on one property's meter and by hand on another's; the
installations and the outbox rows compared without the keys that differ."""

from __future__ import annotations

import pytest
from benchmarks import commands, lean_meters2, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.hydrometers import InstallHydrometer, UpdateInstallation
from gsan_core.testing.hydrometers import METER, meter_lab
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

INSTALL = 304  # INSTALACAO DE HIDROMETRO
#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "property_id", "hydrometer_id", "installation_id"})


def _installed(gsan: gsan_core.System) -> tuple[int, int]:
    """Two connected properties of the lab, a meter installed on each."""
    lab = meter_lab(gsan)
    meters = gsan.hydrometers
    meters.insert_range(
        fixed="B24A", first=1, last=2, attributes=METER, location_id=1, actor=1
    )
    ids = [m.id for m in meters.in_range(fixed="B24A", first=1, last=2)]
    homes = lab.connected[:2]
    for meter, pid in zip(ids, homes, strict=True):
        order = gsan.service_orders.generate(
            service_type_id=INSTALL, property_id=pid, actor=1
        )
        gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=2,
            closed_on=gsan.today(),
            actor=1,
            commercial=InstallHydrometer(
                hydrometer_id=meter, reading=10, place_id=1, protection_id=6
            ),
        )
    return homes[0], homes[1]


def test_a_lean_reading_correction_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """The open installation at its next version with the reading and the
    user, and one ``hydrometer.installation_updated``, from either; twice,
    the version moves again; a reading past the meter's digits refused."""
    mine, theirs = _installed(gsan)
    profile = gsan.profile
    roles = {
        "no_meter": profile.ids("water_status.potential")
        | profile.ids("water_status.feasible"),
        "cut": profile.ids("water_status.cut"),
    }
    gsan.hydrometers.update_installation(
        property_id=mine, data=UpdateInstallation(reading=12), actor=9
    )
    lean_meters2.lean_correct_reading(
        sql, theirs, reading=12, actor=9, now=scale.NOW, **roles
    )
    first, second = lean_rows.rows(
        sql, "hydrometer_installation", "property_id", [mine, theirs], without=KEYS
    )
    assert first == second
    assert (first["installation_reading"], first["installed_by"]) == (12, 9)
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "hydrometer.installation_updated"
    lean_meters2.lean_correct_reading(
        sql, theirs, reading=12, actor=9, now=scale.NOW, **roles
    )
    again = lean_rows.rows(
        sql, "hydrometer_installation", "property_id", [theirs], without=KEYS
    )
    assert again == [{**second, "version": second["version"] + 1}]
    with pytest.raises(AssertionError):
        lean_meters2.lean_correct_reading(
            sql, theirs, reading=10**12, actor=9, now=scale.NOW, **roles
        )


def test_the_benchmark_measures_it() -> None:
    """``python -m benchmarks.commands --only`` takes its name."""
    assert set(lean_meters2.COMMANDS) <= set(commands.COMMANDS)
