"""Bulk loading of new rows: ``COPY ... FROM STDIN`` on PostgreSQL.

A cadastral load of a million properties spends most of its time in
``INSERT`` round trips; ``COPY`` streams a chunk's rows in one statement. The
rows are the repositories' own (their mappers' ``to_rows``) and every value
goes through its column type's bind processor, as an ``INSERT`` would send
it, so what is stored is the same. Columns a row leaves out get their server
defaults; a table with a Python-side default on such a column is loaded with
an ``INSERT`` instead (``COPY`` would skip that default). SQLite (and any
other dialect) gets one ``executemany`` ``INSERT``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated

__all__ = ["copy_rows"]


def copy_rows(
    connection: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    entity: str,
) -> None:
    """Insert ``rows`` (keyed by column key, all with the same keys) into
    ``table`` in this transaction: ``COPY`` on PostgreSQL."""
    if not rows:
        return
    keys = list(rows[0])
    if connection.dialect.name != "postgresql" or _python_defaults(table, keys):
        with translated(entity):
            connection.execute(sa.insert(table), list(rows))
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    columns = [table.c[key] for key in keys]
    processors = [column.type.bind_processor(dialect) for column in columns]
    names = ", ".join(quote.quote(column.name) for column in columns)
    statement = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection of the transaction
    with (
        translated(entity),
        _driver_errors(dialect, statement),
        driver.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    process(row[key]) if process else row[key]
                    for key, process in zip(keys, processors, strict=True)
                ]
            )


def _python_defaults(table: sa.Table, keys: Sequence[str]) -> bool:
    """Whether a column the rows leave out has a default that SQLAlchemy
    computes (``COPY`` only applies the server's)."""
    given = set(keys)
    return any(c.default is not None for c in table.c if c.key not in given)


@contextmanager
def _driver_errors(dialect: sa.Dialect, statement: str) -> Iterator[None]:
    """The driver's errors of a ``COPY`` (which SQLAlchemy does not run) as
    SQLAlchemy's, for :func:`translated` to turn into library errors."""
    dbapi = dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(statement, None, error, dbapi.Error) from error
