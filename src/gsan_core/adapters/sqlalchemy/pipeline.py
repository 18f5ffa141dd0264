"""Writes sent together: a command's inserts, updates and deletes in one
statement.

A unit of work that declared :meth:`~SqlUnitOfWork.defer_writes` on
PostgreSQL keeps its repositories' inserts, compare-and-set updates and
compare-and-set deletes (``DELETE ... WHERE key AND version``, issue 20's
fifth round) here instead of sending each one, and sends them as **one** statement of
data-modifying CTEs, each returning the rows it touched, when the unit of
work next reads (it reads its own writes) or commits. At the commit the same
statement also takes the outbox ids (an upsert of the ``outbox`` counter, whose
row lock is held to the commit, so ids still follow commit order) and writes
the outbox rows: a command's whole write is one round trip (issue 20).
The inserts of two or more rows of one table (with one column set) go as
**one** ``INSERT ... SELECT FROM unnest(:c1::type[], ...)`` CTE, one array
parameter per column (issue 20, round 8), and the outbox rows go as one
``INSERT ... SELECT FROM jsonb_array_elements(:o_rows)``, one JSON array of
the payloads (a single string for psycopg to send, not a ``jsonb[]`` whose
every quote its array dumper escapes): the statement's text and its
parameters no longer grow with the rows, so psycopg converts it once instead
of on every call.

Reads see the waiting writes because they are **enforced** to go through
:func:`reader` (or the unit of work's ``connection``, which sends every waiting
write first): while writes wait, a statement that names one of their tables
on the connection, not sent by the buffer itself, is refused before it
reaches the database with ``PersistenceError`` ``persistence.unsent_writes``
(an internal error: a repository read around :func:`reader`, or kept a
connection from before the writes). See :func:`watch`.

What stays true: every write of a CTE sees the snapshot the statement began
with, so a write never follows another one of the same row in one statement
(an update or a delete of a table that already has a write waiting, and an
insert of a table that has a delete waiting, send the waiting ones first); an
update or a delete that touched no row raises, after the statement, the
error its repository raises at once (``ConcurrencyConflict`` or ``NotFound``),
and a unique key broken by an insert the error of that insert's entity; the
transaction then rolls back, as it does when the error comes at once. What
changes is only *when* the error comes: at the next read or at the commit.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.util import find_tables

from gsan_core import serialization
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.statement_cache import prepared
from gsan_core.errors import PersistenceError
from gsan_core.model.events import DomainEvent

__all__ = [
    "MOST_ROWS",
    "WriteBuffer",
    "deferred_insert",
    "outbox_rows",
    "reader",
    "unnest_insert",
    "watch",
]

#: The most rows an insert (or a batch of updates) leaves waiting (a larger
#: one is sent at once). The inserts of a table are one ``unnest`` CTE
#: (:func:`_merged`), built once per table and column set, whatever the
#: number of rows; consecutive compare-and-set updates of one shape are one
#: ``UPDATE ... FROM unnest`` (:func:`_update_rows`); any other write is a
#: CTE of its own.
MOST_ROWS = 20


def deferred_insert(
    uow: object, entity: str, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> bool:
    """Leave ``rows`` of ``table`` in ``uow``'s pending writes, when it defers
    them: whether it did (if not, the caller inserts them at once)."""
    if not rows or len(rows) > MOST_ROWS or not getattr(uow, "deferring", False):
        return False
    key = rows[0].get("id") if len(rows) == 1 else [r.get("id") for r in rows][:5]
    pending: WriteBuffer = uow.pending  # type: ignore[attr-defined]
    if pending.deletes(table):
        _ = uow.connection  # type: ignore[attr-defined]  # sends the waiting writes
    pending.insert(entity, table, rows, key)
    return True


def reader(uow: object, *tables: sa.Table) -> sa.Connection:
    """``uow``'s connection for a read of ``tables`` only: the pending writes
    are sent first when one of them writes one of those tables."""
    reading = getattr(uow, "reading", None)
    if reading is None:
        return uow.connection  # type: ignore[attr-defined, no-any-return]
    return reading(*tables)  # type: ignore[no-any-return]


#: The waiting writes of each connection whose unit of work defers them.
_WAITING: weakref.WeakKeyDictionary[sa.Connection, WriteBuffer] = (
    weakref.WeakKeyDictionary()
)


def watch(connection: sa.Connection, pending: WriteBuffer | None) -> WriteBuffer | None:
    """Refuse, on ``connection``, a statement naming a table ``pending``
    writes while they wait (``None``: stop watching); the buffer it watched
    before is returned, for a unit of work joined to a host's connection to
    give back on leaving."""
    engine = connection.engine
    if not sa_event.contains(engine, "before_execute", _refuse_unsent):
        sa_event.listen(engine, "before_execute", _refuse_unsent)
    before = _WAITING.pop(connection, None)
    if pending is not None:
        _WAITING[connection] = pending
    return before


def _refuse_unsent(
    connection: sa.Connection, clause: object, *_args: object, **_kwargs: object
) -> None:
    pending = _WAITING.get(connection)
    if not pending or not isinstance(clause, sa.ClauseElement):
        return  # nothing waits, or a text statement (its tables are unknown)
    named = set(find_tables(clause, check_columns=True, include_crud=True))
    waiting = sorted({w.table.name for w in pending.writes if w.table in named})
    if waiting:
        msg = (
            f"internal error: a statement names {', '.join(waiting)} while writes "
            "to it wait unsent (read through pipeline.reader())"
        )
        raise PersistenceError(msg, kind="unsent_writes")


#: The kinds of write: an INSERT, an UPDATE ... WHERE key AND version, a
#: DELETE ... WHERE key AND version, and the inserts of several rows of one
#: table merged into one ``INSERT ... SELECT FROM unnest(...)`` when sent.
INSERT, UPDATE, DELETE, ROWS = "insert", "update", "delete", "rows"


@attrs.define
class _Write:
    entity: str
    table: sa.Table
    kind: str  # INSERT, UPDATE or DELETE
    values: dict[str, Any]  # column key -> value (none for a delete)
    key: object
    expected: int | None  # rows it must touch (None: any)
    on_short: Callable[[], None] | None  # raises the repository's error
    #: the update's key and expected version, and their columns (no version
    #: column, ``""``: the row must exist, a table without versions)
    where: tuple[object, object] = (None, None)
    columns: tuple[str, str] = ("id", "version")

    def shape(self) -> tuple[object, ...]:
        return (self.kind, self.table, tuple(self.values), self.columns)

    def params(self, i: int) -> dict[str, Any]:
        # (ROWS: each column's values, one list, bound as one array)
        found = {f"w{i}_{c}": v for c, v in self.values.items()}
        if self.kind != INSERT:
            found[f"w{i}__k"] = self.where[0]
            if self.columns[1]:
                found[f"w{i}__e"] = self.where[1]
        return found


#: Statements built once per shape (the tables written, in order, their
#: columns and the number of events): SQLAlchemy then compiles each once.
_BUILT: dict[tuple[object, ...], sa.Select[Any]] = {}
_MOST_BUILT = 512


@attrs.define
class WriteBuffer:
    """The writes a unit of work has not sent yet."""

    writes: list[_Write] = attrs.Factory(list)

    def __bool__(self) -> bool:
        return bool(self.writes)

    def clear(self) -> None:
        self.writes = []

    def touches(self, *tables: sa.Table) -> bool:
        return any(w.table in tables for w in self.writes)

    def deletes(self, table: sa.Table) -> bool:
        """Whether a delete of ``table`` waits (an insert of the table must
        not join it: it would not see the row gone)."""
        return any(w.table is table and w.kind == DELETE for w in self.writes)

    def insert(
        self, entity: str, table: sa.Table, rows: Sequence[dict[str, Any]], key: object
    ) -> None:
        for row in rows:
            self.writes.append(
                _Write(
                    entity=entity,
                    table=table,
                    kind=INSERT,
                    values=dict(row),
                    key=key,
                    expected=None,
                    on_short=None,
                )
            )

    def update(
        self,
        *,
        entity: str,
        table: sa.Table,
        values: dict[str, Any],
        where: tuple[object, object],
        columns: tuple[str, str],
        on_short: Callable[[], None],
    ) -> None:
        self.writes.append(
            _Write(
                entity=entity,
                table=table,
                kind=UPDATE,
                values=values,
                key=where[0],
                expected=1,
                on_short=on_short,
                where=where,
                columns=columns,
            )
        )

    def delete(
        self,
        *,
        entity: str,
        table: sa.Table,
        where: tuple[object, object],
        columns: tuple[str, str],
        on_short: Callable[[], None],
    ) -> None:
        """A compare-and-set delete of the row whose key and version are
        ``where`` (``columns``): it must delete one row, else ``on_short``
        raises the repository's error after the statement."""
        self.writes.append(
            _Write(
                entity=entity,
                table=table,
                kind=DELETE,
                values={},
                key=where[0],
                expected=1,
                on_short=on_short,
                where=where,
                columns=columns,
            )
        )

    def statement(self, outbox: _Events | None) -> sa.Select[Any]:
        """One SELECT of the count of every write's touched rows, the writes
        as its CTEs (and the outbox's, when given, the last ones), with bound
        parameters ``w<i>_<column>``: built once per shape. Consecutive
        updates of one shape are one CTE (:func:`_groups`)."""
        shape = (
            tuple(_group_shape(g) for g in _groups(self.writes)),
            None if outbox is None else (outbox.counter, outbox.table),
        )
        built = _BUILT.get(shape)
        if built is None:
            if len(_BUILT) >= _MOST_BUILT:
                _BUILT.clear()
            built = _BUILT[shape] = self._build(outbox)
        return built

    def _build(self, outbox: _Events | None) -> sa.Select[Any]:
        counts: list[Any] = []
        groups = _groups(self.writes)
        ctes = [
            _dml(i, g[0]) if len(g) == 1 else _update_rows(i, g[0])
            for i, g in enumerate(groups)
        ]
        if outbox is not None:
            ctes += outbox.statements()
        for i, dml in enumerate(ctes):
            cte = dml.cte(f"w{i}")
            if i < len(groups) and len(groups[i]) > 1:  # the keys it updated
                found: Any = sa.func.array_agg(cte.c[0])
            else:
                found = sa.func.count()
            counts.append(sa.select(found).select_from(cte).scalar_subquery())
        return sa.select(*counts)

    def send(self, connection: sa.Connection, outbox: _Events | None = None) -> None:
        """Send the writes (and ``outbox``) as one statement; raise the error
        of the first write that touched fewer rows than it must."""
        writes, self.writes = self.writes, []
        if not writes and outbox is None:
            return
        writes = _merged(writes)
        pending = WriteBuffer(writes)
        statement = pending.statement(outbox)
        groups = _groups(writes)
        params: dict[str, Any] = {}
        for i, group in enumerate(groups):
            params |= group[0].params(i) if len(group) == 1 else _arrays(i, group)
        if outbox is not None:
            params |= outbox.params()
        try:
            with translated("statement"):
                try:
                    counts = connection.execute(statement, params).one()
                except sa_exc.IntegrityError as error:
                    raise _owner(writes, error) from error
        except _Owned as owned:
            with translated(owned.write.entity, owned.write.key):
                raise owned.error from None
        for group, count in zip(groups, counts, strict=False):
            if len(group) > 1:
                done = set(count or ())
                short = [w for w in group if w.where[0] not in done]
            else:
                short = [w for w in group if w.expected not in (None, count)]
            if short:
                assert short[0].on_short is not None
                short[0].on_short()


def _mergeable(write: _Write) -> bool:
    """Whether ``write`` may share one ``UPDATE ... FROM unnest(...)`` with
    the updates of its shape: a compare-and-set update whose columns are
    plain types (an array of each is bound)."""
    if write.kind != UPDATE or not write.columns[1]:
        return False
    t = write.table
    names = (*write.values, *write.columns)
    return all(_plain(t.c[c].type) for c in names)


#: The column types bound as arrays of them (:func:`_update_rows`).
_PLAIN = (sa.Integer, sa.Boolean, sa.String, sa.Date, sa.DateTime, sa.Numeric)


def _plain(kind: sa.types.TypeEngine[Any]) -> bool:
    """A scalar type of its own (no decorator, enum, JSON or array)."""
    return isinstance(kind, _PLAIN) and not isinstance(
        kind, sa.types.TypeDecorator | sa.Enum
    )


def _groups(writes: Sequence[_Write]) -> list[list[_Write]]:
    """The writes in order, consecutive mergeable updates of one shape (a
    day's renumbering: each row's sequence and version) together."""
    groups: list[list[_Write]] = []
    for write in writes:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and _mergeable(write)
            and _mergeable(last)
            and last.shape() == write.shape()
        ):
            groups[-1].append(write)
        else:
            groups.append([write])
    return groups


def _group_shape(group: Sequence[_Write]) -> tuple[object, ...]:
    """A group's part of the statement's shape (a merged group's text does
    not depend on its number of rows)."""
    return (len(group) > 1, *group[0].shape()) if len(group) > 1 else group[0].shape()


def _update_rows(i: int, write: _Write) -> Any:
    """The compare-and-set ``UPDATE`` of several rows of ``write``'s shape:
    ``FROM unnest`` of one array parameter per column (``w<i>_<column>``,
    ``w<i>__k``, ``w<i>__e``), returning the keys it updated."""
    t = write.table
    key, version = write.columns
    names = ["_k", "_e", *(f"c_{c}" for c in write.values)]
    arrays = [
        _array(f"w{i}__k", t.c[key]),
        _array(f"w{i}__e", t.c[version]),
        *(_array(f"w{i}_{c}", t.c[c]) for c in write.values),
    ]
    rows = sa.func.unnest(*arrays).table_valued(*names).render_derived()
    return (
        sa.update(t)
        .where(t.c[key] == rows.c._k, t.c[version] == rows.c._e)
        .values({c: rows.c[f"c_{c}"] for c in write.values})
        .returning(t.c[key])
    )


def _arrays(i: int, group: Sequence[_Write]) -> dict[str, Any]:
    """The array parameters of a merged group (:func:`_update_rows`)."""
    found: dict[str, Any] = {
        f"w{i}__k": [w.where[0] for w in group],
        f"w{i}__e": [w.where[1] for w in group],
    }
    for c in group[0].values:
        found[f"w{i}_{c}"] = [w.values[c] for w in group]
    return found


def _merged(writes: list[_Write]) -> list[_Write]:
    """``writes`` with the inserts of a table and a column set, when two or
    more, as one ``ROWS`` write in the place of the first (its entity and
    key): the rows in the order they came, each column's values one list.
    Every CTE sees the statement's snapshot, so which CTE writes a row does
    not change what is written."""
    groups: dict[tuple[sa.Table, tuple[str, ...]], list[_Write]] = {}
    for write in writes:
        if write.kind == INSERT:
            groups.setdefault((write.table, tuple(write.values)), []).append(write)
    if all(len(group) < 2 for group in groups.values()):
        return writes
    merged: list[_Write] = []
    for write in writes:
        group = groups.get((write.table, tuple(write.values)), [])
        if write.kind != INSERT or len(group) < 2:
            merged.append(write)
        elif group[0] is write:
            columns = tuple(write.values)
            values = {c: [w.values[c] for w in group] for c in columns}
            merged.append(attrs.evolve(write, kind=ROWS, values=values))
    return merged


def _array(name: str, column: sa.Column[Any]) -> Any:
    """The bound list ``name`` of ``column``'s values as one array parameter,
    cast to the column's type (``:name::BIGINT[]``: psycopg's dialect writes
    the cast of a typed array parameter), each value converted as the column
    converts one (an aware datetime to UTC, a JSON value, a decimal). One
    dimension, so that a JSON list stays one value; a string unbounded, so
    that a value too long is refused by the insert, as a row's is, and not cut
    by the cast."""
    item = column.type
    if isinstance(item, sa.String) and item.length is not None:
        item = sa.String()
    return sa.bindparam(name, type_=postgresql.ARRAY(item, dimensions=1))


def _unnest_insert(i: int, table: sa.Table, columns: tuple[str, ...]) -> Any:
    """``INSERT INTO table (columns) SELECT ... FROM unnest(:w<i>_<c>::type[],
    ...)``: the rows as one array parameter per column, whatever their number
    (PostgreSQL); ``unnest`` gives them in the arrays' order."""
    arrays = [_array(f"w{i}_{c}", table.c[c]) for c in columns]
    rows = sa.func.unnest(*arrays).table_valued(*columns).render_derived(name=f"r{i}")
    return (
        sa.insert(table)
        .from_select(list(columns), sa.select(*[rows.c[c] for c in columns]))
        .returning(sa.literal_column("1"))
    )


def unnest_insert(
    table: sa.Table, rows: Sequence[dict[str, Any]]
) -> tuple[Any, dict[str, Any]]:
    """``rows`` (all of one column set) as one ``INSERT ... SELECT FROM
    unnest(...)`` of one array per column, and its parameters (PostgreSQL):
    the statement built once per table and column set, its text the same
    whatever the number of rows (an ``executemany`` of 100 charges sent
    100 statements' worth of parameters through psycopg's pipeline)."""
    columns = tuple(rows[0])
    statement = prepared(
        table,
        f"unnest_insert:0:{','.join(columns)}",
        lambda: _unnest_insert(0, table, columns),
    )
    return statement, {f"w0_{c}": [r[c] for r in rows] for c in columns}


def _dml(i: int, write: _Write) -> Any:
    t = write.table
    if write.kind == ROWS:
        columns = tuple(write.values)
        return prepared(
            t,
            f"unnest_insert:{i}:{','.join(columns)}",
            lambda: _unnest_insert(i, t, columns),
        )
    values: dict[str, Any] = {c: sa.bindparam(f"w{i}_{c}") for c in write.values}
    if write.kind == INSERT:
        return sa.insert(t).values(values).returning(sa.literal_column("1"))
    key, version = write.columns
    matched = [t.c[key] == sa.bindparam(f"w{i}__k")]
    if version:
        matched.append(t.c[version] == sa.bindparam(f"w{i}__e"))
    if write.kind == DELETE:
        return sa.delete(t).where(*matched).returning(sa.literal_column("1"))
    return sa.update(t).where(*matched).values(values).returning(sa.literal_column("1"))


class _Owned(Exception):
    """Carries an integrity error to its write (never leaves this module)."""

    def __init__(self, write: _Write, error: sa_exc.IntegrityError) -> None:
        super().__init__()
        self.write, self.error = write, error


def _owner(writes: Sequence[_Write], error: sa_exc.IntegrityError) -> Exception:
    """The write whose table the database named in ``error`` (the first
    insert when it named none): its entity and key go with the error."""
    diag = getattr(error.orig, "diag", None)
    table = getattr(diag, "table_name", None)
    for write in writes:
        if write.table.name == table:
            return _Owned(write, error)
    inserts = [w for w in writes if w.kind == INSERT]
    return _Owned(inserts[0], error) if inserts else error


@attrs.define
class _Events:
    """The outbox's writes for one statement: the counter ``outbox`` moved by
    the number of events (an upsert: made on a fresh store), and one insert a
    row numbered from its new value, ids as :func:`~.outbox.take_numbers`
    gives."""

    counter: sa.Table
    table: sa.Table
    events: Sequence[DomainEvent]

    @property
    def n(self) -> int:
        return len(self.events)

    def statements(self) -> list[Any]:
        counter, outbox = self.counter, self.table
        # constants written into the text, not bound: psycopg converts a
        # statement of more than 50 parameters anew on every call
        bump = (
            postgresql.insert(counter)
            .values(name=sa.literal_column("'outbox'"), value=sa.bindparam("o_n"))
            .on_conflict_do_update(
                index_elements=[counter.c.name],
                set_={"value": counter.c.value + sa.bindparam("o_n")},
            )
            .returning(counter.c.value)
            .cte("outbox_counter")
        )
        last = sa.select(bump.c.value).scalar_subquery()
        return [_outbox_rows(outbox, last).add_cte(bump)]

    def params(self) -> dict[str, Any]:
        # one JSON array of the payloads (one ``json.dumps``): as an array
        # parameter per column, psycopg's text array dumper escaped every
        # quote of every payload, a cost of every command's write
        rows = serialization.to_dicts(self.events)
        return {"o_n": self.n, "o_rows": json.dumps(rows)}


def _outbox_rows(outbox: sa.Table, last: Any) -> Any:
    """The outbox rows of ``o_rows``, one JSON array of the payloads, in one
    ``INSERT ... SELECT FROM jsonb_array_elements(...) WITH ORDINALITY``
    (PostgreSQL): the ``k``-th of ``o_n`` rows numbered ``last - o_n + k``,
    so the ids follow the events' order; the tag, the instant and the actor
    read from each payload (``to_dict`` writes them under ``type``,
    ``occurred_at`` and ``actor``), as :func:`.outbox.write` reads them."""

    def build() -> Any:
        rows = sa.bindparam("o_rows", type_=sa.Text)
        return (
            sa.func.jsonb_array_elements(sa.cast(rows, JSONB))
            .table_valued(sa.column("r", JSONB), with_ordinality="k")
            .render_derived(name="e")
        )

    rows = prepared(outbox, "outbox_rows", build)
    number = last - sa.bindparam("o_n", type_=sa.BigInteger) + rows.c.k
    r = rows.c.r
    return (
        sa.insert(outbox)
        .from_select(
            ["id", "tag", "occurred_at", "actor", "payload", "published_at"],
            sa.select(
                number,
                r[serialization.TAG].astext,
                sa.cast(r["occurred_at"].astext, sa.DateTime(timezone=True)),
                sa.cast(r["actor"].astext, sa.BigInteger),
                r,
                sa.null(),
            ),
        )
        .returning(outbox.c.id)
    )


def outbox_rows(
    counter: sa.Table, outbox: sa.Table, events: Sequence[DomainEvent]
) -> _Events:
    """The outbox's writes of ``events`` for :meth:`WriteBuffer.send`."""
    return _Events(counter, outbox, list(events))
