"""In-memory repositories of the connection area."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.adapters.memory.store import MemoryUnitOfWorkBase
from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.connections import (
    BatchCandidate,
    ConnectionKind,
    SewerConnection,
    SituationChange,
    WaterBatchWritten,
    WaterConnection,
)

__all__ = [
    "MemoryConnectionBatches",
    "MemorySewerConnectionRepository",
    "MemorySituationHistory",
    "MemoryWaterConnectionRepository",
]


class _Removable(MemoryRepository[Any]):
    def remove(self, connection: Any) -> None:
        current = self._uow.read(self._table, connection.id)
        if current is None:
            raise NotFound(self._table, connection.id)
        if current.version != connection.version:
            raise ConcurrencyConflict(self._table, connection.id, connection.version)
        self._uow.delete(self._table, connection.id, expect=current.version)


class MemoryWaterConnectionRepository(_Removable, MemoryRepository[WaterConnection]):
    """Water connections in memory."""


class MemorySewerConnectionRepository(_Removable, MemoryRepository[SewerConnection]):
    """Sewer connections in memory."""


class MemorySituationHistory:
    """The append-only situation history in memory."""

    _table = "situation_change"

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def add_many(self, changes: Iterable[SituationChange]) -> None:
        batch = list(changes)
        for change in batch:
            if self._uow.read(self._table, change.id) is not None:
                raise DuplicateEntity(self._table, change.id)
        for change in batch:
            self._uow.write(self._table, change.id, change, expect=None)

    def of_property(self, property_id: int) -> Sequence[SituationChange]:
        return sorted(
            (c for c in self._uow.rows(self._table) if c.property_id == property_id),
            key=lambda c: (c.at, c.id),
        )

    def between(
        self,
        start: date,
        end: date,
        *,
        operations: Collection[str] | None = None,
        kind: ConnectionKind | None = None,
    ) -> Sequence[SituationChange]:
        return sorted(
            (
                c
                for c in self._uow.rows(self._table)
                if start <= c.effective_on <= end
                and (operations is None or c.operation in operations)
                and (kind is None or c.kind is kind)
            ),
            key=lambda c: (c.effective_on, c.id),
        )


class MemoryConnectionBatches:
    """The set-based batch work over the memory store."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def localities_with_water_status(
        self, status_ids: Collection[int]
    ) -> Sequence[int]:
        wanted = set(status_ids)
        return sorted(
            {
                p.locality_id
                for p in self._uow.rows("property")
                if p.active and p.water_status_id in wanted
            }
        )

    def write_water_batch(self, **_: Any) -> Mapping[int, WaterBatchWritten] | None:
        """The memory store does not write set-based: the service runs the
        steps with the pure rules."""
        return None

    def candidates(
        self,
        *,
        locality_id: int,
        water_status_ids: Collection[int],
        cut_on_or_before: date | None = None,
        excluded_profile_ids: Collection[int] = (),
    ) -> Sequence[BatchCandidate]:
        wanted = set(water_status_ids)
        self._uow.lock_rows(
            "property",
            sorted(
                p.id
                for p in self._uow.rows_where("property", "locality_id", locality_id)
                if p.water_status_id in wanted
            ),
        )
        excluded = set(excluded_profile_ids)
        found: list[BatchCandidate] = []
        for prop in self._uow.rows_where("property", "locality_id", locality_id):
            if (
                prop.locality_id != locality_id
                or not prop.active
                or prop.water_status_id not in wanted
                or prop.profile_id in excluded
            ):
                continue
            if cut_on_or_before is not None:
                water = self._uow.read("water_connection", prop.id)
                if water is None or water.cut_on is None:
                    continue
                if water.cut_on > cut_on_or_before:
                    continue
            found.append(
                BatchCandidate(
                    property_id=prop.id,
                    water_status_id=prop.water_status_id,
                    sewer_status_id=prop.sewer_status_id,
                )
            )
        return sorted(found, key=lambda c: c.property_id)

    def move_water(
        self,
        property_ids: Sequence[int],
        *,
        from_ids: Collection[int],
        to_id: int,
        sewer_from_ids: Collection[int] = (),
        sewer_to: int | None = None,
    ) -> int:
        moved = 0
        for ident in property_ids:
            prop = self._uow.read("property", ident)
            if prop is None or prop.water_status_id not in from_ids:
                continue
            sewer = prop.sewer_status_id
            if sewer_to is not None and sewer in sewer_from_ids:
                sewer = sewer_to
            self._uow.write(
                "property",
                ident,
                attrs.evolve(
                    prop,
                    water_status_id=to_id,
                    sewer_status_id=sewer,
                    version=prop.version + 1,
                ),
                expect=prop.version,
            )
            moved += 1
        return moved

    def mark_reconnected(self, property_ids: Sequence[int], *, on: date) -> int:
        marked = 0
        for ident in property_ids:
            water = self._uow.read("water_connection", ident)
            if water is None:
                continue
            self._uow.write(
                "water_connection",
                ident,
                attrs.evolve(water, reconnected_on=on, version=water.version + 1),
                expect=water.version,
            )
            marked += 1
        return marked
