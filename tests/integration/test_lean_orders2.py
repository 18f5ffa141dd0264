"""The lean commands of ``benchmarks.lean_orders2`` leave the rows the
library leaves (issue 20): each runs through the library on one target and by
hand on another of the same kind; every column written is compared but the
target's own keys, outbox rows included. Each is also run twice: the second
run writes a second order (the generation, as the library does), or nothing.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import commands, lean_orders2, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import OrderSituation
from tests.integration import lean_rows
from tests.services.connections_setup import ACTOR, add_property, order_for, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "property_id", "order_id"})
TYPE = lean_orders2.GENERATED_TYPE


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    system = town(scale._system(sql))
    for pid in (500, 501):
        add_property(system, pid, 3)
    return system


def _orders(sql: SqlBackend, ids: list[int]) -> list[dict[str, Any]]:
    return lean_rows.rows(sql, "service_order", "id", ids, without=KEYS)


def test_a_lean_generation_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A standalone order of the type (its value, priority and its
    locality's unit), its trail row (opened by the actor's unit) and one
    ``service_order.generated``, from either; twice, a second order."""
    library = order_for(gsan, TYPE, 500)
    ids = itertools.count(9_000_000_000)
    lean = lean_orders2.lean_generate_order(
        sql, 501, type_id=TYPE, actor=ACTOR, ids=ids, now=scale.NOW
    )
    first, second = _orders(sql, [library.id, lean])
    assert first == second
    assert (first["situation"], first["current_unit_id"]) == (
        int(OrderSituation.PENDING),
        1,
    )
    assert lean_rows.trails(sql, [library.id], without=KEYS) == lean_rows.trails(
        sql, [lean], without=KEYS
    )
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "service_order.generated"
    again = lean_orders2.lean_generate_order(
        sql, 501, type_id=TYPE, actor=ACTOR, ids=ids, now=scale.NOW
    )
    assert again != lean
    assert _orders(sql, [again]) == [second]


def test_a_lean_return_to_pending_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """An order in execution (and scheduled) back to pending, off its schedule, and one
    ``service_order.situation_changed`` with the reason, from either; a
    second run refused, nothing written."""
    orders = [order_for(gsan, TYPE, pid).id for pid in (500, 501)]
    for order in orders:
        gsan.service_orders.start_execution(order_id=order, actor=ACTOR)
    table = sql.tables["service_order"]
    with sql.engine.begin() as connection:
        # in a programming (the return takes them out of it)
        connection.execute(
            sa.update(table).where(table.c.id.in_(orders)).values(scheduled=True)
        )
    reason = lean_orders2.NON_EXECUTION_REASON
    gsan.service_orders.back_to_pending(
        order_id=orders[0], actor=ACTOR, reason_id=reason
    )
    lean_orders2.lean_back_to_pending(
        sql, orders[1], reason_id=reason, actor=ACTOR, now=scale.NOW
    )
    first, second = _orders(sql, orders)
    assert first == second
    assert (first["situation"], first["version"], first["scheduled"]) == (
        int(OrderSituation.PENDING),
        3,
        False,
    )
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert (one["tag"], one["payload"]["reason_id"]) == (
        "service_order.situation_changed",
        reason,
    )
    seen = lean_rows.last_outbox_id(sql)
    with pytest.raises(AssertionError):
        lean_orders2.lean_back_to_pending(
            sql, orders[1], reason_id=reason, actor=ACTOR, now=scale.NOW
        )
    assert _orders(sql, [orders[1]]) == [second]
    assert lean_rows.last_outbox_id(sql) == seen


def test_a_lean_acknowledgement_marks_what_the_library_marks(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """The entries named and still pending marked published at the clock's
    time, from either; a second run marks nothing."""
    for pid in (500, 501):
        order_for(gsan, TYPE, pid)
    pending = [e.id for e in gsan.outbox.pending(100)]
    assert len(pending) >= 4
    library, lean = pending[:2], pending[2:4]
    assert gsan.outbox.ack(library) == 2
    assert lean_orders2.lean_ack(sql, lean, now=scale.NOW) == 2
    marked = lean_rows.rows(sql, "outbox", "id", library + lean, without={"id"})
    assert {r["published_at"] for r in marked} == {scale.NOW}
    assert lean_orders2.lean_ack(sql, lean, now=scale.NOW) == 0
    assert gsan.outbox.ack(library) == 0


def test_the_benchmark_measures_them() -> None:
    """``python -m benchmarks.commands --only`` takes their names."""
    assert set(lean_orders2.COMMANDS) <= set(commands.COMMANDS)
    assert set(lean_orders2.COMMANDS) <= set(commands.METER_STEPS)
