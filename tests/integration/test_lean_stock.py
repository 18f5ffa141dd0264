"""The lean meter-stock commands (``benchmarks.lean_stock``) leave the rows
the library leaves: the benchmark compares like with like (issue 20).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written but the
target's own keys (ids, meter numbers), outbox rows included.
"""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_stock, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing.hydrometers import METER
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "number", "first_id", "last_id", "first_number", "last_number"}
    | {"hydrometer_id", "movement_id"}
)


def _rows(sql: SqlBackend, table: str, column: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, column, keys, without=KEYS)


def _outbox(sql: SqlBackend, count: int) -> list[dict[str, Any]]:
    return lean_rows.outbox(sql, count, without=KEYS)


def _stock(sql: SqlBackend, fixed: str, first: int, last: int) -> list[Any]:
    """The meters of a range, by number, without their keys."""
    numbers = lean_stock.range_numbers(fixed, first, last)
    return _rows(sql, "hydrometer", "number", numbers)


def _same_event(sql: SqlBackend, tag: str) -> dict[str, Any]:
    first, second = _outbox(sql, 2)
    assert first == second
    assert first["tag"] == tag
    return first


def test_a_lean_range_insert_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """H-9..H-11: the range's meters DISPONIVEL with the attributes given,
    and one ``hydrometer.inserted``, from either."""
    (available,) = gsan.profile.ids("hydrometer_situation.available")
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=3, attributes=METER, location_id=1, actor=1
    )
    lean_stock.lean_insert_range(
        sql,
        fixed="B24A",
        first=4,
        last=6,
        attributes=METER,
        location_id=1,
        available=available,
        first_id=10**9,
        now=scale.NOW,
        actor=1,
    )
    library, lean = _stock(sql, "B24A", 1, 3), _stock(sql, "B24A", 4, 6)
    assert library == lean
    assert {r["situation_id"] for r in library} == {available}
    assert _same_event(sql, "hydrometer.inserted")["payload"]["count"] == 3


def test_a_lean_range_update_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Atualizar Conjunto (H-2..H-9): every meter of the range with the new
    attributes, its version moved by one, and one
    ``hydrometer.bulk_updated``, from either."""
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=6, attributes=METER, location_id=1, actor=1
    )
    changed = attrs.evolve(METER, warranty_years=2, invoice_number=1234)
    assert (
        gsan.hydrometers.update_range(
            fixed="B24A", first=1, last=3, attributes=changed, actor=1
        )
        == 3
    )
    assert (
        lean_stock.lean_update_range(
            sql,
            fixed="B24A",
            first=4,
            last=6,
            attributes=changed,
            now=scale.NOW,
            actor=1,
        )
        == 3
    )
    library, lean = _stock(sql, "B24A", 1, 3), _stock(sql, "B24A", 4, 6)
    assert library == lean
    assert {(r["version"], r["warranty_years"]) for r in library} == {(2, 2)}
    assert _same_event(sql, "hydrometer.bulk_updated")["payload"]["count"] == 3


def test_a_lean_movement_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Movimentar Hidrômetro (V-1..V-7): the meters at the workshop EM
    MANUTENCAO, their versions moved, the movement with its lines and one
    ``hydrometer.moved``, from either."""
    inserted = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=4, attributes=METER, location_id=1, actor=1
    )
    ids = list(range(inserted.first_id, inserted.last_id + 1))
    moved = gsan.hydrometers.move(
        hydrometer_ids=ids[:2],
        destination_id=lean_stock.WORKSHOP,
        reason_id=1,
        moved_on=scale.TODAY,
        moved_time=time(12),
        actor=1,
    )
    lean_stock.lean_move(
        sql,
        ids[2:],
        destination_id=lean_stock.WORKSHOP,
        reason_id=1,
        moved_on=scale.TODAY,
        moved_time=time(12),
        situations=lean_stock.situations(gsan),
        movement_id=10**9,
        now=scale.NOW,
        actor=1,
        zone=ZoneInfo(gsan.profile.timezone),
    )
    library, lean = _stock(sql, "B24A", 1, 2), _stock(sql, "B24A", 3, 4)
    assert library == lean
    (maintenance,) = gsan.profile.ids("hydrometer_situation.maintenance")
    assert {(r["situation_id"], r["location_id"]) for r in library} == {
        (maintenance, lean_stock.WORKSHOP)
    }
    documents = _rows(sql, "hydrometer_movement", "id", [moved.id, 10**9])
    assert documents[0] == documents[1]
    assert documents[0]["count"] == 2
    line = sql.tables["hydrometer_movement_line"]
    with sql.engine.connect() as connection:
        lines = {tuple(r) for r in connection.execute(sa.select(line))}
    assert lines == {(moved.id, i) for i in ids[:2]} | {(10**9, i) for i in ids[2:]}
    assert _same_event(sql, "hydrometer.moved")["payload"]["count"] == 2


def test_a_lean_delete_leaves_what_the_library_leaves(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Manter Hidrômetro, remover: the meter gone and one
    ``hydrometer.deleted``, from either; a meter that was moved stays (GSAN's
    dependencies, the lean version's assert)."""
    inserted = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=3, attributes=METER, location_id=1, actor=1
    )
    first, second, third = range(inserted.first_id, inserted.last_id + 1)
    gsan.hydrometers.delete(first, expected_version=1, actor=1)
    lean_stock.lean_delete_meter(
        sql, second, expected_version=1, now=scale.NOW, actor=1
    )
    assert [m.id for m in gsan.hydrometers.in_range(fixed="B24A", first=1, last=3)] == [
        third
    ]
    assert _same_event(sql, "hydrometer.deleted")["payload"] == {
        "type": "hydrometer.deleted",
        "occurred_at": scale.NOW.isoformat(),
        "actor": 1,
    }
    gsan.hydrometers.move(
        hydrometer_ids=[third],
        destination_id=2,
        reason_id=1,
        moved_on=scale.TODAY,
        moved_time=time(12),
        actor=1,
    )
    with pytest.raises(AssertionError):
        lean_stock.lean_delete_meter(
            sql, third, expected_version=2, now=scale.NOW, actor=1
        )
    assert gsan.hydrometers.get(third).version == 2
