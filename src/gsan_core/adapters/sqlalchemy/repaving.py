"""SQL repaving works: the automatic acceptance (PAV-03) is one select of a
chunk of returned, not yet accepted works and one set-based update of those
that converge."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, aggregate_order_by

from gsan_core import serialization
from gsan_core.adapters.inspection_chunks import inspect_by_rows
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import SqlRepository
from gsan_core.adapters.sqlalchemy.statement_cache import prepared
from gsan_core.adapters.sqlalchemy.types import Money
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.events import DomainEvent
from gsan_core.model.inspections import (
    ClosedOrderFilter,
    ClosedOrderRow,
    ClosedOrderScope,
    InfractionNotice,
    InspectedChunk,
    NoticeSituation,
)
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.rules.inspections import (
    SAMPLE_MIXER,
    SAMPLE_MODULUS,
    SAMPLE_MULTIPLIER,
    sample_size,
)
from gsan_core.rules.repaving import AUTOMATIC_ACCEPTANCE as AUTOMATIC

__all__ = [
    "AUTOMATIC",
    "SqlInfractionNotices",
    "SqlRepavingRepository",
    "convergent",
]


def convergent(
    t: sa.Table, percentage: sa.ColumnElement[Decimal]
) -> sa.ColumnElement[bool]:
    """PAV-03 in SQL: same street pavement and the area within the percentage."""
    return sa.and_(
        t.c.returned_street_pavement_id.is_not_distinct_from(t.c.street_pavement_id),
        sa.or_(
            sa.and_(t.c.street_area.is_(None), t.c.returned_street_area.is_(None)),
            sa.func.abs(t.c.returned_street_area - t.c.street_area)
            <= t.c.street_area * percentage / 100,
        ),
    )


class SqlRepavingRepository(SqlRepository[RepavingWork]):
    """Repaving works in the ``repaving_work`` table."""

    def accept_convergent(
        self,
        *,
        percentage: Decimal,
        after_id: int,
        limit: int,
        user_id: int,
        event: Callable[[tuple[int, ...]], DomainEvent] | None = None,
    ) -> tuple[Sequence[int], Sequence[int]]:
        t = self._table
        params: dict[str, Any] = {
            "after_id": after_id,
            "limit": limit,
            "user_id": user_id,
            "percentage": percentage,
        }
        if self._conn.dialect.name == "postgresql":
            return self._accept_in_one(params, event)
        chunk, update = _accepting(t)
        with translated(self._entity):
            ids = list(self._conn.execute(chunk, params).scalars())
            if not ids:
                return [], []
            statement = update.where(t.c.id.in_(ids))
            accepted = sorted(self._conn.execute(statement, params).scalars())
        if accepted and event is not None:
            self._uow.record(event(tuple(accepted)))
        return ids, accepted

    def _accept_in_one(
        self,
        params: dict[str, Any],
        event: Callable[[tuple[int, ...]], DomainEvent] | None,
    ) -> tuple[Sequence[int], Sequence[int]]:
        """PostgreSQL: the chunk's ids and the update of its convergent works
        in one statement (issue 20, round 8: two before), the update a CTE
        over the chunk's; with ``event`` and the outbox on, the event's outbox
        row too (issue 20, ninth round: a statement of its own before). Built
        once per table (bound parameters)."""
        t = self._table
        outbox = self._uow.outbox_tables() if event is not None else None
        template = None
        if outbox is not None and event is not None:
            template = event(())
            params = params | {
                "o_tag": type(template).tag,
                "o_at": template.occurred_at,
                "o_actor": template.actor,
                "o_payload": serialization.to_dict(template),
            }
        statement = prepared(
            t,
            "accept_convergent" if outbox is None else "accept_convergent_outbox",
            lambda: _accept_statement(t, outbox),
        )
        with translated(self._entity):
            rows = self._conn.execute(statement, params).all()
        ids = [int(r.id) for r in rows]
        accepted = [int(r.accepted) for r in rows if r.accepted is not None]
        if accepted and event is not None:
            made = event(tuple(accepted))
            if template is None:
                self._uow.record(made)
            else:
                self._uow.record_written(made)
        return ids, accepted


def _accepting(t: sa.Table) -> tuple[sa.Select[Any], sa.Update]:
    """PAV-03's chunk (``after_id``, ``limit``) and the update of its
    convergent works (``percentage``, ``user_id``), with bound parameters."""
    chunk = (
        sa.select(t.c.id)
        .where(
            t.c.id > sa.bindparam("after_id", type_=sa.BigInteger),
            t.c.returned_on.is_not(None),
            t.c.acceptance.is_(None),
        )
        .order_by(t.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )
    remark = sa.case(
        (t.c.acceptance_remark.is_(None), sa.literal(AUTOMATIC)),
        else_=t.c.acceptance_remark + " " + AUTOMATIC,
    )
    update = (
        sa.update(t)
        .where(
            t.c.acceptance.is_(None),
            convergent(t, sa.bindparam("percentage", type_=Money())),
        )
        .values(
            acceptance=int(RepavingAcceptance.ACCEPTED),
            accepted_on=t.c.returned_on,
            accepted_by=sa.bindparam("user_id", type_=sa.BigInteger),
            acceptance_remark=remark,
            version=t.c.version + 1,
        )
        .returning(t.c.id)
    )
    return chunk, update


def _accept_statement(
    t: sa.Table, outbox: tuple[sa.Table, sa.Table] | None
) -> sa.Select[Any]:
    """PostgreSQL's one statement of a chunk (:func:`_accepting`'s select
    and update as CTEs), with its outbox row when ``outbox`` is given."""
    chunk, update = _accepting(t)
    picked = chunk.cte("picked")
    done = update.where(t.c.id.in_(sa.select(picked.c.id))).cte("done")
    statement = (
        sa.select(picked.c.id, done.c.id.label("accepted"))
        .select_from(picked.outerjoin(done, done.c.id == picked.c.id))
        .order_by(picked.c.id)
    )
    if outbox is not None:
        statement = statement.add_cte(_outbox_row(outbox, done))
    return statement


def _outbox_row(outbox: tuple[sa.Table, sa.Table], done: sa.CTE) -> sa.CTE:
    """The outbox row of an event (``o_tag``, ``o_at``, ``o_actor``, its
    payload ``o_payload`` without ids) with ``work_ids`` the ids ``done``
    returns, when it returns any (all of them first): the ``outbox`` counter
    moved by one (an upsert whose row lock is held to the commit, as
    :func:`~gsan_core.adapters.sqlalchemy.outbox.write_outbox` takes it) and
    the row numbered from it."""
    counter, table = outbox
    # every convergent work updated (locked) before the counter's row is (a
    # count over them all, not EXISTS; the unreferenced CTE also runs after
    # the main query read them), so the chunk never holds the counter while
    # it waits for a work a manual acceptance locked, whose commit then waits
    # for the counter: a deadlock (test_automatic_repaving_acceptance_beside_
    # a_held_work_and_outbox_writer)
    wrote = sa.select(sa.func.count()).select_from(done).scalar_subquery() > 0
    upsert = postgresql.insert(counter).from_select(
        ["name", "value"],
        sa.select(sa.literal("outbox", counter.c.name.type), sa.literal(1)).where(
            wrote
        ),
    )
    bump = (
        upsert.on_conflict_do_update(
            index_elements=[counter.c.name], set_={"value": counter.c.value + 1}
        )
        .returning(counter.c.value)
        .cte("outbox_counter")
    )
    ids = sa.select(
        sa.func.jsonb_agg(aggregate_order_by(done.c.id, done.c.id))
    ).scalar_subquery()
    payload = sa.cast(sa.bindparam("o_payload", type_=table.c.payload.type), JSONB).op(
        "||"
    )(sa.func.jsonb_build_object("work_ids", ids))
    columns = ["id", "tag", "occurred_at", "actor", "payload", "published_at"]
    return (
        table.insert()
        .from_select(
            columns,
            sa.select(
                bump.c.value,
                sa.bindparam("o_tag", type_=table.c.tag.type),
                sa.bindparam("o_at", type_=table.c.occurred_at.type),
                sa.bindparam("o_actor", type_=table.c.actor.type),
                payload,
                sa.null(),
            ),
        )
        .returning(table.c.id)
        .cte("outbox_row")
    )


class SqlInfractionNotices(SqlRepository[InfractionNotice]):
    """Infraction notices: the expiry batch (AUT-05) reads a chunk in one
    statement (the ``situation, appeal_until, id`` index) and expires it in
    one compare-and-set ``UPDATE``."""

    def _expired(self, appeal_before: date) -> list[sa.ColumnElement[bool]]:
        t = self._table
        return [
            t.c.situation == int(NoticeSituation.APPEAL_OPEN),
            t.c.appeal_until < appeal_before,
        ]

    def count_expired(self, *, appeal_before: date) -> int:
        statement = sa.select(sa.func.count()).where(*self._expired(appeal_before))
        with translated(self._entity):
            return int(self._conn.execute(statement).scalar_one())

    def expired_chunk(
        self, *, appeal_before: date, after_id: int, limit: int
    ) -> Sequence[InfractionNotice]:
        t = self._table
        statement = (
            sa.select(t)
            .where(*self._expired(appeal_before), t.c.id > after_id)
            .order_by(t.c.id)
            .limit(limit)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def mark_expired(
        self, notices: Sequence[InfractionNotice], *, charge_ids: Mapping[int, int]
    ) -> None:
        if not notices:
            return
        t = self._table
        versions = {n.id: n.version for n in notices}
        charged = {i: c for i, c in charge_ids.items() if i in versions}
        if self._conn.dialect.name == "postgresql":
            self._mark_expired_unnest(notices, versions, charged)
            return
        charge = (
            sa.case(charged, value=t.c.id, else_=t.c.charge_id)
            if charged
            else t.c.charge_id
        )
        statement = (
            sa.update(t)
            .where(
                t.c.id.in_(sorted(versions)),
                t.c.version == sa.case(versions, value=t.c.id),
            )
            .values(
                situation=int(NoticeSituation.APPEAL_EXPIRED),
                charge_id=charge,
                version=t.c.version + 1,
            )
        )
        with translated(self._entity):
            result = self._conn.execute(statement)
        if result.rowcount != len(versions):
            first = notices[0]
            raise ConcurrencyConflict(self._entity, first.id, first.version)

    def _mark_expired_unnest(
        self,
        notices: Sequence[InfractionNotice],
        versions: Mapping[int, int],
        charged: Mapping[int, int],
    ) -> None:
        """:meth:`mark_expired` on PostgreSQL: one ``UPDATE ... FROM
        unnest(...)`` of the ids, versions and charges as three arrays, built
        once per table (two ``CASE`` of one literal per notice were built,
        compiled and sent on every chunk: about a third of a 100-notice run's
        time, issue 20)."""
        ids = sorted(versions)
        statement = prepared(
            self._table, "expire_notices", partial(_expire_unnest, self._table)
        )
        params = {
            "a_id": ids,
            "a_version": [versions[i] for i in ids],
            "a_charge": [charged.get(i) for i in ids],
        }
        with translated(self._entity):
            result = self._conn.execute(statement, params)
        if result.rowcount != len(versions):
            first = notices[0]
            raise ConcurrencyConflict(self._entity, first.id, first.version)


def _expire_unnest(t: sa.Table) -> sa.Update:
    """The notices of the arrays ``a_id``, ``a_version`` and ``a_charge``
    moved to "appeal expired" where their version is still the one read
    (compare-and-set), each given its charge when it has one."""
    given = (
        sa.func.unnest(
            sa.bindparam("a_id", type_=ARRAY(t.c.id.type)),
            sa.bindparam("a_version", type_=ARRAY(t.c.version.type)),
            sa.bindparam("a_charge", type_=ARRAY(t.c.charge_id.type)),
        )
        .table_valued("id", "version", "charge_id")
        .render_derived(name="given")
    )
    return (
        sa.update(t)
        .where(t.c.id == given.c.id, t.c.version == given.c.version)
        .values(
            situation=int(NoticeSituation.APPEAL_EXPIRED),
            charge_id=sa.func.coalesce(given.c.charge_id, t.c.charge_id),
            version=t.c.version + 1,
        )
    )


class SqlInspectionBatches(SqlRepository[ServiceOrder]):
    """The inspection batch's reads over the ``service_order`` table."""

    def closed_candidates(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        reason_ids: Collection[int] | None = None,
    ) -> Sequence[ClosedOrderRow]:
        o = self._table
        clauses = self._candidates(scope)
        clauses.append(o.c.id > after_id)
        if reason_ids is not None:
            clauses.append(o.c.closing_reason_id.in_(sorted(reason_ids)))
        statement = (
            sa.select(
                o.c.id, o.c.property_id, o.c.current_unit_id, o.c.closing_reason_id
            )
            .where(*clauses)
            .order_by(o.c.id)
            .limit(limit)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).all()
        return [
            ClosedOrderRow(
                order_id=r.id,
                property_id=r.property_id,
                unit_id=r.current_unit_id,
                closing_reason_id=r.closing_reason_id,
            )
            for r in rows
        ]

    def chunk_to_inspect(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
    ) -> tuple[Sequence[ClosedOrderRow], int, int]:
        o = self._table
        clauses = self._candidates(scope)
        chunk = (
            sa.select(
                o.c.id, o.c.property_id, o.c.current_unit_id, o.c.closing_reason_id
            )
            .where(*clauses, o.c.id > after_id)
            .order_by(o.c.id)
            .limit(limit)
            .cte("chunk")
        )
        # only the chunk's sampled ids travel (at most ``limit`` of them)
        sampled = sorted(i for i in sample_ids if i > after_id)[:limit]
        reason = chunk.c.closing_reason_id
        chosen = sa.or_(
            reason.is_(None),
            reason.not_in(sorted(skipped_reason_ids)),
            self._among(chunk.c.id, sampled),
        )
        totals = sa.select(
            sa.func.count().label("scanned"), sa.func.max(chunk.c.id).label("last")
        ).subquery("totals")
        picked = sa.select(chunk).where(chosen).subquery("picked")
        statement = (
            sa.select(totals, picked)
            .select_from(totals.outerjoin(picked, sa.true()))
            .order_by(picked.c.id)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement, {"sampled": sampled}).all()
        first = rows[0]
        return (
            [
                ClosedOrderRow(
                    order_id=r.id,
                    property_id=r.property_id,
                    unit_id=r.current_unit_id,
                    closing_reason_id=r.closing_reason_id,
                )
                for r in rows
                if r.id is not None
            ],
            int(first.scanned),
            after_id if first.last is None else int(first.last),
        )

    def inspect_chunk(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
        template: ServiceOrder,
        opened_by: int,
    ) -> InspectedChunk:
        if not self._uow.ids_in_statements():
            return inspect_by_rows(
                self,
                self._uow.next_ids,
                scope,
                after_id=after_id,
                limit=limit,
                skipped_reason_ids=skipped_reason_ids,
                sample_ids=sample_ids,
                template=template,
                opened_by=opened_by,
            )
        # built once per table and scope's shape, every value a bound
        # parameter (issue 20, ninth round: rebuilt on each call before, the
        # SQLAlchemy work a large share of the call)
        key = _shape(scope)
        build = partial(self._inspect_statement, scope)
        statement = (
            build()
            if key is None
            else prepared(self._table, f"inspect_chunk:{key}", build)
        )
        sampled = sorted(i for i in sample_ids if i > after_id)[:limit]
        params = _scope_params(scope) | {
            "sampled": sampled,
            "c_after": after_id,
            "c_limit": limit,
            "c_skipped": sorted(skipped_reason_ids),
            "c_opened_by": opened_by,
            "c_at": template.generated_at,
        }
        params.update(
            (f"t_{name}", value)
            for name, value in self._mapper.to_row(template).items()
        )
        with translated(self._entity):
            row = self._conn.execute(statement, params).one()
        referenced = tuple(row.referenced or ())
        if not row.scanned:
            return InspectedChunk(scanned=0, last_id=after_id)
        first = int(row.first)
        return InspectedChunk(
            scanned=int(row.scanned),
            last_id=int(row.last),
            order_ids=tuple(range(first, first + len(referenced))),
            referenced_ids=referenced,
        )

    def _inspect_statement(self, scope: ClosedOrderScope) -> sa.Select[Any]:
        """:meth:`inspect_chunk`'s statement over ``scope``'s candidates; its
        values are bound parameters (:func:`_scope_params`, ``c_after``,
        ``c_limit``, ``c_skipped``, ``sampled``, ``c_opened_by``, ``c_at``
        and the template's row as ``t_<column>``)."""
        o = self._table
        chunk = (
            sa.select(
                o.c.id, o.c.property_id, o.c.current_unit_id, o.c.closing_reason_id
            )
            .where(
                *self._candidates(scope, bound=True),
                o.c.id > sa.bindparam("c_after", type_=o.c.id.type),
            )
            .order_by(o.c.id)
            .limit(sa.bindparam("c_limit", type_=sa.Integer))
            .cte("chunk")
        )
        reason = chunk.c.closing_reason_id
        skipped = sa.bindparam("c_skipped", expanding=True, type_=reason.type)
        picked = (
            sa.select(chunk, sa.func.row_number().over(order_by=chunk.c.id).label("n"))
            .where(
                sa.or_(
                    reason.is_(None),
                    reason.not_in(skipped),
                    self._among(chunk.c.id, ()),
                )
            )
            .cte("picked")
        )
        return self._inserted(chunk, picked)

    def _inserted(self, chunk: sa.CTE, picked: sa.CTE) -> sa.Select[Any]:
        """The chunk's writes as data-modifying CTEs: both id reservations,
        the orders' and the trail's ``INSERT ... SELECT``; the statement
        returns the counts, the first order id and the inspected ids."""
        o = self._table
        trail = self._uow.tables["order_unit"]
        count = sa.select(sa.func.count()).select_from(picked).scalar_subquery()
        orders_after = self._reserve("service_order", count)
        trail_after = self._reserve("order_unit", count)
        first = sa.select(orders_after.c.after - count).scalar_subquery()
        source = {
            "id": first - 1 + picked.c.n,
            "property_id": picked.c.property_id,
            "reference_order_id": picked.c.id,
            "current_unit_id": picked.c.current_unit_id,
        }
        columns = [c.key for c in o.c]
        made = (
            o.insert()
            .from_select(
                columns,
                sa.select(
                    *[
                        source[name]
                        if name in source
                        else sa.bindparam(f"t_{name}", type_=o.c[name].type)
                        for name in columns
                    ]
                ),
            )
            .returning(o.c.id, o.c.reference_order_id, o.c.current_unit_id)
            .cte("made")
        )
        trail_first = sa.select(trail_after.c.after - count).scalar_subquery()
        values = {
            "id": trail_first + made.c.id - first,
            "order_id": made.c.id,
            "unit_id": made.c.current_unit_id,
            "user_id": sa.bindparam("c_opened_by", type_=sa.BigInteger),
            "relation": sa.literal(int(OrderUnitRelation.OPENED), sa.SmallInteger),
            "at": sa.bindparam("c_at", type_=trail.c.at.type),
            "version": sa.literal(1, sa.Integer),
        }
        names = [c.key for c in trail.c]
        trailed = (
            trail.insert()
            .from_select(names, sa.select(*[values[n] for n in names]))
            .returning(trail.c.id)
            .cte("trailed")
        )
        return sa.select(
            sa.select(sa.func.count())
            .select_from(chunk)
            .scalar_subquery()
            .label("scanned"),
            sa.select(sa.func.max(chunk.c.id)).scalar_subquery().label("last"),
            first.label("first"),
            sa.select(
                sa.func.array_agg(
                    aggregate_order_by(made.c.reference_order_id, made.c.id)
                )
            )
            .scalar_subquery()
            .label("referenced"),
            sa.select(sa.func.count())
            .select_from(trailed)
            .scalar_subquery()
            .label("trails"),
        )

    def _reserve(self, kind: str, count: sa.ScalarSelect[int]) -> sa.CTE:
        """``count`` ids of ``kind`` reserved in ``id_block`` inside the
        statement (an upsert, as :func:`~gsan_core.adapters.sqlalchemy.ids`
        takes a block); the CTE's ``after`` is the next free id after them."""
        block = self._uow.tables["id_block"]
        upsert = postgresql.insert(block).values(name=kind, next_value=count + 1)
        return (
            upsert.on_conflict_do_update(
                index_elements=[block.c.name],
                set_={
                    "next_value": block.c.next_value + upsert.excluded.next_value - 1
                },
            )
            .returning(block.c.next_value.label("after"))
            .cte(f"ids_{kind}")
        )

    def _among(
        self, column: sa.ColumnElement[int], ids: Sequence[int]
    ) -> sa.ColumnElement[bool]:
        """``column`` among the ``sampled`` parameter: one array parameter on
        PostgreSQL rather than thousands."""
        if self._conn.dialect.name == "postgresql":
            return column == sa.func.any(
                sa.bindparam("sampled", type_=ARRAY(sa.BigInteger))
            )
        return column.in_(sa.bindparam("sampled", expanding=True))

    def concluded_sample(
        self,
        scope: ClosedOrderScope,
        *,
        reason_ids: Collection[int],
        percentage: int,
        seed: int,
    ) -> tuple[Sequence[int], int]:
        # one statement (issue 20, round 8: a count, then the ordered select):
        # every candidate numbered in its group (concluded or not) by the
        # seeded rank, the totals over all of them; only each group's first
        # row (carrying the totals) and the concluded ones within the sample
        # come back
        # built once per table and scope's shape (bound parameters; issue
        # 20, ninth round)
        key = _shape(scope)
        build = partial(self._sample_statement, scope)
        statement = (
            build()
            if key is None
            else prepared(
                self._table,
                f"concluded_sample:{self._conn.dialect.name}:{key}",
                build,
            )
        )
        params = _scope_params(scope) | {
            "c_concluded": sorted(reason_ids),
            "c_percentage": percentage,
            "c_seed": seed % SAMPLE_MODULUS,
        }
        with translated(self._entity):
            rows = self._conn.execute(statement, params).all()
        if not rows:
            return [], 0
        taken = sample_size(int(rows[0].eligible), percentage)
        ids = sorted(r.id for r in rows if r.concluded == 1 and r.r <= taken)
        return ids, int(rows[0].total)

    def _sample_statement(self, scope: ClosedOrderScope) -> sa.Select[Any]:
        """:meth:`concluded_sample`'s statement over ``scope``'s candidates;
        its values are bound parameters (:func:`_scope_params`,
        ``c_concluded``, ``c_percentage``, ``c_seed``)."""
        o = self._table
        wanted = sa.bindparam(
            "c_concluded", expanding=True, type_=o.c.closing_reason_id.type
        )
        concluded = sa.case((o.c.closing_reason_id.in_(wanted), 1), else_=0).label(
            "concluded"
        )
        rank = _rank(o.c.id, sa.bindparam("c_seed", type_=sa.BigInteger))
        numbered = (
            sa.select(
                o.c.id,
                concluded,
                sa.func.count().over().label("total"),
                sa.func.sum(concluded).over().label("eligible"),
                sa.func.row_number()
                .over(partition_by=concluded, order_by=(rank, o.c.id))
                .label("r"),
            )
            .where(*self._candidates(scope, bound=True))
            .subquery("numbered")
        )
        percentage = sa.bindparam("c_percentage", type_=sa.Integer)
        size = (numbered.c.eligible * percentage + 49) // 100
        return sa.select(numbered).where(
            sa.or_(
                numbered.c.r == 1,
                sa.and_(numbered.c.concluded == 1, numbered.c.r <= size),
            )
        )

    def _candidates(
        self, scope: ClosedOrderScope, *, bound: bool = False
    ) -> list[sa.ColumnElement[bool]]:
        """UC1176's candidates over ``scope``; ``bound``: its values are the
        bound parameters of :func:`_scope_params` (a statement built once)."""
        o = self._table
        i = o.alias("inspection")
        types: Any = sorted(scope.inspection_type_ids)
        since: Any = scope.closed_since
        if bound:
            types = sa.bindparam(
                "s_types", expanding=True, type_=o.c.service_type_id.type
            )
            since = sa.bindparam("s_since", type_=o.c.closed_at.type)
        open_inspection = (
            sa.select(i.c.id)
            .where(
                i.c.reference_order_id == o.c.id,
                i.c.service_type_id.in_(types),
                i.c.situation != int(OrderSituation.CLOSED),
            )
            .exists()
        )
        return [
            o.c.situation == int(OrderSituation.CLOSED),
            o.c.property_id.is_not(None),
            o.c.closed_at >= since,
            self._by_units(scope, bound=bound),
            ~open_inspection,
            *self._filtered(scope.filters),
        ]

    def _by_units(
        self, scope: ClosedOrderScope, *, bound: bool = False
    ) -> sa.ColumnElement[bool]:
        """The candidates closed by the scope's units: its ``unit_ids`` and
        the units of its ``company_id`` (a semi-join on the unit table)."""
        o = self._table
        ids: Any = sorted(scope.unit_ids)
        company: Any = scope.company_id
        if bound:
            ids = sa.bindparam(
                "s_units", expanding=True, type_=o.c.current_unit_id.type
            )
            company = sa.bindparam("s_company", type_=sa.BigInteger)
        units = o.c.current_unit_id.in_(ids)
        if scope.company_id is None:
            return units
        u = self._uow.tables["unit"]
        ofcompany = o.c.current_unit_id.in_(
            sa.select(u.c.id).where(u.c.company_id == company)
        )
        return sa.or_(units, ofcompany) if scope.unit_ids else ofcompany

    def _filtered(
        self, filters: ClosedOrderFilter | None
    ) -> list[sa.ColumnElement[bool]]:
        """UC1176's optional filters: the orders' service types, and their
        properties' locality range (one semi-join on the property table)."""
        if filters is None:
            return []
        o = self._table
        found: list[sa.ColumnElement[bool]] = []
        if filters.service_type_ids is not None:
            found.append(o.c.service_type_id.in_(sorted(filters.service_type_ids)))
        if filters.by_property:
            p = self._uow.tables["property"]
            bounds: list[sa.ColumnElement[bool]] = []
            if filters.locality_from is not None:
                bounds.append(p.c.locality_id >= filters.locality_from)
            if filters.locality_until is not None:
                bounds.append(p.c.locality_id <= filters.locality_until)
            bounds += self._property_rows(p, filters)
            found.append(sa.exists().where(p.c.id == o.c.property_id, *bounds))
        return found

    def _property_rows(
        self, p: sa.Table, filters: ClosedOrderFilter
    ) -> list[sa.ColumnElement[bool]]:
        """UC1176's collection group (the property's route) and gerência
        regional / unidade de negócio (its locality), as semi-joins."""
        found: list[sa.ColumnElement[bool]] = []
        if filters.collection_group_id is not None:
            r = self._uow.tables["route"]
            found.append(
                sa.exists().where(
                    r.c.id == p.c.route_id, r.c.group_id == filters.collection_group_id
                )
            )
        if filters.by_locality_row:
            loc = self._uow.tables["locality"]
            wanted = [loc.c.id == p.c.locality_id]
            if filters.regional_management_id is not None:
                wanted.append(
                    loc.c.regional_management_id == filters.regional_management_id
                )
            if filters.business_unit_id is not None:
                wanted.append(loc.c.business_unit_id == filters.business_unit_id)
            found.append(sa.exists().where(*wanted))
        return found

    def add_inspections(
        self,
        *,
        referenced: Sequence[ClosedOrderRow],
        first_id: int,
        template: ServiceOrder,
        trail_first_id: int | None = None,
        opened_by: int = 0,
    ) -> None:
        if not referenced:
            return
        o = self._table
        static = self._mapper.to_row(template)
        source = {
            "id": sa.literal(first_id - 1, sa.BigInteger)
            + sa.func.row_number().over(order_by=o.c.id),
            "property_id": o.c.property_id,
            "reference_order_id": o.c.id,
            "current_unit_id": o.c.current_unit_id,
        }
        columns = [c.key for c in o.c]
        # one array parameter on PostgreSQL rather than thousands
        among = (
            o.c.id == sa.func.any(sa.bindparam("ids", type_=ARRAY(sa.BigInteger)))
            if self._conn.dialect.name == "postgresql"
            else o.c.id.in_(sa.bindparam("ids", expanding=True))
        )
        select = sa.select(
            *[
                source[name]
                if name in source
                else sa.literal(static[name], o.c[name].type)
                for name in columns
            ]
        ).where(among)
        statement = o.insert().from_select(columns, select)
        ids = {"ids": [r.order_id for r in referenced]}
        with translated(self._entity):
            self._conn.execute(statement, ids)
        if trail_first_id is not None:
            self._add_trail(
                among,
                first_id=first_id,
                trail_first_id=trail_first_id,
                opened_by=opened_by,
                at=template.generated_at,
                ids=ids,
            )

    def _add_trail(
        self,
        among: sa.ColumnElement[bool],
        *,
        first_id: int,
        trail_first_id: int,
        opened_by: int,
        at: datetime,
        ids: dict[str, list[int]],
    ) -> None:
        """The new orders' "opened" unit-trail records, one ``INSERT ...
        SELECT`` over the inspected orders (numbered as the new orders are)."""
        o = self._table
        trail = self._uow.tables["order_unit"]
        number = sa.func.row_number().over(order_by=o.c.id)
        values = {
            "id": sa.literal(trail_first_id - 1, sa.BigInteger) + number,
            "order_id": sa.literal(first_id - 1, sa.BigInteger) + number,
            "unit_id": o.c.current_unit_id,
            "user_id": sa.literal(opened_by, sa.BigInteger),
            "relation": sa.literal(int(OrderUnitRelation.OPENED), sa.SmallInteger),
            "at": sa.literal(at, trail.c.at.type),
            "version": sa.literal(1, sa.Integer),
        }
        columns = [c.key for c in trail.c]
        select = sa.select(*[values[name] for name in columns]).where(among)
        with translated("order_unit"):
            self._conn.execute(trail.insert().from_select(columns, select), ids)


def _shape(scope: ClosedOrderScope) -> str | None:
    """The key of the statements built once for ``scope``'s shape (whether
    it names units, a company); ``None`` where its optional filters shape the
    statement (built for the call)."""
    filters = scope.filters
    if filters is not None and (
        filters.service_type_ids is not None or filters.by_property
    ):
        return None
    return f"{bool(scope.unit_ids)}:{scope.company_id is not None}"


def _scope_params(scope: ClosedOrderScope) -> dict[str, Any]:
    """The bound parameters of ``_candidates(scope, bound=True)``."""
    return {
        "s_types": sorted(scope.inspection_type_ids),
        "s_since": scope.closed_since,
        "s_units": sorted(scope.unit_ids),
        "s_company": scope.company_id,
    }


def _rank(
    order_id: sa.ColumnElement[int], seed: sa.ColumnElement[int]
) -> sa.ColumnElement[int]:
    """:func:`~gsan_core.rules.inspections.sample_rank` in SQL (bigint
    arithmetic; every operand non-negative, every product below 2**63);
    ``seed``: the seed modulo ``SAMPLE_MODULUS``."""
    modulus = sa.literal(SAMPLE_MODULUS, sa.BigInteger)
    x = (
        order_id % modulus * sa.literal(SAMPLE_MULTIPLIER, sa.BigInteger) + seed
    ) % modulus
    return (x * x % modulus * sa.literal(SAMPLE_MIXER, sa.BigInteger) + x) % modulus
