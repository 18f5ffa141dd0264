"""The scheduling service (``gsan.scheduling``): elaborate and follow up the
units' roteiros (UC0456, UC0470), close a roteiro's day, and the calendar
queries.

Concurrency (``docs/concurrency.md``): every command that changes a roteiro
locks the roteiro's named key (unit and date; several dates in date order),
then the orders it programs, before it reads the teams' days. Two dispatchers
programming the same team's day queue; the second reads what the first
committed and its workload check (PRG-12) or PRG-07 decides.
"""

from __future__ import annotations

import calendar as months
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import ConcurrencyConflict, Violation
from gsan_core.model.scheduling import (
    OrderSituationInformed,
    ProgrammingMoved,
    ProgrammingRemoved,
    ProgrammingReordered,
    Schedule,
    ScheduleDayClosed,
    ScheduledOrder,
    ScheduleOutcome,
)
from gsan_core.model.service_orders import OrderAction, OrderSituation, ServiceOrder
from gsan_core.ports.scheduling import DayLoad
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import scheduling as rules
from gsan_core.rules.scheduling.messages import (
    DAY_ALREADY_CLOSED,
    DAY_IN_FUTURE,
    NOT_PROGRAMMED,
    NOTHING_SCHEDULED,
    ORDER_UNKNOWN,
    TEAM_UNKNOWN,
)
from gsan_core.rules.service_configuration import REFERENCE_MISSING
from gsan_core.rules.validation import ensure
from gsan_core.services.scheduling.follow_up import followed_in
from gsan_core.services.scheduling.results import (
    DayClosing,
    RouteStop,
    ScheduleDay,
    TeamDay,
)
from gsan_core.services.scheduling.route_files import RouteFiles
from gsan_core.services.service_orders.common import _move
from gsan_core.services.service_orders.programmings import (
    by_order,
    deactivate,
    load_used,
    lock_days,
    minutes_of,
    resequenced,
    schedule_key_around,
    used_minutes,
    write_programmed,
)

__all__ = ["SchedulingService"]


class SchedulingService(RouteFiles):
    """``gsan.scheduling``: roteiros, programmings, follow-up and calendars."""

    @property
    def _enforce_work_load(self) -> bool:
        return self.profile.service_orders.scheduling_checks_work_load

    # ------------------------------------------------------------ elaborate
    def program(
        self,
        *,
        unit_id: int,
        on: date,
        team_ids: Sequence[int],
        order_ids: Sequence[int],
        actor: int,
        until: date | None = None,
        principal_team_id: int | None = None,
        sequence: int | None = None,
        expected_versions: Mapping[int, int] | None = None,
    ) -> list[ScheduledOrder]:
        """Program orders on the unit's roteiro of ``on`` (created if missing), one
        programming per day up to ``until``: one order on several teams (the
        principal is ``principal_team_id``, else the first) or several orders on
        one team, in the order given, appended or from position ``sequence``
        (PRG-01..PRG-08, PRG-12).

        ``expected_versions`` (order id to the version the dispatcher's screen
        showed) makes the command optimistic: when another dispatcher changed
        one of those orders in between (programmed it, for one), the call raises
        ``ConcurrencyConflict`` and writes nothing, instead of judging the
        request against the new state (PRG-07's refusal)."""
        request = rules.ProgramRequest(
            unit_id=unit_id,
            on=on,
            until=until,
            team_ids=tuple(dict.fromkeys(team_ids)),
            order_ids=tuple(dict.fromkeys(order_ids)),
            principal_team_id=principal_team_id,
        )
        at = self._now()
        days = rules.days_of(on, until)
        with self._work(defer=True) as uow:
            orders, load, day_rows = _locked_days(
                uow, request, days, expected_versions or {}
            )
            ensure(
                self._program_violations(
                    uow, request, orders, load, day_rows, sequence=sequence
                )
            )
            schedules = _schedules_of(uow, unit_id, days, load)
            ids = uow.next_ids(
                "scheduled_order", len(days) * len(request.team_ids) * len(orders)
            )
            created, renumbered = _placed(
                request,
                day_rows,
                schedules,
                ids=iter(ids),
                sequence=sequence,
                actor=actor,
                at=at,
            )
            write_programmed(uow, created, renumbered, orders, actor=actor, at=at)
            uow.commit()
        return sorted(created, key=lambda r: (r.on, r.team_id, r.sequence))

    def _program_violations(
        self,
        uow: UnitOfWork,
        request: rules.ProgramRequest,
        orders: Mapping[int, ServiceOrder],
        load: DayLoad,
        day_rows: Sequence[ScheduledOrder],
        *,
        sequence: int | None,
    ) -> list[Violation]:
        """PRG-01..PRG-08 and PRG-12 over what ``program`` read under its locks."""
        teams = {k: t for k, t in load.teams.items() if t.active}
        active = by_order(r for r in load.rows if r.order_id in request.order_ids)
        found = rules.check_program(
            request,
            today=self._today(),
            teams=teams,
            orders=orders,
            active=active,
            used=load_used(load, day_rows),
            minutes=minutes_of(uow, orders.values()),
            closed_days=[d for d, s in load.schedules.items() if s.closed],
            enforce_work_load=self._enforce_work_load,
        )
        if sequence is not None and len(request.team_ids) == 1:
            team_id = request.team_ids[0]
            for day in rules.days_of(request.on, request.until):
                current = sum(
                    1 for r in day_rows if r.team_id == team_id and r.on == day
                )
                found += rules.check_insert_sequence(
                    team_id=team_id, on=day, sequence=sequence, current=current
                )
        return found

    # ------------------------------------------------------------ follow-up
    def _rows_of_day(
        self,
        uow: UnitOfWork,
        order_id: int,
        on: date,
        *,
        teams: Sequence[int] = (),
        every_day: bool = False,
    ) -> tuple[ServiceOrder, list[ScheduledOrder], DayLoad]:
        """Lock the roteiro of the order's programming on ``on`` (the
        programming looked for and its day's key taken in one statement),
        then the order (on PostgreSQL in that statement too: ninth round);
        its active rows of that day (``NOT_PROGRAMMED`` when
        none) and, in one read under the locks, the roteiro's active rows of
        that day (every team's) with ``teams`` and, with ``every_day``, the
        order's active rows of every day (issue 20, eighth round)."""
        unit_id = uow.programmings.lock_day_of(order_id, on, schedule_key_around(on))
        order = uow.service_orders.lock_many([order_id]).get(order_id)
        if order is None:
            ensure([ORDER_UNKNOWN(order_id=order_id)])
        assert order is not None
        if unit_id is None:
            ensure([NOT_PROGRAMMED(order_id=order_id, on=on)])
        assert unit_id is not None
        load = uow.programmings.load_days(
            unit_id, [on], teams=teams, orders=[order_id] if every_day else ()
        )
        rows = [r for r in load.rows if r.order_id == order_id and r.on == on]
        if not rows:
            ensure([NOT_PROGRAMMED(order_id=order_id, on=on)])
        return order, rows, load

    @staticmethod
    def _day_of_teams(
        load: DayLoad, rows: Sequence[ScheduledOrder], on: date
    ) -> list[ScheduledOrder]:
        """The active rows of ``on`` of the teams of ``rows`` (of their unit),
        as read under the day's lock, before the command writes."""
        teams = {r.team_id for r in rows}
        return [
            r
            for r in load.rows
            if r.unit_id == rows[0].unit_id and r.on == on and r.team_id in teams
        ]

    def move(
        self, *, order_id: int, on: date, to_team_id: int, actor: int
    ) -> ScheduledOrder:
        """Move ("remanejar") an order's programming of ``on`` to another team of
        the roteiro's unit, at the end of its day (PRG-09, PRG-11, PRG-12)."""
        at = self._now()
        with self._work(defer=True) as uow:
            order, rows, load = self._rows_of_day(uow, order_id, on, teams=[to_team_id])
            row = rows[0]
            day_rows = [r for r in load.rows if r.on == on]
            target = load.teams.get(to_team_id)
            if target is not None and not target.active:
                target = None
            target_rows = [r for r in day_rows if r.team_id == to_team_id]
            minutes = load.minutes.get(order_id, 0)
            ensure(
                rules.check_move(
                    order,
                    rows_of_day=rows,
                    unit_id=row.unit_id,
                    target=target,
                    target_id=to_team_id,
                    target_used=load_used(load, target_rows).get((to_team_id, on), 0),
                    minutes=minutes,
                    enforce_work_load=self._enforce_work_load
                    and row.team_id != to_team_id,
                )
            )
            if row.team_id == to_team_id:
                return row
            relocated = deactivate([row], ScheduleOutcome.RELOCATED, actor=actor)
            # the rows it leaves and those after it, in one write
            uow.programmings.update_many(
                [*relocated, *resequenced(day_rows, [row.team_id], leaving={row.id})]
            )
            moved = ScheduledOrder(
                id=uow.next_id("scheduled_order"),
                schedule_id=row.schedule_id,
                order_id=order_id,
                team_id=to_team_id,
                unit_id=row.unit_id,
                on=on,
                sequence=len(target_rows) + 1,
                principal=True,
                scheduled_by=actor,
                scheduled_at=at,
            )
            uow.programmings.add(moved)
            uow.record(
                ProgrammingMoved(
                    occurred_at=at,
                    actor=actor,
                    order_id=order_id,
                    on=on,
                    from_team_id=row.team_id,
                    to_team_id=to_team_id,
                    programming_id=moved.id,
                )
            )
            uow.commit()
        return moved

    def reorder(
        self,
        *,
        order_id: int,
        on: date,
        sequence: int,
        actor: int,
        team_id: int | None = None,
    ) -> list[ScheduledOrder]:
        """Give an order another place in its team's day (PRG-08); returns the
        team's day in its new order. ``team_id`` picks the team when the order is
        programmed for several."""
        at = self._now()
        with self._work(defer=True) as uow:
            _, rows, load = self._rows_of_day(uow, order_id, on)
            day_rows = [r for r in load.rows if r.on == on]
            mine = [r for r in rows if team_id is None or r.team_id == team_id]
            if not mine:
                ensure([TEAM_UNKNOWN(team_id=team_id)])
            row = mine[0]
            team_rows = [r for r in day_rows if r.team_id == row.team_id]
            ensure(rules.check_reorder(row, team_rows=team_rows, sequence=sequence))
            moved = attrs.evolve(row, version=row.version + 1)
            ordered = rules.resequence(team_rows, first=moved, at=sequence)
            before = {r.id: r for r in team_rows}
            changed = [
                r for r in ordered if r.sequence != before[r.id].sequence or r is moved
            ]
            if row.sequence != sequence:
                uow.programmings.update_many(changed)
                uow.record(
                    ProgrammingReordered(
                        occurred_at=at,
                        actor=actor,
                        order_id=order_id,
                        team_id=row.team_id,
                        on=on,
                        sequence=sequence,
                    )
                )
            uow.commit()
        return ordered if row.sequence != sequence else list(team_rows)

    def remove(self, *, order_id: int, on: date, actor: int) -> ServiceOrder:
        """Take an order off the roteiro of ``on`` (every team): it returns to the
        pool unless it is programmed on another day (PRG-09)."""
        at = self._now()
        with self._work(defer=True) as uow:
            order, rows, load = self._rows_of_day(uow, order_id, on, every_day=True)
            ensure(rules.check_follow_up(order))
            teams_day = self._day_of_teams(load, rows, on)
            every = [r for r in load.rows if r.order_id == order_id]
            removed = deactivate(rows, ScheduleOutcome.REMOVED, actor=actor)
            uow.programmings.update_many(
                [
                    *removed,
                    *resequenced(
                        teams_day,
                        {r.team_id for r in rows},
                        leaving={r.id for r in rows},
                    ),
                ]
            )
            # its rows of other days, from the read under the locks
            others = [r for r in every if r.on != on]
            changed = order
            if not others and order.scheduled:
                changed = attrs.evolve(
                    order, scheduled=False, version=order.version + 1
                )
                uow.service_orders.update(changed)
            uow.record(
                ProgrammingRemoved(
                    occurred_at=at,
                    actor=actor,
                    order_id=order_id,
                    on=on,
                    outcome=ScheduleOutcome.REMOVED,
                )
            )
            uow.commit()
        return changed

    def inform_situation(
        self,
        *,
        order_id: int,
        on: date,
        situation: OrderSituation,
        actor: int,
        reason_id: int | None = None,
        missing_equipment_id: int | None = None,
    ) -> ServiceOrder:
        """Inform a programmed order's situation on the roteiro of ``on`` (UC0470):
        ``IN_EXECUTION`` (the OS goes to 3 and stays programmed) or ``PENDING``
        (not finished: the OS goes to 1 and back to the pool, with the reason,
        a ``non_execution_reason``, and the special equipment that was missing).
        The day's programmings end either way (PRG-09, PRG-10)."""
        at = self._now()
        with self._work(defer=True) as uow:
            order, rows, load = self._rows_of_day(uow, order_id, on, every_day=True)
            all_active = [r for r in load.rows if r.order_id == order_id]
            found = rules.check_inform(
                order, situation=situation, on=on, active=all_active
            )
            found += self._reason_violations(uow, reason_id, missing_equipment_id)
            ensure(found)
            teams_day = self._day_of_teams(load, rows, on)
            outcome = rules.INFORMABLE[situation]
            ended = deactivate(
                rows,
                outcome,
                actor=actor,
                reason_id=reason_id,
                missing_equipment_id=missing_equipment_id,
            )
            uow.programmings.update_many(
                [
                    *ended,
                    *resequenced(
                        teams_day,
                        {r.team_id for r in rows},
                        leaving={r.id for r in rows},
                    ),
                ]
            )
            changed = self._informed(uow, order, situation)
            uow.record(
                OrderSituationInformed(
                    occurred_at=at,
                    actor=actor,
                    order_id=order_id,
                    on=on,
                    outcome=outcome,
                    reason_id=reason_id,
                )
            )
            uow.commit()
        return changed

    @staticmethod
    def _reason_violations(
        uow: UnitOfWork, reason_id: int | None, equipment_id: int | None
    ) -> list[Violation]:
        found: list[Violation] = []
        for kind, value, field, campo in (
            ("non_execution_reason", reason_id, "Reason", "Motivo de Não Encerramento"),
            ("special_equipment", equipment_id, "Special equipment", "Equipamento"),
        ):
            if value is None:
                continue
            item = uow.catalog.find(kind, value)
            if item is None or not item.active:
                found.append(REFERENCE_MISSING(field=field, campo=campo, value=value))
        return found

    @staticmethod
    def _informed(
        uow: UnitOfWork, order: ServiceOrder, situation: OrderSituation
    ) -> ServiceOrder:
        if situation is OrderSituation.IN_EXECUTION:
            if order.situation is OrderSituation.IN_EXECUTION:
                return order
            return _move(uow, order, OrderAction.START_EXECUTION)
        if order.situation is OrderSituation.IN_EXECUTION:
            return _move(uow, order, OrderAction.BACK_TO_PENDING, scheduled=False)
        changed = attrs.evolve(order, scheduled=False, version=order.version + 1)
        uow.service_orders.update(changed)
        return changed

    def close_day(self, *, unit_id: int, on: date, actor: int) -> DayClosing:
        """Close a roteiro's day: the programmings still active end as
        ``DAY_CLOSED``; their open orders, and those informed in execution that
        day and still open, go back to the pool (not programmed, unless
        programmed on another day; an order in execution stays in execution);
        nothing more can be programmed on that day."""
        at = self._now()
        with self._work(defer=True) as uow:
            lock_days(uow, unit_id, [on])
            # the roteiro and its rows, ended ones too: one read (issue 20)
            load = uow.programmings.load_days(unit_id, [on], ended=True)
            found = load.schedules.get(on)
            violations: list[Violation] = []
            if on > self._today(at):
                violations.append(DAY_IN_FUTURE(on=on))
            if found is None:
                violations.append(NOTHING_SCHEDULED(unit_id=unit_id, on=on))
            elif found.closed:
                violations.append(DAY_ALREADY_CLOSED(unit_id=unit_id, on=on))
            ensure(violations)
            assert found is not None
            schedule = found
            every = load.rows
            rows = [r for r in every if r.active]
            # the orders left open: still on the day, or informed in execution
            orders = uow.service_orders.lock_many(
                {
                    r.order_id
                    for r in every
                    if r.active or r.outcome is ScheduleOutcome.IN_EXECUTION
                }
            )
            # their rows still active on other days, read before the write
            ending = {r.id for r in rows}
            still = by_order(
                r
                for r in uow.programmings.find_by(order_id=list(orders), active=True)
                if r.id not in ending
            )
            uow.programmings.update_many(
                deactivate(rows, ScheduleOutcome.DAY_CLOSED, actor=actor)
            )
            returned = [
                attrs.evolve(o, scheduled=False, version=o.version + 1)
                for o in orders.values()
                if o.is_open and o.scheduled and o.id not in still
            ]
            uow.service_orders.update_many(returned)
            closed = attrs.evolve(
                schedule,
                closed=True,
                closed_at=at,
                closed_by=actor,
                version=schedule.version + 1,
            )
            uow.schedules.update(closed)
            ids = tuple(sorted(o.id for o in returned))
            uow.record(
                ScheduleDayClosed(
                    occurred_at=at,
                    actor=actor,
                    schedule_id=schedule.id,
                    unit_id=unit_id,
                    on=on,
                    returned=ids,
                )
            )
            uow.commit()
        return DayClosing(schedule=closed, returned_order_ids=ids)

    # ------------------------------------------------------------ queries
    def calendar(self, *, unit_id: int, year: int, month: int) -> list[date]:
        """The dates of the month with a roteiro of the unit (the calendar screen)."""
        last = months.monthrange(year, month)[1]
        with self._read() as uow:
            found = uow.schedules.between(
                unit_id, date(year, month, 1), date(year, month, last)
            )
        return [s.on for s in found]

    def day(
        self, *, unit_id: int, on: date, follower_id: int | None = None
    ) -> ScheduleDay:
        """The unit's roteiro of ``on``: every active team with its programmings in
        sequence and how full its day is. With ``follower_id`` (the follow-up
        screen of that user), only the teams he follows (ROT-13)."""
        with self._read() as uow:
            found = uow.schedules.find_by(unit_id=unit_id, on=on)
            teams = uow.teams.find_by(unit_id=unit_id, active=True)
            rows = uow.programmings.find_by(unit_id=unit_id, on=on, active=True)
            if follower_id is not None:
                followed = followed_in(uow, follower_id)
                teams = [t for t in teams if t.id in followed]
                rows = [r for r in rows if r.team_id in followed]
            used = used_minutes(uow, rows)
        per_team: dict[int, list[ScheduledOrder]] = defaultdict(list)
        for row in rows:
            per_team[row.team_id].append(row)
        return ScheduleDay(
            unit_id=unit_id,
            on=on,
            schedule=found[0] if found else None,
            teams=[
                TeamDay(
                    team_id=t.id,
                    name=t.name,
                    work_minutes=t.work_minutes,
                    used_minutes=used.get((t.id, on), 0),
                    programmings=sorted(per_team[t.id], key=lambda r: r.sequence),
                )
                for t in teams
            ],
        )

    def route(self, *, team_id: int, on: date) -> list[RouteStop]:
        """A team's route of ``on`` as data, in sequence (the route sheet's
        lines; :meth:`route_sheet` has the team and its device too)."""
        return list(self.route_sheet(team_id=team_id, on=on).stops)

    def programmings(
        self, *, order_id: int, active_only: bool = False
    ) -> Sequence[ScheduledOrder]:
        """An order's programmings (its scheduling history), by id."""
        with self._read() as uow:
            if active_only:
                return uow.programmings.find_by(order_id=order_id, active=True)
            return uow.programmings.find_by(order_id=order_id)


def _locked_days(
    uow: UnitOfWork,
    request: rules.ProgramRequest,
    days: Sequence[date],
    expected_versions: Mapping[int, int],
) -> tuple[Mapping[int, ServiceOrder], DayLoad, list[ScheduledOrder]]:
    """``program``'s locks (the days' keys in date order, then the orders;
    their versions checked against ``expected_versions``) and its one read
    under them (issue 20, eighth round): the teams, their days, the
    roteiros and the orders' active rows; with the teams' rows of the days."""
    lock_days(uow, request.unit_id, days)
    orders = uow.service_orders.lock_many(request.order_ids)
    _check_versions(orders, expected_versions)
    load = uow.programmings.load_days(
        request.unit_id,
        days,
        teams=request.team_ids,
        of_teams=request.team_ids,
        orders=request.order_ids,
    )
    day_rows = [
        r
        for r in load.rows
        if r.unit_id == request.unit_id
        and r.on in days
        and r.team_id in request.team_ids
    ]
    return orders, load, day_rows


def _schedules_of(
    uow: UnitOfWork, unit_id: int, days: Sequence[date], load: DayLoad
) -> dict[date, Schedule]:
    """The unit's roteiros of ``days``: those read, and one added for each
    day without one."""
    schedules = dict(load.schedules)
    for day in days:
        if day not in schedules:
            schedules[day] = Schedule(
                id=uow.next_id("schedule"), unit_id=unit_id, on=day
            )
            uow.schedules.add(schedules[day])
    return schedules


def _check_versions(
    orders: Mapping[int, ServiceOrder], expected: Mapping[int, int]
) -> None:
    """``ConcurrencyConflict`` for the first order (by id) whose locked version
    is not the one its dispatcher read."""
    for order_id in sorted(expected):
        order = orders.get(order_id)
        if order is not None and order.version != expected[order_id]:
            raise ConcurrencyConflict("service_order", order_id, expected[order_id])


def _placed(
    request: rules.ProgramRequest,
    day_rows: Sequence[ScheduledOrder],
    schedules: Mapping[date, Schedule],
    *,
    ids: Iterator[int],
    sequence: int | None,
    actor: int,
    at: datetime,
) -> tuple[list[ScheduledOrder], list[ScheduledOrder]]:
    """The new programmings of ``program`` and the rows they renumber (each moved
    row once, with one new version), team by team and day by day."""
    principal = request.principal_team_id or request.team_ids[0]
    before = {r.id: r for r in day_rows}
    created: list[ScheduledOrder] = []
    renumbered: list[ScheduledOrder] = []
    for day in rules.days_of(request.on, request.until):
        for team_id in request.team_ids:
            rows = [r for r in day_rows if r.team_id == team_id and r.on == day]
            position = sequence
            for order_id in request.order_ids:
                new = ScheduledOrder(
                    id=next(ids),
                    schedule_id=schedules[day].id,
                    order_id=order_id,
                    team_id=team_id,
                    unit_id=request.unit_id,
                    on=day,
                    sequence=0,
                    principal=team_id == principal,
                    scheduled_by=actor,
                    scheduled_at=at,
                )
                rows = rules.resequence(rows, first=new, at=position)
                if position is not None:
                    position += 1
            for row in rows:
                if row.id not in before:
                    created.append(row)
                elif row.sequence != before[row.id].sequence:
                    renumbered.append(
                        attrs.evolve(
                            before[row.id],
                            sequence=row.sequence,
                            version=before[row.id].version + 1,
                        )
                    )
    return created, renumbered
