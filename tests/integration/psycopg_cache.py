"""psycopg 3's cache of converted queries: its limits and the checks of the
statements a command sends against them (issue 20), the one source every
test of them uses.

psycopg keeps the conversion of a query's text (its ``%(name)s`` placeholders
parsed into PostgreSQL's ``$n``) in an LRU cache, but only for a query of at
most :data:`MOST_BYTES` bytes and at most :data:`MOST_PARAMS` parameters
(``psycopg._queries.MAX_CACHED_STATEMENT_LENGTH`` and
``MAX_CACHED_STATEMENT_PARAMS``, private constants pinned by
:data:`PSYCOPG_LIMITS` and ``test_psycopg_cache.py``): a larger one is parsed
again each time it is sent, client time that a lean hand-written version does
not spend. Raising psycopg's limits is host-global third-party state, so the
library keeps its statements under them instead.

:func:`oversized` lists, for what runs while it is open, every statement sent
through an engine that is over either limit::

    with oversized(engine) as found:
        system.service_requests.forward_many(...)
    assert not found, found

:func:`sent` lists every statement sent (its size, parameters and text), and
:func:`compiled` measures a statement compiled for PostgreSQL without sending
it (for unit tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql

__all__ = [
    "MOST_BYTES",
    "MOST_PARAMS",
    "PSYCOPG_LIMITS",
    "Oversized",
    "Sent",
    "compiled",
    "count_params",
    "over_limits",
    "oversized",
    "sent",
]

#: psycopg's ``MAX_CACHED_STATEMENT_LENGTH``: the longest query text (bytes,
#: as sent) whose conversion it caches.
MOST_BYTES = 4096
#: psycopg's ``MAX_CACHED_STATEMENT_PARAMS``: the most parameters of a
#: query whose conversion it caches.
MOST_PARAMS = 50
#: The private names in ``psycopg._queries`` of the limits above.
PSYCOPG_LIMITS = {
    "MAX_CACHED_STATEMENT_LENGTH": MOST_BYTES,
    "MAX_CACHED_STATEMENT_PARAMS": MOST_PARAMS,
}


def count_params(parameters: Any) -> int:
    """The parameters psycopg counts (one row's, for an ``executemany``)."""
    if isinstance(parameters, list | tuple) and parameters:
        first = parameters[0]
        if isinstance(first, dict | list | tuple):
            return len(first)
    return len(parameters) if parameters else 0


def over_limits(size: int, params: int) -> bool:
    """Whether psycopg converts a statement of ``size`` bytes and ``params``
    parameters anew on every call."""
    return size > MOST_BYTES or params > MOST_PARAMS


@attrs.frozen
class Oversized:
    """A statement over psycopg's cache limits: its length in bytes, its
    number of parameters and the start of its text."""

    size: int
    params: int
    head: str

    def __str__(self) -> str:
        return f"{self.size} bytes, {self.params} parameters: {self.head}"


@attrs.frozen
class Sent:
    """A statement sent: its length in bytes, its number of parameters and
    its text, its whitespace runs made one space."""

    size: int
    params: int
    text: str

    @property
    def oversized(self) -> bool:
        """Whether psycopg converts it anew on every call."""
        return over_limits(self.size, self.params)


def _sent(statement: str, parameters: Any) -> Sent:
    return Sent(
        size=len(statement.encode()),
        params=count_params(parameters),
        text=" ".join(statement.split()),
    )


@contextmanager
def sent(engine: sa.Engine) -> Iterator[list[Sent]]:
    """Every statement sent through ``engine`` while open."""
    found: list[Sent] = []

    def seen(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        found.append(_sent(statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", seen)


@contextmanager
def oversized(engine: sa.Engine) -> Iterator[list[Oversized]]:
    """Every statement sent through ``engine`` while open that psycopg would
    convert anew on every call: over :data:`MOST_BYTES` bytes of text or
    :data:`MOST_PARAMS` parameters."""
    found: list[Oversized] = []

    def seen(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        one = _sent(statement, parameters)
        if one.oversized:
            found.append(
                Oversized(size=one.size, params=one.params, head=one.text[:100])
            )

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def compiled(statement: Any) -> tuple[int, int]:
    """Bytes and parameters of ``statement`` as psycopg receives it,
    compiled for PostgreSQL (nothing sent)."""
    done = statement.compile(dialect=postgresql.psycopg.dialect())
    return len(str(done).encode()), len(done.params)
