"""The meter history on GSAN's tables: installations and stock movements.

* Installations are ``micromedicao.hidrometro_inst_hist``: the measurement
  point is ``medt_id`` (1 water connection, 2 well) and, as GSAN writes it, the
  property is ``lagu_id`` for a water-connection meter and ``imov_id`` for a
  well's. GSAN keeps the registration as a date; the instant is kept in the
  companion schema (a row GSAN wrote reads as local midnight of that date).
* Movements are ``micromedicao.hidrometro_movimentacao`` (date and local time
  in two columns) and their lines ``hidrometro_movimentado``. GSAN stores no
  situation, count or registration instant and has a NOT NULL origin: the
  companion row keeps them (a movement of meters that had no location writes
  its destination as GSAN's origin, and reads back ``None``). A movement GSAN
  wrote reads its count from its lines, its situation from the profile
  (``movement_situation_id``) and its registration from its last-change stamp.

Writes need the opt-in locking (``c0003``); they insert the mapped columns and
stamp ``*_tmultimaalteracao``, and updates are compare-and-set on the version
column, setting only the mapped columns. GSAN has no unique index for rules
I-9 and I-12 (one open installation per point, per meter): its Java checks. The
adapter takes a transaction-scoped advisory lock per point and per meter
before it writes, and checks after, so two writers cannot both open one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.repositories import READ_ONLY
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import among, chunks
from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    NotFound,
    RuleViolation,
)
from gsan_core.model.hydrometers import (
    HydrometerInstallation,
    HydrometerMovement,
    InstallationOrigin,
    MeasurementPoint,
)
from gsan_core.rules.uniques import unique_rule, unique_violation

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "HISTORY_COLUMNS",
    "LegacyInstallationRepository",
    "LegacyMovementRepository",
]

E = TypeVar("E")
_INSTALLATION = "micromedicao.hidrometro_inst_hist"
_MOVEMENT = "micromedicao.hidrometro_movimentacao"
_LINES = "micromedicao.hidrometro_movimentado"
_METER = "micromedicao.hidrometro"
#: GSAN table -> the columns the adapter reads and writes (key first, stamp last).
HISTORY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    _INSTALLATION: (
        "hidi_id",
        "hidr_id",
        "medt_id",
        "lagu_id",
        "imov_id",
        "hidi_dtinstalacaohidrometro",
        "hidi_nnleitinstalacaohidmt",
        "hidi_dtinstalacaohidmtsistema",
        "hidi_icinstalacaosubstituicao",
        "hili_id",
        "hipr_id",
        "hidi_iccavalete",
        "hidi_nnselo",
        "hidi_nnlacre",
        "hidi_dtretiradahidrometro",
        "hidi_nnleitretiradahidmt",
        "hidi_nnleituracorte",
        "hidi_nnleiturasupressao",
        "usur_idinstalacao",
        "usur_idretirada",
        "hidi_tmultimaalteracao",
    ),
    _MOVEMENT: (
        "himv_id",
        "himv_dtmovimentacao",
        "himv_hrmovimentacao",
        "himm_id",
        "himv_dsparecer",
        "hila_idhidmtlocalarmzorigem",
        "hila_idhidmtlocalarmzdest",
        "usur_id",
        "himv_tmultimaalteracao",
    ),
    _LINES: ("himv_id", "hidr_id", "hdmv_tmultimaalteracao"),
}


#: Fields ``find_by`` filters on -> their GSAN column.
_INSTALLATION_FIELDS = {
    "id": "hidi_id",
    "hydrometer_id": "hidr_id",
    "point": "medt_id",
    "installed_on": "hidi_dtinstalacaohidrometro",
    "removed_on": "hidi_dtretiradahidrometro",
    "origin": "hidi_icinstalacaosubstituicao",
    "installed_by": "usur_idinstalacao",
    "removed_by": "usur_idretirada",
}
_MOVEMENT_FIELDS = {
    "id": "himv_id",
    "reason_id": "himm_id",
    "destination_id": "hila_idhidmtlocalarmzdest",
    "actor": "usur_id",
}


def _table(metadata: sa.MetaData, name: str, version: str | None) -> sa.Table:
    schema, table = name.split(".")
    key, *rest = HISTORY_COLUMNS[name]
    columns: list[sa.Column[Any]] = [
        sa.Column(key, sa.Integer, primary_key=True, autoincrement=False),
        *(sa.Column(c) for c in rest),
    ]
    if version:
        columns.append(sa.Column(version, sa.Integer))
    return sa.Table(table, metadata, *columns, schema=schema)


class HistoryTables:
    """The narrowed GSAN tables of the meter history and their companions.

    Without the locking migration (read-only) there is no version column and
    no companion row: reads fall back to what GSAN stores.
    """

    def __init__(self, companion: str, version: str | None) -> None:
        metadata = sa.MetaData()
        self.version = version
        self.installation = _table(metadata, _INSTALLATION, version)
        self.movement = _table(metadata, _MOVEMENT, version)
        lines_schema, lines_name = _LINES.split(".")
        self.lines = sa.Table(
            lines_name,
            metadata,
            sa.Column("himv_id", sa.Integer, primary_key=True),
            sa.Column("hidr_id", sa.Integer, primary_key=True),
            sa.Column("hdmv_tmultimaalteracao", sa.DateTime),
            schema=lines_schema,
        )
        meter_schema, meter_name = _METER.split(".")
        self.meter = sa.Table(
            meter_name,
            metadata,
            sa.Column("hidr_id", sa.Integer, primary_key=True),
            sa.Column("hidr_nnhidrometro", sa.String),
            schema=meter_schema,
        )
        self.installation_extra: sa.Table | None = None
        self.movement_extra: sa.Table | None = None
        if version:
            self.installation_extra = sa.Table(
                "hydrometer_installation_extra",
                metadata,
                sa.Column("hidi_id", sa.Integer, primary_key=True),
                sa.Column("registered_at", sa.DateTime(timezone=True)),
                schema=companion,
            )
            self.movement_extra = sa.Table(
                "hydrometer_movement_extra",
                metadata,
                sa.Column("himv_id", sa.Integer, primary_key=True),
                *(
                    sa.Column(c)
                    for c in ("origin_id", "situation_id", "count", "registered_at")
                ),
                schema=companion,
            )


def _plain(value: object) -> object:
    """An enum member as the value GSAN stores."""
    return (
        int(value)
        if isinstance(value, MeasurementPoint | InstallationOrigin)
        else value
    )


class _HistoryRepository(Generic[E]):
    """get/find/add/update of one history table and its companion row."""

    _entity = ""

    def __init__(
        self, uow: LegacyUnitOfWork, table: sa.Table, extra: sa.Table | None
    ) -> None:
        self._uow = uow
        self._t = table
        self._x = extra
        self._version = uow.history_tables.version
        self._zone = ZoneInfo(uow.profile.time_zone)
        self._key = table.primary_key.columns.values()[0]
        self._stamp = HISTORY_COLUMNS[self._t.fullname][-1]

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    # ------------------------------------------------------- per entity
    def _select(self) -> sa.Select[Any]:
        raise NotImplementedError

    def _build(self, row: Any) -> E:
        raise NotImplementedError

    def _rows_of(self, entity: E) -> tuple[dict[str, Any], dict[str, Any] | None]:
        raise NotImplementedError

    def _after_write(self, entities: Sequence[E]) -> None:
        """Checks GSAN leaves to its Java code (no unique index)."""

    # ------------------------------------------------------- reads
    def _read(
        self,
        *clauses: sa.ColumnElement[bool],
        order: Sequence[Any] = (),
        lock: bool = False,
    ) -> list[E]:
        statement = self._select().where(*clauses).order_by(*order, self._key)
        if lock:
            statement = statement.with_for_update(of=self._t)
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return [self._build(r) for r in rows]

    def _version_of(self, row: Any) -> int:
        return int(row["__version"]) if self._version else 1

    def _versioned(self) -> Any:
        version: Any = self._t.c[self._version] if self._version else sa.literal(1)
        return version.label("__version")

    def find(self, id: int) -> E | None:
        found = self._read(self._key == id)
        return found[0] if found else None

    def get(self, id: int) -> E:
        found = self.find(id)
        if found is None:
            raise NotFound(self._entity, id)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found: dict[int, E] = {}
        for batch in chunks(set(ids)):
            for entity in self._read(among(self._key, batch, "postgresql")):
                found[entity.id] = entity  # type: ignore[attr-defined]
        return found

    def _criterion(self, field: str) -> sa.ColumnElement[Any]:
        """The GSAN expression of a field ``find_by`` filters on."""
        raise NotImplementedError

    def find_by(self, **criteria: object) -> Sequence[E]:
        clauses: list[sa.ColumnElement[bool]] = []
        for field, value in criteria.items():
            column = self._criterion(field)
            if isinstance(value, (list, tuple, set, frozenset)):
                clauses.append(column.in_([_plain(v) for v in value]))
            else:
                clauses.append(column == _plain(value))
        return self._read(*clauses)

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))

    def lock(self, id: int) -> E:
        found = self._read(self._key == id, lock=True)
        if not found:
            raise NotFound(self._entity, id)
        return found[0]

    # ------------------------------------------------------- writes
    def _writable(self) -> str:
        if self._version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")
        return self._version

    def add(self, entity: E) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[E]) -> None:
        version = self._writable()
        items = list(entities)
        for batch in chunks(items):
            gsan, extra = [], []
            for entity in batch:
                row, more = self._rows_of(entity)
                row |= {self._stamp: self._uow.local_now, version: entity.version}
                gsan.append(row)
                if more is not None:
                    extra.append(more)
            ident = gsan[0][self._key.key]
            taken = self._conn.execute(
                sa.select(self._key).where(
                    among(self._key, [r[self._key.key] for r in gsan], "postgresql")
                )
            ).first()
            if taken is not None:
                raise DuplicateEntity(self._entity, taken[0])
            with translated(self._entity, ident):
                self._conn.execute(sa.insert(self._t), gsan)
                if extra and self._x is not None:
                    self._conn.execute(sa.insert(self._x), extra)
        self._after_write(items)

    def update(self, entity: E) -> None:
        self.update_many([entity])

    def update_many(self, entities: Iterable[E]) -> None:
        version = self._writable()
        t, key = self._t, self._key.key
        owned = [c.key for c in t.c if c.key not in {key, self._stamp, version}]
        statement = (
            sa.update(t)
            .where(
                self._key == sa.bindparam("k_id"),
                t.c[version] == sa.bindparam("k_expected"),
            )
            .values(
                {c: sa.bindparam(f"v_{c}") for c in owned}
                | {self._stamp: self._uow.now_expression}
            )
        )
        items = list(entities)
        for entity in items:
            row, more = self._rows_of(entity)
            expected = entity.version - 1  # type: ignore[attr-defined]
            params = {f"v_{c}": row[c] for c in owned}
            with translated(self._entity, row[key]):
                result = self._conn.execute(
                    statement, params | {"k_id": row[key], "k_expected": expected}
                )
            if result.rowcount != 1:
                if self.find(row[key]) is None:
                    raise NotFound(self._entity, row[key])
                raise ConcurrencyConflict(self._entity, row[key], expected + 1)
            self._upsert_extra(more)
        self._after_write(items)

    def _upsert_extra(self, row: dict[str, Any] | None) -> None:
        if row is None or self._x is None:
            return
        from sqlalchemy.dialects import postgresql  # noqa: PLC0415

        key = self._x.primary_key.columns.values()[0].key
        statement = postgresql.insert(self._x).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=[key],
            set_={c: statement.excluded[c] for c in row if c != key},
        )
        with translated(self._entity):
            self._conn.execute(statement)


# ---------------------------------------------------------------- installations
class LegacyInstallationRepository(_HistoryRepository[HydrometerInstallation]):
    """The installation history (``hidrometro_inst_hist``)."""

    _entity = "hydrometer_installation"

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        tables = uow.history_tables
        super().__init__(uow, tables.installation, tables.installation_extra)
        self._yes, self._no = uow.profile.flag_true, uow.profile.flag_false

    def _select(self) -> sa.Select[Any]:
        t, x = self._t, self._x
        columns: list[Any] = [
            c for c in t.c if c.key not in (self._version, self._stamp)
        ]
        columns.append(self._versioned())
        if x is None:
            return sa.select(*columns)
        columns.append(x.c.registered_at)
        return sa.select(*columns).select_from(
            t.outerjoin(x, x.c.hidi_id == t.c.hidi_id)
        )

    def _build(self, r: Any) -> HydrometerInstallation:
        point = MeasurementPoint(r["medt_id"])
        owner = r["lagu_id"] if point is MeasurementPoint.WATER_CONNECTION else None
        registered = r.get("registered_at") or datetime.combine(
            r["hidi_dtinstalacaohidmtsistema"], time(), self._zone
        )
        lacre = r["hidi_nnlacre"]
        return HydrometerInstallation(
            id=r["hidi_id"],
            hydrometer_id=r["hidr_id"],
            property_id=owner if owner is not None else r["imov_id"],
            point=point,
            installed_on=r["hidi_dtinstalacaohidrometro"],
            installation_reading=r["hidi_nnleitinstalacaohidmt"],
            registered_at=registered,
            origin=InstallationOrigin(
                r["hidi_icinstalacaosubstituicao"] or InstallationOrigin.INSTALLATION
            ),
            place_id=r["hili_id"],
            protection_id=r["hipr_id"],
            stand=r["hidi_iccavalete"] == self._yes,
            seal=r["hidi_nnselo"],
            tamper_seal=None if lacre is None else lacre.rstrip(),
            removed_on=r["hidi_dtretiradahidrometro"],
            removal_reading=r["hidi_nnleitretiradahidmt"],
            cut_reading=r["hidi_nnleituracorte"],
            suppression_reading=r["hidi_nnleiturasupressao"],
            installed_by=r["usur_idinstalacao"],
            removed_by=r["usur_idretirada"],
            version=self._version_of(r),
        )

    def _rows_of(
        self, i: HydrometerInstallation
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        water = i.point is MeasurementPoint.WATER_CONNECTION
        row = {
            "hidi_id": i.id,
            "hidr_id": i.hydrometer_id,
            "medt_id": int(i.point),
            # GSAN: the water connection's meter names the connection, a
            # well's meter the property
            "lagu_id": i.property_id if water else None,
            "imov_id": None if water else i.property_id,
            "hidi_dtinstalacaohidrometro": i.installed_on,
            "hidi_nnleitinstalacaohidmt": i.installation_reading,
            "hidi_dtinstalacaohidmtsistema": i.registered_at.astimezone(
                self._zone
            ).date(),
            "hidi_icinstalacaosubstituicao": int(i.origin),
            "hili_id": i.place_id,
            "hipr_id": i.protection_id,
            "hidi_iccavalete": self._yes if i.stand else self._no,
            "hidi_nnselo": i.seal,
            "hidi_nnlacre": i.tamper_seal,
            "hidi_dtretiradahidrometro": i.removed_on,
            "hidi_nnleitretiradahidmt": i.removal_reading,
            "hidi_nnleituracorte": i.cut_reading,
            "hidi_nnleiturasupressao": i.suppression_reading,
            "usur_idinstalacao": i.installed_by,
            "usur_idretirada": i.removed_by,
        }
        return row, {"hidi_id": i.id, "registered_at": i.registered_at}

    def _criterion(self, field: str) -> sa.ColumnElement[Any]:
        t = self._t
        if field == "property_id":
            return sa.func.coalesce(t.c.lagu_id, t.c.imov_id)
        return t.c[_INSTALLATION_FIELDS[field]]

    def _owner(self, point: MeasurementPoint) -> sa.Column[Any]:
        column = "lagu_id" if point is MeasurementPoint.WATER_CONNECTION else "imov_id"
        return self._t.c[column]

    def _open(self) -> sa.ColumnElement[bool]:
        return self._t.c.hidi_dtretiradahidrometro.is_(None)

    def _after_write(self, entities: Sequence[HydrometerInstallation]) -> None:
        # I-9 and I-12: serialise on each open record's point and meter
        # (advisory locks, sorted), then no point or meter may be open twice
        opened = [i for i in entities if i.is_open]
        if not opened:
            return
        keys = sorted(
            {f"p:{i.property_id}:{int(i.point)}" for i in opened}
            | {f"h:{i.hydrometer_id}" for i in opened}
        )
        t = self._t
        with translated(self._entity):
            self._conn.execute(
                sa.text(
                    "SELECT pg_advisory_xact_lock(hashtext('gsan_core.meter:' || k))"
                    " FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k"
                ),
                {"keys": keys},
            )
            for i in opened:
                points = self._conn.execute(
                    sa.select(sa.func.count()).where(
                        self._owner(i.point) == i.property_id,
                        t.c.medt_id == int(i.point),
                        self._open(),
                    )
                ).scalar_one()
                if points > 1:
                    self._violation(("property_id", "point"))
                meters = self._conn.execute(
                    sa.select(sa.func.count()).where(
                        t.c.hidr_id == i.hydrometer_id, self._open()
                    )
                ).scalar_one()
                if meters > 1:
                    self._violation(("hydrometer_id",))

    @staticmethod
    def _violation(columns: tuple[str, ...]) -> None:
        rule = unique_rule("hydrometer_installation", columns=columns)
        assert rule is not None
        raise RuleViolation([unique_violation(rule)])

    def _chronological(
        self, *clauses: sa.ColumnElement[bool]
    ) -> list[HydrometerInstallation]:
        return self._read(*clauses, order=[self._t.c.hidi_dtinstalacaohidrometro])

    def _at_point(
        self, property_id: int, point: MeasurementPoint
    ) -> list[sa.ColumnElement[bool]]:
        return [
            self._owner(point) == property_id,
            self._t.c.medt_id == int(point),
        ]

    def current(
        self, *, property_id: int, point: MeasurementPoint
    ) -> HydrometerInstallation | None:
        found = self._read(*self._at_point(property_id, point), self._open())
        return found[0] if found else None

    def current_of(self, hydrometer_id: int) -> HydrometerInstallation | None:
        found = self._read(self._t.c.hidr_id == hydrometer_id, self._open())
        return found[0] if found else None

    def of_point(
        self, *, property_id: int, point: MeasurementPoint
    ) -> Sequence[HydrometerInstallation]:
        return self._chronological(*self._at_point(property_id, point))

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        return self._chronological(self._t.c.hidr_id == hydrometer_id)

    def last_removal(
        self,
        *,
        property_id: int | None = None,
        point: MeasurementPoint | None = None,
        hydrometer_id: int | None = None,
    ) -> date | None:
        t = self._t
        removed = t.c.hidi_dtretiradahidrometro
        clauses: list[sa.ColumnElement[bool]] = [removed.is_not(None)]
        if property_id is not None:
            if point is None:
                owner: Any = sa.func.coalesce(t.c.lagu_id, t.c.imov_id)
                clauses.append(owner == property_id)
            else:
                clauses += self._at_point(property_id, point)
        elif point is not None:
            clauses.append(t.c.medt_id == int(point))
        if hydrometer_id is not None:
            clauses.append(t.c.hidr_id == hydrometer_id)
        with translated(self._entity):
            value = self._conn.execute(
                sa.select(sa.func.max(removed)).where(*clauses)
            ).scalar()
        return value if isinstance(value, date) else None


# ---------------------------------------------------------------- movements
class LegacyMovementRepository(_HistoryRepository[HydrometerMovement]):
    """Stock movements (``hidrometro_movimentacao``) and their lines."""

    _entity = "hydrometer_movement"

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._tables = uow.history_tables
        super().__init__(uow, self._tables.movement, self._tables.movement_extra)
        self._situation = uow.profile.movement_situation_id

    def _moved_at(self) -> Any:
        t = self._t
        return t.c.himv_dtmovimentacao + sa.func.coalesce(
            t.c.himv_hrmovimentacao, sa.cast(sa.literal("00:00"), sa.Time)
        )

    def _select(self) -> sa.Select[Any]:
        t, x, lines = self._t, self._x, self._tables.lines
        counted = (
            sa.select(sa.func.count())
            .where(lines.c.himv_id == t.c.himv_id)
            .scalar_subquery()
        )
        columns: list[Any] = [c for c in t.c if c.key != self._version]
        columns += [self._versioned(), counted.label("__lines")]
        if x is None:
            return sa.select(*columns)
        columns += [
            x.c.himv_id.label("__extra"),
            *(x.c[c] for c in ("origin_id", "situation_id", "count", "registered_at")),
        ]
        return sa.select(*columns).select_from(
            t.outerjoin(x, x.c.himv_id == t.c.himv_id)
        )

    def _build(self, r: Any) -> HydrometerMovement:
        extra = r.get("__extra") is not None
        moved = datetime.combine(
            r["himv_dtmovimentacao"], r["himv_hrmovimentacao"] or time()
        ).replace(tzinfo=self._zone)
        registered = (
            r["registered_at"]
            if extra
            else r["himv_tmultimaalteracao"].replace(tzinfo=self._zone)
        )
        return HydrometerMovement(
            id=r["himv_id"],
            moved_at=moved,
            reason_id=r["himm_id"],
            origin_id=r["origin_id"] if extra else r["hila_idhidmtlocalarmzorigem"],
            destination_id=r["hila_idhidmtlocalarmzdest"],
            situation_id=r["situation_id"] if extra else self._situation,
            remark=r["himv_dsparecer"],
            count=r["count"] if extra else r["__lines"],
            actor=r["usur_id"],
            registered_at=registered,
            version=self._version_of(r),
        )

    def _rows_of(
        self, m: HydrometerMovement
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        local = m.moved_at.astimezone(self._zone).replace(tzinfo=None)
        row = {
            "himv_id": m.id,
            "himv_dtmovimentacao": local.date(),
            "himv_hrmovimentacao": local.time(),
            "himm_id": m.reason_id,
            "himv_dsparecer": m.remark,
            # GSAN's origin is NOT NULL: meters that had no location are
            # written as leaving their destination (the companion keeps None)
            "hila_idhidmtlocalarmzorigem": (
                m.origin_id if m.origin_id is not None else m.destination_id
            ),
            "hila_idhidmtlocalarmzdest": m.destination_id,
            "usur_id": m.actor,
        }
        extra = {
            "himv_id": m.id,
            "origin_id": m.origin_id,
            "situation_id": m.situation_id,
            "count": m.count,
            "registered_at": m.registered_at,
        }
        return row, extra

    def _criterion(self, field: str) -> sa.ColumnElement[Any]:
        return self._t.c[_MOVEMENT_FIELDS[field]]

    def add_lines(self, movement_id: int, hydrometer_ids: Iterable[int]) -> None:
        self._writable()
        now = self._uow.local_now
        for batch in chunks(hydrometer_ids):
            rows = [
                {"himv_id": movement_id, "hidr_id": i, "hdmv_tmultimaalteracao": now}
                for i in batch
            ]
            with translated("hydrometer_movement_line", movement_id):
                self._conn.execute(sa.insert(self._tables.lines), rows)

    def hydrometer_ids(self, movement_id: int) -> Sequence[int]:
        lines = self._tables.lines
        statement = (
            sa.select(lines.c.hidr_id)
            .where(lines.c.himv_id == movement_id)
            .order_by(lines.c.hidr_id)
        )
        with translated("hydrometer_movement_line"):
            return [int(i) for i in self._conn.execute(statement).scalars()]

    def _newest_first(self) -> list[Any]:
        return [self._moved_at().desc(), self._t.c.himv_id.desc()]

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        moved_from: datetime | None = None,
        moved_until: datetime | None = None,
        location_id: int | None = None,
        situation_id: int | None = None,
        number_from: str | None = None,
        number_to: str | None = None,
    ) -> Sequence[HydrometerMovement]:
        t, moved_at = self._t, self._moved_at()
        local: Callable[[datetime], datetime] = lambda d: d.astimezone(  # noqa: E731
            self._zone
        ).replace(tzinfo=None)
        clauses: list[sa.ColumnElement[bool]] = []
        if moved_from is not None:
            clauses.append(moved_at >= local(moved_from))
        if moved_until is not None:
            clauses.append(moved_at < local(moved_until))
        if location_id is not None:
            origin: Any = t.c.hila_idhidmtlocalarmzorigem
            if self._x is not None:
                # the companion's origin (None for meters that had none)
                origin = sa.case(
                    (self._x.c.himv_id.is_(None), origin), else_=self._x.c.origin_id
                )
            clauses.append(
                sa.or_(
                    origin == location_id, t.c.hila_idhidmtlocalarmzdest == location_id
                )
            )
        if situation_id is not None:
            situation: Any = sa.literal(self._situation)
            if self._x is not None:
                situation = sa.func.coalesce(self._x.c.situation_id, situation)
            clauses.append(situation == situation_id)
        if number_from is not None or number_to is not None:
            clauses.append(self._numbered(number_from, number_to))
        statement = (
            self._select()
            .where(*clauses)
            .order_by(*self._newest_first())
            .limit(limit)
            .offset(offset)
        )
        with translated(self._entity):
            rows = self._conn.execute(statement).mappings().all()
        return [self._build(r) for r in rows]

    def _numbered(self, first: str | None, last: str | None) -> sa.ColumnElement[bool]:
        lines, meter = self._tables.lines, self._tables.meter
        inner = [lines.c.himv_id == self._t.c.himv_id]
        if first is not None:
            inner.append(meter.c.hidr_nnhidrometro >= first)
        if last is not None:
            inner.append(meter.c.hidr_nnhidrometro <= last)
        return sa.exists(
            sa.select(lines.c.himv_id)
            .join(meter, meter.c.hidr_id == lines.c.hidr_id)
            .where(*inner)
        )

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        lines = self._tables.lines
        on_meter = sa.exists(
            sa.select(lines.c.himv_id).where(
                lines.c.himv_id == self._t.c.himv_id, lines.c.hidr_id == hydrometer_id
            )
        )
        return self._read(on_meter, order=[self._moved_at()])
