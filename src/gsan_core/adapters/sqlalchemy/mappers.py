"""Explicit row <-> model mappers (no ORM mapping of the frozen model).

:class:`RowMapper` pairs one attrs class with one table: every field maps to the
column of the same name through a codec chosen from the field's type (enums by
value, tuples of attrs values and sets as JSON, everything else as is). The codecs
are resolved once, so mapping a row is a dictionary comprehension.

The mapper is also *mappable* onto tables the library does not own (an existing
GSAN database): ``columns`` renames fields (``{"connected_on":
"lagu_dtligacaoagua"}``), ``overrides`` replaces codecs (GSAN's 1/2 flags,
``char(n)`` padding), and ``id_column`` / ``version_column`` name the key and the
compare-and-set column. The defaults keep the library's own tables unchanged.
"""

from __future__ import annotations

import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

import attrs
import sqlalchemy as sa

__all__ = ["RowMapper", "decode_attributes", "encode_attributes", "value_codec"]

T = TypeVar("T")
Codec = tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _codec_for(tp: Any) -> Codec:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        enum_type = tp
        # member -> value by a dict lookup: ``member.value`` is a descriptor
        # call, and this encoder runs per item of a document.
        values: dict[Any, Any] = {member: member.value for member in tp}

        def encode(v: Any) -> Any:
            if v is None:
                return None
            found = values.get(v)
            return v.value if found is None else found

        return encode, (lambda v: None if v is None else enum_type(v))
    if origin in (frozenset, set):
        return sorted, (lambda v: frozenset(v or ()))
    if origin is tuple:
        args = typing.get_args(tp)
        inner = args[0] if args else Any
        if attrs.has(inner):
            inner_mapper = _ValueCodec(inner)
            return (
                lambda v: [inner_mapper.encode(x) for x in v],
                lambda v: tuple(inner_mapper.decode(x) for x in (v or ())),
            )
        return list, (lambda v: tuple(v or ()))
    if tp is Decimal:
        return None, (lambda v: None if v is None else Decimal(v))
    return None, None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints`` of a model class, evaluated once per process
    (it compiles every string annotation: ~1 ms a class, ~75 ms a backend)."""
    return typing.get_type_hints(cls)


class _ValueCodec:
    """JSON form of a small attrs value object (``Economies``, ``ChargeShare``)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        hints = _hints(cls)
        self.fields = [(f.name, *_json_codec(hints[f.name])) for f in attrs.fields(cls)]
        # encode() is per item of a document (120 for a statement): one
        # attrgetter for every field, then the encoders by position.
        self._names = [name for name, _, _ in self.fields]
        self._encoders = [
            (at, enc) for at, (_, enc, _) in enumerate(self.fields) if enc is not None
        ]
        getter = operator.attrgetter(*self._names) if self._names else None
        self._values: Callable[[Any], list[Any]] = (
            (lambda _: [])
            if getter is None
            else (lambda v: [getter(v)])
            if len(self._names) == 1
            else (lambda v: list(getter(v)))
        )

    def encode(self, value: Any) -> dict[str, Any]:
        values = self._values(value)
        for at, enc in self._encoders:
            values[at] = enc(values[at])
        return dict(zip(self._names, values, strict=True))

    def decode(self, data: Mapping[Any, Any]) -> Any:
        return self.cls(
            **{
                name: (dec(data[name]) if dec else data[name])
                for name, _, dec in self.fields
                if name in data
            }
        )


def value_codec(cls: type) -> Codec:
    """The codec of a column holding a small attrs value object as JSON
    (a ``RowMapper`` override, e.g. a selective command's criteria)."""
    codec = _ValueCodec(cls)
    return codec.encode, codec.decode


def _json_codec(tp: Any) -> Codec:
    base = _strip_optional(tp)
    if base is Decimal:
        return (lambda v: None if v is None else str(v)), (
            lambda v: None if v is None else Decimal(v)
        )
    if base in (date, time, datetime):
        parse = base.fromisoformat
        return (lambda v: None if v is None else v.isoformat()), (
            lambda v: None if v is None else parse(v)
        )
    return _codec_for(tp)


class RowMapper(Generic[T]):
    """Maps one attrs class to and from the rows of one table."""

    def __init__(
        self,
        cls: type[T],
        table: sa.Table,
        *,
        overrides: Mapping[str, Codec] | None = None,
        columns: Mapping[str, str] | None = None,
        id_column: str = "id",
        version_column: str = "version",
        touch: Mapping[str, Any] | None = None,
        writable: Iterable[str] | None = None,
    ) -> None:
        self.cls = cls
        self.table = table
        #: The key and compare-and-set columns (``id`` / ``version`` by default).
        self.id_column = id_column
        self.version_column = version_column
        #: Columns every update also sets to a fixed SQL expression (a legacy
        #: table's last-change stamp), outside the entity's fields.
        self.touch = dict(touch or {})
        #: The fields an update writes (``None``: every field). A mapper onto a
        #: table shared with another application updates only what it owns.
        self.writable = None if writable is None else frozenset(writable)
        hints = _hints(cast("type", cls))
        present = set(table.c.keys())
        renamed = dict(columns or {})
        #: field name -> column key, for every field of the class.
        self.columns: dict[str, str] = {}
        self.fields: list[
            tuple[str, Callable[[Any], Any] | None, Callable[[Any], Any] | None]
        ] = []
        for field in attrs.fields(cls):  # type: ignore[arg-type]
            column = renamed.get(field.name, field.name)
            if column not in present:
                msg = f"{cls.__name__}.{field.name} has no column in {table.name}"
                raise TypeError(msg)
            encode, decode = (overrides or {}).get(field.name) or _codec_for(
                hints[field.name]
            )
            self.columns[field.name] = column
            self.fields.append((field.name, encode, decode))
        self._identity = all(k == v for k, v in self.columns.items())
        self._plain = self._identity and all(e is None for _, e, _ in self.fields)

    @functools.cached_property
    def key_columns(self) -> tuple[sa.Column[Any], sa.Column[Any]]:
        """The id and version columns (looked up once: every unit of work
        builds some sixty repositories from these mappers)."""
        return (
            self.table.c[self.id_column],
            self.table.c[self.version_column],
        )

    @functools.cached_property
    def cas_update(self) -> sa.Update:
        """``UPDATE ... WHERE id = :k_id AND version = :k_expected`` setting every
        other column from ``v_<column>`` parameters (built once per mapper)."""
        table = self.table
        key, version = self.id_column, self.version_column
        skip = {key, version, *self.touch}
        data = [c for c in table.c if c.key not in skip]
        if self.writable is not None:
            owned = {self.columns[f] for f in self.writable}
            data = [c for c in data if c.key in owned]
        return (
            sa.update(table)
            .where(
                table.c[key] == sa.bindparam("k_id"),
                table.c[version] == sa.bindparam("k_expected"),
            )
            .values(
                {c.key: sa.bindparam(f"v_{c.key}") for c in data}
                | {version: sa.bindparam("v_version")}
                | self.touch
            )
        )

    @functools.cached_property
    def cas_delete(self) -> sa.Delete:
        """``DELETE ... WHERE id = :k_id AND version = :k_expected`` (built
        once per mapper: a statement built per call costs SQLAlchemy its cache
        key each time)."""
        key, version = self.key_columns
        return sa.delete(self.table).where(
            key == sa.bindparam("k_id"), version == sa.bindparam("k_expected")
        )

    @functools.cached_property
    def select_by_id(self) -> sa.Select[Any]:
        """``SELECT * ... WHERE id = :id`` (built once per mapper)."""
        return sa.select(self.table).where(
            self.table.c[self.id_column] == sa.bindparam("id")
        )

    @functools.cached_property
    def lock_by_id(self) -> sa.Select[Any]:
        """``SELECT * ... WHERE id = :id FOR UPDATE`` (a plain read on SQLite,
        whose writing transaction already holds the database's write lock)."""
        return self.select_by_id.with_for_update()

    def to_row(self, entity: T) -> dict[str, Any]:
        """The column values of ``entity``."""
        if self._plain:
            return {name: getattr(entity, name) for name, _, _ in self.fields}
        columns = self.columns
        return {
            columns[name]: (
                enc(getattr(entity, name)) if enc else getattr(entity, name)
            )
            for name, enc, _ in self.fields
        }

    def to_rows(self, entities: Iterable[T]) -> list[dict[str, Any]]:
        """The column values of many entities."""
        return [self.to_row(e) for e in entities]

    def from_row(self, row: Mapping[Any, Any]) -> T:
        """The entity of a row (``RowMapping``)."""
        if not self._identity:
            columns = self.columns
            return self.cls(
                **{
                    name: (dec(row[columns[name]]) if dec else row[columns[name]])
                    for name, _, dec in self.fields
                }
            )
        return self.cls(
            **{
                name: (dec(row[name]) if dec else row[name])
                for name, _, dec in self.fields
            }
        )

    def from_rows(self, rows: Sequence[Mapping[Any, Any]]) -> list[T]:
        """The entities of many rows."""
        return [self.from_row(r) for r in rows]


def encode_attributes(attributes: Mapping[Any, Any]) -> dict[str, Any]:
    """JSON form of catalog attributes: decimals tagged so they come back exact."""
    return {
        key: {"decimal": str(value)} if isinstance(value, Decimal) else value
        for key, value in attributes.items()
    }


def decode_attributes(data: Mapping[Any, Any] | None) -> dict[str, Any]:
    """Catalog attributes from their JSON form."""
    return {
        key: Decimal(value["decimal"]) if isinstance(value, dict) else value
        for key, value in (data or {}).items()
    }
