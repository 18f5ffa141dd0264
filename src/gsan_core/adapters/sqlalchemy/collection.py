"""The cut-order batch decided in the database (issue 20).

For a chunk of routes, after the routes' properties are locked (their own
statement, so that the read sees what earlier holders committed), **one**
statement decides every property with the numbered rules of
:mod:`gsan_core.rules.collection` written as a ``CASE`` in the same order:

1. CUT-1 the property is active, and its water situation allows a cut;
2. CUT-2 it has no open order of a cut type (on PostgreSQL one join of the
   chunk's properties with the partial index
   ``ix_service_order_open_property_type`` of migration 0012, read over the
   chunk's id span);
3. CUT-3 its bills due before the limit, counted and added up in SQL, reach the
   criteria (on SQLite, where money is text, added up in units of 10^-7 as
   integers, so the comparison is exact);
4. CUT-4 an active unit serves its locality;
5. CUT-5 (GEN-18) no order of the restricted type closed since the window's
   first instant.

It returns the chosen properties one row each and the others counted by reason
(``GROUP BY``), so a chunk of ~1,400 properties sends back the ~70 that get an
order and a handful of counts. The pure rules stay the specification: the
memory adapter runs them, and ``tests/stateful/test_cut_orders_agree.py``
proves the two agree on Hypothesis-generated utilities.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import among, lock_where
from gsan_core.model.billing import DebtKind
from gsan_core.model.collection import CutCriteria, CutFact, CutSelection
from gsan_core.model.service_orders import OrderSituation
from gsan_core.rules.collection import CutDecision

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["REASONS", "cut_selection", "decided_properties", "select_cut_orders"]

#: The decision codes of the ``CASE``, in the order the rules apply.
REASONS = {
    1: CutDecision.INACTIVE,
    2: CutDecision.SITUATION,
    3: CutDecision.OPEN_ORDER,
    4: CutDecision.NO_DEBT,
    5: CutDecision.NO_UNIT,
    6: CutDecision.RESTRICTED,
}
#: Money on SQLite is text: amounts are added up as integers of 10^-7.
_SCALE = 10_000_000


def select_cut_orders(
    uow: SqlUnitOfWork, route_ids: Collection[int], criteria: CutCriteria
) -> CutSelection:
    """CUT-1..CUT-5 for the properties of ``route_ids`` in one statement."""
    connection = uow.connection
    dialect = connection.dialect.name
    prop = uow.tables["property"]
    routes = sorted(set(route_ids))
    lock_where(connection, prop, among(prop.c.route_id, routes, dialect))
    decided = decided_properties(uow, routes, criteria, dialect).subquery("decided")
    unit = uow.tables["unit"]
    serving = (
        sa.select(sa.func.max(unit.c.id))
        .where(unit.c.locality_id == decided.c.locality_id, unit.c.active.is_(True))
        .scalar_subquery()
    )
    no_int = sa.cast(sa.null(), sa.Integer)
    statement = sa.union_all(
        sa.select(
            decided.c.decision,
            decided.c.id,
            decided.c.route_id,
            decided.c.locality_id,
            decided.c.water_status_id,
            serving,
        ).where(decided.c.decision == 0),
        sa.select(
            decided.c.decision,
            sa.func.count(),
            no_int,
            no_int,
            no_int,
            no_int,
        )
        .where(decided.c.decision != 0)
        .group_by(decided.c.decision),
    )
    with translated("property"):
        rows = connection.execute(statement).all()
    return cut_selection(rows)


def cut_selection(rows: Iterable[Sequence[Any]]) -> CutSelection:
    """The chunk's selection from the decision query's rows: ``(0, property,
    route, locality, water status, serving unit)`` for a chosen property, and
    ``(decision, count, ...)`` for each skip reason."""
    chosen: list[CutFact] = []
    skipped: dict[str, int] = {}
    units: dict[int, int] = {}
    for decision, value, route_id, locality_id, status, unit_id in rows:
        if decision == 0:
            units[int(locality_id)] = int(unit_id)
            chosen.append(
                CutFact(
                    property_id=int(value),
                    route_id=int(route_id),
                    locality_id=int(locality_id),
                    water_status_id=int(status),
                    active=True,
                    has_open_cut_order=False,
                )
            )
        else:
            skipped[str(REASONS[int(decision)].value)] = int(value)
    chosen.sort(key=lambda fact: fact.property_id)
    return CutSelection(
        processed=len(chosen) + sum(skipped.values()),
        chosen=tuple(chosen),
        skipped=dict(sorted(skipped.items())),
        units=units,
    )


def decided_properties(
    uow: SqlUnitOfWork,
    routes: list[int] | sa.BindParameter[Any],
    criteria: CutCriteria,
    dialect: str,
) -> sa.Select[Any]:
    """Every property of the routes with its decision code (0: generate).

    ``routes`` is a list of route ids, or (PostgreSQL) an array parameter
    given when the statement runs, so that one statement serves every chunk.

    On PostgreSQL the chunk's questions are asked **set-based**
    (:func:`_chunk_facts`): its properties once, then their open cut orders
    and their overdue bills each as one join over the chunk, bounded to the
    chunk's id span so the planner reads an index range, not the whole table,
    and may hash instead of probing per property (issue 20). On SQLite each
    is a correlated subquery (SQLite probes)."""
    t = uow.tables
    prop, order, debt, unit = (
        t["property"],
        t["service_order"],
        t["open_debt"],
        t["unit"],
    )
    postgres = dialect == "postgresql"
    where = (
        prop.c.route_id == sa.any_(routes)
        if isinstance(routes, sa.BindParameter)
        else among(prop.c.route_id, routes, dialect)
    )
    source: Any
    if postgres:
        source, has_open, bills, total, joined = _chunk_facts(uow, where, criteria)
        minimum: Any = criteria.min_amount
    else:
        source = joined = prop
        has_open, bills, total, minimum = _probed_facts(prop, order, debt, criteria)
    served = (
        sa.select(sa.literal(1))
        .where(unit.c.locality_id == source.c.locality_id, unit.c.active.is_(True))
        .exists()
    )
    cases: list[tuple[sa.ColumnElement[bool], int]] = [
        (source.c.active.is_not(True), 1),
        (source.c.water_status_id.not_in(sorted(criteria.allowed_situations)), 2),
        (has_open, 3),
        (
            sa.or_(
                sa.func.coalesce(bills, 0) < max(1, criteria.min_bills),
                sa.func.coalesce(total, 0) < minimum,
            ),
            4,
        ),
        (~served, 5),
    ]
    recent = _recent_restricted(order, source, criteria)
    if recent is not None:
        cases.append((recent, 6))
    statement = sa.select(
        source.c.id,
        source.c.route_id,
        source.c.locality_id,
        source.c.water_status_id,
        sa.case(*cases, else_=0).label("decision"),
    ).select_from(joined)
    return statement if postgres else statement.where(where)


def _probed_facts(
    prop: sa.Table, order: sa.Table, debt: sa.Table, criteria: CutCriteria
) -> tuple[sa.Exists, Any, Any, int]:
    """SQLite: CUT-2's test, CUT-3's count and sum (in cents) as correlated
    subqueries of the property, and CUT-3's minimum in cents."""
    amount = sa.cast(
        sa.func.round(sa.cast(debt.c.amount, sa.Float) * _SCALE), sa.Integer
    )
    minimum = int((criteria.min_amount * _SCALE).to_integral_value())
    owed = sa.select(sa.func.count()).where(
        debt.c.property_id == prop.c.id, *_bills(debt, criteria)
    )
    has_open = _open_cut(order, criteria, prop.c.id).exists()
    bills = owed.scalar_subquery()
    total = owed.with_only_columns(sa.func.sum(amount)).scalar_subquery()
    return has_open, bills, total, minimum


def _recent_restricted(
    order: sa.Table, source: Any, criteria: CutCriteria
) -> sa.Exists | None:
    """Decision 6, when the criteria name a restricted type: an order of
    that type closed on the property since the restriction's date."""
    if criteria.restricted_type_id is None or criteria.restricted_since is None:
        return None
    return (
        sa.select(sa.literal(1))
        .where(
            order.c.property_id == source.c.id,
            order.c.service_type_id == criteria.restricted_type_id,
            order.c.closed_at >= criteria.restricted_since,
        )
        .exists()
    )


def _bills(debt: sa.Table, criteria: CutCriteria) -> list[sa.ColumnElement[bool]]:
    """CUT-3's bills: of kind bill, due before the limit."""
    return [debt.c.kind == DebtKind.BILL.value, debt.c.due_date < criteria.due_before]


def _open_cut(
    order: sa.Table, criteria: CutCriteria, property_id: sa.ColumnElement[Any]
) -> sa.Select[Any]:
    """CUT-2's open orders of a cut type of ``property_id``."""
    return sa.select(sa.literal(1).label("hit")).where(
        order.c.property_id == property_id, *_open_cuts(order, criteria)
    )


def _open_cuts(order: sa.Table, criteria: CutCriteria) -> list[sa.ColumnElement[bool]]:
    """CUT-2's open orders: of a cut type, not closed."""
    return [
        order.c.service_type_id.in_(sorted(criteria.cut_service_type_ids)),
        order.c.situation != int(OrderSituation.CLOSED),
    ]


def _chunk_facts(
    uow: SqlUnitOfWork, where: sa.ColumnElement[bool], criteria: CutCriteria
) -> tuple[Any, sa.ColumnElement[bool], Any, Any, Any]:
    """PostgreSQL: the chunk's properties (``chunk_props``) and, as one join
    each over them, their open cut orders (``open_cut``) and their overdue
    bills counted and added up (``owed``), both bounded to the chunk's
    smallest and largest property id (``span``): a range the planner reads
    from the index on ``property_id`` whatever the table's size, where a
    probe per property cost ~6x the hash of the whole utility's bills
    (``EXPLAIN ANALYZE`` at 100 thousand, ``docs/scale.md``). The bound only
    narrows what the join keeps anyway: the decision is unchanged. Returns
    the properties, CUT-2's test, CUT-3's count and sum, and the join."""
    t = uow.tables
    prop, order, debt = t["property"], t["service_order"], t["open_debt"]
    props = (
        sa.select(
            prop.c.id,
            prop.c.route_id,
            prop.c.locality_id,
            prop.c.active,
            prop.c.water_status_id,
        )
        .where(where)
        .cte("chunk_props")
    )
    span = sa.select(
        sa.func.min(props.c.id).label("lo"), sa.func.max(props.c.id).label("hi")
    ).cte("span")
    low = sa.select(span.c.lo).scalar_subquery()
    high = sa.select(span.c.hi).scalar_subquery()
    # the span's bills and open cut orders, not joined to the chunk's
    # properties here: the outer joins below keep the chunk's, and the index
    # range arrives in property order, so the bills are added up as they come
    # (no hash of the chunk, no sort: issue 20, sixth round)
    owed = (
        sa.select(
            debt.c.property_id,
            sa.func.count().label("bills"),
            sa.func.sum(debt.c.amount).label("amount"),
        )
        .where(*_bills(debt, criteria), debt.c.property_id.between(low, high))
        .group_by(debt.c.property_id)
        .cte("owed")
    )
    opened = (
        sa.select(order.c.property_id)
        .where(*_open_cuts(order, criteria), order.c.property_id.between(low, high))
        .distinct()
        .cte("open_cut")
    )
    joined = props.outerjoin(opened, opened.c.property_id == props.c.id).outerjoin(
        owed, owed.c.property_id == props.c.id
    )
    has_open = opened.c.property_id.is_not(None)
    return props, has_open, owed.c.bills, owed.c.amount, joined
