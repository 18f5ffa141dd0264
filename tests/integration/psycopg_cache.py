"""The statements a command sends that psycopg 3 converts anew on every call
(issue 20).

psycopg keeps the conversion of a query's text (its ``%(name)s`` placeholders
parsed into PostgreSQL's ``$n``) in an LRU cache, but only for a query of at
most :data:`MOST_BYTES` bytes and at most :data:`MOST_PARAMS` parameters
(``psycopg._queries.MAX_CACHED_STATEMENT_LENGTH`` and
``MAX_CACHED_STATEMENT_PARAMS``): a larger one is parsed again each time it
is sent, client time that a lean hand-written version does not spend. Raising
psycopg's limits is host-global third-party state, so the library keeps its
statements under them instead.

:func:`oversized` lists, for what runs while it is open, every statement sent
through an engine that is over either limit::

    with oversized(engine) as found:
        system.service_requests.forward_many(...)
    assert not found, found
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import event

__all__ = ["MOST_BYTES", "MOST_PARAMS", "Oversized", "oversized"]

#: psycopg's ``MAX_CACHED_STATEMENT_LENGTH``: the longest query text (bytes,
#: as sent) whose conversion it caches.
MOST_BYTES = 4096
#: psycopg's ``MAX_CACHED_STATEMENT_PARAMS``: the most parameters of a
#: query whose conversion it caches.
MOST_PARAMS = 50


@attrs.frozen
class Oversized:
    """A statement over psycopg's cache limits: its length in bytes, its
    number of parameters and the start of its text."""

    size: int
    params: int
    head: str

    def __str__(self) -> str:
        return f"{self.size} bytes, {self.params} parameters: {self.head}"


def _count(parameters: Any) -> int:
    """The parameters psycopg counts (one row's, for an ``executemany``)."""
    if isinstance(parameters, list | tuple) and parameters:
        first = parameters[0]
        if isinstance(first, dict | list | tuple):
            return len(first)
    return len(parameters) if parameters else 0


@contextmanager
def oversized(engine: sa.Engine) -> Iterator[list[Oversized]]:
    """Every statement sent through ``engine`` while open that psycopg would
    convert anew on every call: over :data:`MOST_BYTES` bytes of text or
    :data:`MOST_PARAMS` parameters."""
    found: list[Oversized] = []

    def seen(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        size, params = len(statement.encode()), _count(parameters)
        if size > MOST_BYTES or params > MOST_PARAMS:
            head = " ".join(statement.split())[:100]
            found.append(Oversized(size=size, params=params, head=head))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", seen)
