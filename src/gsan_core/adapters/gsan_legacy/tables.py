"""Core tables over GSAN's own tables, narrowed to the columns the profile maps.

Each :class:`sa.Table` lists only the key, the mapped columns, the last-change
stamp and (with the opt-in migration) the version column: a statement built on
it cannot name a column the library does not own. The companion tables follow.
"""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import codecs
from gsan_core.adapters.gsan_legacy.profile import EntityMap, LegacyProfile
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.model.connections import (
    SewerConnection,
    SituationChange,
    WaterConnection,
)
from gsan_core.model.hydrometers import Hydrometer

__all__ = ["LegacyTables"]

#: Fields each phase-1 writer owns (the rest of the row is GSAN's).
_PROPERTY_OWNED = ("water_status_id", "sewer_status_id", "well_type_id")


def _gsan_table(
    metadata: sa.MetaData,
    entity: EntityMap,
    version: str | None,
    defaults: Any = (),
) -> sa.Table:
    columns: list[sa.Column[Any]] = [
        sa.Column(entity.key, sa.Integer, primary_key=True, autoincrement=False)
    ]
    # the NOT NULL columns the profile fills on insert are written then only
    columns.extend(
        sa.Column(column)
        for column in sorted({*entity.columns.values(), *defaults} - {entity.key})
    )
    columns.append(sa.Column(entity.stamp, sa.DateTime))
    if version:
        columns.append(sa.Column(version, sa.Integer))
    return sa.Table(entity.name, metadata, *columns, schema=entity.schema)


def _companion(metadata: sa.MetaData, schema: str) -> dict[str, sa.Table]:
    return {
        "situation_change": sa.Table(
            "situation_change",
            metadata,
            sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
            *(
                sa.Column(name)
                for name in (
                    "property_id",
                    "kind",
                    "before_id",
                    "after_id",
                    "effective_on",
                    "at",
                    "operation",
                    "order_id",
                    "actor",
                    "reading",
                )
            ),
            schema=schema,
        ),
        "sewer_connection_extra": sa.Table(
            "sewer_connection_extra",
            metadata,
            sa.Column("lesg_id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("previous_status_id", sa.Integer),
            sa.Column("request_id", sa.BigInteger),
            schema=schema,
        ),
        "hydrometer_extra": sa.Table(
            "hydrometer_extra",
            metadata,
            sa.Column("hidr_id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("turbine_type_id", sa.Integer),
            schema=schema,
        ),
        "id_block": sa.Table(
            "id_block",
            metadata,
            sa.Column("name", sa.String(80), primary_key=True),
            sa.Column("next_value", sa.BigInteger, nullable=False),
            schema=schema,
        ),
        "outbox": sa.Table(
            "outbox",
            metadata,
            sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("tag"),
            sa.Column("occurred_at"),
            sa.Column("actor"),
            sa.Column("payload", sa.JSON),
            sa.Column("published_at"),
            schema=schema,
        ),
    }


@attrs.frozen
class Shape:
    """One aggregate on GSAN: its narrowed table, companion table and mapper.

    The mapper works on the *shape* of a read (the GSAN columns, the version
    labelled ``__version``, the companion fields by field name); the
    repositories build their statements on :attr:`table` and :attr:`extra`.
    """

    entity: EntityMap
    table: sa.Table
    extra: sa.Table | None
    mapper: RowMapper[Any]
    #: Fields kept in :attr:`extra`.
    companion: tuple[str, ...]
    #: GSAN columns the library writes (``None``: every mapped column).
    owned: frozenset[str]
    version: str | None

    @property
    def key(self) -> sa.Column[Any]:
        return self.table.c[self.entity.key]

    def select(self) -> sa.Select[Any]:
        """Every mapped column, the version and the companion fields."""
        t = self.table
        version: Any = t.c[self.version] if self.version else sa.literal(1)
        columns: list[Any] = [c for c in t.c if c.key not in {self.version}]
        columns.append(version.label(VERSION_LABEL))
        source: Any = t
        if self.extra is not None:
            x = self.extra
            source = t.outerjoin(x, x.c[self.entity.key] == self.key)
            columns += [x.c[f].label(f) for f in self.companion]
        return sa.select(*columns).select_from(source)

    def split(self, entity: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """(GSAN columns, companion fields) of ``entity``; the version left out."""
        row = self.mapper.to_row(entity)
        row.pop(VERSION_LABEL)
        extra = {f: row.pop(f) for f in self.companion}
        return row, extra


VERSION_LABEL = "__version"


def _shape(  # noqa: PLR0917 - private, called three times
    profile: LegacyProfile,
    cls: type[Any],
    table: sa.Table,
    extra: sa.Table | None,
    version: str | None,
    owned: frozenset[str] | None = None,
) -> Shape:
    name = _ENTITY_OF[cls]
    entity = profile.entity(name)
    fields = {f.name for f in attrs.fields(cls)}
    companion = profile.companion_fields(name)
    columns = {f: c for f, c in entity.columns.items() if f in fields}
    columns["version"] = VERSION_LABEL
    shape = sa.Table(
        f"{entity.name}_shape",
        sa.MetaData(),
        *(sa.Column(c) for c in columns.values()),
        *(sa.Column(f) for f in companion),
    )
    overrides = {
        f: codecs.flag(profile.flag_true, profile.flag_false) for f in entity.flags
    } | {f: codecs.padded() for f in entity.padded}
    mapper = RowMapper(
        cls,
        shape,
        columns=columns,
        overrides=overrides,
        id_column=entity.key,
        version_column=VERSION_LABEL,
    )
    return Shape(
        entity=entity,
        table=table,
        extra=extra if companion else None,
        mapper=mapper,
        companion=companion,
        owned=owned
        if owned is not None
        else frozenset(columns[f] for f in columns if f not in {"id", "version"}),
        version=version,
    )


_ENTITY_OF: dict[type, str] = {
    WaterConnection: "water_connection",
    SewerConnection: "sewer_connection",
    Hydrometer: "hydrometer",
}


class LegacyTables:
    """The narrowed GSAN tables, the companion tables and the shapes."""

    def __init__(self, profile: LegacyProfile, *, locking: bool) -> None:
        self.profile = profile
        self.metadata = sa.MetaData()
        self.version = profile.version_column if locking else None
        self.maps = {
            name: profile.entity(name)
            for name in (
                "water_connection",
                "sewer_connection",
                "hydrometer",
                "property",
            )
        }
        self.gsan = {
            name: _gsan_table(
                self.metadata,
                entity,
                self.version,
                profile.not_null_defaults.get(entity.table, {}),
            )
            for name, entity in self.maps.items()
        }
        self.companion = _companion(self.metadata, profile.companion_schema)
        #: A naive local "now" in the profile's zone: GSAN's stamp convention.
        self.now = sa.func.timezone(profile.time_zone, sa.func.now())
        c = self.companion
        self.water = _shape(
            profile, WaterConnection, self.gsan["water_connection"], None, self.version
        )
        self.sewer = _shape(
            profile,
            SewerConnection,
            self.gsan["sewer_connection"],
            c["sewer_connection_extra"],
            self.version,
        )
        self.hydrometer = _shape(
            profile,
            Hydrometer,
            self.gsan["hydrometer"],
            c["hydrometer_extra"],
            self.version,
        )
        self.history = RowMapper(SituationChange, c["situation_change"])
        #: The property columns the connection and meter operations write.
        self.property_owned = tuple(
            self.maps["property"].columns[f] for f in _PROPERTY_OWNED
        )
