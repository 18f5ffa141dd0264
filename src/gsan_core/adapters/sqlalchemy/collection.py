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

from collections.abc import Collection
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

__all__ = ["select_cut_orders"]

#: The decision codes of the ``CASE``, in the order the rules apply.
_REASONS = {
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
    decided = _decided(uow, routes, criteria, dialect).subquery("decided")
    no_int = sa.cast(sa.null(), sa.Integer)
    statement = sa.union_all(
        sa.select(
            decided.c.decision,
            decided.c.id,
            decided.c.route_id,
            decided.c.locality_id,
            decided.c.water_status_id,
        ).where(decided.c.decision == 0),
        sa.select(
            decided.c.decision,
            sa.func.count(),
            no_int,
            no_int,
            no_int,
        )
        .where(decided.c.decision != 0)
        .group_by(decided.c.decision),
    )
    with translated("property"):
        rows = connection.execute(statement).all()
    chosen: list[CutFact] = []
    skipped: dict[str, int] = {}
    for decision, value, route_id, locality_id, status in rows:
        if decision == 0:
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
            skipped[str(_REASONS[int(decision)].value)] = int(value)
    chosen.sort(key=lambda fact: fact.property_id)
    return CutSelection(
        processed=len(chosen) + sum(skipped.values()),
        chosen=tuple(chosen),
        skipped=dict(sorted(skipped.items())),
    )


def _decided(
    uow: SqlUnitOfWork, routes: list[int], criteria: CutCriteria, dialect: str
) -> sa.Select[Any]:
    """Every property of the routes with its decision code (0: generate)."""
    t = uow.tables
    prop, order, debt, unit = (
        t["property"],
        t["service_order"],
        t["open_debt"],
        t["unit"],
    )
    of_routes = among(prop.c.route_id, routes, dialect)
    closed = int(OrderSituation.CLOSED)
    open_cut = (
        sa.select(sa.literal(1))
        .where(
            order.c.property_id == prop.c.id,
            order.c.service_type_id.in_(sorted(criteria.cut_service_type_ids)),
            order.c.situation != closed,
        )
        .exists()
    )
    if dialect == "sqlite":
        amount: sa.ColumnElement[Any] = sa.cast(
            sa.func.round(sa.cast(debt.c.amount, sa.Float) * _SCALE), sa.Integer
        )
        minimum: Any = int((criteria.min_amount * _SCALE).to_integral_value())
    else:
        amount = debt.c.amount
        minimum = criteria.min_amount
    owed = (
        sa.select(
            debt.c.property_id,
            sa.func.count().label("bills"),
            sa.func.sum(amount).label("amount"),
        )
        .where(
            debt.c.kind == DebtKind.BILL.value,
            debt.c.due_date < criteria.due_before,
            debt.c.property_id.in_(sa.select(prop.c.id).where(of_routes)),
        )
        .group_by(debt.c.property_id)
        .subquery("owed")
    )
    served = (
        sa.select(sa.literal(1))
        .where(
            unit.c.locality_id == prop.c.locality_id,
            unit.c.active.is_(True),
        )
        .exists()
    )
    cases: list[tuple[sa.ColumnElement[bool], int]] = [
        (prop.c.active.is_not(True), 1),
        (prop.c.water_status_id.not_in(sorted(criteria.allowed_situations)), 2),
        (open_cut, 3),
        (
            sa.or_(
                owed.c.bills.is_(None),
                owed.c.bills < max(1, criteria.min_bills),
                owed.c.amount < minimum,
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
        .select_from(prop.outerjoin(owed, owed.c.property_id == prop.c.id))
        .where(of_routes)
    )
