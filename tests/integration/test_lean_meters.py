"""The lean meter and connection commands (``benchmarks.lean_meters``) leave
the rows the library leaves: the benchmark compares like with like (issue 20).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written, but the
target's own keys (ids, meter numbers, property ids), outbox rows included.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from benchmarks import lean_meters, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing.hydrometers import METER
from tests.integration import lean_rows
from tests.services.connections_setup import town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "number", "first_id", "last_id", "first_number", "last_number"}
    | {"hydrometer_id", "property_id"}
)


def _rows(sql: SqlBackend, table: str, column: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, column, keys, without=KEYS)


def _outbox(sql: SqlBackend, count: int) -> list[dict[str, Any]]:
    return lean_rows.outbox(sql, count, without=KEYS)


def _system(sql: SqlBackend) -> gsan_core.System:
    return scale._system(sql)


def test_a_lean_meter_insert_writes_the_library_s_rows(sql: SqlBackend) -> None:
    """H-11: a new meter DISPONIVEL with the attributes given, and
    ``hydrometer.inserted``, from either."""
    gsan = _system(sql)
    (available,) = gsan.profile.ids("hydrometer_situation.available")
    gsan.hydrometers.insert(
        number="B24A000001", attributes=METER, location_id=1, actor=1
    )
    lean_meters.lean_insert_meter(
        sql,
        number="B24A000002",
        attributes=METER,
        location_id=1,
        available=available,
        meter_id=10**9,
        now=scale.NOW,
        actor=1,
    )
    library, lean = _rows(sql, "hydrometer", "number", ["B24A000001", "B24A000002"])
    assert library == lean
    assert library["situation_id"] == available
    first, second = _outbox(sql, 2)
    assert first == second
    assert first["tag"] == "hydrometer.inserted"


def test_a_lean_meter_update_writes_the_library_s_rows(sql: SqlBackend) -> None:
    """Manter Hidrômetro (H-2..H-8): the new attributes, the version moved by
    one, and ``hydrometer.changed``, from either."""
    gsan = _system(sql)
    inserted = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=2, attributes=METER, location_id=1, actor=1
    )
    changed = attrs.evolve(METER, warranty_years=2, invoice_number=1234)
    gsan.hydrometers.update(
        inserted.first_id, expected_version=1, actor=1, attributes=changed
    )
    lean_meters.lean_update_meter(
        sql,
        inserted.last_id,
        attributes=changed,
        expected_version=1,
        now=scale.NOW,
        actor=1,
    )
    library, lean = _rows(
        sql, "hydrometer", "id", [inserted.first_id, inserted.last_id]
    )
    assert library == lean
    assert (library["version"], library["warranty_years"]) == (2, 2)
    first, second = _outbox(sql, 2)
    assert first == second
    assert first["payload"]["version"] == 2


def test_a_lean_water_connection_writes_the_library_s_rows(sql: SqlBackend) -> None:
    """UC0354 without an order (V-LA7, V-LA8, permission 65): the property
    LIGADO, its connection row, the history row and
    ``connection.operation_applied``, from either."""
    gsan = town(_system(sql))
    lean_rows.connect_both(
        sql,
        gsan,
        "water",
        library_connect=gsan.connections.connect_water_without_order,
        lean_connect=lean_meters.lean_connect_water,
        data=lean_meters.CONNECT,
        without=KEYS,
    )
    first, second = _outbox(sql, 2)
    assert first == second
    assert first["tag"] == "connection.operation_applied"
