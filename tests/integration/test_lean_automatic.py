"""The lean automatic scheduling run (``benchmarks.lean_scheduling``, UC1190)
leaves the rows the library leaves: the benchmark compares like with like
(issue 20).

Two offices alike (two automatic teams of two orders a day, five pending
orders of an automatic type each): the library runs one's day, the lean
version the other's; the programmings, the orders and the outbox rows are
compared with the teams and orders named by their rank in their office.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_scheduling

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility
from tests.integration.budgets import budget_system
from tests.integration.lean_rows import last_outbox_id

pytestmark = pytest.mark.postgres

ORDERS = 5


def _rows(sql: SqlBackend, unit_id: int, seen: int) -> dict[str, Any]:
    """The unit's programmings, orders and the outbox rows after ``seen``,
    teams and orders by their rank in the unit."""
    t = sql.tables
    team, order, row, outbox = (
        t["team"],
        t["service_order"],
        t["scheduled_order"],
        t["outbox"],
    )
    with sql.engine.connect() as connection:
        teams = list(
            connection.execute(
                sa.select(team.c.id)
                .where(team.c.unit_id == unit_id)
                .order_by(team.c.id)
            ).scalars()
        )
        orders = (
            connection.execute(
                sa.select(order.c.id, order.c.scheduled, order.c.version)
                .where(order.c.current_unit_id == unit_id)
                .order_by(order.c.id)
            )
            .mappings()
            .all()
        )
        rank = {o["id"]: n for n, o in enumerate(orders)}
        rows = (
            connection.execute(
                sa.select(row)
                .where(row.c.unit_id == unit_id)
                .order_by(row.c.team_id, row.c.sequence)
            )
            .mappings()
            .all()
        )
        events = (
            connection.execute(
                sa.select(outbox).where(outbox.c.id > seen).order_by(outbox.c.id)
            )
            .mappings()
            .all()
        )
    own = {"id", "schedule_id", "order_id", "team_id", "unit_id"}
    ranked = {"order_id": rank, "team_id": {k: n for n, k in enumerate(teams)}}

    def plain(values: Any) -> dict[str, Any]:
        found = {k: v for k, v in dict(values).items() if k not in own}
        for key, ranks in ranked.items():
            if key in values:
                found[f"{key} rank"] = ranks[values[key]]
        return found

    def payload(values: dict[str, Any]) -> dict[str, Any]:
        found = plain({k: v for k, v in values.items() if k != "programming_id"})
        if "order_ids" in values:
            found["order_ids"] = [rank[o] for o in values["order_ids"]]
        return found

    return {
        "orders": [{k: v for k, v in o.items() if k != "id"} for o in orders],
        "programmings": [plain(r) for r in rows],
        "outbox": [
            {"tag": e["tag"], "actor": e["actor"], "payload": payload(e["payload"])}
            for e in events
        ],
    }


def test_uc1190_a_lean_automatic_run_writes_the_library_s_rows(
    sql: SqlBackend,
) -> None:
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2 * ORDERS, actor=0)
    homes = [p.id for p in utility.town.properties[: 2 * ORDERS]]
    offices = (utility.office, utility.office_2)
    for side, office in enumerate(offices):
        lean_scheduling.auto_unit(
            system,
            office,
            homes[side * ORDERS : (side + 1) * ORDERS],
            actor=utility.attendant,
            tag=f"T{side} ",
        )
    today = system.clock.today()
    day = lean_scheduling.working_days(today + timedelta(days=1), 1)[0]
    seen = last_outbox_id(sql)
    before = _rows(sql, offices[0], seen)
    done = system.scheduling.schedule_automatically(
        unit_id=offices[0], on=day, actor=utility.attendant
    )
    library = _rows(sql, offices[0], seen)
    seen = last_outbox_id(sql)
    placed = lean_scheduling.lean_schedule_automatically(
        sql,
        unit_id=offices[1],
        on=day,
        keep=lean_scheduling.auto_kept(system, offices[1], day),
        ids=itertools.count(9_000_000),
        now=clock.now(),
        today=today,
        actor=utility.attendant,
    )
    lean = _rows(sql, offices[1], seen)
    assert len(done.placements) == 4  # two teams of two orders; one left
    assert len(done.left_order_ids) == 1
    assert [(p.sequence, p.score) for p in placed] == [
        (p.sequence, p.score) for p in done.placements
    ]
    assert library != before
    assert len(library["outbox"]) == 5
    assert lean == library
