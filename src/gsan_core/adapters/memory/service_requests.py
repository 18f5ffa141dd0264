"""In-memory repositories of the service-request area."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestSituation, ServiceRequest

__all__ = ["MemoryAssociationRepository", "MemoryServiceRequestRepository"]

E = TypeVar("E")


class MemoryAssociationRepository(MemoryRepository[E]):
    """Configuration rows replaced as a set."""

    def remove_many(self, entities: Iterable[E]) -> None:
        batch = list(entities)
        for entity in batch:
            key = self._key(entity)
            current = self._uow.read(self._table, key)
            if current is None:
                raise NotFound(self._table, key)
            if current.version != entity.version:  # type: ignore[attr-defined]
                raise ConcurrencyConflict(
                    self._table,
                    key,
                    entity.version,  # type: ignore[attr-defined]
                )
        for entity in batch:
            key = self._key(entity)
            self._uow.delete(
                self._table,
                key,
                expect=entity.version,  # type: ignore[attr-defined]
            )


class MemoryServiceRequestRepository(MemoryRepository[ServiceRequest]):
    """Service requests with the batch and query reads."""

    def _scheduled(self) -> set[int]:
        return {
            order.request_id
            for order in self._uow.rows("service_order")
            if order.request_id is not None
            and order.scheduled
            and order.situation is not OrderSituation.CLOSED
        }

    def closing_localities(
        self, *, since: datetime, until: datetime
    ) -> Sequence[int | None]:
        found = {
            r.locality_id
            for r in self._uow.rows(self._table)
            if r.situation is RequestSituation.PENDING
            and since <= r.attended_at < until
        }
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
        scheduled = self._scheduled()
        found = [
            r
            for r in self._uow.rows(self._table)
            if r.situation is RequestSituation.PENDING
            and r.locality_id == locality_id
            and since <= r.attended_at < until
            and r.id not in scheduled
            and (attendance_unit_id is None or r.opening_unit_id == attendance_unit_id)
            and (current_unit_ids is None or r.current_unit_id in current_unit_ids)
            and (specification_ids is None or r.specification_id in specification_ids)
        ]
        return sorted(found, key=lambda r: r.id)

    def overdue(
        self, *, today: date, unit_id: int | None = None
    ) -> Sequence[ServiceRequest]:
        found = [
            r
            for r in self._uow.rows(self._table)
            if r.situation is not RequestSituation.CLOSED
            and r.current_due_date < today
            and (unit_id is None or r.current_unit_id == unit_id)
        ]
        return sorted(found, key=lambda r: (r.current_due_date, r.id))
