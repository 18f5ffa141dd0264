"""In-memory repositories of the service-request area."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import (
    ClosedByCommand,
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    OrderRef,
    RequestRef,
    RequestSituation,
    ServiceRequest,
)

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

    def close_by_command(self, **_: Any) -> ClosedByCommand | None:
        """The memory store does not write set-based: the service runs the
        pure rules over :meth:`closing_candidates`."""
        return None

    def closing_candidates(
        self,
        *,
        locality_id: int | None,
        since: datetime,
        until: datetime,
        attendance_unit_id: int | None = None,
        current_unit_ids: Collection[int] | None = None,
        specification_ids: Collection[int] | None = None,
    ) -> Sequence[RequestRef]:
        self._uow.lock_rows(
            self._table,
            sorted(
                r.id
                for r in self._uow.rows(self._table)
                if r.situation is RequestSituation.PENDING
                and r.locality_id == locality_id
                and since <= r.attended_at < until
            ),
        )
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
        return [
            RequestRef(
                id=r.id,
                version=r.version,
                specification_id=r.specification_id,
                property_id=r.property_id,
                attended_at=r.attended_at,
            )
            for r in sorted(found, key=lambda r: r.id)
        ]

    def open_orders_of(self, request_ids: Collection[int]) -> Sequence[OrderRef]:
        wanted = set(request_ids)
        found = [
            OrderRef(
                id=o.id,
                version=o.version,
                request_id=o.request_id,
                situation=int(o.situation),
            )
            for o in self._uow.rows("service_order")
            if o.request_id in wanted and o.situation is not OrderSituation.CLOSED
        ]
        return sorted(found, key=lambda o: o.id)

    def _close(self, table: str, refs: Sequence[Any], changes: dict[str, Any]) -> None:
        staged = []
        for ref in refs:
            current = self._uow.read(table, ref.id)
            if current is None:
                raise NotFound(table, ref.id)
            if current.version != ref.version:
                raise ConcurrencyConflict(table, ref.id, ref.version)
            staged.append(attrs.evolve(current, version=current.version + 1, **changes))
        for entity in staged:
            self._uow.write(table, entity.id, entity, expect=entity.version - 1)

    def close_requests(
        self,
        requests: Sequence[RequestRef],
        *,
        closed_at: datetime,
        reason_id: int,
        remark: str | None,
        unit_id: int | None,
        actor: int,
    ) -> None:
        self._close(
            self._table,
            requests,
            {
                "situation": RequestSituation.CLOSED,
                "closed_at": closed_at,
                "closing_reason_id": reason_id,
                "closing_remark": remark,
                "closing_unit_id": unit_id,
                "closed_by": actor,
            },
        )

    def close_orders(
        self,
        orders: Sequence[OrderRef],
        *,
        closed_at: datetime,
        reason_id: int,
        remark: str | None,
    ) -> None:
        self._close(
            "service_order",
            orders,
            {
                "situation": OrderSituation.CLOSED,
                "closed_at": closed_at,
                "closing_reason_id": reason_id,
                "closing_remark": remark,
            },
        )

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

    def routing_associations(
        self,
        *,
        specification_id: int,
        locality_id: int | None,
        group_id: int | None,
        collection_situation_ids: Collection[int],
    ) -> tuple[
        Sequence[CollectionSituationUnit],
        Sequence[LocalitySpecificationUnit],
        Sequence[LocalityGroupUnit],
    ]:
        situations = set(collection_situation_ids)
        collection: list[CollectionSituationUnit] = [
            r
            for r in self._uow.rows("collection_situation_unit")
            if r.specification_id == specification_id
            and r.collection_situation_id in situations
        ]
        by_locality: list[LocalitySpecificationUnit] = [
            r
            for r in self._uow.rows("locality_specification_unit")
            if locality_id is not None
            and r.locality_id == locality_id
            and r.specification_id == specification_id
        ]
        by_group: list[LocalityGroupUnit] = [
            r
            for r in self._uow.rows("locality_group_unit")
            if locality_id is not None
            and group_id is not None
            and r.locality_id == locality_id
            and r.group_id == group_id
        ]
        return (
            sorted(collection, key=lambda r: r.id),
            sorted(by_locality, key=lambda r: r.id),
            sorted(by_group, key=lambda r: r.id),
        )
