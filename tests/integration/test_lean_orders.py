"""The lean order and request commands (``benchmarks.lean_orders``, issue 20)
leave the rows the library leaves: each command runs through the library on
one RA and by hand on another, and the two RAs' rows (the request, its orders,
its routing steps, the orders' unit trail and the outbox rows each wrote) are
compared with the ids that differ left out."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from benchmarks import lean_orders

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    build_request_utility,
)
from tests.conftest import PostgresSchema, sqlite_backend
from tests.integration.budgets import budget_system
from tests.integration.lean_rows import last_outbox_id
from tests.integration.opened_requests import opened_at_call_centre

NOT_EXECUTED = 4
#: Keys that name the RA, its property or a row of its own.
OWN = {
    "id",
    "request_id",
    "order_id",
    "step_id",
    "property_id",
    "protocol",
    "locality_id",
    "sector_id",
    "block_id",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlBackend]:
    if request.param == "sqlite":
        # the process's shared tables (building them cost ~0.2 s of CPU)
        backend = sqlite_backend(tmp_path / "lean.db")
        yield backend
        backend.dispose()
    else:
        pg: PostgresSchema = request.getfixturevalue("postgres")
        yield pg.reset()


def _plain(row: Any) -> dict[str, Any]:
    found = {k: v for k, v in dict(row).items() if k not in OWN}
    if isinstance(found.get("payload"), dict):
        found["payload"] = {k: v for k, v in found["payload"].items() if k not in OWN}
    return found


class Rows:
    """The rows of one RA, and the outbox rows written since the last look."""

    def __init__(self, sql: SqlBackend) -> None:
        self.sql = sql
        self.seen = last_outbox_id(sql)

    def of(self, request_id: int) -> dict[str, Any]:
        t = self.sql.tables
        req, order, step, trail = (
            t["service_request"],
            t["service_order"],
            t["routing_step"],
            t["order_unit"],
        )
        outbox = t["outbox"]
        mine = sa.select(order.c.id).where(order.c.request_id == request_id)
        with self.sql.engine.connect() as connection:

            def rows(statement: Any) -> list[dict[str, Any]]:
                return [_plain(r) for r in connection.execute(statement).mappings()]

            found = {
                "request": rows(sa.select(req).where(req.c.id == request_id)),
                "orders": rows(
                    sa.select(order)
                    .where(order.c.request_id == request_id)
                    .order_by(order.c.id)
                ),
                "reiterations": rows(
                    sa.select(t["reiteration"])
                    .where(t["reiteration"].c.request_id == request_id)
                    .order_by(t["reiteration"].c.at)
                ),
                "steps": rows(
                    sa.select(step)
                    .where(step.c.request_id == request_id)
                    .order_by(step.c.at, step.c.id)
                ),
                "trail": rows(
                    sa.select(trail)
                    .where(trail.c.order_id.in_(mine))
                    .order_by(trail.c.relation, trail.c.id)
                ),
                "outbox": rows(
                    sa.select(outbox)
                    .where(outbox.c.id > self.seen)
                    .order_by(outbox.c.id)
                ),
            }
        self.seen = last_outbox_id(self.sql)
        return found


Step = tuple[str, Callable[[], object], Callable[[], object]]


def _steps(
    system: gsan_core.System,
    sql: SqlBackend,
    clock: FixedClock,
    mine: Any,
    theirs: Any,
    office: int,
    attendant: int,
) -> list[Step]:
    """Each command: its name, the library's call on ``mine``, the lean
    version on ``theirs`` (at the clock's time when called)."""
    order, their_order = mine.order.id, theirs.order.id
    zone = ZoneInfo(system.profile.timezone)
    ids = itertools.count(9_000_000_000)
    requests_, orders_ = system.service_requests, system.service_orders
    steps: list[Step] = [
        (
            "forward",
            lambda: requests_.forward(
                request_id=mine.request.id,
                destination_unit_id=office,
                actor=attendant,
            ),
            lambda: lean_orders.lean_forward(
                sql,
                theirs.request.id,
                destination=office,
                actor=attendant,
                ids=ids,
                now=clock.now(),
            ),
        ),
        (
            "update",
            lambda: orders_.update(
                order_id=order, expected_version=2, actor=attendant, observation="X"
            ),
            lambda: lean_orders.lean_update_order(
                sql,
                their_order,
                expected_version=2,
                observation="X",
                actor=attendant,
                now=clock.now(),
            ),
        ),
        (
            "start",
            lambda: orders_.start_execution(order_id=order, actor=attendant),
            lambda: lean_orders.lean_start_execution(
                sql, their_order, actor=attendant, now=clock.now()
            ),
        ),
        (
            "reiterate",
            lambda: requests_.reiterate(request_id=mine.request.id, actor=attendant),
            lambda: lean_orders.lean_reiterate(
                sql,
                theirs.request.id,
                actor=attendant,
                ids=ids,
                now=clock.now(),
                zone=zone,
            ),
        ),
        (
            "close not executed",
            lambda: orders_.close_not_executed(
                order_id=order,
                reason_id=NOT_EXECUTED,
                closed_on=system.clock.today(),
                actor=attendant,
            ),
            lambda: lean_orders.lean_close_not_executed(
                sql,
                their_order,
                reason_id=NOT_EXECUTED,
                actor=attendant,
                ids=ids,
                now=clock.now(),
                zone=zone,
            ),
        ),
        (
            "close the RA",
            lambda: requests_.close(
                request_id=mine.request.id, reason_id=NOT_EXECUTED, actor=attendant
            ),
            lambda: lean_orders.lean_close_request(
                sql,
                theirs.request.id,
                reason_id=NOT_EXECUTED,
                actor=attendant,
                now=clock.now(),
            ),
        ),
    ]
    return steps


def test_the_lean_order_and_request_commands_leave_the_library_s_rows(
    sql: SqlBackend,
) -> None:
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2, actor=0)
    attendant = utility.attendant
    mine, theirs = opened_at_call_centre(system, utility, 2)
    assert mine.order is not None
    assert theirs.order is not None
    clock.advance(timedelta(minutes=5))  # TRM-14: a later instant
    steps = _steps(system, sql, clock, mine, theirs, utility.office, attendant)
    rows = Rows(sql)
    for name, library, lean in steps:
        if name == "reiterate":
            # REI-02: on the request's due date
            due = mine.request.current_due_date - system.clock.today()
            clock.advance(max(due, timedelta(0)))
        before = rows.of(mine.request.id)
        library()
        after_library = rows.of(mine.request.id)
        lean()
        after_lean = rows.of(theirs.request.id)
        assert after_lean == after_library, name
        assert after_library != before, name  # the step wrote something
        assert after_library["outbox"], name
