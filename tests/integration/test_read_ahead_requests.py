"""Closing an RA's order and forwarding an RA read ahead after the request's
lock (``adapters/sqlalchemy/read_ahead.py``, ``read_ahead_requests.py``; ADR
0004, ADR 0006; issue 20).

The request is locked in a statement of its own and what the command reads
hangs from it, read by one joined statement begun after the lock: a command
that waited for another holder of the request sees what that holder committed,
rows it *inserted* included. The rows read ahead are kept through the unit of
work's own writes of them (:func:`read_ahead_requests.written`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.read_ahead_requests import written
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.model.service_orders import OrderSituation
from gsan_core.services.service_requests.hooks import RequestClosingProposed
from gsan_core.testing.request_utility import (
    RequestUtility,
    build_request_utility,
)
from tests.conftest import PostgresSchema, sqlite_backend
from tests.integration.budgets import budget_system
from tests.integration.holding import while_held
from tests.integration.opened_requests import opened_at_call_centre

NOT_EXECUTED = 4


def _utility(sql: SqlBackend) -> tuple[gsan_core.System, RequestUtility, list[Any]]:
    """A request utility with two RAs opened, each with its automatic order."""
    system = budget_system(sql)  # the seeded rows copied from a template
    utility = build_request_utility(system, properties=2, actor=0)
    opened = opened_at_call_centre(system, utility, 2)
    system.clock.advance(timedelta(minutes=5))  # TRM-14: a later instant
    return system, utility, opened


@pytest.mark.postgres
def test_closing_an_ra_s_order_after_its_holder_sees_the_order_it_inserted(
    postgres: PostgresSchema,
) -> None:
    """ADR 0004 / ADR 0006 (service-orders §2.6.6): the holder of the request
    adds a second pending order to it and changes the first; the closing
    waits at the request's lock, then closes the changed order (no conflict)
    and, seeing the new pending order, does not propose closing the request.
    A joined read begun before the lock would have missed the new order."""
    sql = postgres.reset()
    system, utility, opened = _utility(sql)
    first = opened[0].order
    assert first is not None

    def hold(uow: Any) -> None:
        uow.service_requests.lock(first.request_id)
        mine = uow.service_orders.get(first.id)
        uow.service_orders.update(
            attrs.evolve(mine, observation="HOLDER", version=mine.version + 1)
        )
        uow.service_orders.add(
            attrs.evolve(mine, id=uow.next_id("service_order"), version=1)
        )

    waited, outcome = while_held(
        sql,
        hold,
        lambda: system.service_orders.close_not_executed(
            order_id=first.id,
            reason_id=NOT_EXECUTED,
            closed_on=system.clock.today(),
            actor=utility.attendant,
        ),
    )
    assert waited, "the closing never waited for the request's lock"
    (result,) = outcome
    assert not isinstance(result, BaseException), result
    assert result.order.observation == "HOLDER"
    assert not any(isinstance(e, RequestClosingProposed) for e in result.effects)
    assert system.service_orders.get(first.id).situation is OrderSituation.CLOSED


@pytest.mark.postgres
def test_forwarding_after_the_request_s_holder_moves_what_it_committed(
    postgres: PostgresSchema,
) -> None:
    """ADR 0004 / ADR 0006 (TRM, §2.5 effects 1-3): the holder of the request
    changes the request and its order; the forwarding waits at the lock, then
    moves both as committed (no conflict) and both updates stay."""
    sql = postgres.reset()
    system, utility, opened = _utility(sql)
    request = opened[0].request
    order = opened[0].order
    assert order is not None

    def hold(uow: Any) -> None:
        mine = uow.service_requests.lock(request.id)
        uow.service_requests.update(
            attrs.evolve(mine, observation="HOLDER", version=mine.version + 1)
        )
        theirs = uow.service_orders.get(order.id)
        uow.service_orders.update(
            attrs.evolve(theirs, observation="HOLDER", version=theirs.version + 1)
        )

    waited, outcome = while_held(
        sql,
        hold,
        lambda: system.service_requests.forward(
            request_id=request.id,
            destination_unit_id=utility.office,
            actor=utility.attendant,
        ),
    )
    assert waited, "the forwarding never waited for the request's lock"
    (result,) = outcome
    assert not isinstance(result, BaseException), result
    assert result.orders_moved == 1
    moved = system.service_requests.get(request.id)
    assert (moved.observation, moved.current_unit_id) == ("HOLDER", utility.office)
    after = system.service_orders.get(order.id)
    assert (after.observation, after.current_unit_id) == ("HOLDER", utility.office)


def test_rows_read_ahead_are_kept_through_the_unit_of_work_s_own_writes(
    tmp_path: Path,
) -> None:
    """Issue 20: an entity written through its repository replaces its rows
    read ahead (by id, by criteria it still matches, by lock); a write of
    unknown rows forgets the table's; ``times`` answers a read that often."""
    sql = sqlite_backend(tmp_path / "kept.db")
    try:
        system, _, opened = _utility(sql)
        order = opened[0].order
        assert order is not None
        rid = order.request_id
        pending = ("by", (("request_id", rid), ("situation", 1)))
        with sql.uow_factory() as uow:
            uow.read_ahead("close_order", order.id)
            assert uow.service_orders.get(order.id) == order  # twice: before
            assert uow.service_requests.lock_many([rid])[rid].id == rid
            closed = attrs.evolve(
                order, situation=OrderSituation.CLOSED, version=order.version + 1
            )
            uow.service_orders.update(closed)
            # and after the request's lock: the unit of work's own write
            assert uow.service_orders.get(order.id) == closed
            assert uow.take_ahead("service_order", pending) == []
            assert uow.take_ahead("service_order", ("id", order.id)) is MISSING
            assert uow.take_ahead("service_request", ("id", rid)).id == rid
            uow.wrote("service_request")  # rows unknown: forgotten
            assert uow.take_ahead("service_request", ("id", rid)) is MISSING
            uow.rollback()
        assert system.service_orders.get(order.id) == order
    finally:
        sql.dispose()


def test_written_forgets_the_reads_it_does_not_know() -> None:
    """Issue 20: a kept read of another shape (the meter installed at a
    point) is forgotten by a write of its table, rows known or not."""

    @attrs.frozen
    class Row:
        id: int

    ahead: dict[tuple[str, object], list[Any]] = {
        ("t", ("current", 1, 1)): [Row(1), 1],
        ("t", ("lock", (1, 2))): [{1: Row(1), 2: Row(2)}, 1],
        ("u", ("id", 1)): [Row(1), 1],
    }
    new = Row(2)
    kept = written(ahead, "t", [({"id": 2}, new)])
    assert ("t", ("current", 1, 1)) not in kept
    assert kept[("t", ("lock", (1, 2)))][0][2] is new
    assert kept[("u", ("id", 1))] == ahead[("u", ("id", 1))]
    assert set(written(ahead, "t", [])) == {("u", ("id", 1))}
