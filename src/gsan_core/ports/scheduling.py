"""Repository ports of scheduling (roteiros, programmings, special days,
followers); the conventions of :mod:`gsan_core.ports.repositories` hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from gsan_core.model.scheduling import Schedule
from gsan_core.ports.repositories import Repository

__all__ = ["ScheduleRepository"]


class ScheduleRepository(Repository[Schedule], Protocol):
    """Roteiros: one per unit and date."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        """The unit's roteiros dated ``first`` to ``last`` (both included), by date."""
        ...
