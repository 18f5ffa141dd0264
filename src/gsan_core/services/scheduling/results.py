"""What the scheduling queries and commands return."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from gsan_core.model.scheduling import Schedule, ScheduledOrder
from gsan_core.rules.scheduling.automatic import Placement

__all__ = [
    "AutomaticScheduling",
    "DayClosing",
    "RouteSheet",
    "RouteStop",
    "ScheduleDay",
    "TeamDay",
]


def _rows(value: Iterable[ScheduledOrder]) -> tuple[ScheduledOrder, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class TeamDay:
    """One team's day on a roteiro: its programmings in sequence and its load
    (UC0460 ``obterCargaTrabalhoEquipe``)."""

    team_id: int
    name: str
    work_minutes: int
    used_minutes: int
    programmings: tuple[ScheduledOrder, ...] = attrs.field(
        factory=tuple, converter=_rows
    )

    @property
    def free_minutes(self) -> int:
        """What is left of the team's day (negative when over-programmed)."""
        return self.work_minutes - self.used_minutes

    @property
    def percent_used(self) -> float:
        """How full the team's day is, in percent."""
        return round(100 * self.used_minutes / self.work_minutes, 1)


def _teams(value: Iterable[TeamDay]) -> tuple[TeamDay, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ScheduleDay:
    """A unit's roteiro for one date, team by team (the follow-up screen)."""

    unit_id: int
    on: date
    #: The roteiro row (``None`` when nothing was ever programmed that day).
    schedule: Schedule | None
    teams: tuple[TeamDay, ...] = attrs.field(factory=tuple, converter=_teams)

    def team(self, team_id: int) -> TeamDay:
        """The day of one team."""
        for day in self.teams:
            if day.team_id == team_id:
                return day
        raise KeyError(team_id)


@attrs.frozen(kw_only=True)
class RouteStop:
    """One stop of a team's route, as data (the route sheet's line)."""

    sequence: int
    order_id: int
    service_type_id: int
    service_type: str
    minutes: int
    principal: bool
    property_id: int | None
    request_id: int | None
    observation: str | None


def _stops(value: Iterable[RouteStop]) -> tuple[RouteStop, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RouteSheet:
    """A team's day out (the route sheet and the route file's content): the
    team, its device and its stops in sequence."""

    team_id: int
    team_name: str
    unit_id: int
    on: date
    #: ``eqpe_nnimei``: the device the route file is addressed to (ROT-06).
    imei: str | None
    work_minutes: int
    stops: tuple[RouteStop, ...] = attrs.field(converter=_stops)

    @property
    def minutes(self) -> int:
        """The estimated minutes of the day's stops."""
        return sum(s.minutes for s in self.stops)


@attrs.frozen(kw_only=True)
class DayClosing:
    """A roteiro's day closed: the orders that went back to the pool."""

    schedule: Schedule
    returned_order_ids: tuple[int, ...]


@attrs.frozen(kw_only=True)
class AutomaticScheduling:
    """What a UC1190 run did: each placement with its score and parts."""

    unit_id: int
    on: date
    #: How many open orders of automatic types were ranked.
    considered: int
    placements: tuple[Placement, ...]
    #: The orders ranked but not placed, in rank order.
    left_order_ids: tuple[int, ...]
    #: The teams that worked (automatic scheduling on; a special day when the
    #: date is a weekend or holiday).
    team_ids: tuple[int, ...]

    def placed_per_team(self) -> dict[int, int]:
        """How many orders each working team got."""
        counts = dict.fromkeys(self.team_ids, 0)
        for placement in self.placements:
            counts[placement.team_id] += 1
        return counts
