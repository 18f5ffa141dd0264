"""In-memory repositories of the service desk: the supply and maintenance
schedule and the outbound messages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.service_desk import (
    MessageStatus,
    OutboundMessage,
    ScheduleKind,
    SupplySchedule,
)

__all__ = ["MemoryOutboundMessageRepository", "MemorySupplyScheduleRepository"]


def _by_start(row: SupplySchedule) -> tuple[object, ...]:
    return (row.starts_on, row.start_time, row.id)


class MemorySupplyScheduleRepository(MemoryRepository[SupplySchedule]):
    """Supply and maintenance windows in memory."""

    def covering(
        self,
        *,
        reference: int,
        area_id: int | None = None,
        neighbourhood_id: int | None = None,
        sector_id: int | None = None,
        locality_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        wanted = (
            ("area_id", area_id),
            ("neighbourhood_id", neighbourhood_id),
            ("sector_id", sector_id),
            ("locality_id", locality_id),
        )
        rows = [
            row
            for row in self._uow.rows_where(self._table, "reference", reference)
            if any(
                value is not None and getattr(row, name) == value
                for name, value in wanted
            )
        ]
        return sorted(rows, key=_by_start)

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        reference: int | None = None,
        kind: ScheduleKind | None = None,
        municipality_id: int | None = None,
        locality_id: int | None = None,
        sector_id: int | None = None,
        neighbourhood_id: int | None = None,
        area_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        criteria = {
            name: value
            for name, value in (
                ("reference", reference),
                ("kind", kind),
                ("municipality_id", municipality_id),
                ("locality_id", locality_id),
                ("sector_id", sector_id),
                ("neighbourhood_id", neighbourhood_id),
                ("area_id", area_id),
            )
            if value is not None
        }
        rows = sorted(self.find_by(**criteria), key=_by_start)
        return rows[offset : offset + limit]

    def remove(self, schedule: SupplySchedule) -> None:
        current = self.find(schedule.id)
        if current is None:
            raise NotFound(self._table, schedule.id)
        if current.version != schedule.version:
            raise ConcurrencyConflict(self._table, schedule.id, schedule.version)
        self._uow.delete(self._table, schedule.id, expect=current.version)


class MemoryOutboundMessageRepository(MemoryRepository[OutboundMessage]):
    """Outbound messages in memory; one message per (event, phone), as the SQL
    adapter's unique index."""

    def _unique(self, messages: Sequence[OutboundMessage]) -> None:
        seen: set[tuple[int, str]] = set()
        for message in messages:
            if message.event_id is None:
                continue
            key = (message.event_id, message.phone)
            taken = any(
                other.phone == message.phone and other.id != message.id
                for other in self._uow.rows_where(
                    self._table, "event_id", message.event_id
                )
            )
            if taken or key in seen:
                raise DuplicateEntity(self._table, message.id)
            seen.add(key)

    def add(self, entity: OutboundMessage) -> None:
        self._unique([entity])
        super().add(entity)

    def add_many(self, entities: Iterable[OutboundMessage]) -> None:
        batch = list(entities)
        self._unique(batch)
        super().add_many(batch)

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        phone: str | None = None,
        request_id: int | None = None,
        property_id: int | None = None,
        customer_id: int | None = None,
        reason: str | None = None,
        status: Collection[MessageStatus] | None = None,
        created_from: datetime | None = None,
        created_until: datetime | None = None,
    ) -> Sequence[OutboundMessage]:
        criteria: dict[str, object] = {
            name: value
            for name, value in (
                ("phone", phone),
                ("request_id", request_id),
                ("property_id", property_id),
                ("customer_id", customer_id),
                ("reason", reason),
            )
            if value is not None
        }
        if status is not None:
            criteria["status"] = list(status)
        rows = [
            row
            for row in self.find_by(**criteria)
            if (created_from is None or row.created_at >= created_from)
            and (created_until is None or row.created_at < created_until)
        ]
        rows.sort(key=lambda row: (row.created_at, row.id), reverse=True)
        return rows[offset : offset + limit]

    def due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        rows = [
            row
            for row in self.find_by(
                status=[MessageStatus.PENDING, MessageStatus.FAILED]
            )
            if row.status is MessageStatus.PENDING or row.attempts < max_attempts
        ]
        return rows[:limit]

    def claim_due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        claimed = [
            attrs.evolve(
                m,
                status=MessageStatus.UNCONFIRMED,
                attempts=m.attempts + 1,
                version=m.version + 1,
            )
            for m in self.due(limit=limit, max_attempts=max_attempts)
        ]
        if claimed:
            self.update_many(claimed)
        return claimed
