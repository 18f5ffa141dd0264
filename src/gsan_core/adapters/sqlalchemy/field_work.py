"""The selective emission decided in the database (field work II).

For a chunk of properties (an id range inside the command's location bounds),
after the chunk's properties are locked (their own statement, so that the read
sees what earlier holders committed), **one** statement decides every property
with :func:`gsan_core.rules.field_work.decide_selective` written as a ``CASE``
in the same order; it returns the chosen properties one row each (with the
active unit of their locality) and the others counted by reason
(``GROUP BY``). Every per-property question is an index probe keyed by the
property (``ix_selective_order_property``, the open-order partial index of
migration 0012, ``ix_open_debt_property``), so a chunk's cost does not grow
with the utility nor with the orders the run already wrote; the existence
questions are ``LIMIT 1`` scalar subqueries, never ``EXISTS``, which
PostgreSQL may hash over the whole table once per chunk (issue 16). The
memory adapter runs the pure rules, and the contract
suite :class:`~gsan_core.testing.contracts_field_work.FieldWorkContract`
proves the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.adapters.sqlalchemy.repositories import (
    SqlRepository,
    among,
    lock_where,
)
from gsan_core.adapters.sqlalchemy.sewer_bounds import sewer_command_bounds
from gsan_core.adapters.sqlalchemy.statement_cache import prepared
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.accounts.customers import RelationType
from gsan_core.model.billing import DebtKind
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.field_files import (
    FieldFile,
    FieldFileFilter,
    FileOrderDetail,
    FileSituation,
    ReturnLine,
)
from gsan_core.model.field_work import (
    SelectiveCriteria,
    SelectiveDecision,
    SelectiveFact,
    SelectiveSelection,
    SelectiveWanted,
)
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.sewer_commands import SewerCommand

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlFieldFileQueries", "SqlReturnLineRepository", "SqlSelectiveQueries"]


class SqlReturnLineRepository(SqlRepository[ReturnLine]):
    """A field file's return lines (``field_return_line``)."""

    def find_by(self, **criteria: object) -> Sequence[ReturnLine]:
        """As every repository's; in a unit of work that defers its writes, a
        few lines read are kept as read (``SqlUnitOfWork.read_rows``): a
        visit's deferred update of them (applied) then sets the changed
        columns only (82 parameters with the closing's and a generated
        order's rows before, over psycopg's cache limit of 50, issue 20)."""
        found = super().find_by(**criteria)
        if found and len(found) <= MOST_ROWS and self._deferred():
            self._uow.read_rows(self._entity, found)
        return found


#: The decision codes of the ``CASE``, in the order the rules apply.
_REASONS = {
    1: SelectiveDecision.EMITTED,
    2: SelectiveDecision.INACTIVE,
    3: SelectiveDecision.WATER_SITUATION,
    4: SelectiveDecision.SEWER_SITUATION,
    5: SelectiveDecision.PROFILE,
    6: SelectiveDecision.DEBTS,
    7: SelectiveDecision.OPEN_ORDER,
    8: SelectiveDecision.NO_UNIT,
    9: SelectiveDecision.DEBT_AMOUNT,
    10: SelectiveDecision.CONSUMPTION,
    11: SelectiveDecision.ANOMALY,
    12: SelectiveDecision.METER,
}


#: The customer columns record ``16`` reads, as named in ``FileOrderDetail``
#: (its ``customer_name`` is the customer's ``name``).
_CUSTOMER_FIELDS = (
    "name",
    "document",
    "identity_card",
    "identity_issuer_id",
    "identity_state_id",
    "phone_area",
    "phone",
    "phone_extension",
)
_METER_COLUMNS = (
    "number",
    "type_id",
    "situation_id",
    "place_id",
    "protection_id",
    "stand",
    "brand_id",
)


class SqlSelectiveQueries:
    """The selective emission's reads: one statement per chunk."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _scope(self, criteria: SelectiveCriteria) -> list[sa.ColumnElement[bool]]:
        prop = self._uow.tables["property"]
        dialect = self._uow.connection.dialect.name
        c = criteria
        clauses: list[sa.ColumnElement[bool]] = []
        if c.locality_first is not None:
            clauses.append(prop.c.locality_id >= c.locality_first)
        if c.locality_last is not None:
            clauses.append(prop.c.locality_id <= c.locality_last)
        if c.sector_first is not None:
            clauses.append(prop.c.sector_id >= c.sector_first)
        if c.sector_last is not None:
            clauses.append(prop.c.sector_id <= c.sector_last)
        if c.block_first is not None:
            clauses.append(prop.c.block_id >= c.block_first)
        if c.block_last is not None:
            clauses.append(prop.c.block_id <= c.block_last)
        if c.route_ids:
            clauses.append(among(prop.c.route_id, sorted(c.route_ids), dialect))
        if c.property_id is not None:
            clauses.append(prop.c.id == c.property_id)
        return clauses

    def chunk_bounds(
        self, criteria: SelectiveCriteria, size: int, *, lock_one: bool = False
    ) -> Sequence[tuple[int, int]]:
        """The first id of every ``size``-th property in scope and the last
        one, in one statement (window functions: the ids never leave the
        database; issue 20, round 8: the last one was a statement of its
        own). ``lock_one`` (PostgreSQL): where the scope fits one range, its
        properties locked in id order by the same statement (an uncorrelated
        subquery gated on the scope's count; issue 20, tenth round: the
        selection's lock was a statement of its own); SQLite's writing
        transaction holds the database's write lock, nothing to do."""
        prop = self._uow.tables["property"]
        scope = self._scope(criteria)
        numbered = (
            sa.select(
                prop.c.id,
                sa.func.row_number().over(order_by=prop.c.id).label("n"),
                sa.func.max(prop.c.id).over().label("final"),
            )
            .where(*scope)
            .cte("numbered")
        )
        starts = (
            sa.select(numbered.c.id, numbered.c.final)
            .where((numbered.c.n - 1) % size == 0)
            .order_by(numbered.c.id)
        )
        if lock_one and self._uow.connection.dialect.name == "postgresql":
            fits = sa.select(sa.func.count()).select_from(numbered).scalar_subquery()
            locked = (
                sa.select(prop.c.id)
                .where(*scope, fits <= size)
                .order_by(prop.c.id)
                .with_for_update()
                .subquery("locked")
            )
            held = sa.select(sa.func.count()).select_from(locked).scalar_subquery()
            starts = starts.add_columns(held.label("locked"))
        with translated("property"):
            rows = self._uow.connection.execute(starts).all()
        if not rows:
            return []
        firsts = [int(row.id) for row in rows]
        final = int(rows[0].final)
        ends = [f - 1 for f in firsts[1:]] + [final]
        return list(zip(firsts, ends, strict=True))

    def sewer_command_bounds(
        self, command_id: int, size: int, *, lock_one: bool = False
    ) -> tuple[SewerCommand, Sequence[tuple[int, int]]]:
        return sewer_command_bounds(self._uow, command_id, size, lock_one=lock_one)

    def select_selective(
        self,
        first: int,
        last: int,
        wanted: SelectiveWanted,
        *,
        locked: bool = False,
    ) -> SelectiveSelection:
        connection = self._uow.connection
        prop = self._uow.tables["property"]
        in_chunk = [prop.c.id.between(first, last), *self._scope(wanted.criteria)]
        if not locked:
            lock_where(connection, prop, *in_chunk)
        # a CTE: the chunk is decided once, read by both branches of the union
        decided = self._decided(wanted, in_chunk).cte("decided")
        no_int = sa.cast(sa.null(), sa.Integer)
        d = decided.c
        statement = sa.union_all(
            sa.select(
                d.decision,
                d.id,
                d.locality_id,
                d.water_status_id,
                d.sewer_status_id,
                d.profile_id,
                d.bills,
                d.unit_id,
            ).where(d.decision == 0),
            sa.select(
                d.decision,
                sa.func.count(),
                no_int,
                no_int,
                no_int,
                no_int,
                no_int,
                no_int,
            )
            .where(d.decision != 0)
            .group_by(d.decision),
        )
        with translated("property"):
            rows = connection.execute(statement).all()
        chosen: list[SelectiveFact] = []
        skipped: dict[str, int] = {}
        for decision, value, locality, water, sewer, profile, bills, unit in rows:
            if decision == 0:
                chosen.append(
                    SelectiveFact(
                        property_id=int(value),
                        locality_id=int(locality),
                        water_status_id=int(water),
                        sewer_status_id=int(sewer),
                        profile_id=int(profile),
                        active=True,
                        open_bills=int(bills),
                        emitted=False,
                        has_open_order=False,
                        unit_id=int(unit),
                    )
                )
            else:
                skipped[str(_REASONS[int(decision)].value)] = int(value)
        chosen.sort(key=lambda fact: fact.property_id)
        return SelectiveSelection(
            processed=len(chosen) + sum(skipped.values()),
            chosen=tuple(chosen),
            skipped=dict(sorted(skipped.items())),
        )

    def _decided(
        self, wanted: SelectiveWanted, in_chunk: list[sa.ColumnElement[bool]]
    ) -> sa.Select[Any]:
        """Every property of the chunk with its decision code (0: generate)."""
        t = self._uow.tables
        prop, order, debt, unit, link = (
            t["property"],
            t["service_order"],
            t["open_debt"],
            t["unit"],
            t["sewer_command_order" if wanted.sewer else "selective_order"],
        )
        c = wanted.criteria
        # ``command_id + 0``: the probe may only go through the property
        # (``ix_selective_order_property``). The statistics of a table that
        # holds other commands' links say a new command is rare, so the
        # planner took ``ix_selective_order_command`` for the LIMIT 1 probe,
        # reading every link of the command per property (issue 16: ~7 ms a
        # probe 30 thousand links into a run)
        emitted = _probe(
            link.c.property_id == prop.c.id,
            link.c.command_id + 0 == wanted.command_id,
        )
        open_order = _probe(
            order.c.property_id == prop.c.id,
            order.c.service_type_id.in_(sorted(wanted.blocking_type_ids)),
            order.c.situation != int(OrderSituation.CLOSED),
            order.c.request_id.is_(None),
            order.c.collection_document_id.is_(None),
            order.c.generated_at >= wanted.open_since,
        )
        bills: sa.ColumnElement[Any] = (
            sa.select(sa.func.count())
            .where(debt.c.property_id == prop.c.id, debt.c.kind == DebtKind.BILL.value)
            .scalar_subquery()
            if c.min_open_bills > 0
            else sa.literal(0)
        )
        # the active unit of every locality, joined (a few rows, hashed once)
        # rather than a subquery run twice per property
        units = (
            sa.select(unit.c.locality_id, sa.func.max(unit.c.id).label("unit_id"))
            .where(unit.c.active.is_(True))
            .group_by(unit.c.locality_id)
            .subquery("serving")
        )
        serving = units.c.unit_id
        cases: list[tuple[sa.ColumnElement[bool], int]] = [
            (emitted, 1),
            (prop.c.active.is_not(True), 2),
        ]
        if c.water_status_ids:
            cases.append((prop.c.water_status_id.not_in(sorted(c.water_status_ids)), 3))
        if c.sewer_status_ids:
            cases.append((prop.c.sewer_status_id.not_in(sorted(c.sewer_status_ids)), 4))
        if c.profile_ids:
            cases.append((prop.c.profile_id.not_in(sorted(c.profile_ids)), 5))
        if c.min_open_bills > 0:
            cases.append((bills < c.min_open_bills, 6))
        cases.extend(self._measured(wanted))
        cases.append((open_order, 7))
        cases.append((serving.is_(None), 8))
        return (
            sa.select(
                prop.c.id,
                prop.c.locality_id,
                prop.c.water_status_id,
                prop.c.sewer_status_id,
                prop.c.profile_id,
                bills.label("bills"),
                serving.label("unit_id"),
                sa.case(*cases, else_=0).label("decision"),
            )
            .select_from(
                prop.outerjoin(units, units.c.locality_id == prop.c.locality_id)
            )
            .where(*in_chunk)
        )

    def _measured(
        self, wanted: SelectiveWanted
    ) -> list[tuple[sa.ColumnElement[bool], int]]:
        """The debt amount, consumption, anomaly and meter criteria as ``CASE``
        branches: each a probe keyed by the property (``ix_open_debt_property``,
        the consumption history's primary key, the open-point index of the
        meter installations), present only when the criteria use it."""
        t = self._uow.tables
        prop, debt, history, meter = (
            t["property"],
            t["open_debt"],
            t["consumption_history"],
            t["hydrometer_installation"],
        )
        c = wanted.criteria
        cases: list[tuple[sa.ColumnElement[bool], int]] = []
        if c.min_debt_amount is not None:
            total = (
                sa.select(sa.func.coalesce(sa.func.sum(debt.c.amount), 0))
                .where(debt.c.property_id == prop.c.id)
                .scalar_subquery()
            )
            least = sa.bindparam(
                None, c.min_debt_amount, type_=sa.Numeric(20, 7, asdecimal=True)
            )  # a number, not Money (text on SQLite)
            cases.append((total < least, 9))
        water = [
            history.c.property_id == prop.c.id,
            history.c.kind == MeasurementKind.WATER.value,
        ]
        if c.uses_consumption:
            average = (
                sa.select(sa.func.avg(history.c.billed_volume))
                .where(*water, history.c.reference >= wanted.consumption_since)
                .scalar_subquery()
            )
            out: list[sa.ColumnElement[bool]] = [average.is_(None)]
            if c.consumption_first is not None:
                out.append(average < c.consumption_first)
            if c.consumption_last is not None:
                out.append(average > c.consumption_last)
            cases.append((sa.or_(*out), 10))
        if c.consecutive_anomalies:
            cases.append((self._streak(c, water) < c.consecutive_anomalies, 11))
        if c.uses_meter:
            installed = (
                sa.select(sa.func.max(meter.c.installed_on))
                .where(
                    meter.c.property_id == prop.c.id,
                    meter.c.point == int(MeasurementPoint.WATER_CONNECTION),
                    meter.c.removed_on.is_(None),
                )
                .scalar_subquery()
            )
            late: list[sa.ColumnElement[bool]] = [installed.is_(None)]
            if c.meter_installed_first is not None:
                late.append(installed < c.meter_installed_first)
            if c.meter_installed_last is not None:
                late.append(installed > c.meter_installed_last)
            cases.append((sa.or_(*late), 12))
        return cases

    def _streak(
        self, criteria: SelectiveCriteria, water: list[sa.ColumnElement[bool]]
    ) -> sa.ColumnElement[Any]:
        """How many of the latest water consumptions in a row carry a selected
        anomaly: those after the latest one that does not (no ``LIMIT``, no
        window: two probes of the history's primary key)."""
        t = self._uow.tables
        history, prop = t["consumption_history"], t["property"]
        dialect = self._uow.connection.dialect.name
        alias = history.alias("breaking")
        breaking = (
            sa.select(sa.func.max(alias.c.reference))
            .where(
                alias.c.property_id == prop.c.id,
                alias.c.kind == MeasurementKind.WATER.value,
                sa.not_(_matching_on(alias, criteria, dialect)),
            )
            .correlate(prop)
            .scalar_subquery()
        )
        return (
            sa.select(sa.func.count())
            .where(*water, history.c.reference > sa.func.coalesce(breaking, 0))
            .scalar_subquery()
        )

    def pending_orders_of_command(
        self, command_id: int, *, after_order_id: int, limit: int
    ) -> Sequence[int]:
        t = self._uow.tables
        link, order = t["selective_order"], t["service_order"]

        def build() -> sa.Select[Any]:
            # built once per table, its values bound (issue 20, ninth round)
            return (
                sa.select(link.c.order_id)
                .join(order, order.c.id == link.c.order_id)
                .where(
                    link.c.command_id
                    == sa.bindparam("p_command", type_=link.c.command_id.type),
                    link.c.order_id
                    > sa.bindparam("p_after", type_=link.c.order_id.type),
                    order.c.situation == int(OrderSituation.PENDING),
                )
                .order_by(link.c.order_id)
                .limit(sa.bindparam("p_limit", type_=sa.Integer))
            )

        statement = prepared(link, "pending_of_command", build)
        params = {"p_command": command_id, "p_after": after_order_id, "p_limit": limit}
        with translated("selective_order"):
            rows = self._uow.connection.execute(statement, params)
            return [int(i) for i in rows.scalars()]


def _probe(*where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """Some row matches ``where`` (correlated to the chunk's property), as a
    ``LIMIT 1`` scalar probe rather than ``EXISTS``: PostgreSQL may run an
    ``EXISTS`` as a *hashed* subplan, reading every matching row of the
    whole table (every open order, every order of the command) once per
    chunk, so a run's cost grew with the square of its size (issue 16); a
    scalar subquery is always one index probe per property."""
    first = sa.select(sa.literal(1)).where(*where).limit(1).scalar_subquery()
    return first.is_not(None)


def _matching_on(
    table: sa.FromClause, criteria: SelectiveCriteria, dialect: str
) -> sa.ColumnElement[bool]:
    """The consumption row carries a selected anomaly."""
    anomaly = table.c.anomaly_id
    if criteria.anomaly_ids:
        return sa.and_(
            anomaly.is_not(None), among(anomaly, sorted(criteria.anomaly_ids), dialect)
        )
    return anomaly.is_not(None)


def _place_columns(
    order: sa.FromClause, item: sa.FromClause, prop: sa.FromClause
) -> list[sa.ColumnElement[Any]]:
    """``file_rows``' 12 columns (the property's 0 when the order has none)."""

    def zero(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.func.coalesce(column, 0)

    return [
        order.c.id,
        order.c.service_type_id,
        item.c.sequence,
        *(
            zero(prop.c[name])
            for name in (
                "id",
                "locality_id",
                "sector_id",
                "block_id",
                "block_face",
                "profile_id",
                "route_id",
                "water_status_id",
                "sewer_status_id",
            )
        ),
    ]


#: A file id or sequence: a value, or a bound parameter of a statement built
#: once (:meth:`SqlFieldFileQueries._records`).
_Bound = int | sa.BindParameter[Any]


def _in_file(
    item: sa.FromClause, file_id: _Bound, first: _Bound | None, last: _Bound | None
) -> sa.ColumnElement[bool]:
    """The file's items, of the sequences ``first`` to ``last`` (every one
    when ``first`` is ``None``)."""
    if first is None or last is None:
        return item.c.file_id == file_id
    return sa.and_(item.c.file_id == file_id, item.c.sequence.between(first, last))


def _record_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """A ``record_rows`` row: the average rounded down (volumes are never
    negative), the property's categories as its principal category id and
    that category's economies (``Property.main_category``: the most
    economies, the first on a tie; ``None`` without any)."""
    average, categories = row[-2], row[-1]
    best: Mapping[str, Any] | None = None
    for entry in categories or ():
        if best is None or entry["count"] > best["count"]:
            best = entry
    return (
        *row[:-2],
        None if average is None else int(average),
        None if best is None else best["category_id"],
        None if best is None else best["count"],
    )


#: The short aliases of the tables of record ``16``'s statement.
_RECORD_ALIASES = {
    "field_file_item": "i",
    "service_order": "o",
    "property": "p",
    "consumption_history": "v",
    "customer_property": "r",
    "customer": "c",
    "hydrometer_installation": "h",
    "hydrometer": "m",
}


class SqlFieldFileQueries:
    """The device files' reads: one joined statement each."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def file_rows(
        self, file_id: int, first: int, last: int
    ) -> Sequence[tuple[int, ...]]:
        t = self._uow.tables
        item, order, prop = t["field_file_item"], t["service_order"], t["property"]

        statement = (
            sa.select(*_place_columns(order, item, prop))
            .join(order, order.c.id == item.c.order_id)
            .outerjoin(prop, prop.c.id == order.c.property_id)
            .where(item.c.file_id == file_id, item.c.sequence.between(first, last))
            .order_by(item.c.sequence)
        )
        with translated("field_file_item"):
            rows = self._uow.connection.execute(statement).all()
        return [tuple(row) for row in rows]  # ints already (coalesced)

    def _details(
        self,
        file_id: _Bound,
        first: _Bound | None,
        last: _Bound | None,
        tables: Mapping[str, sa.FromClause] | None = None,
    ) -> tuple[sa.FromClause, list[sa.ColumnElement[Any]], sa.Select[Any]]:
        """The orders (of the page ``first`` to ``last``, or of the whole
        file when ``first`` is ``None``) joined to their user customers and
        water meters (derived tables bounded by those orders' properties):
        the joined ``FROM``, ``order_details``' columns and the properties.
        ``tables``: the tables by name (default: the unit of work's), or
        their short aliases (:data:`_RECORD_ALIASES`)."""
        t = self._uow.tables if tables is None else tables
        item, order = t["field_file_item"], t["service_order"]
        relation, customer = t["customer_property"], t["customer"]
        place, meter = t["hydrometer_installation"], t["hydrometer"]
        page = _in_file(item, file_id, first, last)
        # the orders' properties bound both derived tables, so the store reads
        # only their relations and meters
        page_properties = (
            sa.select(order.c.property_id)
            .join(item, item.c.order_id == order.c.id)
            .where(page)
        )
        users = (
            sa.select(
                relation.c.property_id, sa.func.min(relation.c.id).label("chosen_id")
            )
            .where(
                relation.c.relation == int(RelationType.USER),
                relation.c.end.is_(None),
                relation.c.property_id.in_(page_properties),
            )
            .group_by(relation.c.property_id)
            .subquery("users")
        )
        meters = (
            sa.select(
                place.c.property_id,
                meter.c.number,
                meter.c.type_id,
                meter.c.situation_id,
                place.c.place_id,
                place.c.protection_id,
                place.c.stand,
                meter.c.brand_id,
            )
            .join(meter, meter.c.id == place.c.hydrometer_id)
            .where(
                place.c.point == int(MeasurementPoint.WATER_CONNECTION),
                place.c.removed_on.is_(None),
                place.c.property_id.in_(page_properties),
            )
            .subquery("meters")
        )
        chosen = relation.alias("chosen" if tables is None else "u")
        joined = (
            item.join(order, order.c.id == item.c.order_id)
            .outerjoin(users, users.c.property_id == order.c.property_id)
            .outerjoin(chosen, chosen.c.id == users.c.chosen_id)
            .outerjoin(customer, customer.c.id == chosen.c.customer_id)
            .outerjoin(meters, meters.c.property_id == order.c.property_id)
        )
        columns: list[sa.ColumnElement[Any]] = [
            order.c.id,
            *(customer.c[name] for name in _CUSTOMER_FIELDS),
            *(meters.c[name] for name in _METER_COLUMNS),
            order.c.collection_document_id,
        ]
        return joined, columns, page_properties

    def order_details(
        self, file_id: int, first: int, last: int
    ) -> Sequence[FileOrderDetail]:
        item = self._uow.tables["field_file_item"]
        joined, columns, _ = self._details(file_id, first, last)
        statement = (
            sa.select(*columns)
            .select_from(joined)
            .where(_in_file(item, file_id, first, last))
            .order_by(item.c.sequence)
        )
        with translated("field_file_item"):
            rows = self._uow.connection.execute(statement).all()
        return [
            FileOrderDetail(
                order_id=o,
                customer_name=name,
                document=document,
                identity_card=card,
                identity_issuer_id=issuer,
                identity_state_id=state,
                phone_area=area,
                phone=phone,
                phone_extension=extension,
                meter_number=number,
                meter_type_id=kind,
                meter_situation_id=situation,
                place_id=place_id,
                protection_id=protection,
                stand=stand,
                brand_id=brand,
                collection_document_id=document_id,
            )
            for (
                o,
                name,
                document,
                card,
                issuer,
                state,
                area,
                phone,
                extension,
                number,
                kind,
                situation,
                place_id,
                protection,
                stand,
                brand,
                document_id,
            ) in rows
        ]

    def _records(
        self,
        file_id: int,
        first: int | None,
        last: int | None,
        consumption_since: int,
    ) -> tuple[sa.Select[Any], dict[str, int]]:
        """Record ``16``'s one joined statement, for a page or the whole file,
        and its parameters: built once per table with bound parameters
        (issue 20, ninth round: built on every call, its construction and
        cache key cost a download of 50 orders about a fifth of its time)."""
        paged = first is not None and last is not None
        item = self._uow.tables["field_file_item"]
        statement = prepared(
            item, f"field file records:{paged}", lambda: self._build_records(paged)
        )
        values = {"r_file": file_id, "r_since": consumption_since}
        if paged:
            assert first is not None
            assert last is not None
            values |= {"r_first": first, "r_last": last}
        return statement, values

    def _build_records(self, paged: bool) -> sa.Select[Any]:
        """:meth:`_records`' statement, its values bound (``r_file``,
        ``r_since`` and, for a page, ``r_first`` and ``r_last``)."""
        # the tables under short aliases: the statement stays under
        # psycopg's 4 KiB limit of those it converts once, whatever the
        # schema's name (issue 20, tenth round: 5 KiB, converted again on
        # every download)
        t = {
            name: self._uow.tables[name].alias(alias)
            for name, alias in _RECORD_ALIASES.items()
        }
        item, order, prop = t["field_file_item"], t["service_order"], t["property"]
        history = t["consumption_history"]
        file_id = sa.bindparam("r_file", type_=item.c.file_id.type)
        first = sa.bindparam("r_first", type_=item.c.sequence.type) if paged else None
        last = sa.bindparam("r_last", type_=item.c.sequence.type) if paged else None
        consumption_since = sa.bindparam("r_since", type_=history.c.reference.type)
        joined, columns, page_properties = self._details(file_id, first, last, t)
        averages = (
            sa.select(
                history.c.property_id,
                sa.func.avg(history.c.billed_volume).label("average"),
            )
            .where(
                history.c.property_id.in_(page_properties),
                history.c.kind == MeasurementKind.WATER.value,
                history.c.reference >= consumption_since,
            )
            .group_by(history.c.property_id)
            .subquery("averages")
        )
        return (
            sa.select(
                *_place_columns(order, item, prop),
                *columns[1:],
                averages.c.average,
                prop.c.categories,
            )
            .select_from(
                joined.outerjoin(prop, prop.c.id == order.c.property_id).outerjoin(
                    averages, averages.c.property_id == order.c.property_id
                )
            )
            .where(_in_file(item, file_id, first, last))
            .order_by(item.c.sequence)
        )

    def record_rows(
        self, file_id: int, first: int, last: int, *, consumption_since: int
    ) -> Sequence[tuple[Any, ...]]:
        statement, values = self._records(file_id, first, last, consumption_since)
        with translated("field_file_item"):
            rows = self._uow.connection.execute(statement, values).all()
        return [_record_row(row) for row in rows]

    def record_pages(
        self, file_id: int, *, consumption_since: int, size: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        # one statement for the whole file, fetched ``size`` rows at a time
        # (a server-side cursor on PostgreSQL): the store plans the file once
        # instead of paying each page's fixed scans, and memory follows the page
        statement, values = self._records(file_id, None, None, consumption_since)
        # the options on this statement alone: ``Connection.execution_options``
        # would keep streaming every later statement of the unit of work (a
        # download writes the file in the same transaction)
        options = {"stream_results": True, "yield_per": size}
        with translated("field_file_item"):
            result = self._uow.connection.execute(
                statement, values, execution_options=options
            )
            for rows in result.partitions():
                yield [_record_row(row) for row in rows]

    def document_pages(
        self, file_id: int, *, size: int
    ) -> Iterator[Sequence[tuple[int, int]]]:
        t = self._uow.tables
        item, order = t["field_file_item"], t["service_order"]
        statement = (
            sa.select(order.c.id, order.c.collection_document_id)
            .join(item, item.c.order_id == order.c.id)
            .where(
                item.c.file_id == file_id, order.c.collection_document_id.is_not(None)
            )
            .order_by(item.c.sequence)
        )
        # the options on this statement alone: ``Connection.execution_options``
        # would keep streaming every later statement of the unit of work (a
        # download writes the file in the same transaction)
        options = {"stream_results": True, "yield_per": size}
        with translated("field_file_item"):
            result = self._uow.connection.execute(statement, execution_options=options)
            for rows in result.partitions():
                yield [(int(o), int(d)) for o, d in rows]

    def average_consumptions(
        self, property_ids: Sequence[int], since: int
    ) -> Mapping[int, int]:
        if not property_ids:
            return {}
        history = self._uow.tables["consumption_history"]
        dialect = self._uow.connection.dialect.name
        statement = (
            sa.select(history.c.property_id, sa.func.avg(history.c.billed_volume))
            .where(
                among(history.c.property_id, property_ids, dialect),
                history.c.kind == MeasurementKind.WATER.value,
                history.c.reference >= since,
            )
            .group_by(history.c.property_id)
        )
        with translated("consumption_history"):
            rows = self._uow.connection.execute(statement).all()
        return {int(p): int(average) for p, average in rows}  # volumes >= 0

    def order_states(self, file_id: int, order_ids: Sequence[int]) -> Mapping[int, int]:
        t = self._uow.tables
        item, order = t["field_file_item"], t["service_order"]
        dialect = self._uow.connection.dialect.name
        statement = (
            sa.select(order.c.id, order.c.situation)
            .join(item, item.c.order_id == order.c.id)
            .where(
                item.c.file_id == file_id, among(item.c.order_id, order_ids, dialect)
            )
        )
        with translated("field_file_item"):
            rows = self._uow.connection.execute(statement).all()
        return {int(i): int(s) for i, s in rows}

    def staged_digests(self, file_id: int, digests: Sequence[str]) -> set[str]:
        line = self._uow.tables["field_return_line"]
        dialect = self._uow.connection.dialect.name
        statement = sa.select(line.c.digest).where(
            line.c.file_id == file_id, among(line.c.digest, digests, dialect)
        )
        with translated("field_return_line"):
            return set(self._uow.connection.execute(statement).scalars())

    def eligible_orders(
        self, wanted: FieldFileFilter, *, skip_open_files: bool, limit: int | None
    ) -> Sequence[int]:
        t = self._uow.tables
        order, prop, sector, block = (
            t["service_order"],
            t["property"],
            t["sector"],
            t["block"],
        )
        item, file = t["field_file_item"], t["field_file"]
        dialect = self._uow.connection.dialect.name
        clauses: list[sa.ColumnElement[bool]] = [
            order.c.situation == int(OrderSituation.PENDING),
            prop.c.active.is_(True),
        ]
        if wanted.locality_id is not None:
            clauses.append(prop.c.locality_id == wanted.locality_id)
        if wanted.sectors is not None:
            clauses.append(sector.c.code.between(*wanted.sectors))
        if wanted.blocks is not None:
            clauses.append(block.c.number.between(*wanted.blocks))
        if wanted.service_type_ids:
            clauses.append(
                among(order.c.service_type_id, sorted(wanted.service_type_ids), dialect)
            )
        if skip_open_files:
            finished = [int(s) for s in FileSituation if s.finished]
            clauses.append(
                ~sa.select(sa.literal(1))
                .select_from(item.join(file, file.c.id == item.c.file_id))
                .where(item.c.order_id == order.c.id, file.c.situation.not_in(finished))
                .exists()
            )
        statement = (
            sa.select(order.c.id)
            .join(prop, prop.c.id == order.c.property_id)
            .join(sector, sector.c.id == prop.c.sector_id)
            .join(block, block.c.id == prop.c.block_id)
            .where(*clauses)
            .order_by(
                prop.c.locality_id, sector.c.code, block.c.number, prop.c.id, order.c.id
            )
        )
        if limit is not None:
            statement = statement.limit(limit)
        with translated("service_order"):
            return [int(i) for i in self._uow.connection.execute(statement).scalars()]

    def delete_files(self, files: Sequence[FieldFile]) -> int:
        if not files:
            return 0
        item = self._uow.tables["field_file_item"]
        file = self._uow.tables["field_file"]
        ids = [f.id for f in files]
        connection = self._uow.connection
        self._uow.wrote("field_file_item")
        self._uow.wrote("field_file")
        with translated("field_file_item"):
            items = connection.execute(sa.delete(item).where(item.c.file_id.in_(ids)))
        pairs = sa.tuple_(file.c.id, file.c.version).in_(
            [(f.id, f.version) for f in files]
        )
        with translated("field_file"):
            gone = connection.execute(
                sa.delete(file).where(pairs).returning(file.c.id)
            ).scalars()
            missing = sorted(set(ids) - {int(i) for i in gone})
        if missing:  # the caller rolls back: the items' delete with it
            first = next(f for f in files if f.id == missing[0])
            left = connection.execute(
                sa.select(file.c.id).where(file.c.id == first.id)
            ).first()
            if left is None:
                raise NotFound("field_file", first.id)
            raise ConcurrencyConflict("field_file", first.id, first.version)
        return int(items.rowcount)
