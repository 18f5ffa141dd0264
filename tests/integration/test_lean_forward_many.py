"""The lean joint forwarding (``benchmarks.lean_forwarding.lean_forward_many``,
UC0503) leaves the rows the library leaves: the benchmark compares like with
like (issue 20).

Four RAs alike (each with its automatic order) are opened at the call
centre; the library forwards two together to the second office, the lean
version the other two; each RA's request, orders and routing steps and the
outbox rows each side wrote are compared with the ids that differ left out.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_forwarding

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    build_request_utility,
)
from tests.integration.budgets import budget_system
from tests.integration.lean_rows import last_outbox_id
from tests.integration.opened_requests import opened_at_call_centre

pytestmark = pytest.mark.postgres

#: Keys that name the RA, its property or a row of its own.
OWN = frozenset(
    {"id", "request_id", "order_id", "step_id", "property_id", "protocol"}
    | {"locality_id", "sector_id", "block_id"}
)


def _plain(row: Any) -> dict[str, Any]:
    found = {k: v for k, v in dict(row).items() if k not in OWN}
    if isinstance(found.get("payload"), dict):
        found["payload"] = {k: v for k, v in found["payload"].items() if k not in OWN}
    return found


def _rows(sql: SqlBackend, request_ids: list[int], seen: int) -> dict[str, Any]:
    """The requests', their orders' and steps' rows, and the outbox rows
    after ``seen``."""
    t = sql.tables
    req, order, step, outbox = (
        t["service_request"],
        t["service_order"],
        t["routing_step"],
        t["outbox"],
    )
    with sql.engine.connect() as connection:

        def rows(statement: Any) -> list[dict[str, Any]]:
            return [_plain(r) for r in connection.execute(statement).mappings()]

        return {
            "requests": rows(
                sa.select(req).where(req.c.id.in_(request_ids)).order_by(req.c.id)
            ),
            "orders": rows(
                sa.select(order)
                .where(order.c.request_id.in_(request_ids))
                .order_by(order.c.request_id, order.c.id)
            ),
            "steps": rows(
                sa.select(step)
                .where(step.c.request_id.in_(request_ids))
                .order_by(step.c.request_id, step.c.at, step.c.id)
            ),
            "outbox": rows(
                sa.select(outbox).where(outbox.c.id > seen).order_by(outbox.c.id)
            ),
        }


def test_uc0503_a_lean_joint_forwarding_writes_the_library_s_rows(
    sql: SqlBackend,
) -> None:
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=4, actor=0)
    opened = [o.request.id for o in opened_at_call_centre(system, utility, 4)]
    clock.advance(timedelta(minutes=5))  # TRM-14: a later instant
    mine, theirs = opened[:2], opened[2:]
    before = _rows(sql, mine, last_outbox_id(sql))
    seen = last_outbox_id(sql)
    system.service_requests.forward_many(
        request_ids=mine, destination_unit_id=utility.office_2, actor=utility.admin
    )
    library = _rows(sql, mine, seen)
    seen = last_outbox_id(sql)
    lean_forwarding.lean_forward_many(
        sql,
        theirs,
        destination=utility.office_2,
        actor=utility.admin,
        ids=itertools.count(9_000_000),
        now=clock.now(),
    )
    lean = _rows(sql, theirs, seen)
    assert library != before
    assert [r["tag"] for r in library["outbox"]].count("service_request.forwarded") == 2
    assert all(r["current_unit_id"] == utility.office_2 for r in library["orders"])
    assert lean == library
