"""The lean scheduling commands (``benchmarks.lean_scheduling``) leave the
rows the library leaves: the benchmark compares like with like (issue 20).

Each test runs the library on one team and the lean version on another team
of the same unit and day, then compares every column of the rows written but
the keys (ids, the order, the team, the roteiro), outbox rows included.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_scheduling, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "schedule_id", "order_id", "team_id", "programming_id"}
    | {"from_team_id", "to_team_id"}
)
DAY = lean_scheduling.working_days(scale.TODAY + timedelta(days=1), 1)[0]


def _programmings(sql: SqlBackend, orders: list[int]) -> list[dict[str, Any]]:
    """The orders' programmings, by order then id, without their keys."""
    t = sql.tables["scheduled_order"]
    with sql.engine.connect() as connection:
        found = (
            connection.execute(
                sa.select(t).where(t.c.order_id.in_(orders)).order_by(t.c.id)
            )
            .mappings()
            .all()
        )
    by_order = sorted(found, key=lambda r: (orders.index(r["order_id"]), r["id"]))
    return [{k: v for k, v in r.items() if k not in KEYS} for r in by_order]


def _orders(sql: SqlBackend, orders: list[int]) -> list[dict[str, Any]]:
    return lean_rows.rows(
        sql, "service_order", "id", orders, without=KEYS | {"property_id"}
    )


def test_a_lean_program_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PRG-01..PRG-08: two orders at the end of a team's day (after one
    programmed before), marked programmed, one ``order_programmed`` each."""
    place = lean_scheduling.setting(gsan)
    mine, theirs, first = ([place.order() for _ in range(2)] for _ in range(3))
    library_team, lean_team = place.teams[0].id, place.teams[1].id
    for team_id, orders in ((library_team, first[:1]), (lean_team, first[1:])):
        gsan.scheduling.program(
            unit_id=place.unit_id,
            on=DAY,
            team_ids=[team_id],
            order_ids=orders,
            actor=place.actor,
        )
    gsan.scheduling.program(
        unit_id=place.unit_id,
        on=DAY,
        team_ids=[library_team],
        order_ids=mine,
        actor=place.actor,
    )
    lean_scheduling.lean_program(
        sql,
        unit_id=place.unit_id,
        on=DAY,
        team_id=lean_team,
        order_ids=theirs,
        first_id=10**9,
        schedule_id=10**9 + 10,
        now=scale.NOW,
        actor=place.actor,
    )
    library, lean = _programmings(sql, mine), _programmings(sql, theirs)
    assert library == lean
    assert [r["sequence"] for r in library] == [2, 3]
    assert _orders(sql, mine) == _orders(sql, theirs)
    events = lean_rows.outbox(sql, 4, without=KEYS)
    assert events[:2] == events[2:]
    assert {e["tag"] for e in events} == {"schedule.order_programmed"}


def test_a_lean_move_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PRG-09, PRG-11: the first of three programmings moves to another
    team's day, at its end: the row ended ``relocated``, the two after it
    renumbered, the new row, one ``programming_moved``."""
    place = lean_scheduling.setting(gsan)
    teams = [t.id for t in place.teams]
    days: list[list[int]] = []
    for side in (0, 1):
        orders = [place.order() for _ in range(3)]
        gsan.scheduling.program(
            unit_id=place.unit_id,
            on=DAY,
            team_ids=[teams[2 * side]],
            order_ids=orders,
            actor=place.actor,
        )
        gsan.scheduling.program(
            unit_id=place.unit_id,
            on=DAY,
            team_ids=[teams[2 * side + 1]],
            order_ids=[place.order()],
            actor=place.actor,
        )
        days.append(orders)
    mine, theirs = days
    gsan.scheduling.move(
        order_id=mine[0], on=DAY, to_team_id=teams[1], actor=place.actor
    )
    lean_scheduling.lean_move(
        sql,
        order_id=theirs[0],
        on=DAY,
        to_team_id=teams[3],
        new_id=10**9,
        now=scale.NOW,
        actor=place.actor,
    )
    library, lean = _programmings(sql, mine), _programmings(sql, theirs)
    assert library == lean
    assert [(r["active"], r["sequence"], r["outcome"]) for r in library] == [
        (False, 1, "relocated"),
        (True, 2, None),
        (True, 1, None),
        (True, 2, None),
    ]
    assert _orders(sql, mine) == _orders(sql, theirs)
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["tag"] == "schedule.programming_moved"
