"""A lean hand-written version of correcting a meter's installation (issue 20).

``hydrometers.update_installation`` (UC0368 by the property, no order: A-3..A-8)
had no lean version; :func:`lean_correct_reading` is what a database engineer
would write for its most common use, the installation reading of the water
connection's meter corrected: ``BEGIN``, one read, the property locked (the
root of its installations, ADR 0004), of the property's situation, its open
water installation and that meter's digits; one write of the installation
(compare-and-set) and ``hydrometer.installation_updated``, ``COMMIT``. The
rules are asserted on the read row: A-3 (the property active), A-4 (its water
situation neither potential nor feasible, a meter installed), A-6 (the
reading within the meter's digits), A-8 (a cut connection keeps its cut
reading). ``tests/integration/test_lean_meters2.py`` checks that it leaves the
library's rows. Run twice with the same reading it writes the installation's
next version again, as the library does (a correction is not refused for
changing nothing).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import lean_sql, scale_commands
from benchmarks.lean_orders import event
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.hydrometers import MeasurementPoint, UpdateInstallation

__all__ = [
    "COMMANDS",
    "STEPS",
    "lean_correct_reading",
    "measure_correct_reading",
]

WATER = MeasurementPoint.WATER_CONNECTION
ACTOR = 10_011  # ATENDENTE 0001 (the synthetic utility's)


def _read(sql: SqlBackend) -> sa.Select[Any]:
    """The correction's one read, the property locked."""
    t = sql.tables
    prop, inst, meter = t["property"], t["hydrometer_installation"], t["hydrometer"]
    return (
        sa.select(
            prop.c.active,
            prop.c.water_status_id,
            inst.c.id,
            inst.c.version,
            inst.c.cut_reading,
            meter.c.reading_digits,
        )
        .select_from(
            prop.outerjoin(
                inst,
                sa.and_(
                    inst.c.property_id == prop.c.id,
                    inst.c.point == int(WATER),
                    inst.c.removed_on.is_(None),
                ),
            ).outerjoin(meter, meter.c.id == inst.c.hydrometer_id)
        )
        .where(prop.c.id == sa.bindparam("property_id"))
        .with_for_update(of=prop)
    )


def lean_correct_reading(
    sql: SqlBackend,
    property_id: int,
    *,
    reading: int,
    no_meter: Collection[int],
    cut: Collection[int],
    actor: int,
    now: datetime,
) -> None:
    """Correct the installation reading of the property's water meter:
    ``no_meter`` the water situations without one (potential, feasible),
    ``cut`` the cut ones (the profile's roles)."""
    read = lean_sql.built(sql, "correct_reading", lambda: _read(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(read, {"property_id": property_id}).one()
        assert row.active
        assert row.water_status_id not in no_meter
        assert row.id is not None  # a meter installed
        assert 0 <= reading < 10 ** (row.reading_digits or 9)
        assert row.water_status_id not in cut or row.cut_reading is not None
        version = row.version + 1
        updated = event(
            "hydrometer.installation_updated",
            now,
            actor,
            point=int(WATER),
            version=version,
            property_id=property_id,
            installation_id=row.id,
        )
        connection.execute(
            lean_sql.built(sql, "correct_reading write", lambda: _write(sql)),
            {
                "installation_id": row.id,
                "expected": row.version,
                "reading": reading,
                "actor": actor,
            }
            | lean_sql.event(0, updated["tag"], now, actor, updated["payload"]),
        )


def _write(sql: SqlBackend) -> Any:
    """The correction's one write (PostgreSQL), built once: the installation
    (compare-and-set on ``expected``) and the outbox row (``o0_*``)."""
    inst = sql.tables["hydrometer_installation"]
    expected = sa.bindparam("expected", type_=inst.c.version.type)
    return lean_sql.one_statement(
        [
            sa.update(inst)
            .where(
                inst.c.id == sa.bindparam("installation_id"),
                inst.c.version == expected,
            )
            .values(
                installation_reading=sa.bindparam("reading"),
                installed_by=sa.bindparam("actor"),
                version=expected + 1,
            ),
            *lean_sql.outbox_rows(sql, 1),
        ]
    )


def measure_correct_reading(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``hydrometers.update_installation`` of the reading beside
    :func:`lean_correct_reading`, each on its own half of ``2 * count``
    metered properties no earlier figure took."""
    del skip
    homes = scale_commands.fresh(sql, metered=True, limit=2 * count)
    count = len(homes) // 2
    profile = gsan.profile
    no_meter = profile.ids("water_status.potential") | profile.ids(
        "water_status.feasible"
    )
    cut = profile.ids("water_status.cut")

    def library(n: int) -> None:
        gsan.hydrometers.update_installation(
            property_id=homes[2 * n], data=UpdateInstallation(reading=12), actor=ACTOR
        )

    def lean(n: int) -> None:
        lean_correct_reading(
            sql,
            homes[2 * n + 1],
            reading=12,
            no_meter=no_meter,
            cut=cut,
            actor=ACTOR,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "correct a meter's installation (lean SQL)", size, library_s, lean_s
    )


#: The names ``python -m benchmarks.commands --only`` takes for these.
STEPS = {"correct_installation": measure_correct_reading}
#: The same names, as the other lean modules list theirs.
COMMANDS = tuple(STEPS)
