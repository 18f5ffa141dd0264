"""In-memory service-order repositories: the set-based statements of the
overdue closing and the completed-orders bulletin (done row by row), and the
price table's removal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.scheduling import SchedulableOrder
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceChargeValue,
    ServiceOrder,
)

__all__ = ["MemoryServiceOrderRepository", "MemoryServicePriceRepository"]


class MemoryServicePriceRepository(MemoryRepository[ServiceChargeValue]):
    """The service price table in memory."""

    def remove(self, row: ServiceChargeValue) -> None:
        current = self.find(row.id)
        if current is None:
            raise NotFound(self._table, row.id)
        if current.version != row.version:
            raise ConcurrencyConflict(self._table, row.id, row.version)
        self._uow.delete(self._table, row.id, expect=current.version)

    def of_type(self, service_type_id: int) -> Sequence[ServiceChargeValue]:
        return self.find_by(service_type_id=service_type_id)


class MemoryServiceOrderRepository(MemoryRepository[ServiceOrder]):
    """Service orders in memory."""

    def schedulable(self, unit_id: int) -> Sequence[SchedulableOrder]:
        open_ = (OrderSituation.PENDING, OrderSituation.IN_EXECUTION)
        found = []
        for order in self._uow.rows_where(self._table, "current_unit_id", unit_id):
            if order.situation not in open_ or order.scheduled:
                continue
            service_type = self._uow.read("service_type", order.service_type_id)
            if service_type is None or not service_type.automatic_scheduling:
                continue
            found.append(
                SchedulableOrder(
                    id=order.id,
                    service_type_id=order.service_type_id,
                    generated_at=order.generated_at,
                    version=order.version,
                    property_id=order.property_id,
                    request_id=order.request_id,
                )
            )
        return sorted(found, key=lambda o: o.id)

    def _pending(
        self, service_type_id: int, generated_before: datetime
    ) -> list[ServiceOrder]:
        return [
            order
            for order in self._uow.rows(self._table)
            if order.service_type_id == service_type_id
            and order.situation is OrderSituation.PENDING
            and order.generated_at < generated_before
        ]

    def pending_ids(
        self,
        *,
        service_type_id: int,
        generated_before: datetime,
        limit: int,
        after_id: int = 0,
    ) -> Sequence[int]:
        ids = sorted(
            o.id
            for o in self._pending(service_type_id, generated_before)
            if o.id > after_id
        )
        return ids[:limit]

    def count_pending(self, *, service_type_id: int, generated_before: datetime) -> int:
        return len(self._pending(service_type_id, generated_before))

    def close_pending(
        self, ids: Sequence[int], *, reason_id: int, closed_at: datetime
    ) -> Sequence[int]:
        closed: list[int] = []
        for ident in ids:
            order = self.find(ident)
            if order is None or order.situation is not OrderSituation.PENDING:
                continue
            self.update(
                attrs.evolve(
                    order,
                    situation=OrderSituation.CLOSED,
                    closing_reason_id=reason_id,
                    closed_at=closed_at,
                    closing_remark=None,
                    version=order.version + 1,
                )
            )
            closed.append(ident)
        return closed

    def close_next_pending(
        self,
        *,
        service_type_id: int,
        generated_before: datetime,
        after_id: int,
        limit: int,
        reason_id: int,
        closed_at: datetime,
        unit_id: int | None,
        user_id: int,
    ) -> tuple[Sequence[int], Sequence[int]]:
        picked = self.pending_ids(
            service_type_id=service_type_id,
            generated_before=generated_before,
            limit=limit,
            after_id=after_id,
        )
        closed = self.close_pending(picked, reason_id=reason_id, closed_at=closed_at)
        trail_ids = self._uow.next_ids("order_unit", len(closed)) if closed else ()
        for trail_id, order_id in zip(trail_ids, closed, strict=True):
            self._uow.write(
                "order_unit",
                trail_id,
                OrderUnitRecord(
                    id=trail_id,
                    order_id=order_id,
                    unit_id=unit_id,
                    user_id=user_id,
                    relation=OrderUnitRelation.CLOSED,
                    at=closed_at,
                ),
                expect=None,
            )
        return picked, closed

    def closed_between(
        self,
        *,
        start: datetime,
        end: datetime,
        service_type_id: int | None = None,
        unit_id: int | None = None,
    ) -> Sequence[tuple[ServiceOrder, OrderUnitRecord | None]]:
        closing: dict[int, OrderUnitRecord] = {}
        for record in sorted(self._uow.rows("order_unit"), key=lambda r: r.id):
            if record.relation is OrderUnitRelation.CLOSED:
                closing[record.order_id] = record
        found: list[tuple[ServiceOrder, OrderUnitRecord | None]] = []
        for order in self._uow.rows(self._table):
            if (
                order.situation is not OrderSituation.CLOSED
                or order.closed_at is None
                or not start <= order.closed_at < end
                or (
                    service_type_id is not None
                    and order.service_type_id != service_type_id
                )
            ):
                continue
            record = closing.get(order.id)
            if unit_id is not None and (record is None or record.unit_id != unit_id):
                continue
            found.append((order, record))
        found.sort(key=lambda pair: (pair[0].closed_at, pair[0].id))
        return found
