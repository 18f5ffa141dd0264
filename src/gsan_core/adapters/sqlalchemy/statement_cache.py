"""Statements built once per table: :func:`prepared`; criteria as bound
parameters for them (:func:`bound_where`, issue 20, ninth round).

Apart from ``repositories.py`` (which re-exports it) so that the write
pipeline, which the repositories import, can build its statements through
the same cache.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = ["bound_values", "bound_where", "criteria_shape", "prepared"]

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


def _many(value: object) -> bool:
    return isinstance(value, Collection) and not isinstance(value, str | bytes)


def bound_where(
    table: sa.Table, shape: Sequence[tuple[str, str]], dialect: str
) -> list[sa.ColumnElement[bool]]:
    """``repositories.where`` for criteria of ``shape`` (``(name, kind)``:
    ``"many"`` a collection, ``"none"`` ``None``, ``"one"`` a value), each value the
    bound parameter ``w_<name>`` (:func:`bound_values`): a statement built
    once per table and shape (issue 20, ninth round)."""
    clauses: list[sa.ColumnElement[bool]] = []
    for name, kind in shape:
        column = table.c[name]
        if kind == "none":
            clauses.append(column.is_(None))
        elif kind == "one":
            clauses.append(column == sa.bindparam(f"w_{name}", type_=column.type))
        elif dialect == "postgresql":
            array = sa.bindparam(f"w_{name}", type_=postgresql.ARRAY(column.type))
            clauses.append(column == sa.any_(array))
        else:
            clauses.append(column.in_(sa.bindparam(f"w_{name}", expanding=True)))
    return clauses


def criteria_shape(criteria: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The shape of ``criteria`` for :func:`bound_where`."""
    return tuple(
        (
            name,
            "many" if _many(value) else "none" if value is None else "one",
        )
        for name, value in criteria.items()
    )


def bound_values(criteria: Mapping[str, object]) -> dict[str, object]:
    """The bound parameters of ``criteria`` for :func:`bound_where`."""
    return {
        f"w_{name}": list(value) if _many(value) else value  # type: ignore[call-overload]
        for name, value in criteria.items()
        if value is not None
    }
