"""The lean command of ``benchmarks.lean_inform`` leaves the rows the library
leaves: the benchmark compares like with like (issue 20, eleventh round).

The library informs one place's month, the lean version another's with the
same edit (a window removed, one kept, one changed, one added); every column
of the windows and of the outbox rows is compared but the keys naming the
target. The lean version refuses what the library refuses (a stale version,
an overlap), writing nothing, and a second run of the same list writes
nothing more (PAM-05).
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_inform, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import RuleViolation
from gsan_core.model.service_desk import SupplySchedule
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "area_id", "schedule_id"})
NEW_ID = 10**9


def _month(sql: SqlBackend, area: int) -> list[dict[str, Any]]:
    t = sql.tables["supply_schedule"]
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(t).where(t.c.area_id == area).order_by(t.c.starts_on)
        ).mappings()
        return [{k: v for k, v in r.items() if k not in KEYS} for r in rows]


def _inform(
    sql: SqlBackend, made: list[SupplySchedule], windows: list[SupplySchedule]
) -> tuple[SupplySchedule, ...]:
    return lean_inform.lean_inform(
        sql, place=made[0], windows=windows, ids=[NEW_ID], now=scale.NOW, actor=1
    )


def test_a_lean_month_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-01: the window of the 2nd removed, the 4th kept at version 1, the
    6th moved to the 7th at version 2, one added on the 10th, and three
    ``service_desk.schedule_changed`` (added, changed, removed), from
    either; a stale version and an overlap refused, nothing written; the
    same list again refused (its versions moved)."""
    library, lean = lean_inform.month(gsan, 701), lean_inform.month(gsan, 702)
    stored = gsan.service_desk.inform(
        place=library[0], windows=lean_inform.edited(library), actor=1
    )
    before = lean_rows.last_outbox_id(sql)
    stale = lean_inform.edited(lean)
    stale[1] = attrs.evolve(stale[1], version=2)
    overlapping = lean_inform.edited(lean)
    overlapping[2] = attrs.evolve(
        overlapping[2],
        starts_on=overlapping[1].starts_on,
        ends_on=overlapping[1].ends_on,
    )
    with pytest.raises(RuleViolation):
        gsan.service_desk.inform(place=library[0], windows=overlapping, actor=1)
    for wrong in (stale, overlapping):
        with pytest.raises(AssertionError):
            _inform(sql, lean, wrong)
    assert lean_rows.last_outbox_id(sql) == before
    final = _inform(sql, lean, lean_inform.edited(lean))
    assert [(w.starts_on.day, w.version) for w in final] == [
        (w.starts_on.day, w.version) for w in stored
    ]
    assert [w.starts_on.day for w in final] == [4, 7, 10]
    assert NEW_ID in {w.id for w in final}
    assert _month(sql, 701) == _month(sql, 702)
    assert [r["version"] for r in _month(sql, 702)] == [1, 2, 1]
    outbox = lean_rows.outbox(sql, 6, without=KEYS)
    assert outbox[:3] == outbox[3:]
    assert [r["payload"]["change"] for r in outbox[3:]] == [
        "added",
        "changed",
        "removed",
    ]
    with pytest.raises(AssertionError):
        _inform(sql, lean, lean_inform.edited(lean))
    assert lean_rows.last_outbox_id(sql) == before + 3
