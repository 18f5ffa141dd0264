"""A chunk of localities of a connection batch (UC1073, UC0823) written in
one statement (PostgreSQL).

After the chunk's properties in the batch's water situations are locked (one
statement for every locality of the chunk, as
:meth:`SqlConnectionBatches.candidates` does for one, so that what follows sees
what earlier holders committed), **one** statement of data-modifying CTEs
does the rest of the chunk in the database:

1. ``candidates``: the active properties of the chunk's localities in the
   situations (cut on or before the limit, read by primary key per
   property; not of an excluded profile), found by the index of (locality,
   water situation);
2. ``chosen``: those whose water consumption of the reference month is real
   and billed (UC1073; ``consumption_history`` read by primary key per
   candidate), or every candidate;
3. ``moved``: ``UPDATE ... FROM chosen`` of their water situation, and of the
   sewer situation where the coupling applies, returning each one's locality
   and situations before the move;
4. ``marked``: the water connections' reconnection date (UC1073);
5. ``steps``: one history step per change (read from ``moved``), water then
   sewer, numbered by locality then property (the ids one locality after the
   other would get);
   ``ids``: their ids reserved in ``id_block`` (an upsert, only when there
   are some); ``history``: ``INSERT ... SELECT`` of the rows;
6. the answer: per locality, the counts of candidates, chosen and moved.

Every read is in proportion to the chunk, not to the table (issue 20, fifth
round): the chunk's properties in the situations are read by the index of
``property (locality_id, water_status_id)`` (migration 0030), no CTE is joined
to another (the planner cannot estimate their sizes), and the chunk's
transaction runs with JIT off.

The statement is built once per run (the batch and the actor) and the
localities, the day and the instant are its parameters (the localities as one
array), so SQLAlchemy compiles it once and the server plans it as a prepared
statement whatever the chunk's size: a chunk of 8 localities is 2 statements,
not 16 (issue 20). SQLite has no data-modifying CTEs: there
:func:`write_water_batch` returns ``None`` and the service runs the steps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import lock_where
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.connections import (
    ConnectionKind,
    SituationChange,
    WaterBatch,
    WaterBatchWritten,
)
from gsan_core.model.consumption import MeasurementKind

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["write_water_batch"]

_HISTORY = "situation_change"
#: The history columns the statement fills per row; the others are constants.
_OWN = ("id", "property_id", "kind", "before_id")
#: The chunk's localities: one array parameter.
_LOCALITIES = "batch_localities"
#: The chunk's day and instant: parameters too, so one statement serves a run.
_TODAY, _AT = "batch_today", "batch_at"
#: The template's fields given per chunk, by history column.
_GIVEN = {"effective_on": _TODAY, "at": _AT}
_KEEP = 8
_STATEMENTS: dict[tuple[object, ...], sa.Executable] = {}
_LOCK = threading.Lock()


def write_water_batch(
    uow: SqlUnitOfWork,
    *,
    locality_ids: Sequence[int],
    batch: WaterBatch,
    today: date,
    at: datetime,
    actor: int,
) -> dict[int, WaterBatchWritten] | None:
    """The localities of ``batch`` selected and written after their lock, in
    one statement for all of them: what each one wrote, by locality (every
    locality given has its entry; PostgreSQL; ``None`` elsewhere)."""
    connection = uow.connection
    if connection.dialect.name != "postgresql":
        return None
    localities = sorted(set(locality_ids))
    written = {
        locality: WaterBatchWritten(processed=0, changed=0) for locality in localities
    }
    if not localities:
        return written
    prop = uow.tables["property"]
    # JIT off for the chunk's transaction: the statement is planned above
    # jit_above_cost at 1 million properties and compiling it cost ~100 ms of
    # a ~40 ms chunk (issue 20)
    lock_where(
        connection,
        prop,
        prop.c.locality_id.in_(localities),
        prop.c.water_status_id.in_(sorted(batch.water_status_ids)),
        jit=False,
    )
    key = (uow.tables[_HISTORY], batch, actor)
    with _LOCK:
        statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _statement(uow, batch, today=today, at=at, actor=actor)
        with _LOCK:
            _STATEMENTS[key] = statement
            while len(_STATEMENTS) > _KEEP:
                _STATEMENTS.pop(next(iter(_STATEMENTS)))
    with translated("property"):
        rows = connection.execute(
            statement, {_LOCALITIES: localities, _TODAY: today, _AT: at}
        ).all()
    for locality, processed, chosen, moved in rows:
        if moved != chosen:  # the rows are locked: only a broken lock gets here
            raise ConcurrencyConflict("property", int(locality))
        written[int(locality)] = WaterBatchWritten(
            processed=int(processed), changed=int(moved)
        )
    return written


def _statement(
    uow: SqlUnitOfWork, batch: WaterBatch, *, today: date, at: datetime, actor: int
) -> sa.Executable:
    t = uow.tables
    prop, water = t["property"], t["water_connection"]
    sources = sorted(batch.water_status_ids)
    selected = sa.select(
        prop.c.id, prop.c.locality_id, prop.c.water_status_id, prop.c.sewer_status_id
    ).where(
        prop.c.locality_id
        == sa.func.any(
            sa.bindparam(_LOCALITIES, type_=postgresql.ARRAY(sa.BigInteger))
        ),
        prop.c.active.is_(True),
        prop.c.water_status_id.in_(sources),
    )
    if batch.excluded_profile_ids:
        selected = selected.where(
            prop.c.profile_id.not_in(sorted(batch.excluded_profile_ids))
        )
    if batch.cut_on_or_before is not None:
        # a probe by primary key per candidate (a correlated scalar subquery,
        # which PostgreSQL cannot turn into a join): as a join, the planner
        # hashed every cut connection of the table in each chunk
        cut_on = (
            sa.select(water.c.cut_on).where(water.c.id == prop.c.id).scalar_subquery()
        )
        selected = selected.where(cut_on <= batch.cut_on_or_before)
    candidates = selected.cte("candidates")
    chosen = candidates
    if batch.reference is not None:
        chosen = (
            sa.select(candidates)
            .where(_real_consumption(uow, batch, candidates.c.id))
            .cte("chosen")
        )
    sewer: Any = prop.c.sewer_status_id
    if batch.sewer_from_ids:
        sewer = sa.case(
            (prop.c.sewer_status_id.in_(sorted(batch.sewer_from_ids)), batch.to_id),
            else_=prop.c.sewer_status_id,
        )
    moved = (
        sa.update(prop)
        # each chosen row by primary key, its situation checked on it (``+ 0``:
        # never read from an index, whose entries for the situation are
        # every cut property of the table; issue 20)
        .where(
            prop.c.id == chosen.c.id,
            (prop.c.water_status_id + sa.literal_column("0")).in_(sources),
        )
        .values(
            water_status_id=batch.to_id,
            sewer_status_id=sewer,
            version=prop.c.version + 1,
        )
        # the chosen row's locality and situations (before the move): the
        # history and the counts read them here, joining no CTE to another
        .returning(
            prop.c.id,
            chosen.c.locality_id,
            chosen.c.water_status_id,
            chosen.c.sewer_status_id,
        )
        .cte("moved")
    )
    history_rows = _history(uow, batch, moved, today=today, at=at, actor=actor)
    answer = _counts(candidates, chosen, moved).add_cte(history_rows)
    if batch.reference is not None:
        marked = (
            sa.update(water)
            .where(water.c.id.in_(sa.select(moved.c.id)))
            .values(
                reconnected_on=sa.bindparam(_TODAY, type_=water.c.reconnected_on.type),
                version=water.c.version + 1,
            )
            .cte("marked")
        )
        answer = answer.add_cte(marked)
    return answer


def _counts(candidates: Any, chosen: Any, moved: Any) -> sa.Select[Any]:
    """Per locality, its candidates, chosen and moved counted: one ``UNION
    ALL`` grouped, not joins of the three CTEs, whose sizes the planner cannot
    estimate (a nested loop of one CTE over another cost 0.4 s a chunk at 1
    million)."""
    one = sa.literal_column("1", sa.Integer)
    none = sa.literal_column("0", sa.Integer)
    tallies = sa.union_all(
        sa.select(
            candidates.c.locality_id,
            one.label("seen"),
            none.label("kept"),
            none.label("done"),
        ),
        sa.select(chosen.c.locality_id, none, one, none),
        sa.select(moved.c.locality_id, none, none, one),
    ).subquery("tallies")
    return sa.select(
        tallies.c.locality_id,
        sa.func.sum(tallies.c.seen),
        sa.func.sum(tallies.c.kept),
        sa.func.sum(tallies.c.done),
    ).group_by(tallies.c.locality_id)


def _real_consumption(
    uow: SqlUnitOfWork, batch: WaterBatch, property_id: Any
) -> sa.ColumnElement[bool]:
    """UC1073: the property's water consumption of the reference month is of a
    real type and billed (what the billing port's ``real_consumption`` reads).

    Its billed volume read by primary key (property, reference, kind: one row
    at most) per candidate, as a correlated scalar subquery, which PostgreSQL
    cannot turn into a join: as ``EXISTS`` the planner hashed every
    consumption of the reference month in each chunk (66 thousand rows, 10-50
    ms a chunk at 1 million properties; issue 20)."""
    c = uow.tables["consumption_history"]
    billed = (
        sa.select(c.c.billed_volume)
        .where(
            c.c.property_id == property_id,
            c.c.reference == batch.reference,
            c.c.kind == MeasurementKind.WATER.value,
            c.c.consumption_type_id.in_(sorted(batch.real_type_ids)),
        )
        .scalar_subquery()
    )
    return billed > 0


def _history(
    uow: SqlUnitOfWork,
    batch: WaterBatch,
    moved: Any,
    *,
    today: date,
    at: datetime,
    actor: int,
) -> Any:
    """The history rows of the moved properties, water then sewer, with their
    ids reserved in ``id_block`` in the same statement."""
    history, block = uow.tables[_HISTORY], uow.tables["id_block"]
    mapper = uow.mappers.situation_change
    template = SituationChange(
        id=0,
        property_id=0,
        kind=ConnectionKind.WATER,
        before_id=0,
        after_id=batch.to_id,
        effective_on=today,
        at=at,
        operation=batch.operation,
        actor=actor,
    )
    row = mapper.to_row(template)
    sewer_kind = mapper.to_row(attrs.evolve(template, kind=ConnectionKind.SEWER))[
        "kind"
    ]
    steps = _steps(history, batch, moved, water_kind=row["kind"], sewer_kind=sewer_kind)
    numbered = sa.select(
        steps,
        sa.func.row_number()
        .over(order_by=(steps.c.locality_id, steps.c.property_id, steps.c.o))
        .label("n"),
    ).cte("numbered")
    counted = sa.select(sa.func.count().label("c")).select_from(steps).cte("counted")
    ids = _ids(block, counted)
    constants = [
        (
            sa.bindparam(_GIVEN[name], type_=history.c[name].type)
            if name in _GIVEN
            else sa.literal(value, history.c[name].type)
        ).label(name)
        for name, value in row.items()
        if name not in _OWN
    ]
    return (
        sa.insert(history)
        .from_select(
            [*_OWN, *(name for name in row if name not in _OWN)],
            sa.select(
                ids.c.next_value - counted.c.c + numbered.c.n - 1,
                numbered.c.property_id,
                numbered.c.kind,
                numbered.c.before_id,
                *constants,
            ).select_from(numbered.join(counted, sa.true()).join(ids, sa.true())),
        )
        .cte("history")
    )


def _steps(
    history: sa.Table,
    batch: WaterBatch,
    moved: Any,
    *,
    water_kind: object,
    sewer_kind: object,
) -> sa.CTE:
    """The history's steps: each moved property's water change, then its
    sewer change when its sewer situation is one the batch moves."""
    branches = [
        sa.select(
            moved.c.locality_id,
            moved.c.id.label("property_id"),
            sa.literal(0).label("o"),
            sa.literal(water_kind, history.c.kind.type).label("kind"),
            moved.c.water_status_id.label("before_id"),
        )
    ]
    if batch.sewer_from_ids:
        branches.append(
            sa.select(
                moved.c.locality_id,
                moved.c.id,
                sa.literal(1),
                sa.literal(sewer_kind, history.c.kind.type),
                moved.c.sewer_status_id,
            ).where(moved.c.sewer_status_id.in_(sorted(batch.sewer_from_ids)))
        )
    return sa.union_all(*branches).cte("steps")


def _ids(block: sa.Table, counted: sa.CTE) -> sa.CTE:
    """The history's id block, taken in one upsert of its counter (when any
    step is counted): the counter's new value."""
    upsert = postgresql.insert(block).from_select(
        ["name", "next_value"],
        sa.select(sa.literal(_HISTORY), counted.c.c + 1).where(counted.c.c > 0),
    )
    return (
        upsert.on_conflict_do_update(
            index_elements=["name"],
            set_={"next_value": block.c.next_value + upsert.excluded.next_value - 1},
        )
        .returning(block.c.next_value)
        .cte("ids")
    )
