"""SQL repositories of the service-request area: the batch and query reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.adapters.sqlalchemy.repositories import (
    CHUNK,
    SqlRepository,
    chunks,
    lock_where,
)
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

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.mappers import RowMapper
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlAssociationRepository", "SqlServiceRequestRepository"]

E = TypeVar("E")


class SqlAssociationRepository(SqlRepository[E]):
    """Configuration rows replaced as a set."""

    def remove_many(self, entities: Iterable[E]) -> None:
        """One ``DELETE ... WHERE (id, version) IN (...)`` a chunk (issue 20:
        not one a row); the first row not deleted, in the given order, raises
        (the caller rolls the chunk's deletes back)."""
        self._uow.wrote(self._entity)
        t = self._table
        for batch in chunks(entities, CHUNK):
            pairs = [(e.id, e.version) for e in batch]
            with translated(self._entity):
                gone = {
                    int(i)
                    for i in self._conn.execute(
                        sa.delete(t)
                        .where(sa.tuple_(t.c.id, t.c.version).in_(pairs))
                        .returning(t.c.id)
                    ).scalars()
                }
            for ident, version in pairs:
                if ident not in gone:
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
        self._collection = uow.tables["collection_situation_unit"]
        self._by_locality = uow.tables["locality_specification_unit"]
        self._by_group = uow.tables["locality_group_unit"]

    def find(self, id: int) -> ServiceRequest | None:
        """As every repository's; in a unit of work that defers its writes,
        the request read is kept as read (``SqlUnitOfWork.read_rows``): a
        deferred update of it (reiterating it) then sets its changed columns
        only, under psycopg's cache limit of 50 parameters (61 with the
        reiteration's row before, issue 20)."""
        found = super().find(id)
        if found is not None and self._deferred():
            self._uow.read_rows(self._entity, [found])
        return found

    def lock_many(self, ids: Iterable[int]) -> Mapping[int, ServiceRequest]:
        """As every repository's; in a unit of work that defers its writes, a
        few requests locked are kept as read (``SqlUnitOfWork.read_rows``):
        a joint forwarding's deferred updates of them then set their unit and
        version only, one ``UPDATE ... FROM unnest`` under psycopg's cache
        limits instead of every column of each (issue 20)."""
        found = super().lock_many(ids)
        if found and len(found) <= MOST_ROWS and self._deferred():
            self._uow.read_rows(self._entity, list(found.values()))
        return found

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
    ) -> Sequence[RequestRef]:
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
        # the pending requests of the place and period first (the roots of the
        # orders read next), then the candidates among them
        lock_where(self._conn, t, *clauses[:4])
        statement = (
            sa.select(
                t.c.id,
                t.c.version,
                t.c.specification_id,
                t.c.property_id,
                t.c.attended_at,
            )
            .where(*clauses)
            .order_by(t.c.id)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).all()
        return [
            RequestRef(
                id=ident,
                version=version,
                specification_id=spec,
                property_id=prop,
                attended_at=attended,
            )
            for ident, version, spec, prop, attended in rows
        ]

    def close_by_command(self, **given: Any) -> ClosedByCommand | None:
        from gsan_core.adapters.sqlalchemy.request_closing import (  # noqa: PLC0415
            close_by_command,
        )

        return close_by_command(self._uow, **given)

    def open_orders_of(self, request_ids: Collection[int]) -> Sequence[OrderRef]:
        o = self._orders
        found: list[OrderRef] = []
        for batch in chunks(request_ids, CHUNK):
            statement = sa.select(
                o.c.id, o.c.version, o.c.request_id, o.c.situation
            ).where(
                o.c.request_id.in_(batch),
                o.c.situation != OrderSituation.CLOSED.value,
            )
            with translated("service_order"):
                rows = self._conn.execute(statement).all()
            found += [
                OrderRef(id=i, version=v, request_id=r, situation=s)
                for i, v, r, s in rows
            ]
        return sorted(found, key=lambda ref: ref.id)

    def _cas_uniform(
        self,
        table: sa.Table,
        entity: str,
        refs: Sequence[RequestRef] | Sequence[OrderRef],
        values: dict[str, Any],
    ) -> None:
        """One ``UPDATE ... WHERE id IN (...) AND version = v`` per read version
        (and chunk): set-based, yet a compare-and-set on every row."""
        self._uow.wrote(entity)
        by_version: dict[int, list[int]] = {}
        for ref in refs:
            by_version.setdefault(ref.version, []).append(ref.id)
        for version, ids in sorted(by_version.items()):
            for batch in chunks(ids, CHUNK):
                statement = (
                    sa.update(table)
                    .where(table.c.id.in_(batch), table.c.version == version)
                    .values(**values, version=table.c.version + 1)
                )
                with translated(entity):
                    result = self._conn.execute(statement)
                if result.rowcount != len(batch):
                    self._cas_conflict(table, entity, batch, version)

    def _cas_conflict(
        self, table: sa.Table, entity: str, ids: list[int], version: int
    ) -> None:
        stored = dict(
            self._conn.execute(
                sa.select(table.c.id, table.c.version).where(table.c.id.in_(ids))
            ).all()
        )
        missing = [ident for ident in ids if ident not in stored]
        if missing:
            raise NotFound(entity, missing[0])
        stale = [ident for ident in ids if stored[ident] != version + 1]
        raise ConcurrencyConflict(entity, (stale or ids)[0], version)

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
        self._cas_uniform(
            self._table,
            self._entity,
            requests,
            {
                "situation": RequestSituation.CLOSED.value,
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
        self._cas_uniform(
            self._orders,
            "service_order",
            orders,
            {
                "situation": OrderSituation.CLOSED.value,
                "closed_at": closed_at,
                "closing_reason_id": reason_id,
                "closing_remark": remark,
            },
        )

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
        """The three association tables' rows that route ``specification_id``
        at that place: kept in the backend's reference cache (issue 20: one
        round trip less to open an RA), forgotten when one of the tables is
        written through the backend (``SqlUnitOfWork.wrote``); read by
        :meth:`_routing_associations` otherwise."""
        situations = tuple(sorted(set(collection_situation_ids)))
        key = (specification_id, locality_id, group_id, situations)
        cache = self._uow.reference_cache("routing_association")
        if cache is not None:
            hit = cache.get("routing_association", key)
            if hit is not MISSING:  # kept as tuples, handed out as new lists
                return list(hit[0]), list(hit[1]), list(hit[2])
            generation = cache.generation("routing_association")
        collection, by_locality, by_group = self._routing_associations(
            specification_id=specification_id,
            locality_id=locality_id,
            group_id=group_id,
            collection_situation_ids=situations,
        )
        if cache is not None:
            kept = (tuple(collection), tuple(by_locality), tuple(by_group))
            cache.put("routing_association", key, kept, generation)
        return collection, by_locality, by_group

    def _routing_associations(
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
        """One ``UNION ALL`` of the three association tables (at most one round trip)."""
        branches = self._routing_branches(
            specification_id=specification_id,
            locality_id=locality_id,
            group_id=group_id,
            collection_situation_ids=collection_situation_ids,
        )
        if not branches:
            return [], [], []
        statement = branches[0] if len(branches) == 1 else sa.union_all(*branches)
        with translated("routing_association"):
            rows = self._conn.execute(statement).all()
        return _associations(rows)

    def _routing_branches(
        self,
        *,
        specification_id: int,
        locality_id: int | None,
        group_id: int | None,
        collection_situation_ids: Collection[int],
    ) -> list[sa.Select[Any]]:
        """The union's branches: the collection situations' units (kind 1),
        the locality's unit (2) and its group's unit (3), as asked."""
        c, s, g = self._collection, self._by_locality, self._by_group
        branches: list[sa.Select[Any]] = []
        if collection_situation_ids:
            branches.append(
                sa.select(
                    sa.literal(1).label("kind"),
                    c.c.id,
                    c.c.specification_id.label("a"),
                    c.c.collection_situation_id.label("b"),
                    c.c.unit_id,
                    c.c.version,
                ).where(
                    c.c.specification_id == specification_id,
                    c.c.collection_situation_id.in_(list(collection_situation_ids)),
                )
            )
        if locality_id is not None:
            branches.append(
                sa.select(
                    sa.literal(2).label("kind"),
                    s.c.id,
                    s.c.locality_id.label("a"),
                    s.c.specification_id.label("b"),
                    s.c.unit_id,
                    s.c.version,
                ).where(
                    s.c.locality_id == locality_id,
                    s.c.specification_id == specification_id,
                )
            )
            if group_id is not None:
                branches.append(
                    sa.select(
                        sa.literal(3).label("kind"),
                        g.c.id,
                        g.c.locality_id.label("a"),
                        g.c.group_id.label("b"),
                        g.c.unit_id,
                        g.c.version,
                    ).where(g.c.locality_id == locality_id, g.c.group_id == group_id)
                )
        return branches


def _associations(
    rows: Sequence[Any],
) -> tuple[
    list[CollectionSituationUnit],
    list[LocalitySpecificationUnit],
    list[LocalityGroupUnit],
]:
    """The union's rows as the three kinds of association, each by id."""
    collection: list[CollectionSituationUnit] = []
    by_locality: list[LocalitySpecificationUnit] = []
    by_group: list[LocalityGroupUnit] = []
    for kind, ident, a, b, unit_id, version in sorted(rows, key=lambda r: (r[0], r[1])):
        if kind == 1:
            collection.append(
                CollectionSituationUnit(
                    id=ident,
                    specification_id=a,
                    collection_situation_id=b,
                    unit_id=unit_id,
                    version=version,
                )
            )
        elif kind == 2:
            by_locality.append(
                LocalitySpecificationUnit(
                    id=ident,
                    locality_id=a,
                    specification_id=b,
                    unit_id=unit_id,
                    version=version,
                )
            )
        else:
            by_group.append(
                LocalityGroupUnit(
                    id=ident,
                    locality_id=a,
                    group_id=b,
                    unit_id=unit_id,
                    version=version,
                )
            )
    return collection, by_locality, by_group
