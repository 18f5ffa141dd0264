"""Repository ports of the connection area.

* water and sewer connections: the generic :class:`~gsan_core.ports.repositories.
  Repository` plus ``remove`` (compare-and-set delete: only "alterar situação da
  ligação" and CAEMA's "retirar factível faturável" delete a connection);
* the situation history: append-only;
* :class:`ConnectionBatches`: the set-based reads and writes of the batch jobs
  (one statement per chunk, keyed by locality).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from gsan_core.model.connections import (
    BatchCandidate,
    ConnectionKind,
    SewerConnection,
    SituationChange,
    WaterBatch,
    WaterBatchWritten,
    WaterConnection,
)
from gsan_core.ports.repositories import Repository

__all__ = [
    "ConnectionBatches",
    "SewerConnectionRepository",
    "SituationHistory",
    "WaterConnectionRepository",
]


class WaterConnectionRepository(Repository[WaterConnection], Protocol):
    """Water connections (id = property id)."""

    def remove(self, connection: WaterConnection) -> None:
        """Delete the connection read at ``connection.version`` (compare-and-set:
        ``ConcurrencyConflict`` when it moved, ``NotFound`` when absent)."""
        ...


class SewerConnectionRepository(Repository[SewerConnection], Protocol):
    """Sewer connections (id = property id)."""

    def remove(self, connection: SewerConnection) -> None:
        """Delete the connection read at ``connection.version`` (compare-and-set)."""
        ...


class SituationHistory(Protocol):
    """Every water and sewer situation change, append-only."""

    def add_many(self, changes: Iterable[SituationChange]) -> None:
        """Append changes (their ids are new)."""
        ...

    def of_property(self, property_id: int) -> Sequence[SituationChange]:
        """The property's changes, oldest first."""
        ...

    def between(
        self,
        start: date,
        end: date,
        *,
        operations: Collection[str] | None = None,
        kind: ConnectionKind | None = None,
    ) -> Sequence[SituationChange]:
        """Changes that took effect from ``start`` to ``end`` (inclusive), by
        effective date then id; optionally only some operations or one kind."""
        ...


class ConnectionBatches(Protocol):
    """Set-based work of the connection batches, keyed by locality."""

    def localities_with_water_status(
        self, status_ids: Collection[int]
    ) -> Sequence[int]:
        """Localities having active properties in any of the water situations."""
        ...

    def candidates(
        self,
        *,
        locality_id: int,
        water_status_ids: Collection[int],
        cut_on_or_before: date | None = None,
        excluded_profile_ids: Collection[int] = (),
    ) -> Sequence[BatchCandidate]:
        """Active properties of the locality in the water situations, by id;
        with ``cut_on_or_before``, only those whose water connection was cut on
        or before that day; never those of the excluded property profiles.

        The locality's properties in those situations are locked first, until
        the transaction ends: the batch then decides on what it will write."""
        ...

    def write_water_batch(
        self,
        *,
        locality_ids: Sequence[int],
        batch: WaterBatch,
        today: date,
        at: datetime,
        actor: int,
    ) -> Mapping[int, WaterBatchWritten] | None:
        """The localities of ``batch`` selected and written in the store in
        one go (after the lock of :meth:`candidates`, for all of them): the
        candidates, those with real consumption (``batch.reference``), their
        situations moved, the reconnection date set, and one situation-history
        row per change (water, then sewer when coupled; ids reserved in the
        same statement, numbered locality after locality in ascending order,
        then by property). What each locality wrote, by locality: every
        locality given has its entry.

        ``None`` when the store does not write set-based: the service then runs
        :meth:`candidates`, the billing port, :meth:`move_water` and
        :meth:`mark_reconnected` step by step, locality by locality."""
        ...

    def move_water(
        self,
        property_ids: Sequence[int],
        *,
        from_ids: Collection[int],
        to_id: int,
        sewer_from_ids: Collection[int] = (),
        sewer_to: int | None = None,
    ) -> int:
        """Set the water situation of the properties still in ``from_ids`` to
        ``to_id`` (and their sewer situation in ``sewer_from_ids`` to
        ``sewer_to``), bumping their versions; returns how many moved."""
        ...

    def mark_reconnected(self, property_ids: Sequence[int], *, on: date) -> int:
        """Record ``on`` as the reconnection date of the water connections,
        bumping their versions; returns how many were updated."""
        ...
