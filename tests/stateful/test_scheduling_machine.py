"""Random dispatch on the in-memory system: whatever a dispatcher does (program,
move, reorder, remove, inform, close an order from the route, close a day), the
roteiros stay whole: each team's day is numbered 1..n, never over its work load
(PRG-12), an order is active on one team per day at most (PRG-07), a closed
order leaves its routes (§2.6.7), a programmed order is flagged (PRG-03), and a
refusal is always a ``RuleViolation``."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import gsan_core
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.errors import RuleViolation
from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.testing import FixedClock, SequentialIds
from gsan_core.testing.scenarios import Scenario

MONDAY = date(2026, 12, 7)
DAYS = st.sampled_from([MONDAY, MONDAY + timedelta(days=1)])
SITUATIONS = st.sampled_from([OrderSituation.IN_EXECUTION, OrderSituation.PENDING])
EXECUTED, GAVE_UP = 2, 4


@attrs.frozen
class _Office:
    """The machine's starting state: a seeded store with an office, three
    service types, three teams and eight pending orders."""

    store: MemoryStore
    ids: SequentialIds
    unit: int
    actor: int
    teams: tuple[int, ...]
    orders: tuple[int, ...]


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 7, 13, 0, tzinfo=UTC))


@functools.cache
def _office() -> _Office:
    """Built once per process, copied per example (seeding and the scenario
    cost ~0.2 s an example)."""
    ids = SequentialIds()
    gsan = gsan_core.in_memory(clock=_clock(), ids=ids)
    given = Scenario(gsan)
    place = given.ready()
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=900 + minutes,
                description=f"SERVICO DE {minutes} MINUTOS",
                abbreviation=f"SERV {minutes}",
                average_execution_minutes=minutes,
            )
            for minutes in (30, 60, 120)
        ],
        actor=0,
    )
    members = [place.technician, place.attendant, place.contractor_user]
    teams = [
        given.team(f"EQUIPE {n}", work_minutes=minutes, members=[member]).id
        for n, (minutes, member) in enumerate(
            zip((180, 240, 300), members, strict=True)
        )
    ]
    orders = [given.order(900 + (30, 60, 120)[n % 3]).id for n in range(8)]
    assert isinstance(gsan.backend, MemoryStore)
    return _Office(
        gsan.backend, ids, place.office, place.technician, tuple(teams), tuple(orders)
    )


class SchedulingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        office = _office()
        store, ids = office.store.copy(), office.ids.copy()
        self.gsan = gsan_core.System(
            uow_factory=memory_uow_factory(store, ids), clock=_clock(), backend=store
        )
        self.unit, self.actor = office.unit, office.actor
        self.teams = list(office.teams)
        self.done = 0
        self.orders = list(office.orders)

    def _try(self, command: Callable[[], object]) -> None:
        with contextlib.suppress(RuleViolation):
            command()
            self.done += 1

    @rule(data=st.data(), day=DAYS, many=st.booleans())
    def program(self, data: st.DataObject, day: date, many: bool) -> None:
        orders = data.draw(
            st.lists(st.sampled_from(self.orders), min_size=1, max_size=3, unique=True)
            if many
            else st.lists(st.sampled_from(self.orders), min_size=1, max_size=1)
        )
        teams = data.draw(
            st.lists(
                st.sampled_from(self.teams),
                min_size=1,
                max_size=1 if len(orders) > 1 else 2,
                unique=True,
            )
        )
        sequence = data.draw(st.none() | st.integers(min_value=1, max_value=4))
        self._try(
            lambda: self.gsan.scheduling.program(
                unit_id=self.unit,
                on=day,
                team_ids=teams,
                order_ids=orders,
                actor=self.actor,
                sequence=sequence,
            )
        )

    @rule(data=st.data(), day=DAYS)
    def move(self, data: st.DataObject, day: date) -> None:
        order, team = (
            data.draw(st.sampled_from(self.orders)),
            data.draw(st.sampled_from(self.teams)),
        )
        self._try(
            lambda: self.gsan.scheduling.move(
                order_id=order, on=day, to_team_id=team, actor=self.actor
            )
        )

    @rule(data=st.data(), day=DAYS, sequence=st.integers(min_value=0, max_value=5))
    def reorder(self, data: st.DataObject, day: date, sequence: int) -> None:
        order = data.draw(st.sampled_from(self.orders))
        self._try(
            lambda: self.gsan.scheduling.reorder(
                order_id=order, on=day, sequence=sequence, actor=self.actor
            )
        )

    @rule(data=st.data(), day=DAYS)
    def remove(self, data: st.DataObject, day: date) -> None:
        order = data.draw(st.sampled_from(self.orders))
        self._try(
            lambda: self.gsan.scheduling.remove(
                order_id=order, on=day, actor=self.actor
            )
        )

    @rule(data=st.data(), day=DAYS, situation=SITUATIONS)
    def inform(self, data: st.DataObject, day: date, situation: OrderSituation) -> None:
        order = data.draw(st.sampled_from(self.orders))
        self._try(
            lambda: self.gsan.scheduling.inform_situation(
                order_id=order, on=day, situation=situation, actor=self.actor
            )
        )

    @rule(data=st.data(), from_route=st.booleans(), executed=st.booleans())
    def close_order(
        self, data: st.DataObject, from_route: bool, executed: bool
    ) -> None:
        order = data.draw(st.sampled_from(self.orders))
        close = (
            self.gsan.service_orders.close_executed
            if executed
            else self.gsan.service_orders.close_not_executed
        )
        self._try(
            lambda: close(
                order_id=order,
                reason_id=EXECUTED if executed else GAVE_UP,
                closed_on=MONDAY,
                route_on=MONDAY if from_route else None,
                actor=self.actor,
            )
        )

    @rule()
    def close_monday(self) -> None:
        self._try(
            lambda: self.gsan.scheduling.close_day(
                unit_id=self.unit, on=MONDAY, actor=self.actor
            )
        )

    @invariant()
    def roteiros_stay_whole(self) -> None:
        for day in (MONDAY, MONDAY + timedelta(days=1)):
            schedule = self.gsan.scheduling.day(unit_id=self.unit, on=day)
            for team in schedule.teams:
                assert [r.sequence for r in team.programmings] == list(
                    range(1, len(team.programmings) + 1)
                ), team
                assert team.used_minutes <= team.work_minutes, team
                orders_of_team = [r.order_id for r in team.programmings]
                assert len(orders_of_team) == len(set(orders_of_team))
        for order_id in self.orders:
            order = self.gsan.service_orders.get(order_id)
            active = self.gsan.scheduling.programmings(
                order_id=order_id, active_only=True
            )
            if not order.is_open:
                assert active == [], order
            elif active:
                assert order.scheduled, order


SchedulingMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None
)
TestScheduling = SchedulingMachine.TestCase
