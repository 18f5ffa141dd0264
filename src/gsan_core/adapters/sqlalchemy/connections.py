"""SQL repositories of the connection area: Core statements, set-based batch work."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.adapters.sqlalchemy.pipeline import deferred_insert
from gsan_core.adapters.sqlalchemy.repositories import (
    CHUNK,
    SqlRepository,
    chunks,
    id_batches,
    lock_where,
)
from gsan_core.model.connections import (
    BatchCandidate,
    ConnectionKind,
    SewerConnection,
    SituationChange,
    WaterBatch,
    WaterBatchWritten,
    WaterConnection,
)

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = [
    "SqlConnectionBatches",
    "SqlSewerConnectionRepository",
    "SqlSituationHistory",
    "SqlWaterConnectionRepository",
]


class SqlWaterConnectionRepository(SqlRepository[WaterConnection]):
    """Water connections (a removal is a compare-and-set delete, deferred
    with the unit of work's other writes when it defers them)."""


class SqlSewerConnectionRepository(SqlRepository[SewerConnection]):
    """Sewer connections."""


class Connected(Protocol):
    """A unit of work's open connection: all the situation history needs, so
    that the library's tables and the legacy adapter's companion table share
    one implementation."""

    @property
    def connection(self) -> sa.Connection: ...


class SqlSituationHistory:
    """The append-only situation history."""

    def __init__(self, uow: Connected, mapper: RowMapper[SituationChange]) -> None:
        self._uow = uow
        self._mapper = mapper
        self._t = mapper.table

    def add_many(self, changes: Iterable[SituationChange]) -> None:
        for batch in chunks(changes, 5 * CHUNK):
            rows = self._mapper.to_rows(batch)
            if deferred_insert(self._uow, "situation_change", self._t, rows):
                continue
            with translated("situation_change"):
                self._uow.connection.execute(sa.insert(self._t), rows)

    def _select(self, statement: sa.Select[Any]) -> list[SituationChange]:
        with translated("situation_change"):
            rows = self._uow.connection.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def of_property(self, property_id: int) -> Sequence[SituationChange]:
        t = self._t
        return self._select(
            sa.select(t).where(t.c.property_id == property_id).order_by(t.c.at, t.c.id)
        )

    def between(
        self,
        start: date,
        end: date,
        *,
        operations: Collection[str] | None = None,
        kind: ConnectionKind | None = None,
    ) -> Sequence[SituationChange]:
        t = self._t
        statement = sa.select(t).where(t.c.effective_on.between(start, end))
        if operations is not None:
            statement = statement.where(t.c.operation.in_(list(operations)))
        if kind is not None:
            statement = statement.where(t.c.kind == kind.value)
        return self._select(statement.order_by(t.c.effective_on, t.c.id))


class SqlConnectionBatches:
    """Set-based batch work: one statement per chunk, keyed by locality."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._property = uow.tables["property"]
        self._water = uow.tables["water_connection"]

    def localities_with_water_status(
        self, status_ids: Collection[int]
    ) -> Sequence[int]:
        """The localities with an active property in one of the situations:
        a probe per locality into the index of (locality, water situation), a
        correlated scalar subquery (which PostgreSQL cannot turn into a join),
        not a ``DISTINCT`` over every property of the table in the situations
        (0.17-0.40 s at 1 million; issue 20)."""
        p, locality = self._property, self._uow.tables["locality"]
        some = (
            sa.select(sa.literal(1))
            .where(
                p.c.locality_id == locality.c.id,
                p.c.active.is_(True),
                p.c.water_status_id.in_(sorted(status_ids)),
            )
            .limit(1)
            .scalar_subquery()
        )
        statement = (
            sa.select(locality.c.id).where(some.is_not(None)).order_by(locality.c.id)
        )
        with translated("property"):
            return [int(i) for i in self._uow.connection.execute(statement).scalars()]

    def write_water_batch(
        self,
        *,
        locality_ids: Sequence[int],
        batch: WaterBatch,
        today: date,
        at: datetime,
        actor: int,
    ) -> Mapping[int, WaterBatchWritten] | None:
        from gsan_core.adapters.sqlalchemy.water_batches import (  # noqa: PLC0415
            write_water_batch,
        )

        return write_water_batch(
            self._uow,
            locality_ids=locality_ids,
            batch=batch,
            today=today,
            at=at,
            actor=actor,
        )

    def candidates(
        self,
        *,
        locality_id: int,
        water_status_ids: Collection[int],
        cut_on_or_before: date | None = None,
        excluded_profile_ids: Collection[int] = (),
    ) -> Sequence[BatchCandidate]:
        p, w = self._property, self._water
        lock_where(
            self._uow.connection,
            p,
            p.c.locality_id == locality_id,
            p.c.water_status_id.in_(list(water_status_ids)),
        )
        statement = sa.select(p.c.id, p.c.water_status_id, p.c.sewer_status_id).where(
            p.c.locality_id == locality_id,
            p.c.active.is_(True),
            p.c.water_status_id.in_(list(water_status_ids)),
        )
        if excluded_profile_ids:
            statement = statement.where(
                p.c.profile_id.not_in(list(excluded_profile_ids))
            )
        if cut_on_or_before is not None:
            statement = statement.join(w, w.c.id == p.c.id).where(
                w.c.cut_on <= cut_on_or_before
            )
        with translated("property"):
            rows = self._uow.connection.execute(statement.order_by(p.c.id)).all()
        return [
            BatchCandidate(property_id=i, water_status_id=ws, sewer_status_id=ss)
            for i, ws, ss in rows
        ]

    def move_water(
        self,
        property_ids: Sequence[int],
        *,
        from_ids: Collection[int],
        to_id: int,
        sewer_from_ids: Collection[int] = (),
        sewer_to: int | None = None,
    ) -> int:
        p = self._property
        sewer: Any = p.c.sewer_status_id
        if sewer_to is not None and sewer_from_ids:
            sewer = sa.case(
                (p.c.sewer_status_id.in_(list(sewer_from_ids)), sewer_to),
                else_=p.c.sewer_status_id,
            )
        moved = 0
        self._uow.wrote("property")
        connection = self._uow.connection
        for clause in id_batches(connection, p.c.id, property_ids):
            statement = (
                sa.update(p)
                .where(clause, p.c.water_status_id.in_(list(from_ids)))
                .values(
                    water_status_id=to_id,
                    sewer_status_id=sewer,
                    version=p.c.version + 1,
                )
            )
            with translated("property"):
                moved += connection.execute(statement).rowcount
        return moved

    def mark_reconnected(self, property_ids: Sequence[int], *, on: date) -> int:
        w = self._water
        marked = 0
        self._uow.wrote("water_connection")
        connection = self._uow.connection
        for clause in id_batches(connection, w.c.id, property_ids):
            statement = (
                sa.update(w)
                .where(clause)
                .values(reconnected_on=on, version=w.c.version + 1)
            )
            with translated("water_connection"):
                marked += connection.execute(statement).rowcount
        return marked
