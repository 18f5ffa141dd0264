"""Scheduling rules (``domain/service-orders.md`` §2.5 and PRG, ``field-work.md``
§9 ROT): pure functions over the state the service loads.

Each ``check_*`` returns every violation; the service raises them together.
Workload (PRG-12) is in minutes: a team's day holds its ``work_minutes``, and an
order takes its service type's ``average_execution_minutes`` (0 when unknown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from gsan_core.errors import Violation
from gsan_core.model.scheduling import ScheduledOrder, ScheduleOutcome
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, Team
from gsan_core.rules.scheduling.messages import (
    CLOSE_AFTER_SCHEDULE_DATE,
    CLOSE_FROM_FOLLOW_UP,
    DAY_ALREADY_CLOSED,
    MANY_TO_MANY,
    MONTH_IN_PAST,
    NO_ORDERS,
    NO_TEAMS,
    NO_TEAMS_NO_ORDERS,
    ORDER_ALREADY_PROGRAMMED,
    ORDER_CLOSED,
    ORDER_CLOSED_FOR_FOLLOW_UP,
    ORDER_NOT_IN_UNIT,
    ORDER_NOT_SCHEDULABLE,
    ORDER_UNKNOWN,
    PRINCIPAL_NOT_SELECTED,
    PROGRAMMED_EARLIER,
    PROGRAMMED_FOR_SEVERAL_TEAMS,
    SEQUENCE_OVER_LIMIT,
    SITUATION_NOT_INFORMABLE,
    TEAM_NOT_IN_UNIT,
    TEAM_UNKNOWN,
    UNTIL_BEFORE_DATE,
    WORK_LOAD_EXCEEDED,
)

__all__ = [
    "INFORMABLE",
    "SITUATION_PT",
    "ProgramRequest",
    "check_close_origin",
    "check_follow_up",
    "check_inform",
    "check_insert_sequence",
    "check_move",
    "check_program",
    "check_reorder",
    "check_route_month",
    "days_of",
    "free_minutes",
    "resequence",
]

#: The Portuguese name of each OS situation, for the messages.
SITUATION_PT = {
    OrderSituation.PENDING: "pendente",
    OrderSituation.CLOSED: "encerrada",
    OrderSituation.IN_EXECUTION: "em execução",
    OrderSituation.AWAITING_RELEASE: "aguardando liberação",
}
_SCHEDULABLE = (OrderSituation.PENDING, OrderSituation.IN_EXECUTION)


def check_route_month(on: date, *, today: date) -> list[Violation]:
    """PRG-04 / ROT-01: a route in a month before the current month is refused."""
    if (on.year, on.month) < (today.year, today.month):
        return [MONTH_IN_PAST(on=on)]
    return []


def days_of(on: date, until: date | None) -> list[date]:
    """The days from ``on`` to ``until`` (the "data final da programação")."""
    last = on if until is None or until < on else until
    return [on + timedelta(days=n) for n in range((last - on).days + 1)]


def free_minutes(team: Team, used: int) -> int:
    """What is left of a team's day after ``used`` minutes."""
    return team.work_minutes - used


@attrs.frozen(kw_only=True)
class ProgramRequest:
    """What the dispatcher asked for (UC0456 "concluir" / UC0470 "incluir OS")."""

    unit_id: int
    on: date
    until: date | None = None
    team_ids: tuple[int, ...]
    order_ids: tuple[int, ...]
    principal_team_id: int | None = None


def _selection(request: ProgramRequest) -> list[Violation]:
    teams, orders = request.team_ids, request.order_ids
    if not teams and not orders:
        return [NO_TEAMS_NO_ORDERS()]
    if not teams:
        return [NO_TEAMS()]
    if not orders:
        return [NO_ORDERS()]
    found: list[Violation] = []
    if len(teams) > 1 and len(orders) > 1:
        found.append(MANY_TO_MANY(orders=len(orders), teams=len(teams)))
    principal = request.principal_team_id
    if principal is not None and principal not in teams:
        found.append(PRINCIPAL_NOT_SELECTED(team_id=principal))
    return found


def _order_violations(
    order_id: int,
    order: ServiceOrder | None,
    *,
    unit_id: int,
    active: Sequence[ScheduledOrder],
) -> list[Violation]:
    if order is None:
        return [ORDER_UNKNOWN(order_id=order_id)]
    if not order.is_open:
        return [ORDER_CLOSED(order_id=order_id)]
    found: list[Violation] = []
    if order.situation not in _SCHEDULABLE:
        found.append(
            ORDER_NOT_SCHEDULABLE(
                order_id=order_id,
                situation=order.situation.name.lower(),
                situacao=SITUATION_PT[order.situation],
            )
        )
    if order.current_unit_id is not None and order.current_unit_id != unit_id:
        found.append(ORDER_NOT_IN_UNIT(order_id=order_id, unit_id=unit_id))
    if active:
        first = min(active, key=lambda row: (row.on, row.team_id))
        found.append(
            ORDER_ALREADY_PROGRAMMED(
                order_id=order_id, team_id=first.team_id, on=first.on
            )
        )
    return found


def check_program(
    request: ProgramRequest,
    *,
    today: date,
    teams: Mapping[int, Team],
    orders: Mapping[int, ServiceOrder],
    active: Mapping[int, Sequence[ScheduledOrder]],
    used: Mapping[tuple[int, date], int],
    minutes: Mapping[int, int],
    closed_days: Iterable[date] = (),
    enforce_work_load: bool = True,
) -> list[Violation]:
    """PRG-01..PRG-07 and PRG-12 for programming ``request.order_ids`` on
    ``request.team_ids`` from ``request.on`` to ``request.until``.

    ``teams`` and ``orders`` hold the rows found (active teams only); ``active``
    the active programmings of each order; ``used`` the minutes already
    programmed per (team, day); ``minutes`` each order's estimated minutes.
    """
    found = _selection(request)
    found += check_route_month(request.on, today=today)
    if request.until is not None and request.until < request.on:
        found.append(UNTIL_BEFORE_DATE(until=request.until, on=request.on))
    days = days_of(request.on, request.until)
    found.extend(
        DAY_ALREADY_CLOSED(unit_id=request.unit_id, on=day)
        for day in sorted(set(closed_days))
        if day in days
    )
    for team_id in request.team_ids:
        team = teams.get(team_id)
        if team is None:
            found.append(TEAM_UNKNOWN(team_id=team_id))
        elif team.unit_id != request.unit_id:
            found.append(
                TEAM_NOT_IN_UNIT(
                    team_id=team_id, team_unit_id=team.unit_id, unit_id=request.unit_id
                )
            )
    for order_id in request.order_ids:
        found += _order_violations(
            order_id,
            orders.get(order_id),
            unit_id=request.unit_id,
            active=active.get(order_id, ()),
        )
    if enforce_work_load:
        needed = sum(minutes.get(order_id, 0) for order_id in request.order_ids)
        for team_id in request.team_ids:
            team = teams.get(team_id)
            if team is None:
                continue
            for day in days:
                free = free_minutes(team, used.get((team_id, day), 0))
                if needed > free:
                    found.append(
                        WORK_LOAD_EXCEEDED(
                            team_id=team_id, on=day, free=max(free, 0), needed=needed
                        )
                    )
    return found


def resequence(
    rows: Sequence[ScheduledOrder],
    *,
    first: ScheduledOrder | None = None,
    at: int | None = None,
) -> list[ScheduledOrder]:
    """The active rows of one team and day numbered 1..n in their order, with
    ``first`` placed at sequence ``at`` (the end when ``None``); a row whose
    number changes gets its next version. ``first`` keeps its version."""
    ordered = sorted(
        (row for row in rows if first is None or row.id != first.id),
        key=lambda row: (row.sequence, row.id),
    )
    if first is not None:
        position = len(ordered) if at is None else max(at - 1, 0)
        ordered.insert(min(position, len(ordered)), first)
    renumbered: list[ScheduledOrder] = []
    for number, row in enumerate(ordered, start=1):
        if row.sequence == number:
            renumbered.append(row)
        elif first is not None and row.id == first.id:
            renumbered.append(attrs.evolve(row, sequence=number))
        else:
            renumbered.append(
                attrs.evolve(row, sequence=number, version=row.version + 1)
            )
    return renumbered


def check_reorder(
    row: ScheduledOrder, *, team_rows: Sequence[ScheduledOrder], sequence: int
) -> list[Violation]:
    """PRG-08: the new sequence is between 1 and the team's largest one."""
    limit = max((r.sequence for r in team_rows if r.active), default=0)
    if not 1 <= sequence <= limit:
        return [
            SEQUENCE_OVER_LIMIT(
                sequence=sequence, limit=limit, team_id=row.team_id, on=row.on
            )
        ]
    return []


def check_insert_sequence(
    *, team_id: int, on: date, sequence: int | None, current: int
) -> list[Violation]:
    """PRG-08 for an inclusion: a given sequence is at most the team's next one."""
    if sequence is None or 1 <= sequence <= current + 1:
        return []
    return [
        SEQUENCE_OVER_LIMIT(
            sequence=sequence, limit=current + 1, team_id=team_id, on=on
        )
    ]


def check_follow_up(order: ServiceOrder) -> list[Violation]:
    """PRG-09: the follow-up changes nothing of a closed OS."""
    if not order.is_open:
        return [ORDER_CLOSED_FOR_FOLLOW_UP(order_id=order.id)]
    return []


def check_move(
    order: ServiceOrder,
    *,
    rows_of_day: Sequence[ScheduledOrder],
    unit_id: int,
    target: Team | None,
    target_id: int,
    target_used: int,
    minutes: int,
    enforce_work_load: bool = True,
) -> list[Violation]:
    """PRG-09, PRG-11, PRG-12: move ("remanejar") an open OS programmed for one
    team of the day to another active team of the route's unit with room."""
    found = check_follow_up(order)
    if len(rows_of_day) > 1:
        found.append(
            PROGRAMMED_FOR_SEVERAL_TEAMS(order_id=order.id, on=rows_of_day[0].on)
        )
    if target is None:
        found.append(TEAM_UNKNOWN(team_id=target_id))
    elif target.unit_id != unit_id:
        found.append(
            TEAM_NOT_IN_UNIT(
                team_id=target_id, team_unit_id=target.unit_id, unit_id=unit_id
            )
        )
    elif enforce_work_load and minutes > free_minutes(target, target_used):
        on = rows_of_day[0].on if rows_of_day else None
        found.append(
            WORK_LOAD_EXCEEDED(
                team_id=target_id,
                on=on,
                free=max(free_minutes(target, target_used), 0),
                needed=minutes,
            )
        )
    return found


#: What the follow-up may inform (UC0470 "informar situação").
INFORMABLE = {
    OrderSituation.IN_EXECUTION: ScheduleOutcome.IN_EXECUTION,
    OrderSituation.PENDING: ScheduleOutcome.NOT_CLOSED,
}


def check_inform(
    order: ServiceOrder,
    *,
    situation: OrderSituation,
    on: date,
    active: Sequence[ScheduledOrder],
) -> list[Violation]:
    """PRG-09 (not for a closed OS) and PRG-10 (no active programming on an earlier
    route) for informing a programmed OS as in execution or pending."""
    found = check_follow_up(order)
    if situation not in INFORMABLE:
        found.append(
            SITUATION_NOT_INFORMABLE(
                situation=situation.name.lower(), situacao=SITUATION_PT[situation]
            )
        )
    earlier = sorted(row.on for row in active if row.on < on)
    if earlier:
        found.append(PROGRAMMED_EARLIER(order_id=order.id, earlier=earlier[0]))
    return found


def check_close_origin(
    order: ServiceOrder,
    *,
    active: Sequence[ScheduledOrder],
    today: date,
    closed_on: date,
    route_on: date | None,
) -> list[Violation]:
    """ENC-02: an OS with an active programming on a route dated today or earlier
    is closed from the follow-up (``route_on`` given); ENC-11: from the
    follow-up, the closing date is not after the route's date."""
    if route_on is not None:
        if closed_on > route_on:
            return [CLOSE_AFTER_SCHEDULE_DATE(closed_on=closed_on, on=route_on)]
        return []
    due = sorted(row.on for row in active if row.on <= today)
    if due:
        return [CLOSE_FROM_FOLLOW_UP(order_id=order.id, on=due[0])]
    return []
