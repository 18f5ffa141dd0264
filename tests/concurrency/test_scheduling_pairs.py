"""Scheduling under concurrent dispatchers (``docs/concurrency.md``): processes
released together over one database (a SQLite file, the session's PostgreSQL
schema) program orders on one team's day; the roteiro's key keeps PRG-07 and
PRG-12 whole."""

from __future__ import annotations

from datetime import date
from multiprocessing.synchronize import Barrier

import gsan_core
from gsan_core.model.service_orders import ServiceType
from gsan_core.testing import DEFAULT_NOW
from gsan_core.testing.scenarios import Scenario
from tests.concurrency.conftest import Database
from tests.concurrency.support import CONTEXT, Attempt, attempt, in_step, race

REPAIR = 990  # 60 minutes
DAY: date = DEFAULT_NOW.date()


def _setup(system: gsan_core.System, orders: int) -> tuple[int, int, int, list[int]]:
    given = Scenario(system)
    place = given.ready()
    system.service_orders.add_type(
        ServiceType(
            id=REPAIR,
            description="REPARO CONCORRENTE",
            abbreviation="REP CONC",
            average_execution_minutes=60,
        ),
        actor=0,
    )
    team = given.team("EQUIPE UNICA", work_minutes=300)
    ids = [given.order(REPAIR).id for _ in range(orders)]
    return place.office, place.technician, team.id, ids


def _program_each(
    system: gsan_core.System,
    unit_id: int,
    actor: int,
    team_id: int,
    order_ids: list[int],
    step: Barrier,
) -> list[Attempt]:
    return [
        in_step(
            step,
            lambda o=o: (
                system.scheduling.program(  # type: ignore[misc]
                    unit_id=unit_id,
                    on=DAY,
                    team_ids=[team_id],
                    order_ids=[o],
                    actor=actor,
                )[0].sequence
            ),
        )
        for o in order_ids
    ]


def test_prg_12_dispatchers_in_processes_never_over_program_a_team_s_day(
    database: Database,
) -> None:
    """Three processes each program three 60-minute orders on one team of 300
    minutes: five get in, with sequences 1..5; the others get a library error."""
    system, shared = database.make()
    unit, actor, team, orders = _setup(system, 9)
    step = CONTEXT.Barrier(3)
    outcomes = race(
        _program_each,
        [(shared, unit, actor, team, orders[n::3], step) for n in range(3)],
    )
    assert all(o.ok for o in outcomes), outcomes
    tried = [a for o in outcomes for a in o.value]
    assert all(a.ok or a.gsan_error for a in tried), tried
    assert sum(1 for a in tried if a.ok) == 5
    day = system.scheduling.day(unit_id=unit, on=DAY).team(team)
    assert day.used_minutes == 300
    assert [r.sequence for r in day.programmings] == [1, 2, 3, 4, 5]


def _program_one(
    system: gsan_core.System, unit_id: int, actor: int, team_id: int, order_id: int
) -> Attempt:
    return attempt(
        lambda: (
            system.scheduling.program(
                unit_id=unit_id,
                on=DAY,
                team_ids=[team_id],
                order_ids=[order_id],
                actor=actor,
            )[0].id
        ),
    )


def test_prg_07_one_order_programmed_by_three_dispatchers_at_once(
    database: Database,
) -> None:
    system, shared = database.make()
    unit, actor, team, orders = _setup(system, 1)
    outcomes = race(
        _program_one, [(shared, unit, actor, team, orders[0]) for _ in range(3)]
    )
    tried = [o.value for o in outcomes]
    assert all(o.ok for o in outcomes), outcomes
    assert sum(1 for a in tried if a.ok) == 1
    assert all(a.gsan_error for a in tried if not a.ok)
    assert len(system.scheduling.programmings(order_id=orders[0])) == 1


def _program_as_read(
    system: gsan_core.System,
    unit_id: int,
    actor: int,
    team_id: int,
    order_id: int,
    version: int,
) -> Attempt:
    return attempt(
        lambda: (
            system.scheduling.program(
                unit_id=unit_id,
                on=DAY,
                team_ids=[team_id],
                order_ids=[order_id],
                expected_versions={order_id: version},
                actor=actor,
            )[0].id
        ),
    )


def test_prg_07_dispatchers_who_read_the_same_order_one_wins_the_others_conflict(
    database: Database,
) -> None:
    """Three processes program the order at the version their screens read: one
    wins; the others read a newer version under the lock and get
    ``ConcurrencyConflict`` (not PRG-07's refusal), with nothing written."""
    system, shared = database.make()
    unit, actor, team, orders = _setup(system, 1)
    read = system.service_orders.get(orders[0]).version
    outcomes = race(
        _program_as_read,
        [(shared, unit, actor, team, orders[0], read) for _ in range(3)],
    )
    assert all(o.ok for o in outcomes), outcomes
    tried = [o.value for o in outcomes]
    assert sum(1 for a in tried if a.ok) == 1
    assert sorted(a.error for a in tried if not a.ok) == ["ConcurrencyConflict"] * 2
    assert len(system.scheduling.programmings(order_id=orders[0])) == 1
    assert system.service_orders.get(orders[0]).version == read + 1
