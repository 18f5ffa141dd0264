"""The cut-order batch decided in the database (issue 20).

For a chunk of routes, after the routes' properties are locked (their own
statement, so that the read sees what earlier holders committed), **one**
statement decides every property with the numbered rules of
:mod:`gsan_core.rules.collection` written as a ``CASE`` in the same order:

1. CUT-1 the property is active, and its water situation allows a cut;
2. CUT-2 it has no open order of a cut type (an index probe: the partial index
   ``ix_service_order_open_property_type`` of migration 0012);
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

    Every per-property question is a probe keyed by the property: on
    PostgreSQL a ``LATERAL`` subquery (which the planner cannot turn into a
    hash of every open order or every bill of the utility, whose cost would
    grow with its size), on SQLite a correlated subquery (SQLite probes)."""
    t = uow.tables
    prop, order, debt, unit = (
        t["property"],
        t["service_order"],
        t["open_debt"],
        t["unit"],
    )
    closed = int(OrderSituation.CLOSED)
    postgres = dialect == "postgresql"
    open_cut = sa.select(sa.literal(1).label("hit")).where(
        order.c.property_id == prop.c.id,
        order.c.service_type_id.in_(sorted(criteria.cut_service_type_ids)),
        order.c.situation != closed,
    )
    if postgres:
        amount: sa.ColumnElement[Any] = debt.c.amount
        minimum: Any = criteria.min_amount
    else:
        amount = sa.cast(
            sa.func.round(sa.cast(debt.c.amount, sa.Float) * _SCALE), sa.Integer
        )
        minimum = int((criteria.min_amount * _SCALE).to_integral_value())
    owed = sa.select(
        sa.func.count().label("bills"), sa.func.sum(amount).label("amount")
    ).where(
        debt.c.property_id == prop.c.id,
        debt.c.kind == DebtKind.BILL.value,
        debt.c.due_date < criteria.due_before,
    )
    served = (
        sa.select(sa.literal(1))
        .where(unit.c.locality_id == prop.c.locality_id, unit.c.active.is_(True))
        .exists()
    )
    joined: Any = prop
    bills: Any
    total: Any
    if postgres:
        open_probe = open_cut.limit(1).lateral("open_cut")
        debts = owed.lateral("owed")
        joined = prop.outerjoin(open_probe, sa.true()).join(debts, sa.true())
        has_open: sa.ColumnElement[bool] = open_probe.c.hit.is_not(None)
        bills, total = debts.c.bills, debts.c.amount
    else:
        has_open = open_cut.exists()
        bills = owed.with_only_columns(sa.func.count()).scalar_subquery()
        total = owed.with_only_columns(sa.func.sum(amount)).scalar_subquery()
    cases: list[tuple[sa.ColumnElement[bool], int]] = [
        (prop.c.active.is_not(True), 1),
        (prop.c.water_status_id.not_in(sorted(criteria.allowed_situations)), 2),
        (has_open, 3),
        (
            sa.or_(
                bills < max(1, criteria.min_bills),
                sa.func.coalesce(total, 0) < minimum,
            ),
            4,
        ),
        (~served, 5),
    ]
    if (
        criteria.restricted_type_id is not None
        and criteria.restricted_since is not None
    ):
        recent = (
            sa.select(sa.literal(1))
            .where(
                order.c.property_id == prop.c.id,
                order.c.service_type_id == criteria.restricted_type_id,
                order.c.closed_at >= criteria.restricted_since,
            )
            .exists()
        )
        cases.append((recent, 6))
    return (
        sa.select(
            prop.c.id,
            prop.c.route_id,
            prop.c.locality_id,
            prop.c.water_status_id,
            sa.case(*cases, else_=0).label("decision"),
        )
        .select_from(joined)
        .where(
            prop.c.route_id == sa.any_(routes)
            if isinstance(routes, sa.BindParameter)
            else among(prop.c.route_id, routes, dialect)
        )
    )
