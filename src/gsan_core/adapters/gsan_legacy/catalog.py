"""The catalogue read from GSAN's own reference tables (phase 1: reads only).

Each catalogue kind maps to a GSAN table (``LegacyProfile.catalog_tables``).
GSAN's reference tables share a layout: a prefix (``last_``, ``cotp_``...), the
key ``<prefix>id``, a description ``<prefix>ds...``, an optional abbreviation
``<prefix>dsab...`` and the "in use" flag ``<prefix>icuso`` (1 = yes). The
columns are resolved once per table from ``information_schema``. Catalogue
writes on GSAN's tables are phase 2: they raise ``configuration.read_only``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConfigurationError, NotFound
from gsan_core.model.catalog import CatalogItem

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["CatalogLayout", "LegacyCatalog", "layout_of"]

PHASE_2 = "catalogue writes on GSAN's reference tables come in phase 2"


@attrs.frozen
class CatalogLayout:
    """The columns of one GSAN reference table."""

    table: str
    key: str
    description: str | None
    abbreviation: str | None
    in_use: str | None


def layout_of(table: str, columns: Sequence[str]) -> CatalogLayout:
    """Find the key, description, abbreviation and flag among ``columns``."""
    key = next((c for c in columns if c.endswith("_id")), columns[0])
    prefix = key.removesuffix("id")
    abbreviation = next((c for c in columns if c.startswith(f"{prefix}dsab")), None)
    description = next(
        (c for c in columns if c.startswith(f"{prefix}ds") and c != abbreviation),
        None,
    )
    in_use = f"{prefix}icuso" if f"{prefix}icuso" in columns else None
    return CatalogLayout(table, key, description, abbreviation, in_use)


class _Layouts:
    """Layouts resolved once per backend (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[str, CatalogLayout] = {}

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
        layout = layout_of(table, columns)
        with self._lock:
            self._found[table] = layout
        return layout


LAYOUTS = _Layouts()


class LegacyCatalog:
    """The catalogue port over GSAN's reference tables (reads)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow

    def _layout(self, kind: str) -> CatalogLayout:
        table = self._uow.profile.catalog_tables.get(kind)
        if table is None:
            msg = f"no GSAN table for catalogue kind {kind!r} in the legacy profile"
            raise ConfigurationError(msg, field="catalog_tables", kind="profile")
        return LAYOUTS.get(self._uow.connection, table)

    def _read(
        self, kind: str, where: str, params: Mapping[str, Any]
    ) -> list[CatalogItem]:
        layout = self._layout(kind)
        description = layout.description or "NULL"
        abbreviation = layout.abbreviation or "NULL"
        in_use = layout.in_use or "1"
        statement = sa.text(
            f"SELECT {layout.key} AS id, {description} AS description,"
            f" {abbreviation} AS abbreviation, {in_use} AS in_use"
            f" FROM {layout.table} WHERE {where} ORDER BY {layout.key}"
        )
        with translated("catalog"):
            rows = self._uow.connection.execute(statement, params).all()
        return [
            CatalogItem(
                kind=kind,
                id=int(ident),
                description=(text or "").rstrip(),
                abbreviation=None if short is None else str(short).rstrip(),
                active=use in (None, self._uow.profile.flag_true),
            )
            for ident, text, short, use in rows
        ]

    def find(self, kind: str, id: int) -> CatalogItem | None:
        key = self._layout(kind).key
        found = self._read(kind, f"{key} = :id", {"id": id})
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
            for item in self._read(kind, f"{key} = ANY(:ids)", {"ids": sorted(ids)}):
                found[kind, item.id] = item
        return found

    def list(self, kind: str, *, active_only: bool = False) -> Sequence[CatalogItem]:
        items = self._read(kind, "TRUE", {})
        return [i for i in items if i.active] if active_only else items

    def add(self, item: CatalogItem) -> None:
        raise ConfigurationError(PHASE_2, kind="read_only")

    def add_many(self, items: Iterable[CatalogItem]) -> None:
        raise ConfigurationError(PHASE_2, kind="read_only")

    def update(self, item: CatalogItem) -> None:
        raise ConfigurationError(PHASE_2, kind="read_only")

    def remove(self, item: CatalogItem) -> None:
        raise ConfigurationError(PHASE_2, kind="read_only")
