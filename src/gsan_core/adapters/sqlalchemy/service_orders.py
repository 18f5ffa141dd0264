"""SQL service-order repositories: set-based Core statements for the overdue
closing (select a chunk, close it with ``UPDATE ... RETURNING``) and the
completed-orders bulletin (one join with the unit trail); the price table's
removal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.adapters.sqlalchemy.repositories import SqlRepository
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.scheduling import SchedulableOrder
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceChargeValue,
    ServiceOrder,
)

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlServiceOrderRepository", "SqlServicePriceRepository"]

_TRAIL = "ou_"


class SqlServicePriceRepository(SqlRepository[ServiceChargeValue]):
    """The service price table."""

    def of_type(self, service_type_id: int) -> Sequence[ServiceChargeValue]:
        """The type's price rows, through the backend's reference cache (one
        entry per type, emptied by any write to the table through the backend)."""
        cache = self._uow.reference_cache(self._entity)
        key = ("service_type", service_type_id)
        if cache is None:
            return self.find_by(service_type_id=service_type_id)
        hit = cache.get(self._entity, key)
        if hit is not MISSING:
            return cast("Sequence[ServiceChargeValue]", hit)
        generation = cache.generation(self._entity)
        rows = tuple(self.find_by(service_type_id=service_type_id))
        cache.put(self._entity, key, rows, generation)
        return rows

    def remove(self, row: ServiceChargeValue) -> None:
        self._uow.wrote(self._entity)
        t = self._table
        with translated(self._entity, row.id):
            result = self._conn.execute(
                sa.delete(t).where(t.c.id == row.id, t.c.version == row.version)
            )
        if result.rowcount != 1:
            if self.find(row.id) is None:
                raise NotFound(self._entity, row.id)
            raise ConcurrencyConflict(self._entity, row.id, row.version)


class SqlServiceOrderRepository(SqlRepository[ServiceOrder]):
    """Service orders in the ``service_order`` table."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        mapper: RowMapper[ServiceOrder],
        trail: RowMapper[OrderUnitRecord],
    ) -> None:
        super().__init__(uow, mapper, "service_order")
        self._trail = trail

    def find(self, id: int) -> ServiceOrder | None:
        """As every repository's; in a unit of work that defers its writes,
        the order read is kept as read (``SqlUnitOfWork.read_rows``): a
        deferred update of it (an operation applied from the menu) then sets
        its changed columns only, under psycopg's cache limit of 50
        parameters (51 with the charge's row before, issue 20)."""
        found = super().find(id)
        if found is not None and self._deferred():
            self._uow.read_rows(self._entity, [found])
        return found

    def schedulable(self, unit_id: int) -> Sequence[SchedulableOrder]:
        t, types = self._table, self._uow.tables["service_type"]
        statement = (
            sa.select(
                t.c.id,
                t.c.service_type_id,
                t.c.generated_at,
                t.c.version,
                t.c.property_id,
                t.c.request_id,
            )
            .join(types, types.c.id == t.c.service_type_id)
            .where(
                t.c.current_unit_id == unit_id,
                t.c.situation.in_(
                    [int(OrderSituation.PENDING), int(OrderSituation.IN_EXECUTION)]
                ),
                t.c.scheduled.is_(False),
                types.c.automatic_scheduling.is_(True),
            )
            .order_by(t.c.id)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).all()
        return [
            SchedulableOrder(
                id=row[0],
                service_type_id=row[1],
                generated_at=row[2],
                version=row[3],
                property_id=row[4],
                request_id=row[5],
            )
            for row in rows
        ]

    def _pending(
        self, service_type_id: int, generated_before: datetime
    ) -> list[sa.ColumnElement[bool]]:
        t = self._table
        return [
            t.c.service_type_id == service_type_id,
            t.c.situation == int(OrderSituation.PENDING),
            t.c.generated_at < generated_before,
        ]

    def pending_ids(
        self,
        *,
        service_type_id: int,
        generated_before: datetime,
        limit: int,
        after_id: int = 0,
    ) -> Sequence[int]:
        t = self._table
        statement = (
            sa.select(t.c.id)
            .where(*self._pending(service_type_id, generated_before), t.c.id > after_id)
            .order_by(t.c.id)
            .limit(limit)
        )
        with translated("service_order"):
            return [int(i) for i in self._conn.execute(statement).scalars()]

    def count_pending(self, *, service_type_id: int, generated_before: datetime) -> int:
        statement = (
            sa.select(sa.func.count())
            .select_from(self._table)
            .where(*self._pending(service_type_id, generated_before))
        )
        with translated("service_order"):
            return int(self._conn.execute(statement).scalar_one())

    def close_pending(
        self, ids: Sequence[int], *, reason_id: int, closed_at: datetime
    ) -> Sequence[int]:
        if not ids:
            return []
        self._uow.wrote(self._entity)
        t = self._table
        statement = (
            sa.update(t)
            .where(t.c.id.in_(list(ids)), t.c.situation == int(OrderSituation.PENDING))
            .values(
                situation=int(OrderSituation.CLOSED),
                closing_reason_id=reason_id,
                closed_at=closed_at,
                closing_remark=None,
                version=t.c.version + 1,
            )
            .returning(t.c.id)
        )
        with translated("service_order"):
            return sorted(int(i) for i in self._conn.execute(statement).scalars())

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
        t = self._table
        picked_select = (
            sa.select(t.c.id)
            .where(*self._pending(service_type_id, generated_before), t.c.id > after_id)
            .order_by(t.c.id)
            .limit(limit)
        )
        if not self._uow.ids_in_statements():
            picked = [int(i) for i in self._conn.execute(picked_select).scalars()]
            closed = self.close_pending(
                picked, reason_id=reason_id, closed_at=closed_at
            )
            if closed:
                trail_ids = self._uow.next_ids("order_unit", len(closed))
                self._uow.order_units.add_many(
                    OrderUnitRecord(
                        id=trail_id,
                        order_id=order_id,
                        unit_id=unit_id,
                        user_id=user_id,
                        relation=OrderUnitRelation.CLOSED,
                        at=closed_at,
                    )
                    for trail_id, order_id in zip(trail_ids, closed, strict=True)
                )
            return picked, closed
        statement = self._close_chunk(
            picked_select.cte("picked"),
            reason_id=reason_id,
            closed_at=closed_at,
            unit_id=unit_id,
            user_id=user_id,
        )
        self._uow.wrote(self._entity)
        self._uow.wrote("order_unit")
        with translated("service_order"):
            rows = self._conn.execute(statement).all()
        return [int(i) for i, _ in rows], [int(i) for i, done in rows if done]

    def _close_chunk(
        self,
        picked: Any,
        *,
        reason_id: int,
        closed_at: datetime,
        unit_id: int | None,
        user_id: int,
    ) -> sa.Select[Any]:
        """PostgreSQL: the chunk's update, the reservation of its trail ids in
        ``id_block`` (an upsert bumping the counter by the orders closed, only
        when some are: the ids are taken in the chunk's transaction, so a
        rollback gives them back) and the trail insert, in one statement."""
        from sqlalchemy.dialects import postgresql  # noqa: PLC0415

        t, ou = self._table, self._trail.table
        block = self._uow.tables["id_block"]
        closed = (
            sa.update(t)
            .where(
                t.c.id.in_(sa.select(picked.c.id)),
                t.c.situation == int(OrderSituation.PENDING),
            )
            .values(
                situation=int(OrderSituation.CLOSED),
                closing_reason_id=reason_id,
                closed_at=closed_at,
                closing_remark=None,
                version=t.c.version + 1,
            )
            .returning(t.c.id)
            .cte("closed")
        )
        numbered = sa.select(
            closed.c.id,
            sa.func.row_number().over(order_by=closed.c.id).label("n"),
        ).cte("numbered")
        counted = (
            sa.select(sa.func.count().label("c")).select_from(closed).cte("counted")
        )
        upsert = postgresql.insert(block).from_select(
            ["name", "next_value"],
            sa.select(sa.literal("order_unit"), counted.c.c + 1).where(counted.c.c > 0),
        )
        ids = (
            upsert.on_conflict_do_update(
                index_elements=[block.c.name],
                set_={
                    "next_value": block.c.next_value + upsert.excluded.next_value - 1
                },
            )
            .returning(block.c.next_value.label("after"))
            .cte("ids")
        )
        # the first id: the counter's new value less the count
        trail = (
            sa.insert(ou)
            .from_select(
                ["id", "order_id", "unit_id", "user_id", "relation", "at", "version"],
                sa.select(
                    ids.c.after - counted.c.c + numbered.c.n - 1,
                    numbered.c.id,
                    sa.literal(unit_id, ou.c.unit_id.type),
                    sa.literal(user_id, ou.c.user_id.type),
                    sa.literal(int(OrderUnitRelation.CLOSED), ou.c.relation.type),
                    sa.literal(closed_at, ou.c.at.type),
                    sa.literal(1, ou.c.version.type),
                ).select_from(numbered.join(counted, sa.true()).join(ids, sa.true())),
            )
            .cte("trail")
        )
        return (
            sa.select(picked.c.id, closed.c.id.is_not(None))
            .select_from(picked.outerjoin(closed, closed.c.id == picked.c.id))
            .order_by(picked.c.id)
            .add_cte(trail)
        )

    def closed_between(
        self,
        *,
        start: datetime,
        end: datetime,
        service_type_id: int | None = None,
        unit_id: int | None = None,
    ) -> Sequence[tuple[ServiceOrder, OrderUnitRecord | None]]:
        t = self._table
        ou = self._trail.table
        joined = t.outerjoin(
            ou,
            sa.and_(
                ou.c.order_id == t.c.id,
                ou.c.relation == int(OrderUnitRelation.CLOSED),
            ),
        )
        statement = (
            sa.select(*t.c, *(c.label(f"{_TRAIL}{c.key}") for c in ou.c))
            .select_from(joined)
            .where(
                t.c.situation == int(OrderSituation.CLOSED),
                t.c.closed_at >= start,
                t.c.closed_at < end,
            )
            .order_by(t.c.closed_at, t.c.id)
        )
        if service_type_id is not None:
            statement = statement.where(t.c.service_type_id == service_type_id)
        if unit_id is not None:
            statement = statement.where(ou.c.unit_id == unit_id)
        with translated("service_order"):
            rows = self._conn.execute(statement).mappings().all()
        return [(self._mapper.from_row(row), self._record(row)) for row in rows]

    def _record(self, row: Any) -> OrderUnitRecord | None:
        if row[f"{_TRAIL}id"] is None:
            return None
        return self._trail.from_row(
            {c.key: row[f"{_TRAIL}{c.key}"] for c in self._trail.table.c}
        )
