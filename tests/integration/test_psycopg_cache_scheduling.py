"""A roteiro's commands on a busy day send no statement psycopg converts
anew on every call (issue 20, tenth round).

:func:`tests.integration.psycopg_cache.oversized` lists the statements over
psycopg's cache limits (4 KiB of text, 50 parameters). Moving, reordering,
removing and informing a programmed order read the unit's whole day
(``SqlProgrammingRepository.load_days``) and renumber the team's rows after
the one that leaves in the commit's deferred write. The rows read are kept
as read (``SqlUnitOfWork.read_rows``), so each renumbered row's update sets
its sequence and version only and the rows go as one ``UPDATE ... FROM
unnest``. Before, a day of more rows than ``MOST_ROWS`` (a unit with a few
busy teams) was not kept: each row's update set every column, a CTE of its
own (14,536 bytes and 293 parameters for the move below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from benchmarks import lean_scheduling

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.model.service_orders import OrderSituation
from tests.integration.psycopg_cache import oversized
from tests.integration.test_lean_scheduling import DAY

pytestmark = pytest.mark.postgres

#: Programmings of each of the two full teams' day (16 x 30 minutes: 480).
FULL = 16


def _busy_day(gsan: gsan_core.System) -> tuple[lean_scheduling.Setting, list[int]]:
    """The unit's day with two full teams and a third of two orders (34
    programmings, over ``MOST_ROWS``); the first team's orders."""
    place = lean_scheduling.setting(gsan)
    teams = [t.id for t in place.teams]
    first: list[int] = []
    for team, count in ((teams[0], FULL), (teams[2], FULL), (teams[1], 2)):
        orders = [place.order() for _ in range(count)]
        gsan.scheduling.program(
            unit_id=place.unit_id,
            on=DAY,
            team_ids=[team],
            order_ids=orders,
            actor=place.actor,
        )
        first = first or orders
    assert 2 * FULL + 2 > MOST_ROWS
    return place, first


def _sequences(gsan: gsan_core.System, orders: list[int], team: int) -> list[int]:
    """The active sequences of ``orders`` on ``team``'s day, in their order."""
    return [
        r.sequence
        for o in orders
        for r in gsan.scheduling.programmings(order_id=o)
        if r.active and r.team_id == team and r.on == DAY
    ]


@pytest.mark.parametrize("command", ["move", "reorder", "remove", "inform"])
def test_a_busy_day_s_commands_send_no_statement_psycopg_converts_anew(
    sql: SqlBackend, gsan: gsan_core.System, command: str
) -> None:
    place, orders = _busy_day(gsan)
    team, target = place.teams[0].id, place.teams[1].id
    actor = place.actor
    commands: dict[str, Callable[[], Any]] = {
        "move": lambda: gsan.scheduling.move(
            order_id=orders[0], on=DAY, to_team_id=target, actor=actor
        ),
        "reorder": lambda: gsan.scheduling.reorder(
            order_id=orders[0], on=DAY, sequence=FULL, actor=actor
        ),
        "remove": lambda: gsan.scheduling.remove(
            order_id=orders[0], on=DAY, actor=actor
        ),
        "inform": lambda: gsan.scheduling.inform_situation(
            order_id=orders[0],
            on=DAY,
            situation=OrderSituation.IN_EXECUTION,
            actor=actor,
        ),
    }
    with oversized(sql.engine) as found:
        commands[command]()
    assert not found, [str(f) for f in found]
    # the rows after the first moved up a place (reorder: it went last)
    left = list(range(1, FULL))
    expected = [*left, FULL] if command == "reorder" else left
    assert _sequences(gsan, [*orders[1:], orders[0]], team) == expected
