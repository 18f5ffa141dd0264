"""Statements per public command of scheduling, held to a budget (issue 20).

Each command is counted with :mod:`tests.integration.budgets` on SQLite and on
PostgreSQL: run once to warm what is cached, counted the second time on a
fresh target. A command that takes several items (orders, calibration rows) is also
counted at two sizes, and must send the same number of statements at both:
never a statement per item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import attrs

from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.services.scheduling import SchedulingService
from tests.integration import budgets
from tests.integration.budgets import counter_of, measure, sizes, yields
from tests.services.scheduling_support import QUICK, Dispatch, dispatch

__all__ = ["dispatch"]


#: Statements (BEGIN and COMMIT included) each command may send, as measured
#: on SQLite: the outbox's counter and rows are two statements there.
BUDGETS: dict[str, int] = {
    # BEGIN, the order's rows of the day, lock the day, lock the order, one
    # read under the locks of the roteiro's day with the order's active rows
    # of every day (its teams' rows of the day among them: round 8: 11
    # before, two reads), the rows ended and renumbered (one write), the
    # order, outbox counter, outbox, COMMIT
    "inform an order's situation": 10,
    "remove an order from a day": 10,
    # the roteiro's day, its orders' minutes and the target team are one
    # read under the locks (round 8: 11 before, the team read on its own)
    "move an order to another team": 10,
    "reorder an order in its team's day": 9,
    "add a special day": 7,
    "set the teams a user follows": 7,
    # BEGIN, lock the day, lock the orders, one read of the day's roteiros,
    # teams, their programmings with their orders' minutes and the orders'
    # active rows (round 8: 13 before, four reads), the roteiro, the
    # programmings, the orders (one multi-row write each), outbox counter,
    # outbox, COMMIT
    "program orders": 10,
    # BEGIN, lock the day, the roteiro with its rows (one read: round 8: 12
    # before), lock the orders, their rows of other days, the writes,
    # outbox counter, outbox, COMMIT
    "close a day": 11,
    # the run's lease, then BEGIN, lock the day, the teams, the day's and the
    # day before's programmings in one read, the candidates, lock the placed
    # orders, the roteiro, its writes, outbox, COMMIT (the unit's locality is
    # a cached reference row: 21 before)
    "schedule automatically": 20,
    # BEGIN, lock the calibration's key, its rows, the changed rows (one
    # UPDATE sent with every row's parameters: 8 for 2 rows and 12 for 6
    # before, one UPDATE a row), outbox counter, outbox, COMMIT
    "inform the calibration": 7,
    # BEGIN, the types, the calibration rows, the types' update (one),
    # outbox counter, outbox, COMMIT
    "set the service types' importance": 6,
}

#: Where PostgreSQL sends fewer, its own lower budget: the outbox's counter
#: and rows go as one statement, and the scheduling commands' writes (rows
#: ended, renumbered and added, the orders, the roteiro) wait for the commit
#: and go with the outbox as one statement (``UnitOfWork.defer_writes``).
POSTGRES: dict[str, int] = {
    # BEGIN, lock the day (its key named from the order's programming) and
    # then the order, one statement (ninth round: 6 before, the order's lock
    # apart), one read under the locks of the day's rows and the order's
    # rows of every day, the writes, COMMIT (round 8: 8 before: the
    # programming read before the lock, two reads after it)
    "inform an order's situation": 5,
    "remove an order from a day": 5,
    # ... the roteiro's day with its orders' minutes and the target team
    # (round 8: 8 before: the day read unlocked, then again, the target
    # team on its own); the lean hand-written move sends 5 too
    "move an order to another team": 5,
    "reorder an order in its team's day": 5,  # round 8: 7; ninth round: 6
    "add a special day": 6,
    "set the teams a user follows": 6,
    # BEGIN, lock the day, lock the orders, one read of their teams' days
    # with the orders' minutes, the roteiros, the teams and the orders'
    # active rows, the writes, COMMIT (round 8: 9 before, four reads; the
    # lean hand-written version sends 6)
    "program orders": 6,
    # BEGIN, lock the day, the roteiro with its rows (one read), lock the
    # orders, their rows of other days, the writes, COMMIT (round 8: 8
    # before, the roteiro read apart)
    "close a day": 7,
    # the lease (BEGIN, hold, ROLLBACK), BEGIN, lock the day, the teams, the
    # rows of two days, the candidates, lock the placed orders, the roteiro,
    # the writes, COMMIT (16)
    "schedule automatically": 12,
    "inform the calibration": 6,
    "set the service types' importance": 5,
}

#: Every public command of the service and its budget's key.
COMMANDS: dict[str, str] = {
    "scheduling.inform_situation": "inform an order's situation",
    "scheduling.remove": "remove an order from a day",
    "scheduling.move": "move an order to another team",
    "scheduling.reorder": "reorder an order in its team's day",
    "scheduling.add_special_day": "add a special day",
    "scheduling.set_followed_teams": "set the teams a user follows",
    "scheduling.program": "program orders",
    "scheduling.close_day": "close a day",
    "scheduling.schedule_automatically": "schedule automatically",
    "scheduling.inform_calibration": "inform the calibration",
    "scheduling.set_service_type_importance": "set the service types' importance",
}

#: The public methods of the service that only read: no write, no event.
QUERIES: frozenset[str] = frozenset(
    f"scheduling.{method}"
    for method in [
        "calendar",
        "calibration",
        "day",
        "followed_teams",
        "programmings",
        "route",
        "route_file",
        "route_sheet",
        "special_days",
    ]
)

SQL = budgets.SQL
assert_within = budgets.Table(BUDGETS, POSTGRES).within
assert_flat = budgets.Table(BUDGETS, POSTGRES).flat


# ================================================================ scheduling
SATURDAY = date(2026, 12, 12)
#: Working days of the scenario's month, before and after its Monday.
DAYS = [
    date(2026, 12, d)
    for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23)
]
AUTOMATIC = 996  # 30 minutes, automatic


def _pending(dispatch: Dispatch, count: int, service_type_id: int = QUICK) -> list[int]:
    return [dispatch.order(service_type_id).id for _ in range(count)]


def _programmed(dispatch: Dispatch, on: date, size: int) -> tuple[date, list[int]]:
    """``on`` and the ``size`` orders programmed for the team that day."""
    orders = _pending(dispatch, size)
    dispatch.gsan.scheduling.program(
        unit_id=dispatch.place.office,
        on=on,
        team_ids=[dispatch.team.id],
        order_ids=orders,
        actor=dispatch.place.technician,
    )
    return on, orders


@SQL
def test_the_scheduling_commands_hold_their_budgets(dispatch: Dispatch) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    counter = counter_of(gsan)
    scheduling = gsan.scheduling
    tech = place.technician
    day = iter(DAYS)
    # a day of three orders per measured run: inform, remove, move, reorder
    days = [_programmed(dispatch, next(day), 3) for _ in range(8)]
    nature = gsan.catalog.add("team_nature", description="REDE", actor=1)
    found = {
        "inform an order's situation": measure(
            counter,
            lambda n: scheduling.inform_situation(
                order_id=days[n][1][0],
                on=days[n][0],
                situation=OrderSituation.IN_EXECUTION,
                actor=tech,
            ),
        ),
        "remove an order from a day": measure(
            counter,
            lambda n: scheduling.remove(
                order_id=days[2 + n][1][0], on=days[2 + n][0], actor=tech
            ),
        ),
        "move an order to another team": measure(
            counter,
            lambda n: scheduling.move(
                order_id=days[4 + n][1][0],
                on=days[4 + n][0],
                to_team_id=dispatch.other.id,
                actor=tech,
            ),
        ),
        "reorder an order in its team's day": measure(
            counter,
            lambda n: scheduling.reorder(
                order_id=days[6 + n][1][2], on=days[6 + n][0], sequence=1, actor=tech
            ),
        ),
        "add a special day": measure(
            counter,
            lambda n: scheduling.add_special_day(
                team_id=(dispatch.team, dispatch.other)[n].id, on=SATURDAY, actor=1
            ),
        ),
        "set the teams a user follows": measure(
            counter,
            lambda n: scheduling.set_followed_teams(
                user_id=(place.attendant, tech)[n],
                nature_ids=[nature.id],
                team_ids=[dispatch.team.id],
                actor=1,
            ),
        ),
    }
    assert_within(found, gsan)


@SQL
def test_the_scheduling_commands_do_not_grow_with_the_day_s_orders(
    dispatch: Dispatch,
) -> None:
    """Programming 2 and 6 orders, moving, reordering and informing in a day of
    2 and 6 orders, closing a day of 2 and 6 orders, and the route sheet and
    file of 2 and 6 stops send as many statements."""
    gsan, place = dispatch.gsan, dispatch.place
    counter = counter_of(gsan)
    scheduling = gsan.scheduling
    tech = place.technician
    day = iter(DAYS)
    dispatch.team = gsan.service_orders.update_team(
        attrs.evolve(dispatch.team, imei="356938035643809"), actor=0
    )

    def program(size: int) -> Callable[[], object]:
        return yields(
            size,
            len,
            functools.partial(
                scheduling.program,
                unit_id=place.office,
                on=next(day),
                team_ids=[dispatch.team.id],
                order_ids=_pending(dispatch, size),
                actor=tech,
            ),
        )

    def programmed(size: int) -> tuple[date, list[int]]:
        return _programmed(dispatch, next(day), size)

    def move(size: int) -> Callable[[], object]:
        on, orders = programmed(size)
        return functools.partial(
            scheduling.move,
            order_id=orders[0],
            on=on,
            to_team_id=dispatch.other.id,
            actor=tech,
        )

    def reorder(size: int) -> Callable[[], object]:
        on, orders = programmed(size)
        return functools.partial(
            scheduling.reorder, order_id=orders[-1], on=on, sequence=1, actor=tech
        )

    def close(size: int) -> Callable[[], object]:
        on, _ = programmed(size)
        dispatch.clock.set(datetime.combine(on, time(20), tzinfo=UTC))
        return yields(
            size,
            lambda closing: len(closing.returned_order_ids),
            functools.partial(
                scheduling.close_day, unit_id=place.office, on=on, actor=tech
            ),
        )

    def sheet(size: int) -> Callable[[], object]:
        on, _ = programmed(size)
        lines = functools.partial(
            scheduling.route_file, team_id=dispatch.team.id, on=on
        )
        return yields(size, lambda found: len(list(found)) - 2, lines)

    grown = {
        "program orders": sizes(counter, program),
        "move in a day of 2 and 6 orders": sizes(counter, move),
        "reorder a day of 2 and 6 orders": sizes(counter, reorder),
        "the route file of 2 and 6 stops": sizes(counter, sheet),
        "close a day": sizes(counter, close),
    }
    assert_flat(grown, gsan)


@SQL
def test_the_automatic_scheduling_commands_do_not_grow(dispatch: Dispatch) -> None:
    """UC1190 over 2 and 6 pending orders, and the calibration (CAL-01) of 2
    and 6 rows send as many statements; the service types' importance is one
    command."""
    gsan, place = dispatch.gsan, dispatch.place
    counter = counter_of(gsan)
    scheduling = gsan.scheduling
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=AUTOMATIC + k,
                description=f"AFERICAO {k}",
                abbreviation=f"AFER {k}",
                average_execution_minutes=30,
                automatic_scheduling=True,
            )
            for k in range(2)
        ],
        actor=0,
    )
    for team in (dispatch.team, dispatch.other):
        gsan.service_orders.update_team(
            attrs.evolve(team, automatic_scheduling=True), actor=0
        )
    day = iter(DAYS)
    rows = [
        gsan.catalog.add(
            "calibration",
            description=f"FAIXA {k}",
            attributes={"kind": 5, "range_from": 100 * k, "range_to": 100 * k + 99},
            actor=1,
        ).id
        for k in range(9)
    ]
    weights = iter(range(1, 1000))

    def automatic(size: int) -> Callable[[], object]:
        _pending(dispatch, size, AUTOMATIC)
        return yields(
            size,
            lambda result: len(result.placements),
            functools.partial(
                scheduling.schedule_automatically,
                unit_id=place.office,
                on=next(day),
                actor=place.technician,
            ),
        )

    def calibrate(size: int) -> Callable[[], object]:
        weight = next(weights)
        return functools.partial(
            scheduling.inform_calibration,
            changes=dict.fromkeys(rows[:size], (weight, 1)),
            actor=1,
        )

    grown = {
        "schedule automatically": sizes(counter, automatic),
        "inform the calibration": sizes(counter, calibrate),
    }
    assert_flat(grown, gsan)
    urgent = [
        gsan.catalog.add(
            "calibration",
            description=f"URGENTE {k}",
            attributes={"kind": 6, "importance": 1, "weight": 5, "factor": 2},
            actor=1,
        ).id
        for k in range(2)
    ]
    importance = measure(
        counter,
        lambda n: scheduling.set_service_type_importance(
            importances={AUTOMATIC: urgent[n], AUTOMATIC + 1: urgent[n]}, actor=1
        ),
    )
    assert_within({"set the service types' importance": importance}, gsan)


def test_every_public_method_is_a_budgeted_command_or_a_query() -> None:
    budgets.assert_tables(
        "scheduling", SchedulingService, (COMMANDS, QUERIES), BUDGETS, POSTGRES
    )
