"""In-memory scheduling repositories: the roteiros' date-range query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.model.scheduling import Schedule

__all__ = ["MemoryScheduleRepository"]


class MemoryScheduleRepository(MemoryRepository[Schedule]):
    """Roteiros in memory."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        found = [
            row
            for row in self._uow.rows_where(self._table, "unit_id", unit_id)
            if first <= row.on <= last
        ]
        return sorted(found, key=lambda row: (row.on, row.id))
