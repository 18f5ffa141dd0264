"""SQL repositories: Core statements, explicit mappers, compare-and-set updates."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.mappers import (
    RowMapper,
    decode_attributes,
    encode_attributes,
)
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS, reader
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.adapters.sqlalchemy.statement_cache import (
    bound_values,
    bound_where,
    criteria_shape,
    prepared,
)
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.catalog import CatalogItem, Reference
from gsan_core.model.collection import (
    CutCriteria,
    CutFact,
    CutOrdersWritten,
    CutOrderTemplate,
    CutSelection,
)
from gsan_core.model.properties import LocationLinks, Property

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = [
    "CHUNK",
    "SqlCatalogRepository",
    "SqlCollectionQueries",
    "SqlLocationQueries",
    "SqlPropertyRepository",
    "SqlRepository",
    "among",
    "chunks",
    "lock_where",
    "prepared",
    "where",
]

E = TypeVar("E")
T = TypeVar("T")
#: Rows per statement in set-based reads and writes.
CHUNK = 1_000
#: Ids per statement when they travel as one PostgreSQL array parameter.
ARRAY_CHUNK = 50_000


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Lists of at most ``size`` values."""
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def _is_collection(value: object) -> bool:
    return isinstance(value, Collection) and not isinstance(value, str | bytes)


def among(
    column: sa.ColumnElement[Any], values: Iterable[Any], dialect: str
) -> sa.ColumnElement[bool]:
    """``column`` is one of ``values``.

    On PostgreSQL it is ``= ANY(:array)``: one parameter, so the statement text
    does not depend on how many values there are and the server parses and plans
    it once; ``IN (...)`` elsewhere.
    """
    listed = list(values)
    if dialect == "postgresql":
        array = sa.bindparam(None, listed, type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)
    return column.in_(listed)


def id_batches(
    connection: sa.Connection, column: sa.ColumnElement[Any], ids: Iterable[int]
) -> Iterator[sa.ColumnElement[bool]]:
    """``column`` among ``ids``, one clause per statement (:func:`among` per chunk;
    bigger chunks on PostgreSQL, where a chunk is a single array parameter)."""
    dialect = connection.dialect.name
    size = ARRAY_CHUNK if dialect == "postgresql" else CHUNK
    for batch in chunks(ids, size):
        yield among(column, batch, dialect)


def lock_where(
    connection: sa.Connection,
    table: sa.Table,
    *clauses: sa.ColumnElement[bool],
    jit: bool = True,
) -> None:
    """Lock the rows of ``table`` matching ``clauses`` until the transaction ends
    (``SELECT id ... ORDER BY id FOR UPDATE``), before a set-based read decides
    about them: its own statement, so that the read that follows sees what the
    previous holders committed. Only their count comes back (a chunk's
    thousands of ids are not sent to the client for nothing). Nothing to do
    on SQLite, whose writing transaction holds the database's write lock.

    ``jit=False`` also turns PostgreSQL's JIT compilation off for the rest of
    the transaction (``set_config('jit', 'off', true)`` in the same statement,
    no round trip more): for a batch chunk whose statement is planned above
    ``jit_above_cost`` but runs in tens of milliseconds, where compiling costs
    more than it saves (issue 20)."""
    if connection.dialect.name == "sqlite":
        return
    locked = (
        sa.select(table.c.id)
        .where(*clauses)
        .order_by(table.c.id)
        .with_for_update()
        .subquery("locked")
    )
    columns: list[sa.ColumnElement[Any]] = [sa.func.count()]
    if not jit and connection.dialect.name == "postgresql":
        columns.append(sa.func.set_config("jit", "off", sa.true()))
    statement = sa.select(*columns).select_from(locked)
    with translated(table.name):
        connection.execute(statement)


def where(
    table: sa.Table, criteria: Mapping[str, object], dialect: str = "sqlite"
) -> list[sa.ColumnElement[bool]]:
    """``column == value`` (:func:`among` for a collection) for each criterion."""
    clauses: list[sa.ColumnElement[bool]] = []
    for name, value in criteria.items():
        column = table.c[name]
        if _is_collection(value):
            clauses.append(among(column, value, dialect))  # type: ignore[arg-type]
        elif value is None:
            clauses.append(column.is_(None))
        else:
            clauses.append(column == value)
    return clauses


class SqlRepository(Generic[E]):
    """Storage of one aggregate type in one table keyed by ``id``."""

    def __init__(self, uow: SqlUnitOfWork, mapper: RowMapper[E], entity: str) -> None:
        self._uow = uow
        self._mapper = mapper
        self._table = mapper.table
        self._entity = entity
        #: The key and version columns (``id`` / ``version`` unless the mapper
        #: maps the aggregate onto someone else's table).
        self._key, self._ver = mapper.key_columns
        #: The compare-and-set update, built once per backend by the mapper.
        self._update = mapper.cas_update

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    @property
    def _read(self) -> sa.Connection:
        """The connection for a read of this table alone (pending writes of
        other tables may wait: ``pipeline.py``)."""
        return reader(self._uow, self._table)

    def _select(self, *clauses: sa.ColumnElement[bool]) -> list[E]:
        statement = sa.select(self._table).where(*clauses).order_by(self._key)
        with translated(self._entity):
            rows = self._read.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def get(self, id: int) -> E:
        found = self.find(id)
        if found is None:
            raise NotFound(self._entity, id)
        return found

    def _ahead(self, key: object) -> Any:
        """What the unit of work read ahead for ``key`` (``read_ahead.py``),
        or ``MISSING``."""
        take = getattr(self._uow, "take_ahead", None)
        return MISSING if take is None else take(self._entity, key)

    def find(self, id: int) -> E | None:
        ahead = self._ahead(("id", id))
        if ahead is not MISSING:
            return cast("E | None", ahead)
        cache = self._uow.reference_cache(self._entity)
        if cache is not None:
            hit = cache.get(self._entity, id)
            if hit is not MISSING:
                return cast("E | None", hit)
            generation = cache.generation(self._entity)
        with translated(self._entity):
            row = (
                self._read.execute(self._mapper.select_by_id, {"id": id})
                .mappings()
                .first()
            )
        found = None if row is None else self._mapper.from_row(row)
        if cache is not None:
            cache.put(self._entity, id, found, generation)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found: dict[int, E] = {}
        cache = self._uow.reference_cache(self._entity)
        if cache is not None:
            wanted = set(ids)
            for ident in list(wanted):
                hit = cache.get(self._entity, ident)
                if hit is not MISSING:
                    wanted.discard(ident)
                    if hit is not None:
                        found[ident] = hit
            generation = cache.generation(self._entity)
            for entity in self._get_many(wanted).values():
                ident = entity.id  # type: ignore[attr-defined]
                found[ident] = entity
                cache.put(self._entity, ident, entity, generation)
            return found
        return self._get_many(ids)

    def _get_many(self, ids: Iterable[int]) -> dict[int, E]:
        found: dict[int, E] = {}
        for batch in chunks(set(ids)):
            for entity in self._select(
                among(self._key, batch, self._read.dialect.name)
            ):
                found[entity.id] = entity  # type: ignore[attr-defined]
        return found

    def find_by(self, **criteria: object) -> Sequence[E]:
        if all(isinstance(v, int | str | None) for v in criteria.values()):
            ahead = self._ahead(("by", tuple(sorted(criteria.items()))))
            if ahead is not MISSING:
                return cast("Sequence[E]", ahead)
        statement = self._by(("by",), criteria)
        with translated(self._entity):
            rows = self._read.execute(statement, bound_values(criteria))
            return self._mapper.from_rows(rows.mappings().all())

    def _by(
        self, kind: tuple[str, ...], criteria: Mapping[str, object]
    ) -> sa.Select[Any]:
        """The statement of ``find_by`` (``kind`` ``("by",)``) or ``count_by``
        (``("count",)``) over ``criteria``, built once per table, dialect and
        criteria's shape: its values bound (:func:`_bound_values`)."""
        t = self._table
        dialect = self._read.dialect.name
        shape = criteria_shape(criteria)

        def build() -> sa.Select[Any]:
            clauses = bound_where(t, shape, dialect)
            if kind[0] == "count":
                return sa.select(sa.func.count()).select_from(t).where(*clauses)
            return sa.select(t).where(*clauses).order_by(self._key)

        return prepared(t, f"{kind[0]}:{dialect}:{shape}", build)

    def lock(self, id: int) -> E:
        ahead = self._ahead(("lock", (id,)))
        if ahead is not MISSING:
            # read ahead after the same lock (read_ahead.py); a row not kept
            # is locked (and looked for) the usual way
            found = cast("Mapping[int, E]", ahead).get(id)
            if found is not None:
                return found
        with translated(self._entity, id):
            row = (
                self._read.execute(self._mapper.lock_by_id, {"id": id})
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(self._entity, id)
        return self._mapper.from_row(row)

    def lock_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        wanted = sorted(set(ids))
        ahead = self._ahead(("lock", tuple(wanted)))
        if ahead is not MISSING:
            return cast("Mapping[int, E]", ahead)
        found: dict[int, E] = {}
        t = self._table
        key = self._key
        dialect = self._read.dialect.name

        def build() -> sa.Select[Any]:
            # built once per table and dialect (issue 20, ninth round)
            among = bound_where(t, [(key.key, "many")], dialect)
            return sa.select(t).where(*among).order_by(key).with_for_update()

        statement = prepared(t, f"lock_many:{dialect}", build)
        for batch in chunks(wanted):
            with translated(self._entity):
                rows = (
                    self._read.execute(statement, {f"w_{key.key}": batch})
                    .mappings()
                    .all()
                )
            for entity in self._mapper.from_rows(rows):
                found[entity.id] = entity  # type: ignore[attr-defined]
        return found

    def remove(self, entity: E) -> None:
        """Delete ``entity`` (compare-and-set on its version); in a unit of
        work that defers its writes, the delete waits with them
        (``pipeline.py``) and its error comes when they are sent."""
        self._uow.wrote(self._entity)
        ident, version = entity.id, entity.version  # type: ignore[attr-defined]
        if self._deferred():
            pending = self._uow.pending
            if pending.touches(self._table):
                _ = self._conn  # the row's earlier write goes first
            pending.delete(
                entity=self._entity,
                table=self._table,
                where=(ident, version),
                columns=(self._key.key, self._ver.key),
                on_short=lambda: self._removal_failed(ident, version),
            )
            return
        with translated(self._entity, ident):
            result = self._conn.execute(
                self._mapper.cas_delete, {"k_id": ident, "k_expected": version}
            )
        if result.rowcount != 1:
            self._removal_failed(ident, version)

    def _removal_failed(self, ident: int, version: int) -> None:
        """Raise for a compare-and-set delete that deleted nothing."""
        if self.find(ident) is None:
            raise NotFound(self._entity, ident)
        raise ConcurrencyConflict(self._entity, ident, version)

    def count_by(self, **criteria: object) -> int:
        if all(isinstance(v, int | str | None) for v in criteria.values()):
            ahead = self._ahead(("count", tuple(sorted(criteria.items()))))
            if ahead is not MISSING:
                return cast("int", ahead)
        statement = self._by(("count",), criteria)
        with translated(self._entity):
            return int(
                self._conn.execute(statement, bound_values(criteria)).scalar_one()
            )

    def _deferred(self) -> bool:
        """Whether this write may wait in the unit of work's pending writes
        (``pipeline.py``): a unit of work that defers, a table of the library's
        own (no columns stamped or left alone by the mapper)."""
        mapper = self._mapper
        return (
            getattr(self._uow, "deferring", False)
            and not mapper.touch
            and mapper.writable is None
        )

    def add(self, entity: E) -> None:
        row = self._mapper.to_row(entity)
        self._uow.wrote(self._entity, [(row, entity)])
        if self._deferred():
            key = row[self._mapper.id_column]
            self._insert_later([row], key)
            return
        with translated(self._entity, getattr(entity, "id", None)):
            self._conn.execute(sa.insert(self._table), [row])

    def add_many(self, entities: Iterable[E]) -> None:
        self._uow.wrote(self._entity)
        for batch in chunks(entities, 5 * CHUNK):
            rows = self._mapper.to_rows(batch)
            if rows and self._deferred() and len(rows) <= MOST_ROWS:
                k = self._mapper.id_column
                key = rows[0][k] if len(rows) == 1 else [r[k] for r in rows][:5]
                self._insert_later(rows, key)
                continue
            # One row: its id, as add() and the memory adapter report it; a batch
            # cannot tell which row collided, so the first ids stand for it.
            k = self._mapper.id_column
            key = rows[0][k] if len(rows) == 1 else [r[k] for r in rows][:5]
            with translated(self._entity, key):
                self._conn.execute(sa.insert(self._table), rows)

    def _insert_later(self, rows: list[dict[str, Any]], key: object) -> None:
        """Leave the insert of ``rows`` in the pending writes (a delete of the
        table waiting goes first: the insert would not see its row gone)."""
        pending = self._uow.pending
        if pending.deletes(self._table):
            _ = self._conn  # sends the waiting writes
        pending.insert(self._entity, self._table, rows, key)

    def _params(self, entity: E, row: dict[str, Any] | None = None) -> dict[str, Any]:
        row = self._mapper.to_row(entity) if row is None else row
        k, v = self._mapper.id_column, self._mapper.version_column
        params = {f"v_{key}": value for key, value in row.items() if key != k}
        params["k_id"] = row[k]
        params["k_expected"] = row[v] - 1
        params.setdefault("v_version", row[v])
        return params

    def update(self, entity: E) -> None:
        row = self._mapper.to_row(entity)
        params = self._params(entity, row)
        if self._deferred():
            self._defer_update(params)  # compared with the row as read first
            self._uow.wrote(self._entity, [(row, entity)])
            return
        self._uow.wrote(self._entity, [(row, entity)])
        with translated(self._entity, params["k_id"]):
            result = self._conn.execute(self._update, params)
        if result.rowcount != 1:
            self._conflict([params])

    def _defer_update(self, params: dict[str, Any]) -> None:
        """The compare-and-set update left in the pending writes, with its
        values bound (a statement of its own within the CTEs)."""
        if self._uow.pending.touches(self._table):
            # a second write of a table in one statement would not see the first
            _ = self._conn  # sends the waiting writes
        self._pend(params)

    def _defer_all(self, params: Sequence[dict[str, Any]]) -> bool:
        """Leave the compare-and-set updates ``params`` of distinct rows in the
        pending writes, when the unit of work defers them and they are at most
        ``MOST_ROWS``: whether it did (else the caller sends them at once)."""
        keys = {p["k_id"] for p in params}
        if not params or len(params) > MOST_ROWS or len(keys) != len(params):
            return False
        if not self._deferred():
            return False
        if self._uow.pending.touches(self._table):
            _ = self._conn  # as _defer_update: a waiting row would not be seen
        for p in params:
            self._pend(p)
        return True

    def _pend(self, params: dict[str, Any]) -> None:
        values = {
            c.key: params[f"v_{c.key}"]
            for c in self._table.c
            if f"v_{c.key}" in params and c.key != self._key.key
        }
        values = self._changed(params["k_id"], params["k_expected"], values)
        self._uow.pending.update(
            entity=self._entity,
            table=self._table,
            values=values,
            where=(params["k_id"], params["k_expected"]),
            columns=(self._key.key, self._ver.key),
            on_short=lambda: self._conflict([params]),
        )

    def _changed(
        self, ident: object, expected: int, values: dict[str, Any]
    ) -> dict[str, Any]:
        """Of ``values``, those that differ from the row as this unit of work
        read it (its version the expected one: the compare-and-set then
        guarantees the stored row is that one), and the version; all of
        them when the row was not read ahead. An update of the columns that
        change sends a third of the parameters, which psycopg then converts
        once and not on every call (issue 20, fifth round)."""
        as_read = getattr(self._uow, "as_read", None)
        before = None if as_read is None else as_read(self._entity, ident)
        if before is None or getattr(before, "version", None) != expected:
            return values
        old = self._mapper.to_row(before)
        version = self._ver.key
        return {
            k: v
            for k, v in values.items()
            if k == version or k not in old or old[k] != v
        }

    def update_many(self, entities: Iterable[E]) -> None:
        entities = list(entities)
        if len(entities) == 1 and self._deferred():
            self.update(entities[0])  # one write: it may wait with the others
            return
        if 1 < len(entities) <= MOST_ROWS and self._deferred():
            # a few rows (a visit's return lines, a team's day): each a
            # compare-and-set of its own waiting with the others, sent in the
            # commit's statement (issue 20, round 7: a statement of their own)
            rows = [(self._mapper.to_row(e), e) for e in entities]
            if self._defer_all([self._params(e, row) for row, e in rows]):
                self._uow.wrote(self._entity, rows)
                return
        self._uow.wrote(self._entity)
        for batch in chunks(entities, CHUNK):
            params = [self._params(e) for e in batch]
            with translated(self._entity):
                result = self._conn.execute(self._update, params)
            if result.rowcount != len(params):
                self._conflict(params)

    def _conflict(self, params: list[dict[str, Any]]) -> None:
        """Raise for the first row whose stored version was not the expected one."""
        stored = dict(
            self._conn.execute(
                sa.select(self._key, self._ver).where(
                    among(
                        self._key,
                        [p["k_id"] for p in params],
                        self._conn.dialect.name,
                    )
                )
            ).all()
        )
        for p in params:
            if p["k_id"] not in stored:
                raise NotFound(self._entity, p["k_id"])
            if stored[p["k_id"]] != p["v_version"]:
                raise ConcurrencyConflict(self._entity, p["k_id"], p["k_expected"])
        raise ConcurrencyConflict(
            self._entity, params[0]["k_id"], params[0]["k_expected"]
        )


class SqlPropertyRepository(SqlRepository[Property]):
    """Properties, with the grouped reads."""

    def count_by_water_status(self) -> Mapping[int, int]:
        t = self._table
        statement = (
            sa.select(t.c.water_status_id, sa.func.count())
            .where(t.c.active.is_(True))
            .group_by(t.c.water_status_id)
            .order_by(t.c.water_status_id)
        )
        with translated("property"):
            return {int(k): int(v) for k, v in self._conn.execute(statement)}

    def ids_by_route(self, route_id: int) -> Sequence[int]:
        t = self._table
        statement = sa.select(t.c.id).where(t.c.route_id == route_id).order_by(t.c.id)
        with translated("property"):
            return [int(i) for i in self._conn.execute(statement).scalars()]


class SqlCatalogRepository:
    """Reference rows of every kind in one table keyed by ``(kind, id)``."""

    def __init__(self, uow: SqlUnitOfWork, table: sa.Table) -> None:
        self._uow = uow
        self._table = table

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    @staticmethod
    def _item(row: Mapping[Any, Any]) -> CatalogItem:
        return CatalogItem(
            kind=row["kind"],
            id=row["id"],
            description=row["description"],
            abbreviation=row["abbreviation"],
            active=row["active"],
            attributes=decode_attributes(row["attributes"]),
            version=row["version"],
        )

    @staticmethod
    def _row(item: CatalogItem) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "id": item.id,
            "description": item.description,
            "abbreviation": item.abbreviation,
            "active": item.active,
            "attributes": encode_attributes(item.attributes),
            "version": item.version,
        }

    def get(self, kind: str, id: int) -> CatalogItem:
        found = self.find(kind, id)
        if found is None:
            raise NotFound(f"catalog.{kind}", id)
        return found

    def find(self, kind: str, id: int) -> CatalogItem | None:
        cache = self._uow.reference_cache("catalog_item")
        if cache is None:
            return self._find(kind, id)
        hit = cache.get("catalog_item", (kind, id))
        if hit is not MISSING:
            return cast("CatalogItem | None", hit)
        generation = cache.generation("catalog_item")
        found = self._find(kind, id)
        cache.put("catalog_item", (kind, id), found, generation)
        return found

    def _find(self, kind: str, id: int) -> CatalogItem | None:
        t = self._table
        statement = prepared(
            t,
            "find",
            lambda: sa.select(t).where(
                t.c.kind == sa.bindparam("k_kind"), t.c.id == sa.bindparam("k_id")
            ),
        )
        with translated(f"catalog.{kind}", id):
            row = (
                self._conn.execute(statement, {"k_kind": kind, "k_id": id})
                .mappings()
                .first()
            )
        return None if row is None else self._item(row)

    def find_many(
        self, keys: Iterable[tuple[str, int]]
    ) -> Mapping[tuple[str, int], CatalogItem]:
        """As :meth:`find` for many keys: the cached ones from the reference
        cache, the others in one statement a chunk; the rows read are cached
        (the keys not found are not: the cache holds at most the table)."""
        wanted = sorted(set(keys))
        cache = self._uow.reference_cache("catalog_item")
        if cache is None:
            return self._find_many(wanted)
        found: dict[tuple[str, int], CatalogItem] = {}
        missing: list[tuple[str, int]] = []
        for key in wanted:
            hit = cache.get("catalog_item", key)
            if hit is MISSING:
                missing.append(key)
            elif hit is not None:
                found[key] = cast("CatalogItem", hit)
        if missing:
            generation = cache.generation("catalog_item")
            read = self._find_many(missing)
            for key, item in read.items():
                cache.put("catalog_item", key, item, generation)
            found.update(read)
        return found

    def _find_many(
        self, keys: list[tuple[str, int]]
    ) -> dict[tuple[str, int], CatalogItem]:
        t = self._table
        found: dict[tuple[str, int], CatalogItem] = {}
        with translated("catalog"):
            for batch in chunks(keys):
                statement = sa.select(t).where(sa.tuple_(t.c.kind, t.c.id).in_(batch))
                for r in self._conn.execute(statement).mappings():
                    found[(r["kind"], r["id"])] = self._item(r)
        return found

    def list(
        self, kind: str, *, active_only: bool = False, cached: bool = False
    ) -> Sequence[CatalogItem]:
        if not active_only:
            # a kind's every row, read ahead with a command's rows (read_ahead.py)
            ahead = self._uow.take_ahead("catalog_item", ("list", kind))
            if ahead is not MISSING:
                return cast("Sequence[CatalogItem]", ahead)
        use = active_only or cached
        cache = self._uow.reference_cache("catalog_item") if use else None
        if cache is None:
            return self._list(kind, active_only=active_only)
        # a kind's active rows, as the by-id reads, and its every row for a
        # display (``cached``: a field file's parameter records; issue 20,
        # tenth round): the rules that decide on a whole kind (CAT-4, the
        # next id) read every row, not these lists
        key = ("active" if active_only else "all", kind)
        hit = cache.get("catalog_item", key)
        if hit is not MISSING:
            return cast("Sequence[CatalogItem]", hit)
        generation = cache.generation("catalog_item")
        found = tuple(self._list(kind, active_only=active_only))
        cache.put("catalog_item", key, found, generation)
        return found

    def _list(self, kind: str, *, active_only: bool) -> Sequence[CatalogItem]:
        t = self._table

        def build() -> sa.Select[Any]:
            statement = sa.select(t).where(t.c.kind == sa.bindparam("k_kind"))
            if active_only:
                statement = statement.where(t.c.active.is_(True))
            return statement.order_by(t.c.id)

        statement = prepared(t, f"list:{active_only}", build)
        with translated(f"catalog.{kind}"):
            rows = self._conn.execute(statement, {"k_kind": kind}).mappings()
            return [self._item(r) for r in rows]

    def add(self, item: CatalogItem) -> None:
        self.add_many([item])

    def add_many(self, items: Iterable[CatalogItem]) -> None:
        self._uow.wrote("catalog_item")
        rows = [self._row(i) for i in items]
        if not rows:
            return
        with translated(f"catalog.{rows[0]['kind']}", rows[0]["id"]):
            self._conn.execute(sa.insert(self._table), rows)

    def _cas(self, item: CatalogItem, expected: int) -> sa.ColumnElement[bool]:
        t = self._table
        return sa.and_(
            t.c.kind == item.kind, t.c.id == item.id, t.c.version == expected
        )

    def _check(self, rowcount: int, item: CatalogItem, expected: int) -> None:
        if rowcount == 1:
            return
        if self.find(item.kind, item.id) is None:
            raise NotFound(f"catalog.{item.kind}", item.id)
        raise ConcurrencyConflict(f"catalog.{item.kind}", item.id, expected)

    def update(self, item: CatalogItem) -> None:
        self._uow.wrote("catalog_item")
        expected = item.version - 1
        row = self._row(item)
        del row["kind"], row["id"]
        with translated(f"catalog.{item.kind}", item.id):
            result = self._conn.execute(
                sa.update(self._table).where(self._cas(item, expected)).values(row)
            )
        self._check(result.rowcount, item, expected)

    def update_many(self, items: Iterable[CatalogItem]) -> None:
        """One compare-and-set ``UPDATE`` sent with every row's parameters (an
        executemany) per chunk; on a short count, the first row that failed."""
        items = list(items)
        if len(items) < 2:
            for item in items:
                self.update(item)
            return
        self._uow.wrote("catalog_item")
        t = self._table
        columns = ("description", "abbreviation", "active", "attributes", "version")
        statement = prepared(
            t,
            "update_many",
            lambda: (
                sa.update(t)
                .where(
                    t.c.kind == sa.bindparam("k_kind"),
                    t.c.id == sa.bindparam("k_id"),
                    t.c.version == sa.bindparam("k_expected"),
                )
                .values({c: sa.bindparam(f"v_{c}") for c in columns})
            ),
        )
        for batch in chunks(items, CHUNK):
            params = [
                {f"v_{c}": v for c, v in self._row(i).items() if c in columns}
                | {"k_kind": i.kind, "k_id": i.id, "k_expected": i.version - 1}
                for i in batch
            ]
            with translated(f"catalog.{batch[0].kind}", batch[0].id):
                result = self._conn.execute(statement, params)
            if result.rowcount != len(params):
                self._conflict_of(batch)

    def _conflict_of(self, batch: Sequence[CatalogItem]) -> None:
        """Raise for the first row of ``batch`` that was not stored (the rows
        written carry their new version; the transaction rolls back)."""
        stored = self.find_many((i.kind, i.id) for i in batch)
        for item in batch:
            found = stored.get((item.kind, item.id))
            if found is None:
                raise NotFound(f"catalog.{item.kind}", item.id)
            if found.version != item.version:
                raise ConcurrencyConflict(
                    f"catalog.{item.kind}", item.id, item.version - 1
                )
        first = batch[0]
        raise ConcurrencyConflict(f"catalog.{first.kind}", first.id, first.version - 1)

    def remove(self, item: CatalogItem) -> None:
        self._uow.wrote("catalog_item")
        with translated(f"catalog.{item.kind}", item.id):
            result = self._conn.execute(
                sa.delete(self._table).where(self._cas(item, item.version))
            )
        self._check(result.rowcount, item, item.version)

    def usage_count(
        self,
        kind: str,
        id: int,
        references: Collection[Reference],
    ) -> int:
        del kind
        total = 0
        for reference in references:
            table = self._uow.tables[reference.entity]
            column = table.c[reference.field]
            if isinstance(column.type, sa.JSON):
                clause = self._json_contains(column, id, reference.key)
            else:
                clause = column == id
            statement = sa.select(sa.func.count()).select_from(table).where(clause)
            with translated(reference.entity):
                total += int(self._conn.execute(statement).scalar_one())
        return total

    def _json_contains(
        self, column: sa.Column[Any], value: int, key: str | None
    ) -> sa.ColumnElement[bool]:
        """The JSON list holds ``value`` (or a record whose ``key`` is ``value``)."""
        if self._conn.dialect.name == "postgresql":
            wanted = json.dumps([int(value) if key is None else {key: int(value)}])
            return column.op("@>")(sa.cast(sa.literal(wanted), column.type))
        each = sa.func.json_each(column).table_valued("value")
        item = (
            each.c.value
            if key is None
            else sa.func.json_extract(each.c.value, f"$.{key}")
        )
        return sa.exists(sa.select(1).select_from(each).where(item == value))


class SqlLocationQueries:
    """The links between location rows: one ``UNION ALL`` over the four tables."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def links(
        self,
        *,
        localities: Collection[int],
        sectors: Collection[int],
        blocks: Collection[int],
        routes: Collection[int],
    ) -> LocationLinks:
        t = self._uow.tables
        locality, sector, block, route = (
            t["locality"],
            t["sector"],
            t["block"],
            t["route"],
        )
        parts = [
            (1, locality, sa.case((locality.c.active, 1), else_=0), localities),
            (2, sector, sector.c.locality_id, sectors),
            (3, block, block.c.sector_id, blocks),
            (4, route, route.c.locality_id, routes),
        ]
        dialect = self._uow.connection.dialect.name
        # usually one statement; a bulk load's many ids go a CHUNK at a time
        selects: list[tuple[int, sa.Select[Any]]] = [
            (
                len(batch),
                sa.select(
                    sa.literal(tag).label("tag"), table.c.id, value.label("value")
                ).where(among(table.c.id, batch, dialect)),
            )
            for tag, table, value, ids in parts
            for batch in chunks(sorted(set(ids)))
        ]
        found: dict[int, dict[int, int]] = {1: {}, 2: {}, 3: {}, 4: {}}

        def run(group: list[sa.Select[Any]]) -> None:
            rows = self._uow.connection.execute(sa.union_all(*group))
            for tag, row_id, value in rows:
                found[int(tag)][int(row_id)] = int(value)

        group: list[sa.Select[Any]] = []
        size = 0
        with translated("location"):
            for count, select in selects:
                if group and size + count > CHUNK:
                    run(group)
                    group, size = [], 0
                group.append(select)
                size += count
            if group:
                run(group)
        return LocationLinks(
            active_localities=frozenset(i for i, on in found[1].items() if on),
            sector_locality=found[2],
            block_sector=found[3],
            route_locality=found[4],
        )


class SqlCollectionQueries:
    """The collection batch's reads: one statement per route."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def routes_of_group(self, group_id: int) -> Sequence[int]:
        route = self._uow.tables["route"]
        statement = (
            sa.select(route.c.id)
            .where(route.c.group_id == group_id)
            .order_by(route.c.id)
        )
        with translated("route"):
            return [int(i) for i in self._uow.connection.execute(statement).scalars()]

    def route_sizes_of_groups(
        self, group_ids: Collection[int]
    ) -> Mapping[int, Sequence[tuple[int, int]]]:
        route, prop = self._uow.tables["route"], self._uow.tables["property"]
        wanted = sorted(set(group_ids))
        found: dict[int, list[tuple[int, int]]] = {g: [] for g in wanted}
        dialect = self._uow.connection.dialect.name
        # each route's count is a correlated subquery that PostgreSQL answers
        # from the route index alone (an index-only scan once vacuumed): the
        # join and GROUP BY it replaces read every property row's page
        # (~51,000 buffers, 0.43 s at 1 million; now ~18,000, 0.12 s, issue 20)
        size = (
            sa.select(sa.func.count())
            .where(prop.c.route_id == route.c.id)
            .correlate(route)
            .scalar_subquery()
        )
        for batch in chunks(wanted):
            statement = (
                sa.select(route.c.group_id, route.c.id, size)
                .where(among(route.c.group_id, batch, dialect))
                .order_by(route.c.id)
            )
            with translated("route"):
                rows = self._uow.connection.execute(statement).all()
            for group, ident, count in rows:
                found[int(group)].append((int(ident), int(count)))
        return found

    def route_cut_facts(
        self, route_ids: Collection[int], cut_service_type_ids: Collection[int]
    ) -> Sequence[CutFact]:
        prop = self._uow.tables["property"]
        cut_types = tuple(sorted(cut_service_type_ids))
        dialect = self._uow.connection.dialect.name

        def build() -> sa.Select[Any]:
            order = self._uow.tables["service_order"]
            open_cut = (
                sa.select(sa.literal(1))
                .where(
                    order.c.property_id == prop.c.id,
                    order.c.service_type_id.in_(cut_types),
                    order.c.situation != 2,
                )
                .exists()
            )
            return sa.select(
                prop.c.id,
                prop.c.route_id,
                prop.c.locality_id,
                prop.c.water_status_id,
                prop.c.active,
                open_cut.label("has_open"),
            ).order_by(prop.c.id)

        statement = prepared(prop, f"cut_facts:{cut_types}", build)
        wanted = among(prop.c.route_id, sorted(set(route_ids)), dialect)
        lock_where(self._uow.connection, prop, wanted)
        with translated("property"):
            rows = self._uow.connection.execute(statement.where(wanted)).all()
        return [
            CutFact(
                property_id=int(pid),
                route_id=int(route),
                locality_id=int(locality),
                water_status_id=int(status),
                active=bool(active),
                has_open_cut_order=bool(has_open),
            )
            for pid, route, locality, status, active, has_open in rows
        ]

    def select_cut_orders(
        self, route_ids: Collection[int], criteria: CutCriteria
    ) -> CutSelection | None:
        from gsan_core.adapters.sqlalchemy.collection import (  # noqa: PLC0415
            select_cut_orders,
        )

        return select_cut_orders(self._uow, route_ids, criteria)

    def write_cut_orders(
        self,
        route_ids: Collection[int],
        criteria: CutCriteria,
        template: CutOrderTemplate,
    ) -> CutOrdersWritten | None:
        from gsan_core.adapters.sqlalchemy.cut_orders import (  # noqa: PLC0415
            write_cut_orders,
        )

        return write_cut_orders(self._uow, route_ids, criteria, template)
