"""Changing a connection's situation and connecting water or sewer without
an order send statements psycopg converts once (issue 20): each under 4 KiB
and with at most 50 parameters, the limits of psycopg's cache of converted
queries (a longer statement, or one with more parameters, is converted again
on every call).

Their joined reads name their columns without labels and are read by
position (``read_ahead.Positional``); changing a situation reads the
installations at either point by their ids alone (V-AS3 refuses the change
while one is installed).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.connections import (
    ChangeSituationInput,
    ConnectionTarget,
    SewerConnectionInput,
)
from gsan_core.model.service_orders import OrderSituation
from tests.integration.budgets import budget_system
from tests.integration.psycopg_cache import Sent, sent
from tests.services.connections_setup import (
    ACTOR,
    CONNECT,
    add_property,
    order_for,
    town,
)

pytestmark = pytest.mark.postgres

TARGETS = {
    "water": ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2),
    "both": ChangeSituationInput(
        target=ConnectionTarget.BOTH, water_status_id=2, sewer_status_id=2
    ),
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_changing_a_situation_sends_statements_psycopg_converts_once(
    sql: SqlBackend, target: str
) -> None:
    gsan = town(budget_system(sql))
    orders = []
    for pid in (800, 801):
        add_property(gsan, pid, 3, 3)
        orders.append(order_for(gsan, 1004, pid).id)
    data = TARGETS[target]

    def change(n: int) -> None:
        gsan.connections.change_situation(order_id=orders[n], data=data, actor=ACTOR)

    change(0)  # warms the caches (reference rows, id blocks)
    with sent(sql.engine) as statements:
        change(1)

    assert len(statements) == 3  # the lock, the joined read, the writes
    too_long = [s for s in statements if s.oversized]
    assert too_long == []


def _too_long(sql: SqlBackend, action: Any) -> list[Sent]:
    """The statements of ``action(1)`` (after ``action(0)`` warmed the
    caches) over psycopg's limits."""
    action(0)
    with sent(sql.engine) as statements:
        action(1)
    assert len(statements) == 3  # the locks, the joined read, the writes
    return [s for s in statements if s.oversized]


def test_connecting_without_an_order_sends_statements_psycopg_converts_once(
    sql: SqlBackend,
) -> None:
    gsan = town(budget_system(sql))
    for pid in (500, 501, 510, 511):
        add_property(gsan, pid, 1)
    connections = gsan.connections
    sewer = SewerConnectionInput(
        connected_on=CONNECT.connected_on,
        diameter_id=1,
        material_id=1,
        profile_id=1,
        grease_trap=False,
    )

    def water(n: int) -> None:
        connections.connect_water_without_order(
            property_id=500 + n, data=CONNECT, actor=ACTOR
        )

    def sewered(n: int) -> None:
        connections.connect_sewer_without_order(
            property_id=510 + n, data=sewer, actor=ACTOR
        )

    assert _too_long(sql, water) == []
    assert _too_long(sql, sewered) == []


def _described(engine: sa.Engine, action: Any) -> list[int]:
    """The number of columns of each statement ``action()`` sends (psycopg
    describes each one on every call)."""
    found: list[int] = []

    def _after(_conn: object, cursor: Any, *_: object) -> None:
        found.append(len(cursor.description or ()))

    event.listen(engine, "after_cursor_execute", _after)
    try:
        action()
    finally:
        event.remove(engine, "after_cursor_execute", _after)
    return found


def test_changing_a_situation_reads_the_debts_by_their_ids_alone(
    sql: SqlBackend,
) -> None:
    """The joined read takes the debts by their ids and closing's three
    payment-slip columns (V-AS5 counts them), 20 columns fewer for psycopg to
    describe; a property with debts has them read whole by their repository,
    one statement more then only, and the change goes through with the
    permission (ACTOR holds 81)."""
    gsan = town(budget_system(sql))
    orders = []
    for pid in (820, 821, 822):
        add_property(gsan, pid, 3, 3)
        orders.append(order_for(gsan, 1004, pid).id)
    gsan.billing.record_debts(
        [OpenDebt(id=5, property_id=822, kind=DebtKind.CREDIT, amount=Decimal(3))]
    )
    data = TARGETS["water"]

    def change(n: int) -> None:
        gsan.connections.change_situation(order_id=orders[n], data=data, actor=ACTOR)

    change(0)  # warms the caches (reference rows, id blocks)
    described = _described(sql.engine, lambda: change(1))
    assert len(described) == 3  # the lock, the joined read, the writes
    assert described[1] <= 121  # 141 with every debt column
    with sent(sql.engine) as with_debts:
        change(2)
    assert len(with_debts) == 4  # the debts read whole, before the writes
    order = gsan.service_orders.get(orders[2])
    assert order.situation is OrderSituation.CLOSED
