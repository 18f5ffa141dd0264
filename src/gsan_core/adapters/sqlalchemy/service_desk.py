"""SQL repositories of the service desk: the supply and maintenance schedule
and the outbound messages, each query one statement."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import (
    CHUNK,
    SqlRepository,
    among,
    prepared,
    where,
)
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.service_desk import (
    MessageStatus,
    OutboundMessage,
    ScheduleKind,
    SupplySchedule,
)

__all__ = ["SqlOutboundMessageRepository", "SqlSupplyScheduleRepository"]


class _Rows:
    """Run a select and map its rows."""

    def _rows(self, statement: sa.Select[Any]) -> list[Any]:
        repository: SqlRepository[Any] = self  # type: ignore[assignment]
        with translated(repository._entity):
            rows = repository._conn.execute(statement).mappings().all()
        return repository._mapper.from_rows(rows)


class SqlSupplyScheduleRepository(_Rows, SqlRepository[SupplySchedule]):
    """Supply and maintenance windows in the ``supply_schedule`` table."""

    def _ordered(self, *clauses: sa.ColumnElement[bool]) -> sa.Select[Any]:
        t = self._table
        return (
            sa.select(t).where(*clauses).order_by(t.c.starts_on, t.c.start_time, t.c.id)
        )

    def covering(
        self,
        *,
        reference: int,
        area_id: int | None = None,
        neighbourhood_id: int | None = None,
        sector_id: int | None = None,
        locality_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        t = self._table
        place = [
            t.c[name] == value
            for name, value in (
                ("area_id", area_id),
                ("neighbourhood_id", neighbourhood_id),
                ("sector_id", sector_id),
                ("locality_id", locality_id),
            )
            if value is not None
        ]
        if not place:
            return []
        return self._rows(self._ordered(t.c.reference == reference, sa.or_(*place)))

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
                ("kind", None if kind is None else kind.value),
                ("municipality_id", municipality_id),
                ("locality_id", locality_id),
                ("sector_id", sector_id),
                ("neighbourhood_id", neighbourhood_id),
                ("area_id", area_id),
            )
            if value is not None
        }
        statement = (
            self._ordered(*where(self._table, criteria)).limit(limit).offset(offset)
        )
        return self._rows(statement)

    def remove(self, schedule: SupplySchedule) -> None:
        t = self._table
        with translated(self._entity, schedule.id):
            result = self._conn.execute(
                sa.delete(t).where(
                    t.c.id == schedule.id, t.c.version == schedule.version
                )
            )
        if result.rowcount != 1:
            if self.find(schedule.id) is None:
                raise NotFound(self._entity, schedule.id)
            raise ConcurrencyConflict(self._entity, schedule.id, schedule.version)


def _unnest_update(table: sa.Table) -> Any:
    """Every row of the bound arrays ``a_<column>`` written over the stored
    row of its id whose version is one less (a compare-and-set update of many
    rows in one statement, PostgreSQL)."""
    columns = list(table.c)
    given = (
        sa.func.unnest(
            *[
                sa.bindparam(f"a_{c.key}", type_=postgresql.ARRAY(c.type))
                for c in columns
            ]
        )
        .table_valued(*[c.key for c in columns])
        .render_derived(name="r")
    )
    return (
        sa.update(table)
        .where(table.c.id == given.c.id, table.c.version == given.c.version - 1)
        .values({c.key: given.c[c.key] for c in columns if c.key != "id"})
    )


class SqlOutboundMessageRepository(_Rows, SqlRepository[OutboundMessage]):
    """Outbound messages in the ``outbound_message`` table."""

    def update_many(self, entities: Iterable[OutboundMessage]) -> None:
        """On PostgreSQL, many messages (a dispatch's replies) in one
        ``UPDATE … FROM unnest(…)`` compare-and-set statement instead of one
        update executed per message; a short count raises as
        :meth:`SqlRepository.update_many` does."""
        batch = list(entities)
        connection = self._conn
        if (
            connection.dialect.name != "postgresql"
            or not 1 < len(batch) <= CHUNK
            or self._deferred()
        ):
            super().update_many(batch)
            return
        rows = [self._mapper.to_row(m) for m in batch]
        self._uow.wrote(self._entity)
        params = {f"a_{c.key}": [r[c.key] for r in rows] for c in self._table.c}
        with translated(self._entity):
            statement = prepared(
                self._table, "unnest_update", lambda: _unnest_update(self._table)
            )
            result = connection.execute(statement, params)
        if result.rowcount != len(rows):
            self._conflict([self._params(m) for m in batch])

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
        t = self._table
        criteria = {
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
        clauses = where(t, criteria, self._conn.dialect.name)
        if status is not None:
            clauses.append(
                among(t.c.status, [s.value for s in status], self._conn.dialect.name)
            )
        if created_from is not None:
            clauses.append(t.c.created_at >= created_from)
        if created_until is not None:
            clauses.append(t.c.created_at < created_until)
        statement = (
            sa.select(t)
            .where(*clauses)
            .order_by(t.c.created_at.desc(), t.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self._rows(statement)

    def _due(self, limit: int, max_attempts: int) -> sa.Select[Any]:
        t = self._table
        return (
            sa.select(t)
            .where(
                sa.or_(
                    t.c.status == MessageStatus.PENDING.value,
                    sa.and_(
                        t.c.status == MessageStatus.FAILED.value,
                        t.c.attempts < max_attempts,
                    ),
                )
            )
            .order_by(t.c.id)
            .limit(limit)
        )

    def due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        return self._rows(self._due(limit, max_attempts))

    def claim_due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        t = self._table
        chosen = self._due(limit, max_attempts).with_only_columns(t.c.id)
        if self._conn.dialect.name == "postgresql":
            chosen = chosen.with_for_update(skip_locked=True)
        statement = (
            sa.update(t)
            .where(t.c.id.in_(chosen.scalar_subquery()))
            .values(
                status=MessageStatus.UNCONFIRMED.value,
                attempts=t.c.attempts + 1,
                version=t.c.version + 1,
            )
            .returning(*t.c)
        )
        self._uow.wrote(self._entity)
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        claimed: list[OutboundMessage] = self._mapper.from_rows(rows)
        return sorted(claimed, key=lambda m: m.id)
