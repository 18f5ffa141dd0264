"""Programação de Abastecimento e Manutenção inside a caller's unit of work:
storing, removing and copying windows (PAM-01..PAM-05) and asking whether a
place is in a programmed interruption (PAM-06, PAM-07)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import Violation
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    ScheduleKind,
    SupplySchedule,
    SupplyScheduleChanged,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_desk as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext

__all__ = [
    "copy_supply_in",
    "covering_in",
    "inform_in",
    "outage_warnings_in",
    "remove_schedule_in",
    "save_schedule_in",
]


def _place_key(schedule: SupplySchedule) -> str:
    """The lock key of the list a window belongs to (PAM-01: one place, one
    month): two users informing the same list queue on it."""
    parts = (
        schedule.reference,
        schedule.municipality_id,
        schedule.locality_id,
        schedule.sector_id,
        schedule.neighbourhood_id,
        schedule.area_id,
    )
    return "supply schedule " + "/".join("-" if p is None else str(p) for p in parts)


def _same_list(uow: UnitOfWork, schedule: SupplySchedule) -> Sequence[SupplySchedule]:
    uow.lock_key(_place_key(schedule))
    return uow.supply_schedules.find_by(
        reference=schedule.reference,
        municipality_id=schedule.municipality_id,
        locality_id=schedule.locality_id,
        sector_id=schedule.sector_id,
        neighbourhood_id=schedule.neighbourhood_id,
        area_id=schedule.area_id,
    )


def save_schedule_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    schedule: SupplySchedule,
    *,
    actor: int,
    at: datetime,
    expected_version: int | None = None,
) -> SupplySchedule:
    """Insert a new window (``id`` 0) or store a changed one: PAM-02 (in the
    month, end after start, a maintenance with its description and situation),
    PAM-03 (no overlap with a window of its kind in its list), PAM-05 (the
    stored version is the one read)."""
    params = ctx.profile.service_requests
    new = schedule.id == 0
    if new:
        schedule = attrs.evolve(schedule, id=uow.next_id("supply_schedule"), version=1)
    others = _same_list(uow, schedule)
    found: list[Violation] = []
    if not new:
        # a window changed in its own place is among the list read (no read of
        # its own); one moved to another place or month is read apart
        current = next((o for o in others if o.id == schedule.id), None)
        if current is None:
            current = uow.supply_schedules.get(schedule.id)
        wanted = expected_version if expected_version is not None else schedule.version
        if wanted != current.version:
            found.append(
                rules.SCHEDULE_CONCURRENT(record_id=schedule.id, expected=wanted)
            )
        schedule = attrs.evolve(schedule, version=current.version + 1)
    found += rules.check_schedule(
        schedule, others, overlap_as_gsan=params.schedule_overlap_as_gsan
    )
    ensure(found)
    if new:
        uow.supply_schedules.add(schedule)
    else:
        uow.supply_schedules.update(schedule)
    uow.record(
        SupplyScheduleChanged(
            occurred_at=at,
            actor=actor,
            schedule_id=schedule.id,
            kind=schedule.kind,
            change="added" if new else "changed",
        )
    )
    return schedule


def inform_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    place: SupplySchedule,
    windows: Sequence[SupplySchedule],
    actor: int,
    at: datetime,
) -> tuple[SupplySchedule, ...]:
    """PAM-01 "Informar": the whole list of a place's month at once. ``place``
    names the place and month (any window of it); ``windows`` is the list as the
    screen shows it after editing: a window with ``id`` 0 is new, one with a
    stored id replaces it (PAM-05 on its version), a stored window missing from
    the list is removed. Every window passes PAM-02 and PAM-03 against the
    others of the list; nothing is written on any violation."""
    stored = {w.id: w for w in _same_list(uow, place)}
    fresh = [w for w in windows if w.id == 0]
    ids = iter(uow.next_ids("supply_schedule", len(fresh)) if fresh else ())
    added: list[SupplySchedule] = []
    changed: list[SupplySchedule] = []
    unchanged: list[SupplySchedule] = []
    found: list[Violation] = []
    for window in windows:
        located = attrs.evolve(
            window,
            reference=place.reference,
            municipality_id=place.municipality_id,
            locality_id=place.locality_id,
            sector_id=place.sector_id,
            neighbourhood_id=place.neighbourhood_id,
            area_id=place.area_id,
        )
        current = stored.get(window.id)
        if window.id == 0:
            added.append(attrs.evolve(located, id=next(ids), version=1))
        elif current is None or current.version != window.version:
            found.append(
                rules.SCHEDULE_CONCURRENT(record_id=window.id, expected=window.version)
            )
        elif located == current:
            unchanged.append(current)
        else:
            changed.append(attrs.evolve(located, version=current.version + 1))
    final = [*added, *changed, *unchanged]
    as_gsan = ctx.profile.service_requests.schedule_overlap_as_gsan
    for window in final:
        found += rules.check_schedule(window, final, overlap_as_gsan=as_gsan)
    ensure(found)
    listed = {w.id for w in final}
    removed = [w for ident, w in stored.items() if ident not in listed]
    for window in removed:
        uow.supply_schedules.remove(window)
    if added:
        uow.supply_schedules.add_many(added)
    if changed:
        uow.supply_schedules.update_many(changed)
    uow.record(
        *(
            SupplyScheduleChanged(
                occurred_at=at, actor=actor, schedule_id=w.id, kind=w.kind, change=what
            )
            for what, group in (
                ("added", added),
                ("changed", changed),
                ("removed", removed),
            )
            for w in group
        )
    )
    return tuple(sorted(final, key=lambda w: (w.starts_on, w.start_time, w.id)))


def remove_schedule_in(
    uow: UnitOfWork,
    *,
    schedule_id: int,
    actor: int,
    at: datetime,
    expected_version: int | None = None,
) -> SupplySchedule:
    """Remove a window (PAM-01's deletions; PAM-05 on its version)."""
    current = uow.supply_schedules.get(schedule_id)
    uow.lock_key(_place_key(current))
    if expected_version is not None and expected_version != current.version:
        ensure(
            [
                rules.SCHEDULE_CONCURRENT(
                    record_id=schedule_id, expected=expected_version
                )
            ]
        )
    uow.supply_schedules.remove(current)
    uow.record(
        SupplyScheduleChanged(
            occurred_at=at,
            actor=actor,
            schedule_id=schedule_id,
            kind=current.kind,
            change="removed",
        )
    )
    return current


def _moved(day: date, year: int, month: int) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def copy_supply_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    source: SupplySchedule,
    target: SupplySchedule,
    actor: int,
    at: datetime,
) -> tuple[SupplySchedule, ...]:
    """PAM-04 "Copiar": the supply windows of ``source``'s place and month,
    moved to ``target``'s place and month (same days; a day the month lacks
    becomes its last). ``source`` and ``target`` give only a place and a
    month. None to copy refuses; every copy passes PAM-02/PAM-03."""
    rows = list(
        uow.supply_schedules.find_by(
            reference=source.reference,
            kind=ScheduleKind.SUPPLY,
            municipality_id=source.municipality_id,
            locality_id=source.locality_id,
            sector_id=source.sector_id,
            neighbourhood_id=source.neighbourhood_id,
            area_id=source.area_id,
        )
    )
    if not rows:
        reference = f"{source.reference % 100:02d}/{source.reference // 100}"
        ensure([rules.NOTHING_TO_COPY(reference=reference)])
    year, month = divmod(target.reference, 100)
    others = list(_same_list(uow, target))
    ids = uow.next_ids("supply_schedule", len(rows))
    copies = []
    found: list[Violation] = []
    for new_id, row in zip(ids, rows, strict=True):
        copy = attrs.evolve(
            target,
            id=new_id,
            kind=ScheduleKind.SUPPLY,
            starts_on=_moved(row.starts_on, year, month),
            ends_on=_moved(row.ends_on, year, month),
            start_time=row.start_time,
            end_time=row.end_time,
            description=row.description,
            situation=None,
            version=1,
        )
        found += rules.check_schedule(
            copy,
            others,
            overlap_as_gsan=ctx.profile.service_requests.schedule_overlap_as_gsan,
        )
        others.append(copy)
        copies.append(copy)
    ensure(found)
    uow.supply_schedules.add_many(copies)
    uow.record(
        *(
            SupplyScheduleChanged(
                occurred_at=at,
                actor=actor,
                schedule_id=c.id,
                kind=c.kind,
                change="copied",
            )
            for c in copies
        )
    )
    return tuple(copies)


def covering_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    at: datetime,
    area_id: int | None = None,
    neighbourhood_id: int | None = None,
    sector_id: int | None = None,
    locality_id: int | None = None,
    kind: ScheduleKind | None = None,
) -> tuple[SupplySchedule, ...]:
    """PAM-06: the windows that cover the place at the instant (one read).
    Maintenance windows already concluded do not interrupt anything."""
    local = at.astimezone(ctx.zone).replace(tzinfo=None)
    rows = uow.supply_schedules.covering(
        reference=local.year * 100 + local.month,
        area_id=area_id,
        neighbourhood_id=neighbourhood_id,
        sector_id=sector_id,
        locality_id=locality_id,
    )
    hours = ctx.profile.service_requests.schedule_hours_as_gsan
    return tuple(
        r
        for r in rows
        if (kind is None or r.kind is kind)
        and rules.covers(r, local, hours_as_gsan=hours)
        and r.situation is not MaintenanceSituation.CONCLUDED
    )


def outage_warnings_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    at: datetime,
    area_id: int,
    neighbourhood_id: int | None,
) -> tuple[Violation, ...]:
    """PAM-07: the informative message an outage request of the area gets at
    its attendance instant."""
    local = at.astimezone(ctx.zone).replace(tzinfo=None)
    params = ctx.profile.service_requests
    rows = uow.supply_schedules.covering(
        reference=local.year * 100 + local.month,
        area_id=area_id,
        neighbourhood_id=neighbourhood_id,
    )
    return rules.outage_warnings(
        rows,
        at=local,
        area_id=area_id,
        warn_unscheduled_supply=params.warn_unscheduled_supply,
        hours_as_gsan=params.schedule_hours_as_gsan,
    )
