"""The library's tables as SQLAlchemy Core, built on a caller's ``MetaData``.

:func:`build_tables` defines every table with an optional schema and a table
prefix (``gsan_`` by default), so the tables can join a host application's
metadata and its own Alembic history. Each area defines its tables in its own
module of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.schema import (
    accounts,
    connections,
    field_work,
    foundation,
    hydrometers,
    inspections,
    scheduling,
    service_desk,
    service_orders,
    service_requests,
)

__all__ = ["AREAS", "TableBuilder", "Tables", "build_tables"]


class TableBuilder:
    """Creates tables with the right name, schema and metadata."""

    def __init__(
        self, metadata: sa.MetaData, *, schema: str | None, prefix: str
    ) -> None:
        self.metadata = metadata
        self.schema = schema
        self.prefix = prefix
        self.tables: dict[str, sa.Table] = {}

    def name(self, logical: str) -> str:
        """The physical table name of a logical one."""
        return f"{self.prefix}{logical}"

    def fk(self, logical: str, column: str = "id", **options: Any) -> sa.ForeignKey:
        """A foreign key to ``logical.column`` honouring schema and prefix."""
        target = f"{self.name(logical)}.{column}"
        if self.schema:
            target = f"{self.schema}.{target}"
        return sa.ForeignKey(target, **options)

    def table(self, logical: str, *columns: sa.schema.SchemaItem) -> sa.Table:
        """Define and remember the table ``logical``."""
        table = sa.Table(
            self.name(logical), self.metadata, *columns, schema=self.schema
        )
        self.tables[logical] = table
        return table


#: The modules that define tables, in dependency order.
AREAS: tuple[Callable[[TableBuilder], None], ...] = (
    foundation.define,
    service_orders.define,
    connections.define,
    hydrometers.define,
    service_requests.define,
    accounts.define,
    scheduling.define,
    service_desk.define,
    field_work.define,
    inspections.define,
)


class Tables(Mapping[str, sa.Table]):
    """The library's tables by logical name (``tables["property"]``)."""

    def __init__(
        self,
        metadata: sa.MetaData,
        tables: Mapping[str, sa.Table],
        *,
        schema: str | None,
        prefix: str,
    ) -> None:
        self.metadata = metadata
        self.schema = schema
        self.prefix = prefix
        self._tables = dict(tables)
        #: What is built from these tables once and shared by every backend
        #: over them, by name (the SQL backend's row mappers: ~70 of them,
        #: 50 to 200 ms to build).
        self.derived: dict[str, Any] = {}

    def __getitem__(self, name: str) -> sa.Table:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def build_tables(
    metadata: sa.MetaData | None = None,
    *,
    schema: str | None = None,
    prefix: str = "gsan_",
) -> Tables:
    """Define every table of the library on ``metadata`` (a new one by default)."""
    metadata = metadata if metadata is not None else sa.MetaData()
    builder = TableBuilder(metadata, schema=schema, prefix=prefix)
    for define in AREAS:
        define(builder)
    return Tables(metadata, builder.tables, schema=schema, prefix=prefix)
