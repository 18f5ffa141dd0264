"""Automatic scheduling (UC1190) and its calibration ("Informar Calibragem"
UC1185, "Importância Tipo de Serviço"): a base of
:class:`~gsan_core.services.scheduling.SchedulingService`.

The run is set-based: it reads the unit's open orders in one statement, their
types, properties and requests by id sets, scores them in memory (CAL-03),
places them deterministically and writes the programmings in one unit of work,
holding the batch ``("automatic scheduling", "unit U on D")`` and the roteiro's
key. Orders already programmed that day stay where they are; a re-run places
only what is new (idempotent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import attrs

from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.catalog import CatalogItem, CatalogItemChanged
from gsan_core.model.scheduling import (
    OrdersScheduledAutomatically,
    PrioritizationKind,
    Schedule,
    ScheduledOrder,
    ScheduleOutcome,
)
from gsan_core.model.service_orders import (
    ServiceType,
    ServiceTypeSaved,
    Team,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.scheduling import automatic as auto
from gsan_core.rules.scheduling import check_route_month
from gsan_core.rules.validation import ensure
from gsan_core.services.scheduling.follow_up import FollowUp
from gsan_core.services.scheduling.results import AutomaticScheduling
from gsan_core.services.service_orders.programmings import (
    lock_days,
    used_minutes,
    write_programmed,
)

__all__ = ["Automatic"]

_KIND = "calibration"


class Automatic(FollowUp):
    """Calibration and the automatic scheduling run (on ``gsan.scheduling``)."""

    # ------------------------------------------------------------ calibration
    def calibration(self) -> list[CatalogItem]:
        """The active calibration rows, by id."""
        with self._read() as uow:
            return list(uow.catalog.list(_KIND, active_only=True))

    def inform_calibration(
        self, *, changes: Mapping[int, tuple[int | None, int | None]], actor: int
    ) -> list[CatalogItem]:
        """ "Informar Calibragem" (CAL-01): new ``(weight, factor)`` of calibration
        rows, both required integers; each change is audited (an event)."""
        at = self._now()
        with self._work() as uow:
            uow.lock_key(f"catalog.{_KIND}")
            rows = {r.id: r for r in uow.catalog.list(_KIND, active_only=True)}
            ensure(auto.check_calibration(changes, rows=rows))
            changed = [
                attrs.evolve(
                    rows[ident],
                    attributes={
                        **rows[ident].attributes,
                        "weight": weight,
                        "factor": factor,
                    },
                    version=rows[ident].version + 1,
                )
                for ident, (weight, factor) in sorted(changes.items())
            ]
            uow.catalog.update_many(changed)
            uow.record(
                *(
                    CatalogItemChanged(
                        occurred_at=at,
                        actor=actor,
                        kind=_KIND,
                        item_id=item.id,
                        version=item.version,
                        active=item.active,
                    )
                    for item in changed
                )
            )
            uow.commit()
        return changed

    def set_service_type_importance(
        self, *, importances: Mapping[int, int | None], actor: int
    ) -> list[ServiceType]:
        """ "Importância Tipo de Serviço" (CAL-02): each selected service type gets
        a calibration row of the service-type kind."""
        at = self._now()
        with self._work() as uow:
            types = {
                k: t
                for k, t in uow.service_types.get_many(importances).items()
                if t.active
            }
            rows = {r.id: r for r in uow.catalog.list(_KIND, active_only=True)}
            ensure(auto.check_importance(importances, known_types=types, rows=rows))
            changed = [
                attrs.evolve(
                    types[k],
                    calibration_id=importances[k],
                    version=types[k].version + 1,
                )
                for k in sorted(importances)
            ]
            uow.service_types.update_many(changed)
            uow.record(
                *(
                    ServiceTypeSaved(
                        occurred_at=at,
                        actor=actor,
                        service_type_id=t.id,
                        version=t.version,
                    )
                    for t in changed
                )
            )
            uow.commit()
        return changed

    # ------------------------------------------------------------ the run
    def schedule_automatically(
        self,
        *,
        unit_id: int,
        on: date,
        actor: int,
        fill_gaps: bool | None = None,
    ) -> AutomaticScheduling:
        """UC1190 for one unit and date: the unit's open orders of types that take
        automatic scheduling, not programmed, ranked by score (CAL-03), fill the
        days of the unit's teams that take automatic scheduling up to their work
        load. On a weekend or holiday only the teams with a special day work
        (ROT-05). ``fill_gaps`` (default: the profile's) goes on past an order
        no team has room for; GSAN stops there."""
        gaps = (
            self.profile.service_orders.automatic_scheduling_fills_gaps
            if fill_gaps is None
            else fill_gaps
        )
        at = self._now()
        with (
            self._exclusive("automatic scheduling", f"unit {unit_id} on {on}"),
            self._work(defer=True) as uow,
        ):
            ensure(check_route_month(on, today=self._today(at)))
            lock_days(uow, unit_id, [on])
            teams = self._working_teams(uow, unit_id, on)
            # the day's active rows and the day before's (its missing special
            # equipment, CAL-01) in one read
            before = on - timedelta(days=1)
            both = uow.programmings.find_by(unit_id=unit_id, on=[before, on])
            day_rows = [r for r in both if r.on == on and r.active]
            used = used_minutes(uow, day_rows)
            candidates, versions = self._candidates(
                uow, unit_id, self._today(at), [r for r in both if r.on == before]
            )
            calibration = {r.id: r for r in uow.catalog.list(_KIND, active_only=True)}
            placements, left = auto.place(
                candidates,
                teams=teams,
                used={t.id: used.get((t.id, on), 0) for t in teams},
                taken={
                    t.id: sum(1 for r in day_rows if r.team_id == t.id) for t in teams
                },
                calibration=calibration,
                fill_gaps=gaps,
            )
            self._write(uow, unit_id, on, placements, versions, actor, at)
            uow.commit()
        return AutomaticScheduling(
            unit_id=unit_id,
            on=on,
            considered=len(candidates),
            placements=tuple(placements),
            left_order_ids=tuple(left),
            team_ids=tuple(t.id for t in teams),
        )

    def _working_teams(self, uow: UnitOfWork, unit_id: int, on: date) -> list[Team]:
        teams = [
            t
            for t in uow.teams.find_by(unit_id=unit_id, active=True)
            if t.automatic_scheduling
        ]
        if not teams or self._business_day(uow, unit_id, on):
            return teams
        special = {
            d.team_id
            for d in uow.special_days.find_by(on=on, team_id=[t.id for t in teams])
        }
        return [t for t in teams if t.id in special]

    def _business_day(self, uow: UnitOfWork, unit_id: int, on: date) -> bool:
        unit = uow.units.find(unit_id)
        locality = (
            None
            if unit is None or unit.locality_id is None
            else uow.localities.find(unit.locality_id)
        )
        if locality is None or locality.municipality_id is None:
            return self._ctx.calendar.is_business_day(on)
        return self._ctx.calendar.is_business_day(
            on, scope="municipal", municipality_id=locality.municipality_id
        )

    def _candidates(
        self,
        uow: UnitOfWork,
        unit_id: int,
        today: date,
        day_before: Sequence[ScheduledOrder],
    ) -> tuple[list[auto.Candidate], dict[int, int]]:
        """The candidates and the version each order was read at
        (``day_before``: the unit's programmings of the day before the run's)."""
        orders = uow.service_orders.schedulable(unit_id)
        types = uow.service_types.get_many({o.service_type_id for o in orders})
        if not orders:
            return [], {}
        requests = uow.service_requests.get_many(
            {o.request_id for o in orders if o.request_id is not None}
        )
        location_rows = {
            r.integer("locality_id"): r.id
            for r in sorted(
                uow.catalog.list(_KIND, active_only=True), key=lambda r: r.id
            )
            if r.integer("kind") == PrioritizationKind.LOCATION
            and r.integer("locality_id") is not None
        }
        # the properties matter only for the location rows, when there are any
        properties = (
            uow.properties.get_many(
                {o.property_id for o in orders if o.property_id is not None}
            )
            if location_rows
            else {}
        )
        missing = _missing_equipment(day_before)
        found = []
        for order in orders:
            service_type = types[order.service_type_id]
            request = (
                None if order.request_id is None else requests.get(order.request_id)
            )
            prop = (
                None if order.property_id is None else properties.get(order.property_id)
            )
            found.append(
                auto.Candidate(
                    order_id=order.id,
                    generated_at=order.generated_at,
                    minutes=service_type.average_execution_minutes or 0,
                    location_calibration_id=None
                    if prop is None
                    else location_rows.get(prop.locality_id),
                    service_type_calibration_id=service_type.calibration_id,
                    reiterations=0 if request is None else request.reiterations,
                    recurrences=0
                    if request is None or request.reactivation_of_id is None
                    else 1,
                    days_open=max(
                        (
                            today - order.generated_at.astimezone(self._ctx.zone).date()
                        ).days,
                        0,
                    ),
                    missing_equipment_id=missing.get(order.id),
                )
            )
        return found, {o.id: o.version for o in orders}

    def _write(  # noqa: PLR0917 (a private step of the run)
        self,
        uow: UnitOfWork,
        unit_id: int,
        on: date,
        placements: Sequence[auto.Placement],
        versions: Mapping[int, int],
        actor: int,
        at: datetime,
    ) -> None:
        if not placements:
            return
        # the orders were ranked from an unlocked read: lock the placed ones and
        # give up (retry-safe) if one changed meanwhile (programmed by hand...)
        orders = uow.service_orders.lock_many([p.order_id for p in placements])
        for order_id in sorted(p.order_id for p in placements):
            current = orders.get(order_id)
            if current is None or current.version != versions[order_id]:
                raise ConcurrencyConflict("service_order", order_id, versions[order_id])
        found = uow.schedules.find_by(unit_id=unit_id, on=on)
        schedule = found[0] if found else None
        if schedule is None:
            schedule = Schedule(id=uow.next_id("schedule"), unit_id=unit_id, on=on)
            uow.schedules.add(schedule)
        ids = uow.next_ids("scheduled_order", len(placements))
        rows = [
            ScheduledOrder(
                id=ident,
                schedule_id=schedule.id,
                order_id=p.order_id,
                team_id=p.team_id,
                unit_id=unit_id,
                on=on,
                sequence=p.sequence,
                scheduled_by=actor,
                scheduled_at=at,
            )
            for ident, p in zip(ids, placements, strict=True)
        ]
        write_programmed(uow, rows, (), orders, actor=actor, at=at)
        uow.record(
            OrdersScheduledAutomatically(
                occurred_at=at,
                actor=actor,
                unit_id=unit_id,
                on=on,
                order_ids=tuple(p.order_id for p in placements),
            ),
        )


def _missing_equipment(rows: Sequence[ScheduledOrder]) -> dict[int, int]:
    """The special equipment each order lacked on the previous day (a pending
    report with a missing-equipment reason)."""
    return {
        r.order_id: r.missing_equipment_id
        for r in rows
        if r.outcome is ScheduleOutcome.NOT_CLOSED
        and r.missing_equipment_id is not None
    }
