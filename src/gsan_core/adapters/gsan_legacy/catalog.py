"""The catalogue over GSAN's own reference tables: reads and (opt-in) writes.

Each catalogue kind maps to a GSAN table (``LegacyProfile.catalog_tables``).
GSAN's reference tables share a layout: a prefix (``last_``, ``cotp_``...), the
key ``<prefix>id``, a description ``<prefix>ds...``, an optional abbreviation
``<prefix>dsab...``, the "in use" flag ``<prefix>icuso`` (1 = yes) and the
last-change stamp ``<prefix>tmultimaalteracao``; the typed columns some add
(a sewer profile's percentage) are the profile's ``catalog_attributes``. The
columns are resolved once per table and backend from ``information_schema``.

Writes (``add``, ``update``, ``remove``; deactivating is an update with
``active=False``) need the opt-in locking migration (``c0004`` puts the
version column on the reference tables): they set only the mapped columns and
the profile's NOT NULL defaults, stamp ``*_tmultimaalteracao`` and are a
compare-and-set on the version column, so two writers (the library's, or
GSAN's "Manter" screen, whose updates bump the column through the trigger)
never overwrite each other. An abbreviation on a table without an
abbreviation column is kept in the companion ``catalog_extra`` table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConcurrencyConflict, ConfigurationError, NotFound
from gsan_core.model.catalog import AttributeValue, CatalogItem, Reference
from gsan_core.model.kinds import kinds_by_name

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["CatalogLayout", "CatalogLayouts", "LegacyCatalog", "layout_of"]

READ_ONLY = (
    "GSAN's reference table {table} has no optimistic-locking column: run the"
    " opt-in locking migration (gsan_core.adapters.gsan_legacy.migrations."
    "upgrade(engine, profile, locking=True)) before writing the catalogue"
)
_KINDS = kinds_by_name()


@attrs.frozen
class CatalogLayout:
    """The columns of one GSAN reference table."""

    table: str
    key: str
    description: str | None
    abbreviation: str | None
    in_use: str | None
    #: ``<prefix>tmultimaalteracao``, if the table has it.
    stamp: str | None = None
    #: The opt-in optimistic-locking column, once migrated.
    version: str | None = None


def layout_of(
    table: str, columns: Sequence[str], version_column: str | None = None
) -> CatalogLayout:
    """Find the key, description, abbreviation, flag, stamp and version among
    ``columns``."""
    key = next((c for c in columns if c.endswith("_id")), columns[0])
    prefix = key.removesuffix("id")
    abbreviation = next((c for c in columns if c.startswith(f"{prefix}dsab")), None)
    description = next(
        (c for c in columns if c.startswith(f"{prefix}ds") and c != abbreviation),
        None,
    )
    in_use = f"{prefix}icuso" if f"{prefix}icuso" in columns else None
    stamp = f"{prefix}tmultimaalteracao"
    return CatalogLayout(
        table,
        key,
        description,
        abbreviation,
        in_use,
        stamp if stamp in columns else None,
        version_column if version_column in columns else None,
    )


class CatalogLayouts:
    """Layouts resolved once per backend (thread-safe)."""

    def __init__(self, version_column: str | None = None) -> None:
        self._lock = threading.Lock()
        self._found: dict[str, CatalogLayout] = {}
        self._version = version_column

    def get(self, connection: sa.Connection, table: str) -> CatalogLayout:
        with self._lock:
            found = self._found.get(table)
        if found is not None:
            return found
        schema, name = table.split(".")
        columns = list(
            connection.execute(
                sa.text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = :s AND table_name = :t"
                    " ORDER BY ordinal_position"
                ),
                {"s": schema, "t": name},
            ).scalars()
        )
        layout = layout_of(table, columns, self._version)
        with self._lock:
            self._found[table] = layout
        return layout


_Decoders = dict[str, Callable[[Any], AttributeValue]]


def _flag(yes: int, value: Any) -> bool | None:
    return None if value is None else bool(value == yes)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _plain(value: Any) -> AttributeValue:
    return value.rstrip() if isinstance(value, str) else value


UNMAPPED_REFERENCE = (
    "the legacy catalogue counts references through GSAN's mapped columns:"
    " {entity}.{field} has none"
)


class LegacyCatalog:
    """The catalogue port over GSAN's reference tables."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        self._layouts: CatalogLayouts = uow.catalog_layouts

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def _layout(self, kind: str) -> CatalogLayout:
        table = self._uow.profile.catalog_table(kind)
        if table is None:
            msg = f"no GSAN table for catalogue kind {kind!r} in the legacy profile"
            raise ConfigurationError(msg, field="catalog_tables", kind="profile")
        return self._layouts.get(self._conn, table)

    def _attributes(self, kind: str) -> Mapping[str, str]:
        return self._uow.profile.catalog_attributes.get(kind, {})

    # ---------------------------------------------------------------- reads
    def _read(
        self, kind: str, where: str, params: Mapping[str, Any]
    ) -> list[CatalogItem]:
        layout = self._layout(kind)
        attributes = self._attributes(kind)
        short = layout.abbreviation and f"t.{layout.abbreviation}"
        join = ""
        if short is None and layout.version is not None:
            # the companion abbreviation (``c0004`` made the table with the column)
            join = (
                f" LEFT JOIN {self._uow.profile.companion_schema}.catalog_extra x"
                f" ON x.catalog_table = :table AND x.id = t.{layout.key}"
            )
            short = "x.abbreviation"
        extra = "".join(f", t.{c} AS a_{n}" for n, c in attributes.items())
        statement = sa.text(
            f"SELECT t.{layout.key} AS id,"
            f" {f't.{layout.description}' if layout.description else 'NULL'}"
            f" AS description, {short or 'NULL'} AS abbreviation,"
            f" {f't.{layout.in_use}' if layout.in_use else '1'} AS in_use,"
            f" {f't.{layout.version}' if layout.version else '1'} AS version{extra}"
            f" FROM {layout.table} t{join} WHERE {where} ORDER BY t.{layout.key}"
        )
        decoders = self._decoders(kind, attributes)
        with translated("catalog"):
            rows = self._conn.execute(
                statement, {**params, "table": layout.table}
            ).all()
        return [self._item(kind, row, decoders) for row in rows]

    def _decoders(self, kind: str, attributes: Iterable[str]) -> _Decoders:
        """attribute -> how its column's value reads (once a read, not a row):
        a ``bool`` attribute is GSAN's 1/2 flag, a ``decimal`` a ``Decimal``,
        text loses its ``char(n)`` padding."""
        spec = _KINDS.get(kind)
        yes = self._uow.profile.flag_true
        found: _Decoders = {}
        for name in attributes:
            attribute = spec.attribute(name) if spec is not None else None
            kind_of = attribute.type if attribute is not None else None
            if kind_of == "bool":
                found[name] = partial(_flag, yes)
            elif kind_of == "decimal":
                found[name] = _decimal
            else:
                found[name] = _plain
        return found

    def _item(self, kind: str, row: Sequence[Any], decoders: _Decoders) -> CatalogItem:
        """One item of a row of :meth:`_read`'s statement: id, description,
        abbreviation, in use, version, then the attributes in mapping order."""
        ident, description, short, in_use, version, *values = row
        return CatalogItem(
            kind=kind,
            id=int(ident),
            description=(description or "").rstrip(),
            abbreviation=None if short is None else str(short).rstrip(),
            active=in_use in (None, self._uow.profile.flag_true),
            attributes={
                name: decode(value)
                for (name, decode), value in zip(decoders.items(), values, strict=True)
            },
            version=int(version),
        )

    def find(self, kind: str, id: int) -> CatalogItem | None:
        key = self._layout(kind).key
        found = self._read(kind, f"t.{key} = :id", {"id": id})
        return found[0] if found else None

    def get(self, kind: str, id: int) -> CatalogItem:
        found = self.find(kind, id)
        if found is None:
            raise NotFound(kind, id)
        return found

    def find_many(
        self, keys: Iterable[tuple[str, int]]
    ) -> Mapping[tuple[str, int], CatalogItem]:
        """One statement per kind among ``keys``."""
        by_kind: dict[str, set[int]] = {}
        for kind, ident in keys:
            by_kind.setdefault(kind, set()).add(ident)
        found: dict[tuple[str, int], CatalogItem] = {}
        for kind, ids in by_kind.items():
            key = self._layout(kind).key
            for item in self._read(kind, f"t.{key} = ANY(:ids)", {"ids": sorted(ids)}):
                found[kind, item.id] = item
        return found

    def list(
        self, kind: str, *, active_only: bool = False, cached: bool = False
    ) -> Sequence[CatalogItem]:
        del cached  # GSAN's tables read as they are
        items = self._read(kind, "TRUE", {})
        return [i for i in items if i.active] if active_only else items

    # ---------------------------------------------------------------- writes
    def usage_count(self, kind: str, id: int, references: Collection[Reference]) -> int:
        """Rows of GSAN's mapped tables using the row, one count per
        reference: a mapped column (``imovel.last_id``), or a property's
        current collection situations (``imovel_cobranca_situacao`` without
        a withdrawal date)."""
        del kind
        total = 0
        for reference in references:
            with translated(reference.entity):
                found = self._conn.execute(*self._usage(reference, id)).scalar_one()
            total += int(found)
        return total

    def _usage(self, reference: Reference, id: int) -> tuple[sa.TextClause, Any]:
        if (reference.entity, reference.field) == (
            "property",
            "collection_situation_ids",
        ):
            sql = (
                "SELECT count(DISTINCT imov_id) FROM cadastro.imovel_cobranca_situacao"
                " WHERE cbst_id = :id AND iscb_dtretiradacobranca IS NULL"
            )
            return sa.text(sql), {"id": id}
        entity = self._uow.tables.maps.get(reference.entity)
        column = None if entity is None else entity.columns.get(reference.field)
        if entity is None or column is None:
            msg = UNMAPPED_REFERENCE.format(
                entity=reference.entity, field=reference.field
            )
            raise ConfigurationError(msg, kind="unmapped")
        sql = f"SELECT count(*) FROM {entity.table} WHERE {column} = :id"
        return sa.text(sql), {"id": id}

    def _writable(self, kind: str) -> tuple[CatalogLayout, str]:
        layout = self._layout(kind)
        if layout.version is None:
            msg = READ_ONLY.format(table=layout.table)
            raise ConfigurationError(msg, kind="read_only")
        return layout, layout.version

    def _values(self, item: CatalogItem, layout: CatalogLayout) -> dict[str, Any]:
        """The mapped columns of ``item`` (an unmapped attribute is refused)."""
        profile = self._uow.profile
        columns = self._attributes(item.kind)
        unmapped = sorted(set(item.attributes) - set(columns))
        if unmapped:
            msg = (
                f"catalogue kind {item.kind!r} has no GSAN column for"
                f" {', '.join(unmapped)} (LegacyProfile.catalog_attributes)"
            )
            raise ConfigurationError(msg, field="catalog_attributes", kind="profile")
        values: dict[str, Any] = {}
        if layout.description is not None:
            values[layout.description] = item.description
        if layout.abbreviation is not None:
            values[layout.abbreviation] = item.abbreviation
        if layout.in_use is not None:
            values[layout.in_use] = (
                profile.flag_true if item.active else profile.flag_false
            )
        for name, column in columns.items():
            value = item.attributes.get(name)
            if isinstance(value, bool):
                value = profile.flag_true if value else profile.flag_false
            values[column] = value
        return values

    def add(self, item: CatalogItem) -> None:
        self.add_many([item])

    def add_many(self, items: Iterable[CatalogItem]) -> None:
        """Insert GSAN rows with the profile's NOT NULL defaults, stamped."""
        for item in items:
            layout, version = self._writable(item.kind)
            defaults = self._uow.profile.not_null_defaults.get(layout.table, {})
            row = {
                **defaults,
                **self._values(item, layout),
                layout.key: item.id,
                version: item.version,
            }
            if layout.stamp is not None:
                row[layout.stamp] = self._uow.local_now
            names = ", ".join(row)
            params = ", ".join(f":p{n}" for n in range(len(row)))
            statement = sa.text(
                f"INSERT INTO {layout.table} ({names}) VALUES ({params})"
            )
            with translated(item.kind, item.id):
                self._conn.execute(
                    statement, {f"p{n}": v for n, v in enumerate(row.values())}
                )
                self._keep_abbreviation(layout, item)

    def _keep_abbreviation(self, layout: CatalogLayout, item: CatalogItem) -> None:
        if layout.abbreviation is not None:
            return
        self._conn.execute(
            sa.text(
                f"INSERT INTO {self._uow.profile.companion_schema}.catalog_extra"
                " (catalog_table, id, abbreviation) VALUES (:t, :i, :a)"
                " ON CONFLICT (catalog_table, id)"
                " DO UPDATE SET abbreviation = excluded.abbreviation"
            ),
            {"t": layout.table, "i": item.id, "a": item.abbreviation},
        )

    def update(self, item: CatalogItem) -> None:
        """Compare-and-set: ``item.version`` is the stored version plus one."""
        layout, version = self._writable(item.kind)
        values = self._values(item, layout)
        sets = [f"{c} = :p{n}" for n, c in enumerate(values)]
        if layout.stamp is not None:
            sets.append(f"{layout.stamp} = :stamp")
        statement = sa.text(
            f"UPDATE {layout.table} SET {', '.join(sets)}"
            f" WHERE {layout.key} = :id AND {version} = :expected"
        )
        params = {f"p{n}": v for n, v in enumerate(values.values())}
        params |= {"id": item.id, "expected": item.version - 1}
        params["stamp"] = self._uow.local_now
        with translated(item.kind, item.id):
            changed = self._conn.execute(statement, params).rowcount
            if changed == 1:
                self._keep_abbreviation(layout, item)
        if changed != 1:
            self._conflict(layout, item, item.version)

    def update_many(self, items: Iterable[CatalogItem]) -> None:
        for item in items:
            self.update(item)

    def remove(self, item: CatalogItem) -> None:
        """Delete the row at ``item.version`` (GSAN's foreign keys refuse a
        row in use, translated)."""
        layout, version = self._writable(item.kind)
        statement = sa.text(
            f"DELETE FROM {layout.table} WHERE {layout.key} = :id"
            f" AND {version} = :version"
        )
        with translated(item.kind, item.id):
            removed = self._conn.execute(
                statement, {"id": item.id, "version": item.version}
            ).rowcount
            if removed == 1 and layout.abbreviation is None:
                self._conn.execute(
                    sa.text(
                        f"DELETE FROM {self._uow.profile.companion_schema}"
                        ".catalog_extra WHERE catalog_table = :t AND id = :i"
                    ),
                    {"t": layout.table, "i": item.id},
                )
        if removed != 1:
            self._conflict(layout, item, item.version)

    def _conflict(self, layout: CatalogLayout, item: CatalogItem, seen: int) -> None:
        if self.find(item.kind, item.id) is None:
            raise NotFound(item.kind, item.id)
        raise ConcurrencyConflict(item.kind, item.id, seen)
