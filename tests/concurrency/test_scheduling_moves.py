"""Moving a programming beside the day's other commands (issue 20, ninth
round; ``docs/concurrency.md``, "Moving, reordering, removing, informing").

On PostgreSQL the move takes the roteiro's key and then the order's lock in
one statement, and reads the day in the next one. Each test races two
processes over one day, round after round (a fresh pair of teams and fresh
orders each round, so that the lock waits fall differently), and checks the
day afterwards: no over-programmed team, sequences 1..n on every team, no
order active twice, and no loser but a rule's refusal (a stale read would
show as a ``ConcurrencyConflict`` of a compare-and-set, or as a team past
its minutes; a lock taken out of order as a deadlock's conflict)."""

from __future__ import annotations

from datetime import date, timedelta

import gsan_core
from gsan_core.model.service_orders import ServiceType
from gsan_core.testing import DEFAULT_NOW
from gsan_core.testing.scenarios import Scenario
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, Outcome, Shared, attempt, race

REPAIR = 991  # 60 minutes
DAY: date = DEFAULT_NOW.date()
ROUNDS = 6


class _Day:
    """One round's day: team ``a`` with ``orders`` programmed in sequence,
    an empty team ``b`` of ``room`` minutes, and an order not programmed."""

    def __init__(
        self, given: tuple[Scenario, Shared], tag: str, *, room: int, on: date = DAY
    ) -> None:
        scenario, self.shared = given
        place = scenario.ready()
        system = scenario.system
        self.system = system
        self.unit, self.actor, self.on = place.office, place.technician, on
        self.a = scenario.team(f"EQUIPE A {tag}", work_minutes=480).id
        self.b = scenario.team(f"EQUIPE B {tag}", work_minutes=room).id
        self.orders = [scenario.order(REPAIR).id for _ in range(4)]
        self.spare = scenario.order(REPAIR).id
        system.scheduling.program(
            unit_id=self.unit,
            on=on,
            team_ids=[self.a],
            order_ids=self.orders,
            actor=self.actor,
        )

    def sequences(self, team_id: int) -> list[int]:
        day = self.system.scheduling.day(unit_id=self.unit, on=self.on)
        return [r.sequence for r in day.team(team_id).programmings]

    def used(self, team_id: int) -> int:
        day = self.system.scheduling.day(unit_id=self.unit, on=self.on)
        return day.team(team_id).used_minutes

    def active(self, order_id: int) -> int:
        rows = self.system.scheduling.programmings(order_id=order_id, active_only=True)
        return len(rows)


def _given(system: gsan_core.System) -> Scenario:
    given = Scenario(system)
    given.ready()
    system.service_orders.add_type(
        ServiceType(
            id=REPAIR,
            description="REPARO REMANEJADO",
            abbreviation="REP REM",
            average_execution_minutes=60,
        ),
        actor=0,
    )
    return given


def _command(system: gsan_core.System, kind: str, day: dict[str, int]) -> Attempt:
    """One process's command of a round: ``day`` names the order, the team
    and the date (an ordinal) it works on."""
    on = date.fromordinal(day["on"])
    scheduling, actor = system.scheduling, day["actor"]
    if kind == "move":
        return attempt(
            lambda: (
                scheduling.move(
                    order_id=day["order"], on=on, to_team_id=day["team"], actor=actor
                ).id
            )
        )
    if kind == "program":
        return attempt(
            lambda: (
                scheduling.program(
                    unit_id=day["unit"],
                    on=on,
                    team_ids=[day["team"]],
                    order_ids=[day["order"]],
                    actor=actor,
                )[0].id
            )
        )
    if kind == "remove":
        return attempt(
            lambda: scheduling.remove(order_id=day["order"], on=on, actor=actor).id
        )
    return attempt(
        lambda: (
            scheduling.close_day(
                unit_id=day["unit"], on=on, actor=actor
            ).returned_order_ids
        )
    )


def _race(day: _Day, *commands: tuple[str, int, int]) -> list[Attempt]:
    """Race ``commands`` (kind, order, team) over ``day``; their attempts,
    every process having run to its end."""
    calls = [
        (
            day.shared,
            kind,
            {
                "order": order,
                "team": team,
                "unit": day.unit,
                "actor": day.actor,
                "on": day.on.toordinal(),
            },
        )
        for kind, order, team in commands
    ]
    outcomes: list[Outcome] = race(_command, calls)
    assert all(o.ok for o in outcomes), outcomes
    tried: list[Attempt] = [o.value for o in outcomes]
    # no deadlock's or stale compare-and-set's conflict: rules' refusals only
    assert all(a.ok or a.error == "RuleViolation" for a in tried), tried
    return tried


def _start(database: Database) -> tuple[Scenario, Shared]:
    """The test's seeded database: its scenario and the processes' spec."""
    system, shared = database.make()
    return _given(system), shared


def test_two_moves_of_one_day_to_a_team_with_room_for_one(
    database: Database,
) -> None:
    """PRG-12 across two moves: one gets the hour, the other the rule's
    refusal; the team it left is renumbered once."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"M1 {n}", room=60)
        first, third = day.orders[0], day.orders[2]
        tried = _race(day, ("move", first, day.b), ("move", third, day.b))
        assert sum(1 for a in tried if a.ok) == 1, tried
        assert day.sequences(day.b) == [1]
        assert day.used(day.b) == 60
        assert day.sequences(day.a) == [1, 2, 3]


def test_two_moves_of_one_day_renumber_the_team_they_leave_together(
    database: Database,
) -> None:
    """Both moves pass: the second reads the first's renumbering (a stale
    read would fail its compare-and-set)."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"M2 {n}", room=480)
        first, third = day.orders[0], day.orders[2]
        tried = _race(day, ("move", first, day.b), ("move", third, day.b))
        assert all(a.ok for a in tried), tried
        assert day.sequences(day.a) == [1, 2]
        assert day.sequences(day.b) == [1, 2]
        assert all(day.active(o) == 1 for o in day.orders)


def test_a_move_beside_a_programming_of_the_same_team(database: Database) -> None:
    """A move to team B and a programming on B, which has room for one."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"P {n}", room=60)
        tried = _race(
            day, ("move", day.orders[1], day.b), ("program", day.spare, day.b)
        )
        assert sum(1 for a in tried if a.ok) == 1, tried
        assert day.sequences(day.b) == [1]
        assert day.used(day.b) == 60
        assert day.active(day.orders[1]) == 1
        assert day.active(day.spare) == (0 if tried[0].ok else 1)


def test_a_move_beside_a_programming_of_the_same_order(database: Database) -> None:
    """The programming (PRG-07) locks the day, then the order; the move the
    same, in one statement on PostgreSQL: no lock cycle, so no deadlock's
    conflict; the order stays programmed once."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"O {n}", room=480)
        order = day.orders[0]
        tried = _race(day, ("move", order, day.b), ("program", order, day.b))
        assert tried[0].ok, tried
        assert not tried[1].ok, tried
        assert day.active(order) == 1
        assert day.sequences(day.a) == [1, 2, 3]
        assert day.sequences(day.b) == [1]


def test_a_move_beside_a_removal_from_the_same_team(database: Database) -> None:
    """Both pass whatever their order; the team left is 1..n after both."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"R {n}", room=480)
        tried = _race(day, ("move", day.orders[0], day.b), ("remove", day.orders[1], 0))
        assert all(a.ok for a in tried), tried
        assert day.sequences(day.a) == [1, 2]
        assert day.sequences(day.b) == [1]
        assert day.active(day.orders[1]) == 0


def test_a_move_beside_a_removal_of_the_same_order(database: Database) -> None:
    """The removal takes the order off the day wherever the move left it;
    a move after it finds nothing to move (``NOT_PROGRAMMED``)."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"S {n}", room=480)
        order = day.orders[0]
        tried = _race(day, ("move", order, day.b), ("remove", order, 0))
        assert tried[1].ok, tried
        assert day.active(order) == 0
        assert day.sequences(day.a) == [1, 2, 3]
        assert day.sequences(day.b) == []
        assert not day.system.service_orders.get(order).scheduled


def test_a_move_beside_the_closing_of_its_day(database: Database) -> None:
    """Closing the day ends every row active when it reads, the moved one
    too when the move went first; a move after it finds nothing to move.
    One day a round (a closed day takes no programming)."""
    given = _start(database)
    for n in range(ROUNDS):
        day = _Day(given, f"C {n}", room=480, on=DAY - timedelta(days=n))
        order = day.orders[2]
        tried = _race(day, ("move", order, day.b), ("close", 0, 0))
        assert tried[1].ok, tried
        assert day.sequences(day.a) == []
        assert day.sequences(day.b) == []
        assert all(day.active(o) == 0 for o in day.orders)
        assert not day.system.service_orders.get(order).scheduled
        returned = set(tried[1].value)
        assert set(day.orders) == returned
