"""SQL scheduling repositories: the roteiros' date-range query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.adapters.sqlalchemy.repositories import SqlRepository
from gsan_core.model.scheduling import Schedule, ScheduledOrder

__all__ = ["SqlProgrammingRepository", "SqlScheduleRepository"]


class SqlProgrammingRepository(SqlRepository[ScheduledOrder]):
    """Programmings in the ``scheduled_order`` table (a command's updates of
    several rows, the rows it ends and those it renumbers, wait with its other
    writes as every repository's few-row updates do)."""

    def find_by(self, **criteria: object) -> Sequence[ScheduledOrder]:
        """As every repository's; in a unit of work that defers its writes, a
        few rows read are kept as read (``SqlUnitOfWork.read_rows``): their
        renumbering's deferred updates then set the sequence and version
        only, a statement under psycopg's 4 KiB prepared-statement limit."""
        found = super().find_by(**criteria)
        keep = getattr(self._uow, "read_rows", None)
        if keep is not None and found and len(found) <= MOST_ROWS and self._deferred():
            keep(self._entity, found)
        return found


class SqlScheduleRepository(SqlRepository[Schedule]):
    """Roteiros in the ``schedule`` table (unique per unit and date)."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        t = self._table
        statement = (
            sa.select(t)
            .where(t.c.unit_id == unit_id, t.c.on.between(first, last))
            .order_by(t.c.on, t.c.id)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)
