"""Readers and writers over GSAN's tables.

Writes are compare-and-set on the opt-in version column, set only the columns
the library owns (never whole rows), always stamp ``*_tmultimaalteracao`` with
the profile's local time (so GSAN's own stale-write check trips on rows the
library changed), and keep the companion fields in the companion schema in the
same transaction. Without the locking migration every write raises
:class:`~gsan_core.errors.ConfigurationError` (``configuration.read_only``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gsan_core.adapters.gsan_legacy.tables import Shape
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import among, chunks
from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    NotFound,
    RuleViolation,
)
from gsan_core.model.hydrometers import Hydrometer, StockEntry
from gsan_core.model.properties import Economies, Property
from gsan_core.rules.service_requests.numbering import with_check_digit
from gsan_core.rules.uniques import unique_rule, unique_violation

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "LegacyHydrometerRepository",
    "LegacyPropertyRepository",
    "LegacyRepository",
]

E = TypeVar("E")
BAD_PROPERTY_ID = (
    "property id {id} has no valid modulo-11 check digit: GSAN's imov_id is"
    " the cadastro.seq_imovel value followed by it (uow.next_id('property'))"
)
NO_SUBCATEGORY = (
    "GSAN keeps a property's economies per subcategory (imovel_subcategoria):"
    " category {category} of property {property} has no subcategory"
)
NO_COLLECTION_CLIENT = (
    "GSAN's imovel_cobranca_situacao needs a client (clie_id): set"
    " not_null_defaults['cadastro.imovel_cobranca_situacao']['clie_id'] in the"
    " legacy profile to write property {property}'s collection situations"
)
READ_ONLY = (
    "the GSAN database is read-only for gsan_core: run the opt-in optimistic-"
    "locking migration (gsan_core.adapters.gsan_legacy.migrations.upgrade("
    "engine, profile, locking=True)) before writing"
)


class LegacyRepository(Generic[E]):
    """One aggregate on one GSAN table (plus its companion row, if any)."""

    def __init__(self, uow: LegacyUnitOfWork, shape: Shape, entity: str) -> None:
        self._uow = uow
        self._shape = shape
        self._entity = entity
        self._select = shape.select()

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def _writable(self) -> str:
        if self._shape.version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")
        return self._shape.version

    def _rows(self, *clauses: sa.ColumnElement[bool], lock: bool = False) -> list[E]:
        statement = self._select.where(*clauses).order_by(self._shape.key)
        if lock:
            statement = statement.with_for_update(of=self._shape.table)
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return self._shape.mapper.from_rows(rows)

    # ---------------------------------------------------------------- reads
    def find(self, id: int) -> E | None:
        found = self._rows(self._shape.key == id)
        return found[0] if found else None

    def get(self, id: int) -> E:
        found = self.find(id)
        if found is None:
            raise NotFound(self._entity, id)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found: dict[int, E] = {}
        for batch in chunks(set(ids)):
            for entity in self._rows(among(self._shape.key, batch, "postgresql")):
                found[entity.id] = entity  # type: ignore[attr-defined]
        return found

    def find_by(self, **criteria: object) -> Sequence[E]:
        columns = self._shape.mapper.columns
        clauses = [
            self._shape.table.c[columns[name]] == value
            for name, value in criteria.items()
        ]
        return self._rows(*clauses)

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))

    def lock(self, id: int) -> E:
        found = self._rows(self._shape.key == id, lock=True)
        if not found:
            raise NotFound(self._entity, id)
        return found[0]

    def lock_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found: dict[int, E] = {}
        for batch in chunks(sorted(set(ids))):
            for entity in self._rows(
                among(self._shape.key, batch, "postgresql"), lock=True
            ):
                found[entity.id] = entity  # type: ignore[attr-defined]
        return found

    # ---------------------------------------------------------------- writes
    def add(self, entity: E) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[E]) -> None:
        version = self._writable()
        shape, table = self._shape, self._shape.table
        defaults = dict(self._uow.profile.not_null_defaults.get(shape.entity.table, {}))
        for batch in chunks(entities):
            gsan, extra = [], []
            for entity in batch:
                row, more = shape.split(entity)
                gsan.append(
                    {
                        **row,
                        shape.entity.stamp: self._uow.local_now,
                        version: entity.version,
                    }
                )
                if any(v is not None for v in more.values()):
                    extra.append({shape.entity.key: row[shape.entity.key], **more})
            # the profile's values for NOT NULL columns outside the map
            gsan = [defaults | row for row in gsan]
            statement = sa.insert(table)
            self._before_insert(gsan)
            with translated(self._entity, gsan[0][shape.entity.key]):
                self._conn.execute(statement, gsan)
                if extra and shape.extra is not None:
                    self._conn.execute(sa.insert(shape.extra), extra)

    def _before_insert(self, rows: list[dict[str, Any]]) -> None:
        """Checks GSAN leaves to its Java code (no unique index to rely on)."""

    def update(self, entity: E) -> None:
        self.update_many([entity])

    def update_many(self, entities: Iterable[E]) -> None:
        version = self._writable()
        shape, t = self._shape, self._shape.table
        key = shape.entity.key
        statement = (
            sa.update(t)
            .where(
                t.c[key] == sa.bindparam("k_id"),
                t.c[version] == sa.bindparam("k_expected"),
            )
            .values(
                {c: sa.bindparam(f"v_{c}") for c in sorted(shape.owned)}
                | {shape.entity.stamp: self._uow.now_expression}
            )
        )
        for batch in chunks(entities):
            params, extra = [], []
            for entity in batch:
                row, more = shape.split(entity)
                expected = entity.version - 1
                params.append(
                    {f"v_{c}": row[c] for c in shape.owned}
                    | {"k_id": row[key], "k_expected": expected}
                )
                extra.append({key: row[key], **more})
            with translated(self._entity):
                result = self._conn.execute(statement, params)
            if result.rowcount != len(params):
                self._conflict(params)
            self._upsert_extra(extra)

    def _upsert_extra(self, rows: list[dict[str, Any]]) -> None:
        x = self._shape.extra
        if x is None or not rows:
            return
        key = self._shape.entity.key
        statement = postgresql.insert(x)
        statement = statement.on_conflict_do_update(
            index_elements=[key],
            set_={f: statement.excluded[f] for f in self._shape.companion},
        )
        with translated(self._entity):
            self._conn.execute(statement, rows)

    def _conflict(self, params: list[dict[str, Any]]) -> None:
        t, version = self._shape.table, self._writable()
        ids = [p["k_id"] for p in params]
        stored = dict(
            self._conn.execute(
                sa.select(self._shape.key, t.c[version]).where(
                    among(self._shape.key, ids, "postgresql")
                )
            ).all()
        )
        for p in params:
            if p["k_id"] not in stored:
                raise NotFound(self._entity, p["k_id"])
            if stored[p["k_id"]] != p["k_expected"] + 1:
                raise ConcurrencyConflict(self._entity, p["k_id"], p["k_expected"] + 1)
        raise ConcurrencyConflict(self._entity, ids[0], params[0]["k_expected"] + 1)

    def remove(self, entity: E) -> None:
        version = self._writable()
        t, key = self._shape.table, self._shape.key
        ident = entity.id  # type: ignore[attr-defined]
        with translated(self._entity, ident):
            result = self._conn.execute(
                sa.delete(t).where(key == ident, t.c[version] == entity.version)  # type: ignore[attr-defined]
            )
            if result.rowcount == 1 and self._shape.extra is not None:
                x = self._shape.extra
                self._conn.execute(sa.delete(x).where(x.c[key.key] == ident))
        if result.rowcount != 1:
            if self.find(ident) is None:
                raise NotFound(self._entity, ident)
            raise ConcurrencyConflict(self._entity, ident, entity.version)  # type: ignore[attr-defined]


class LegacyHydrometerRepository(LegacyRepository[Hydrometer]):
    """Meters (``micromedicao.hidrometro``)."""

    def _column(self, field: str) -> sa.Column[Any]:
        return self._shape.table.c[self._shape.mapper.columns[field]]

    def _before_insert(self, rows: list[dict[str, Any]]) -> None:
        # H-10: GSAN has no unique index on the number (its Java checks), so
        # the adapter serialises inserts of a number with a transaction-scoped
        # advisory lock and checks inside it
        column = self._column("number")
        numbers = sorted({r[column.key] for r in rows})
        with translated("hydrometer"):
            self._conn.execute(
                sa.text(
                    "SELECT pg_advisory_xact_lock(hashtext('gsan_core.hydrometer:' || n))"
                    " FROM unnest(CAST(:numbers AS text[])) AS n ORDER BY n"
                ),
                {"numbers": numbers},
            )
            taken = self._conn.execute(
                sa.select(column).where(column.in_(numbers)).limit(1)
            ).first()
        if taken is not None:
            rule = unique_rule("hydrometer", columns=("number",))
            assert rule is not None
            raise RuleViolation([unique_violation(rule)])

    def find_by_number(self, number: str) -> Hydrometer | None:
        found = self._rows(self._column("number") == number)
        return found[0] if found else None

    def between(self, first: str, last: str) -> Sequence[Hydrometer]:
        column = self._column("number")
        return sorted(
            self._rows(
                column >= first,
                column <= last,
                sa.func.length(column) == len(first),
            ),
            key=lambda h: h.number,
        )

    def numbers_between(self, first: str, last: str) -> Sequence[str]:
        return [h.number for h in self.between(first, last)]

    def stock(self) -> Mapping[tuple[int | None, int], int]:
        location, situation = self._column("location_id"), self._column("situation_id")
        statement = sa.select(location, situation, sa.func.count()).group_by(
            location, situation
        )
        with translated("hydrometer"):
            counts = {
                (None if loc is None else int(loc), int(sit)): int(n)
                for loc, sit, n in self._conn.execute(statement)
            }
        return dict(sorted(counts.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])))

    def stock_entries(self, ids: Iterable[int]) -> Mapping[int, StockEntry]:
        return {
            ident: StockEntry(
                id=meter.id,
                number=meter.number,
                situation_id=meter.situation_id,
                location_id=meter.location_id,
                version=meter.version,
            )
            for ident, meter in self.get_many(ids).items()
        }

    def move_many(
        self, read: Iterable[tuple[int, int]], *, location_id: int, situation_id: int
    ) -> None:
        version = self._writable()
        t, key = self._shape.table, self._shape.key
        statement = (
            sa.update(t)
            .where(
                key == sa.bindparam("k_id"),
                t.c[version] == sa.bindparam("k_expected"),
            )
            .values(
                {
                    self._column("location_id").key: location_id,
                    self._column("situation_id").key: situation_id,
                    self._shape.entity.stamp: self._uow.now_expression,
                }
            )
        )
        for batch in chunks(read):
            params = [{"k_id": i, "k_expected": v} for i, v in batch]
            with translated("hydrometer"):
                result = self._conn.execute(statement, params)
            if result.rowcount != len(params):
                self._conflict(params)


#: GSAN's block: a property's route is its block's.
_BLOCK = sa.table(
    "quadra", sa.column("qdra_id"), sa.column("rota_id"), schema="cadastro"
)
UNMAPPED_CRITERION = (
    "the legacy property queries take the mapped imovel columns and route_id:"
    " {field} is not one"
)


class LegacyPropertyRepository:
    """Properties read from ``cadastro.imovel`` (categories from
    ``imovel_subcategoria``, collection situations from
    ``imovel_cobranca_situacao``); writes set only the situations and the well."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        tables = uow.tables
        self._t = tables.gsan["property"]
        self._map = tables.maps["property"]
        self._version = tables.version

    def _column(self, field: str) -> sa.ColumnElement[Any]:
        """The SQL of a field: a mapped column, or the route of the property's
        block (GSAN keeps a property's route on its block, ``quadra.rota_id``)."""
        if field == "route_id":
            return (
                sa.select(_BLOCK.c.rota_id)
                .where(_BLOCK.c.qdra_id == self._t.c[self._map.columns["block_id"]])
                .scalar_subquery()
            )
        column = self._map.columns.get(field)
        if column is None or field == "active":
            msg = UNMAPPED_CRITERION.format(field=field)
            raise ConfigurationError(msg, kind="unmapped")
        return self._t.c[column]

    def _where(self, criteria: Mapping[str, object]) -> sa.ColumnElement[bool]:
        clauses = [
            self._column(f).in_(list(v))
            if isinstance(v, Iterable) and not isinstance(v, str)
            else (self._column(f).is_(None) if v is None else self._column(f) == v)
            for f, v in criteria.items()
        ]
        return sa.and_(sa.true(), *clauses)

    def find_by(self, **criteria: object) -> Sequence[Property]:
        """One statement (and one per related table) whatever the match count."""
        return self._read(self._where(criteria))

    def count_by(self, **criteria: object) -> int:
        statement = sa.select(sa.func.count()).where(self._where(criteria))
        with translated("property"):
            return int(
                self._uow.connection.execute(
                    statement.select_from(self._t)
                ).scalar_one()
            )

    def count_by_water_status(self) -> Mapping[int, int]:
        """Active properties (``imov_icexclusao`` not 1) per ``last_id``."""
        water = self._t.c[self._map.columns["water_status_id"]]
        active = self._t.c[self._map.columns["active"]]
        statement = (
            sa.select(water, sa.func.count())
            .where(sa.or_(active.is_(None), active != 1))
            .group_by(water)
        )
        with translated("property"):
            rows = self._uow.connection.execute(statement).all()
        return dict(rows)

    def ids_by_route(self, route_id: int) -> Sequence[int]:
        key = self._t.c[self._map.key]
        statement = (
            sa.select(key).where(self._column("route_id") == route_id).order_by(key)
        )
        with translated("property"):
            return list(self._uow.connection.execute(statement).scalars().all())

    def _read(
        self, clause: sa.ColumnElement[bool], *, lock: bool = False
    ) -> list[Property]:
        t, cols = self._t, self._map.columns
        version: Any = t.c[self._version] if self._version else sa.literal(1)
        statement = (
            sa.select(
                *(t.c[c].label(f) for f, c in cols.items()),
                self._column("route_id").label("route_id"),
                version.label("version"),
            )
            .where(clause)
            .order_by(t.c[self._map.key])
        )
        if lock:
            statement = statement.with_for_update(of=t)
        connection = self._uow.connection
        with translated("property"):
            rows = connection.execute(statement).mappings().all()
            ids = [r["id"] for r in rows]
            categories = self._categories(ids) if ids else {}
            situations = self._situations(ids) if ids else {}
        return [
            Property(
                **{k: v for k, v in row.items() if k != "active"},
                active=row["active"] != 1,
                categories=categories.get(row["id"], ()),
                collection_situation_ids=situations.get(row["id"], ()),
            )
            for row in rows
        ]

    def _categories(self, ids: list[int]) -> dict[int, list[Economies]]:
        found: dict[int, list[Economies]] = {}
        rows = self._uow.connection.execute(
            sa.text(
                "SELECT i.imov_id, s.catg_id, i.scat_id, i.imsb_qteconomia"
                " FROM cadastro.imovel_subcategoria i"
                " JOIN cadastro.subcategoria s ON s.scat_id = i.scat_id"
                " WHERE i.imov_id = ANY(:ids) ORDER BY i.imov_id, i.scat_id"
            ),
            {"ids": ids},
        )
        for ident, category, subcategory, count in rows:
            found.setdefault(ident, []).append(
                Economies(category_id=category, subcategory_id=subcategory, count=count)
            )
        return found

    def _situations(self, ids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        rows = self._uow.connection.execute(
            sa.text(
                "SELECT imov_id, cbst_id FROM cadastro.imovel_cobranca_situacao"
                " WHERE imov_id = ANY(:ids) AND iscb_dtretiradacobranca IS NULL"
                " AND cbst_id IS NOT NULL"
            ),
            {"ids": ids},
        )
        for ident, situation in rows:
            found.setdefault(ident, []).append(situation)
        return found

    def find(self, id: int) -> Property | None:
        found = self._read(self._t.c[self._map.key] == id)
        return found[0] if found else None

    def get(self, id: int) -> Property:
        found = self.find(id)
        if found is None:
            raise NotFound("property", id)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, Property]:
        key = self._t.c[self._map.key]
        return {
            p.id: p
            for batch in chunks(set(ids))
            for p in self._read(among(key, batch, "postgresql"))
        }

    def lock(self, id: int) -> Property:
        found = self._read(self._t.c[self._map.key] == id, lock=True)
        if not found:
            raise NotFound("property", id)
        return found[0]

    def add(self, entity: Property) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[Property]) -> None:
        """Insert properties as GSAN's "Inserir Imóvel" stores them: the mapped
        ``imovel`` columns (``imov_icexclusao`` 2 while active), the profile's
        NOT NULL defaults, the stamp and version, the economies in
        ``imovel_subcategoria`` and the collection situations in
        ``imovel_cobranca_situacao``. The route is not written: GSAN's route
        of a property is its block's (``quadra.rota_id``)."""
        if self._version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")
        for entity in entities:
            self._insert(entity, self._version)

    def _insert(self, entity: Property, version: str) -> None:
        if with_check_digit(entity.id // 10) != entity.id:
            raise ConfigurationError(
                BAD_PROPERTY_ID.format(id=entity.id), kind="profile"
            )
        profile, cols = self._uow.profile, self._map.columns
        row = dict(profile.not_null_defaults.get(self._map.table, {}))
        for field, column in cols.items():
            value = getattr(entity, field)
            if field == "active":
                value = profile.flag_false if value else profile.flag_true
            if value is not None:
                row[column] = value
        row |= {self._map.stamp: self._uow.local_now, version: entity.version}
        connection = self._uow.connection
        with translated("property", entity.id):
            connection.execute(sa.insert(self._t), [row])
            self._insert_economies(entity)
            self._insert_situations(entity)

    def _insert_economies(self, entity: Property) -> None:
        rows = []
        for economy in entity.categories:
            if economy.subcategory_id is None:
                msg = NO_SUBCATEGORY.format(
                    category=economy.category_id, property=entity.id
                )
                raise ConfigurationError(msg, kind="unmapped")
            rows.append(
                {
                    "i": entity.id,
                    "s": economy.subcategory_id,
                    "n": economy.count,
                    "now": self._uow.local_now,
                }
            )
        if rows:
            self._uow.connection.execute(
                sa.text(
                    "INSERT INTO cadastro.imovel_subcategoria"
                    " (imov_id, scat_id, imsb_qteconomia, imsb_tmultimaalteracao)"
                    " VALUES (:i, :s, :n, :now)"
                ),
                rows,
            )

    def _insert_situations(self, entity: Property) -> None:
        if not entity.collection_situation_ids:
            return
        table = "cadastro.imovel_cobranca_situacao"
        client = self._uow.profile.not_null_defaults.get(table, {}).get("clie_id")
        if client is None:
            msg = NO_COLLECTION_CLIENT.format(property=entity.id)
            raise ConfigurationError(msg, field="not_null_defaults", kind="profile")
        now = self._uow.local_now
        self._uow.connection.execute(
            sa.text(
                f"INSERT INTO {table} (iscb_id, imov_id, cbst_id,"
                " iscb_dtimplantacaocobranca, iscb_tmultimaalteracao, clie_id)"
                " VALUES (nextval('cadastro.seq_imovel_cobranca_situacao'),"
                " :i, :s, :today, :now, :client)"
            ),
            [
                {
                    "i": entity.id,
                    "s": situation,
                    "today": now.date(),
                    "now": now,
                    "client": client,
                }
                for situation in sorted(entity.collection_situation_ids)
            ],
        )

    def update(self, entity: Property) -> None:
        self.update_many([entity])

    def update_many(self, entities: Iterable[Property]) -> None:
        """Compare-and-set of many properties, one statement per chunk: the
        situations and the well as given, the other mapped columns where the
        entity has a value (GSAN's stay otherwise); categories, collection
        situations and the route are not rewritten."""
        if self._version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")
        t, cols = self._t, self._map.columns
        owned = self._uow.tables.property_owned
        fields = [f for f in cols if f not in ("id", "active")]
        statement = (
            sa.update(t)
            .where(
                t.c[self._map.key] == sa.bindparam("k_id"),
                t.c[self._version] == sa.bindparam("k_expected"),
            )
            .values(
                {
                    cols[f]: sa.bindparam(f"v_{f}")
                    if cols[f] in owned
                    else sa.func.coalesce(sa.bindparam(f"v_{f}"), t.c[cols[f]])
                    for f in fields
                }
                | {self._map.stamp: self._uow.now_expression}
            )
        )
        for batch in chunks(entities):
            params = [
                {f"v_{f}": getattr(e, f) for f in fields}
                | {"k_id": e.id, "k_expected": e.version - 1}
                for e in batch
            ]
            with translated("property"):
                result = self._uow.connection.execute(statement, params)
            if result.rowcount != len(params):
                self._conflict(params)

    def _conflict(self, params: list[dict[str, Any]]) -> None:
        stored = {
            p.id: p.version for p in self.get_many(p["k_id"] for p in params).values()
        }
        for p in params:
            if p["k_id"] not in stored:
                raise NotFound("property", p["k_id"])
            if stored[p["k_id"]] != p["k_expected"] + 1:
                raise ConcurrencyConflict("property", p["k_id"], p["k_expected"] + 1)
        first = params[0]
        raise ConcurrencyConflict("property", first["k_id"], first["k_expected"] + 1)
