"""The lean change of a connection's situation (``benchmarks.lean_connections``)
leaves the rows the library leaves: the benchmark compares like with like
(issue 20).

The library closes one order of type 1004 and the lean version another, on
two properties alike; every column of the rows written is compared but the
target's own keys, outbox rows included.
"""

from __future__ import annotations

import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from benchmarks import lean_connections, scale

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.connections import ChangeSituationInput, ConnectionTarget
from gsan_core.model.service_orders import OrderSituation
from tests.integration import lean_rows
from tests.services.connections_setup import ACTOR, add_property, order_for, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "order_id", "property_id"})


def _rows(sql: SqlBackend, table: str, column: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, column, keys, without=KEYS)


def _outbox(sql: SqlBackend, count: int) -> list[dict[str, Any]]:
    return lean_rows.outbox(sql, count, without=KEYS)


def test_a_lean_change_of_situation_writes_the_library_s_rows(
    sql: SqlBackend,
) -> None:
    """UC0555 (V-AS4: FACTÍVEL on a block with a network; the water
    connection's row deleted): the property's situation, the history row, the
    order closed with execution, its unit record and the three outbox rows,
    from either."""
    gsan = town(scale._system(sql))
    for pid in (800, 801):
        add_property(gsan, pid, 3)
    assert lean_connections.changeable(sql, 10) == [800, 801]
    orders = [
        order_for(gsan, lean_connections.CHANGE_TYPE, pid).id for pid in (800, 801)
    ]
    feasible = lean_connections.feasible_water(gsan)
    profile = gsan.profile
    (permission,) = profile.ids("permission.change_situation_with_debts")
    reason = profile.id("closing_reason.service_concluded")
    assert reason is not None
    gsan.connections.change_situation(
        order_id=orders[0],
        data=ChangeSituationInput(
            target=ConnectionTarget.WATER, water_status_id=feasible
        ),
        actor=ACTOR,
    )
    lean_connections.lean_change_situation(
        sql,
        orders[1],
        water_status_id=feasible,
        reason_id=reason,
        permission_id=permission,
        ids=itertools.count(10**9),
        now=scale.NOW,
        zone=ZoneInfo(profile.timezone),
        actor=ACTOR,
    )
    for table, column, keys in (
        ("property", "id", [800, 801]),
        ("situation_change", "property_id", [800, 801]),
        ("service_order", "id", orders),
        ("order_unit", "order_id", orders),
    ):
        library, lean = _rows(sql, table, column, keys)
        assert library == lean, table
    assert _rows(sql, "property", "id", [800])[0]["water_status_id"] == feasible
    closed = _rows(sql, "service_order", "id", orders[:1])[0]
    assert closed["situation"] == int(OrderSituation.CLOSED)
    assert lean_connections.changeable(sql, 10) == []
    # the order's id names the target too
    rows = [
        r | {"payload": {k: v for k, v in r["payload"].items() if k not in KEYS}}
        for r in _outbox(sql, 6)
    ]
    assert rows[:3] == rows[3:]
    assert [r["tag"] for r in rows[:3]] == list(lean_connections._TAGS)
