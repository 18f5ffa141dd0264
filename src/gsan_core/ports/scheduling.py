"""Repository ports of scheduling (roteiros, programmings, special days,
followers); the conventions of :mod:`gsan_core.ports.repositories` hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

import attrs

from gsan_core.model.scheduling import Schedule, ScheduledOrder
from gsan_core.model.service_orders import Team
from gsan_core.ports.repositories import Repository

__all__ = ["DayLoad", "ProgrammingRepository", "ScheduleRepository"]


class ScheduleRepository(Repository[Schedule], Protocol):
    """Roteiros: one per unit and date."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        """The unit's roteiros dated ``first`` to ``last`` (both included), by date."""
        ...


@attrs.frozen
class DayLoad:
    """What a command changing a unit's roteiro days reads under their locks
    (:meth:`ProgrammingRepository.load_days`)."""

    #: The programmings asked, by id.
    rows: tuple[ScheduledOrder, ...]
    #: Each order of ``rows``: its service type's average execution minutes
    #: (0 when the type has none).
    minutes: Mapping[int, int]
    #: The teams asked that exist (active or not), by id.
    teams: Mapping[int, Team]
    #: The unit's roteiros of the days that have one, by date.
    schedules: Mapping[date, Schedule]


class ProgrammingRepository(Repository[ScheduledOrder], Protocol):
    """Programmings: an order on a team's day of a unit's roteiro."""

    def load_days(
        self,
        unit_id: int,
        days: Sequence[date],
        *,
        teams: Sequence[int] = (),
        of_teams: Sequence[int] | None = None,
        orders: Sequence[int] = (),
        ended: bool = False,
    ) -> DayLoad:
        """In one read (issue 20): the active programmings of the unit's
        ``days`` (of the teams ``of_teams`` only, unless ``None``; with
        ``ended`` the days' ended ones too) and the active ones of ``orders``
        (any unit and day), the minutes of their orders, the teams ``teams``
        and the unit's roteiros of ``days``. Called under the days' locks,
        it sees what their previous holders committed."""
        ...

    def lock_day_of(self, order_id: int, on: date, key: tuple[str, str]) -> int | None:
        """Lock the named key (``UnitOfWork.lock_key``) of the unit of order
        ``order_id``'s active programming of ``on``, ``key[0]`` + the unit's
        id + ``key[1]``, and return that unit (``None``, nothing locked: no
        active programming); one statement on PostgreSQL. The programming is
        looked for before the lock: the caller reads it again under it. An
        adapter may lock the order too, after the key, and hand it to the
        unit of work's next lock of it (PostgreSQL: in the same statement,
        issue 20, ninth round); the caller locks the order next either way
        and reads the day after both locks (``docs/concurrency.md``)."""
        ...
