"""In-memory scheduling repositories: the roteiros' date-range query and the
programmings' day loads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.model.scheduling import Schedule, ScheduledOrder
from gsan_core.ports.scheduling import DayLoad

__all__ = ["MemoryProgrammingRepository", "MemoryScheduleRepository"]


class MemoryScheduleRepository(MemoryRepository[Schedule]):
    """Roteiros in memory."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        found = [
            row
            for row in self._uow.rows_where(self._table, "unit_id", unit_id)
            if first <= row.on <= last
        ]
        return sorted(found, key=lambda row: (row.on, row.id))


class MemoryProgrammingRepository(MemoryRepository[ScheduledOrder]):
    """Programmings in memory."""

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
        uow = self._uow
        wanted = set(days)
        found: dict[int, ScheduledOrder] = {
            row.id: row
            for row in uow.rows_where(self._table, "unit_id", unit_id)
            if (ended or row.active)
            and row.on in wanted
            and (of_teams is None or row.team_id in of_teams)
        }
        for order_id in orders:
            for row in uow.rows_where(self._table, "order_id", order_id):
                if row.active:
                    found[row.id] = row
        rows = tuple(found[k] for k in sorted(found))
        minutes: dict[int, int] = {}
        for order_id in {row.order_id for row in rows}:
            order = uow.read("service_order", order_id)
            kind = (
                None
                if order is None
                else uow.read("service_type", order.service_type_id)
            )
            minutes[order_id] = (kind and kind.average_execution_minutes) or 0
        return DayLoad(
            rows=rows,
            minutes=minutes,
            teams={k: t for k in teams if (t := uow.read("team", k)) is not None},
            schedules={
                s.on: s
                for s in uow.rows_where("schedule", "unit_id", unit_id)
                if s.on in wanted
            },
        )

    def lock_day_of(self, order_id: int, on: date, key: tuple[str, str]) -> int | None:
        found = [
            row
            for row in self._uow.rows_where(self._table, "order_id", order_id)
            if row.active and row.on == on
        ]
        if not found:
            return None
        unit_id = int(min(found, key=lambda row: row.id).unit_id)
        self._uow.lock_key(f"{key[0]}{unit_id}{key[1]}")
        return unit_id
