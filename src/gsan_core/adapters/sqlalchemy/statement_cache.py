"""Statements built once per table: :func:`prepared`.

Apart from ``repositories.py`` (which re-exports it) so that the write
pipeline, which the repositories import, can build its statements through
the same cache.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

__all__ = ["prepared"]

T = TypeVar("T")
_PREPARED: weakref.WeakKeyDictionary[sa.Table, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)


def prepared(table: sa.Table, name: str, build: Callable[[], T]) -> T:
    """A statement (or mapper) about ``table`` built once and reused.

    Core statements are immutable: building them once per table instead of once
    per unit of work or per call saves most of SQLAlchemy's Python overhead on
    the hot paths (a unit of work builds a dozen repositories). The cache is
    keyed by the table itself (weakly), never by its ``id()``.
    """
    cache = _PREPARED.get(table)
    if cache is None:
        cache = _PREPARED.setdefault(table, {})
    found = cache.get(name)
    if found is None:
        found = cache[name] = build()
    return found
