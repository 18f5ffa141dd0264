"""Programmings inside a caller's unit of work: the roteiro locks, the load
of a team's day, sequences, and the clean-up of a closed order (§2.6.7, run by
the OS closing; the scheduling service uses the rest)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime

import attrs

from gsan_core.model.scheduling import (
    OrderProgrammed,
    ProgrammingRemoved,
    ScheduledOrder,
    ScheduleOutcome,
)
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.scheduling import DayLoad
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import scheduling as rules

__all__ = [
    "by_order",
    "deactivate",
    "load_used",
    "lock_days",
    "minutes_of",
    "release_on_close_in",
    "resequence_teams",
    "resequenced",
    "schedule_key",
    "schedule_key_around",
    "used_minutes",
]


def schedule_key(unit_id: int, on: date) -> str:
    """The named lock of a unit's roteiro for a date: the root of its teams' days
    (their sequences and workloads) and of the roteiro row's creation."""
    before, after = schedule_key_around(on)
    return f"{before}{unit_id}{after}"


def schedule_key_around(on: date) -> tuple[str, str]:
    """What comes before and after the unit's id in :func:`schedule_key` (a
    lock taken from a programming's unit, ``lock_day_of``)."""
    return "schedule:", f":{on.isoformat()}"


def load_used(
    load: DayLoad, rows: Iterable[ScheduledOrder]
) -> dict[tuple[int, date], int]:
    """The minutes programmed per (team, day) by the active ``rows``, with
    their orders' minutes as ``load`` read them (:func:`used_minutes`)."""
    used: dict[tuple[int, date], int] = defaultdict(int)
    for row in rows:
        if row.active:
            used[(row.team_id, row.on)] += load.minutes.get(row.order_id, 0)
    return dict(used)


def lock_days(uow: UnitOfWork, unit_id: int, days: Iterable[date]) -> None:
    """Lock the unit's roteiros of ``days``, in date order (no lock cycles)."""
    for day in sorted(set(days)):
        uow.lock_key(schedule_key(unit_id, day))


def by_order(rows: Iterable[ScheduledOrder]) -> dict[int, list[ScheduledOrder]]:
    """Programmings grouped by order."""
    found: dict[int, list[ScheduledOrder]] = defaultdict(list)
    for row in rows:
        found[row.order_id].append(row)
    return dict(found)


def minutes_of(uow: UnitOfWork, orders: Iterable[ServiceOrder]) -> dict[int, int]:
    """Each order's estimated minutes: its service type's average execution time
    (0 when the type has none)."""
    listed = list(orders)
    types = uow.service_types.get_many({o.service_type_id for o in listed})
    found: dict[int, int] = {}
    for order in listed:
        service_type = types.get(order.service_type_id)
        minutes = (
            None if service_type is None else service_type.average_execution_minutes
        )
        found[order.id] = minutes or 0
    return found


def used_minutes(
    uow: UnitOfWork,
    rows: Sequence[ScheduledOrder],
    *,
    known: Mapping[int, ServiceOrder] | None = None,
) -> dict[tuple[int, date], int]:
    """The minutes programmed per (team, day) by the active ``rows``."""
    known = dict(known or {})
    missing = {row.order_id for row in rows} - set(known)
    known.update(uow.service_orders.get_many(missing))
    minutes = minutes_of(uow, known.values())
    used: dict[tuple[int, date], int] = defaultdict(int)
    for row in rows:
        if row.active:
            used[(row.team_id, row.on)] += minutes.get(row.order_id, 0)
    return dict(used)


def resequence_teams(
    uow: UnitOfWork,
    unit_id: int,
    on: date,
    team_ids: Collection[int],
    *,
    leaving: Collection[int] = (),
) -> None:
    """Compact the sequences of the teams' active rows of the day (after rows
    ``leaving`` stopped being active in this unit of work)."""
    if not team_ids:
        return
    rows = uow.programmings.find_by(
        unit_id=unit_id, on=on, team_id=list(team_ids), active=True
    )
    changed = resequenced(rows, team_ids, leaving=leaving)
    if changed:
        uow.programmings.update_many(changed)


def resequenced(
    rows: Iterable[ScheduledOrder],
    team_ids: Collection[int],
    *,
    leaving: Collection[int] = (),
) -> list[ScheduledOrder]:
    """The active ``rows`` of the teams (one day's) whose sequence changes
    when those ``leaving`` go: the rows to write, read before the write (the
    command's writes then go together, issue 20)."""
    listed = [r for r in rows if r.active and r.id not in leaving]
    changed: list[ScheduledOrder] = []
    for team_id in team_ids:
        mine = [r for r in listed if r.team_id == team_id]
        changed += [
            row
            for row, before in zip(
                rules.resequence(mine), sorted(mine, key=_position), strict=True
            )
            if row.sequence != before.sequence
        ]
    return changed


def _position(row: ScheduledOrder) -> tuple[int, int]:
    return (row.sequence, row.id)


def deactivate(
    rows: Iterable[ScheduledOrder],
    outcome: ScheduleOutcome,
    *,
    actor: int,
    reason_id: int | None = None,
    missing_equipment_id: int | None = None,
) -> list[ScheduledOrder]:
    """The rows, inactive with ``outcome`` (their next version)."""
    return [
        attrs.evolve(
            row,
            active=False,
            outcome=outcome,
            reason_id=reason_id,
            missing_equipment_id=missing_equipment_id,
            closed_by=actor,
            version=row.version + 1,
        )
        for row in rows
    ]


def release_on_close_in(
    uow: UnitOfWork,
    order: ServiceOrder,
    *,
    closed_on: date,
    actor: int,
    at: datetime,
    active: Sequence[ScheduledOrder] | None = None,
) -> list[ScheduledOrder]:
    """§2.6.7: a closed OS leaves its routes. The programming of the closing day
    (and earlier ones) ends as ``CLOSED``; later ones lapse (``CANCELLED``: GSAN
    deletes them, the library keeps them inactive). The sequences of the teams
    left are compacted."""
    rows = (
        active
        if active is not None
        else uow.programmings.find_by(order_id=order.id, active=True)
    )
    if not rows:
        return []
    ended = deactivate(
        [r for r in rows if r.on <= closed_on], ScheduleOutcome.CLOSED, actor=actor
    ) + deactivate(
        [r for r in rows if r.on > closed_on], ScheduleOutcome.CANCELLED, actor=actor
    )
    uow.programmings.update_many(ended)
    leaving = {r.id for r in ended}
    for (unit_id, on), teams in _days(ended).items():
        resequence_teams(uow, unit_id, on, teams, leaving=leaving)
    uow.record(
        *(
            ProgrammingRemoved(
                occurred_at=at,
                actor=actor,
                order_id=order.id,
                on=row.on,
                outcome=row.outcome or ScheduleOutcome.CLOSED,
            )
            for row in ended
        )
    )
    return ended


def _days(rows: Iterable[ScheduledOrder]) -> dict[tuple[int, date], set[int]]:
    found: dict[tuple[int, date], set[int]] = defaultdict(set)
    for row in rows:
        found[(row.unit_id, row.on)].add(row.team_id)
    return dict(found)


def write_programmed(
    uow: UnitOfWork,
    created: Sequence[ScheduledOrder],
    renumbered: Sequence[ScheduledOrder],
    orders: Mapping[int, ServiceOrder],
    *,
    actor: int,
    at: datetime,
) -> None:
    """Programming's writes, by hand or automatic (deferred: one statement
    with the outbox on PostgreSQL): the rows renumbered and added, the
    orders now programmed, an ``OrderProgrammed`` per row added."""
    if renumbered:
        uow.programmings.update_many(renumbered)
    uow.programmings.add_many(created)
    uow.service_orders.update_many(
        [
            attrs.evolve(o, scheduled=True, version=o.version + 1)
            for o in orders.values()
        ]
    )
    uow.record(
        *(
            OrderProgrammed(
                occurred_at=at,
                actor=actor,
                order_id=row.order_id,
                team_id=row.team_id,
                on=row.on,
                sequence=row.sequence,
                principal=row.principal,
                programming_id=row.id,
            )
            for row in created
        )
    )
