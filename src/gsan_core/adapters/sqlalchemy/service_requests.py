"""SQL repositories of the service-request area: the batch and query reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import CHUNK, SqlRepository, chunks
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestSituation, ServiceRequest

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.mappers import RowMapper
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlAssociationRepository", "SqlServiceRequestRepository"]

E = TypeVar("E")


class SqlAssociationRepository(SqlRepository[E]):
    """Configuration rows replaced as a set."""

    def remove_many(self, entities: Iterable[E]) -> None:
        t = self._table
        for batch in chunks(entities, CHUNK):
            for entity in batch:
                ident = entity.id
                version = entity.version
                with translated(self._entity, ident):
                    result = self._conn.execute(
                        sa.delete(t).where(t.c.id == ident, t.c.version == version)
                    )
                if result.rowcount != 1:
                    if self.find(ident) is None:
                        raise NotFound(self._entity, ident)
                    raise ConcurrencyConflict(self._entity, ident, version)


class SqlServiceRequestRepository(SqlRepository[ServiceRequest]):
    """Service requests with the batch and query reads as Core statements."""

    def __init__(
        self, uow: SqlUnitOfWork, mapper: RowMapper[ServiceRequest], entity: str
    ) -> None:
        super().__init__(uow, mapper, entity)
        self._orders = uow.tables["service_order"]

    def _no_scheduled_order(self) -> sa.ColumnElement[bool]:
        o = self._orders
        return ~sa.exists(
            sa.select(sa.literal(1)).where(
                o.c.request_id == self._table.c.id,
                o.c.scheduled.is_(True),
                o.c.situation != OrderSituation.CLOSED.value,
            )
        )

    def closing_localities(
        self, *, since: datetime, until: datetime
    ) -> Sequence[int | None]:
        t = self._table
        statement = (
            sa.select(t.c.locality_id)
            .where(
                t.c.situation == RequestSituation.PENDING.value,
                t.c.attended_at >= since,
                t.c.attended_at < until,
            )
            .distinct()
        )
        with translated(self._entity):
            found = [row[0] for row in self._conn.execute(statement)]
        return sorted(found, key=lambda v: (v is None, v or 0))

    def closing_candidates(
        self,
        *,
        locality_id: int | None,
        since: datetime,
        until: datetime,
        attendance_unit_id: int | None = None,
        current_unit_ids: Collection[int] | None = None,
        specification_ids: Collection[int] | None = None,
    ) -> Sequence[ServiceRequest]:
        t = self._table
        clauses: list[sa.ColumnElement[bool]] = [
            t.c.situation == RequestSituation.PENDING.value,
            t.c.locality_id.is_(None)
            if locality_id is None
            else t.c.locality_id == locality_id,
            t.c.attended_at >= since,
            t.c.attended_at < until,
            self._no_scheduled_order(),
        ]
        if attendance_unit_id is not None:
            clauses.append(t.c.opening_unit_id == attendance_unit_id)
        if current_unit_ids is not None:
            clauses.append(t.c.current_unit_id.in_(list(current_unit_ids)))
        if specification_ids is not None:
            clauses.append(t.c.specification_id.in_(list(specification_ids)))
        return self._select(*clauses)

    def overdue(
        self, *, today: date, unit_id: int | None = None
    ) -> Sequence[ServiceRequest]:
        t = self._table
        clauses: list[sa.ColumnElement[bool]] = [
            t.c.situation.in_(
                [RequestSituation.PENDING.value, RequestSituation.BLOCKED.value]
            ),
            t.c.current_due_date < today,
        ]
        if unit_id is not None:
            clauses.append(t.c.current_unit_id == unit_id)
        found = self._select(*clauses)
        return sorted(found, key=lambda r: (r.current_due_date, r.id))
