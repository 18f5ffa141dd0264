"""SQL scheduling repositories: the roteiros' date-range query, and the
programmings' day loads and day locks (issue 20, eighth round)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS, reader
from gsan_core.adapters.sqlalchemy.repositories import SqlRepository, prepared
from gsan_core.model.scheduling import Schedule, ScheduledOrder
from gsan_core.ports.scheduling import DayLoad

__all__ = ["SqlProgrammingRepository", "SqlScheduleRepository"]


class SqlProgrammingRepository(SqlRepository[ScheduledOrder]):
    """Programmings in the ``scheduled_order`` table (a command's updates of
    several rows, the rows it ends and those it renumbers, wait with its other
    writes as every repository's few-row updates do)."""

    def find_by(self, **criteria: object) -> Sequence[ScheduledOrder]:
        """As every repository's; in a unit of work that defers its writes, a
        few rows read are kept as read (``SqlUnitOfWork.read_rows``): their
        renumbering's deferred updates then set the sequence and version
        only, a statement under psycopg's 4 KiB prepared-statement limit."""
        found = super().find_by(**criteria)
        self._keep(found)
        return found

    def _keep(self, found: Sequence[ScheduledOrder], *, every: bool = False) -> None:
        """Keep ``found`` as read: a few rows of a ``find_by`` (``MOST_ROWS``),
        or a day's every row (``every``: ``load_days``, its rows bounded by a
        unit's day)."""
        keep = getattr(self._uow, "read_rows", None)
        few = every or len(found) <= MOST_ROWS
        if keep is not None and found and few and self._deferred():
            keep(self._entity, found)

    def load_days(
        self,
        unit_id: int,
        days: Sequence[date],
        *,
        teams: Sequence[int] = (),
        of_teams: Sequence[int] | None = None,
        orders: Sequence[int] = (),
        ended: bool = False,
    ) -> DayLoad:
        """One statement (built once per table and dialect): a row per team,
        per programming (with its order's type's minutes) and per roteiro,
        a ``UNION ALL`` of the three (``_load_statement``)."""
        reading = reader(self._uow, *(self._uow.tables[n] for n in _READ))
        dialect = reading.dialect.name
        every = of_teams is None
        statement = prepared(
            self._table,
            f"load_days_{dialect}_{every}_{ended}",
            lambda: _load_statement(
                self._uow.tables, dialect, every_team=every, ended=ended
            ),
        )
        params = {
            "k_unit": unit_id,
            "k_days": list(days),
            "k_teams": list(teams),
            "k_of_teams": list(of_teams or ()),
            "k_orders": list(orders),
        }
        with translated(self._entity):
            found = reading.execute(statement, params).mappings().all()
        return self._day_load(found)

    def _day_load(self, found: Sequence[Any]) -> DayLoad:
        mappers = self._uow.mappers
        rows: dict[int, ScheduledOrder] = {}
        minutes: dict[int, int] = {}
        load: dict[str, dict[Any, Any]] = {"t": {}, "s": {}}
        for r in found:
            if r["p_id"] is not None:
                row = _entity(mappers.scheduled_order, "p", r)
                rows[row.id] = row
                minutes[row.order_id] = int(r["minutes"])
            elif r["t_id"] is not None:
                team = _entity(mappers.team, "t", r)
                load["t"][team.id] = team
            elif r["s_id"] is not None:
                schedule = _entity(mappers.schedule, "s", r)
                load["s"][schedule.on] = schedule
        listed = tuple(rows[k] for k in sorted(rows))
        # every row, however many teams the unit's day has: a renumbering
        # then sets the changed columns only, one UPDATE ... FROM unnest
        # (over MOST_ROWS rows read, each row's update set every column, a
        # CTE of its own: 14.5 KiB and 293 parameters for a day of 36)
        self._keep(listed, every=True)
        return DayLoad(
            rows=listed, minutes=minutes, teams=load["t"], schedules=load["s"]
        )

    def lock_day_of(self, order_id: int, on: date, key: tuple[str, str]) -> int | None:
        """On PostgreSQL one statement takes the counter row named after the
        programming's unit (the named key: an ``INSERT ... SELECT ... ON
        CONFLICT``), then locks the order (``FOR UPDATE``), which it keeps
        for the unit of work's next lock of it (``keep_ahead``: no statement
        of its own); elsewhere the programming is read, then its key locked
        (the order is locked by the caller). ``docs/concurrency.md``: the
        key is taken before the order, and every read after this statement
        sees what the previous holders of both committed."""
        p = self._table
        connection = self._uow.connection
        if connection.dialect.name != "postgresql":
            found = self.find_by(order_id=order_id, on=on, active=True)
            if not found:
                return None
            unit_id = min(found, key=lambda row: row.id).unit_id
            self._uow.lock_key(f"{key[0]}{unit_id}{key[1]}")
            return unit_id
        tables = self._uow.tables
        statement = prepared(
            p,
            "lock_day_of",
            lambda: _lock_statement(p, tables["counter"], tables["service_order"]),
        )
        params = {
            "k_order": order_id,
            "k_on": on,
            "k_before": key[0],
            "k_after": key[1],
        }
        with translated(self._entity, order_id):
            got = connection.execute(statement, params).mappings().first()
        if got is None:
            return None
        order = _entity(self._uow.mappers.service_order, "o", got)
        self._uow.keep_ahead("service_order", ("lock", (order_id,)), {order_id: order})
        name = str(got["k_name"])
        return int(name[len(key[0]) : len(name) - len(key[1])])


#: The tables ``load_days`` reads.
_READ = ("scheduled_order", "team", "schedule", "service_order", "service_type")


def _among(column: sa.ColumnElement[Any], name: str, dialect: str) -> Any:
    """``column`` is one of the values of parameter ``name`` (``among``'s
    forms, the values bound at each call)."""
    if dialect == "postgresql":
        array = sa.bindparam(name, type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)
    return column.in_(sa.bindparam(name, expanding=True))


def _load_statement(
    tables: Mapping[str, sa.Table], dialect: str, *, every_team: bool, ended: bool
) -> Any:
    """``load_days``'s read, its values as parameters: a ``UNION ALL`` of
    the teams, the programmings (with their orders' types' minutes) and the
    roteiros, each on rows of its own with the others' columns null (a
    plain union plans faster than joins of every kind).

    Under psycopg's 4 KiB limit of the statements it converts once (issue
    20, tenth round; it was 6 KiB, converted again on every call): the
    tables under one-letter aliases, whatever their schema's name, and the
    other kinds' columns typed nulls in the first branch only (a union's
    later untyped nulls take the first branch's types; :data:`LOAD_LIMIT`)."""
    p = tables["scheduled_order"].alias("p")
    tm, s = tables["team"].alias("t"), tables["schedule"].alias("s")
    o, st = tables["service_order"].alias("o"), tables["service_type"].alias("y")
    unit = sa.bindparam("k_unit", type_=p.c.unit_id.type)
    on_days = sa.and_(p.c.unit_id == unit, _among(p.c.on, "k_days", dialect))
    if not every_team:
        on_days = sa.and_(on_days, _among(p.c.team_id, "k_of_teams", dialect))
    active = p.c.active == sa.true()
    wanted = sa.or_(
        on_days if ended else sa.and_(on_days, active),
        sa.and_(_among(p.c.order_id, "k_orders", dialect), active),
    )
    minutes = sa.func.coalesce(st.c.average_execution_minutes, 0)
    none = sa.cast(sa.null(), sa.Integer)
    teams = sa.select(
        *_prefixed("t", tm),
        *_nulls("p", p, typed=True),
        *_nulls("s", s, typed=True),
        none.label("minutes"),
    ).where(_among(tm.c.id, "k_teams", dialect))
    rows = (
        sa.select(
            *_nulls("t", tm),
            *_prefixed("p", p),
            *_nulls("s", s),
            minutes.label("minutes"),
        )
        .select_from(p)
        .outerjoin(o, o.c.id == p.c.order_id)
        .outerjoin(st, st.c.id == o.c.service_type_id)
        .where(wanted)
    )
    schedules = sa.select(
        *_nulls("t", tm), *_nulls("p", p), *_prefixed("s", s), sa.literal_column("NULL")
    ).where(s.c.unit_id == unit, _among(s.c.on, "k_days", dialect))
    return sa.union_all(teams, rows, schedules)


#: The bytes under which psycopg converts a statement once (its private
#: ``MAX_CACHED_STATEMENT_LENGTH``); ``load_days``' statement stays under it.
LOAD_LIMIT = 4_096


def _nulls(
    prefix: str, table: sa.FromClause, *, typed: bool = False
) -> list[sa.ColumnElement[Any]]:
    """``table``'s columns as nulls (the union's other kinds), typed and
    named in the union's first branch (``typed``), bare after it (a union's
    columns take the first branch's names)."""
    if typed:
        return [sa.cast(sa.null(), c.type).label(f"{prefix}_{c.key}") for c in table.c]
    return [sa.literal_column("NULL") for _ in table.c]


def _lock_statement(p: sa.Table, counter: sa.Table, o: sa.Table) -> Any:
    """PostgreSQL: the counter row named ``k_before`` + the unit of the
    order's first active programming of the day (the lowest id, as the
    other adapters take) + ``k_after``, made if missing, taken without
    moving it (``outbox.lock_key``'s upsert), as a CTE; then the order
    ``k_order`` locked, its columns labelled ``o_<key>``. The order's lock
    is the top node's (``FOR UPDATE OF``): it locks the rows the join hands
    it, and the join hands none before the CTE's upsert returned its row,
    so the key is always taken first (the roteiro, then the orders:
    ``docs/concurrency.md``). No row: no active programming (nothing
    locked) or no such order (the key taken)."""
    order = sa.bindparam("k_order", type_=p.c.order_id.type)
    name = (
        sa.bindparam("k_before", type_=sa.Text)
        + sa.cast(p.c.unit_id, sa.Text)
        + sa.bindparam("k_after", type_=sa.Text)
    )
    source = (
        sa.select(name.label("name"), sa.literal(0).label("value"))
        .where(
            p.c.order_id == order,
            p.c.on == sa.bindparam("k_on"),
            p.c.active == sa.true(),
        )
        .order_by(p.c.id)
        .limit(1)
    )
    key = (
        postgresql.insert(counter)
        .from_select(["name", "value"], source)
        .on_conflict_do_update(
            index_elements=[counter.c.name], set_={"value": counter.c.value}
        )
        .returning(counter.c.name)
        .cte("k")
    )
    return (
        sa.select(key.c.name.label("k_name"), *_prefixed("o", o))
        .select_from(key.join(o, o.c.id == order))
        .with_for_update(of=o)
    )


def _prefixed(prefix: str, table: sa.FromClause) -> list[sa.ColumnElement[Any]]:
    return [c.label(f"{prefix}_{c.key}") for c in table.c]


def _entity(mapper: Any, prefix: str, row: Any) -> Any:
    """The entity of ``mapper`` in ``row``'s columns labelled ``<prefix>_<key>``
    (the labels built once per table and prefix, not for each row)."""
    table: sa.Table = mapper.table
    labels: list[tuple[str, str]] = prepared(
        table,
        f"labels {prefix}",
        lambda: [(c.key, f"{prefix}_{c.key}") for c in table.c],
    )
    return mapper.from_row({key: row[label] for key, label in labels})


class SqlScheduleRepository(SqlRepository[Schedule]):
    """Roteiros in the ``schedule`` table (unique per unit and date)."""

    def between(self, unit_id: int, first: date, last: date) -> Sequence[Schedule]:
        t = self._table
        statement = (
            sa.select(t)
            .where(t.c.unit_id == unit_id, t.c.on.between(first, last))
            .order_by(t.c.on, t.c.id)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)
