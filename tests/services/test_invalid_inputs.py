"""Invalid values thrown at every public command of every service, on memory,
SQLite and PostgreSQL: each is refused with a ``GsanError`` that has a code, the
field it names, and nothing is written (the store is the same before and after).

Bounded by the ``ci`` Hypothesis profile: every example calls every command once.
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import gsan_core
from gsan_core.adapters.memory import MemoryStore
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import GsanError, RuleViolation
from gsan_core.model.limits import TEXT_LENGTHS
from gsan_core.services.context import Service
from gsan_core.services.validation import REFERENCES, int_range

AWARE = datetime(2025, 1, 6, 12, tzinfo=UTC)
NAIVE = datetime(2025, 1, 6, 12)  # noqa: DTZ001 - an invalid value on purpose


def _bad_int(name: str) -> list[object]:
    low, high = int_range(name)
    edges = [v for v in (low - 1, high + 1) if -(2**63) <= v < 2**63 or v == 2**63]
    months = [202513] if name in REFERENCES else []
    return [True, *edges, *months, "1", 1.5, Decimal(1)]


def _bad_str(name: str) -> list[object]:
    limit = TEXT_LENGTHS.get(name)
    longer = ["X" * (limit + 1)] if limit is not None else []
    return ["A\x00B", *longer, 1, b"bytes"]


def _bad_scalars(annotation: Any, name: str) -> list[object] | None:
    if annotation is int:
        return _bad_int(name)
    if annotation is str:
        return _bad_str(name)
    if annotation is bool:
        return [1, "true"]
    if annotation is date:
        return [AWARE, "2025-01-06", date(1, 1, 1), date(9999, 12, 31)]
    if annotation is datetime:
        return [NAIVE, date(2025, 1, 6), datetime(1, 1, 1, tzinfo=UTC)]
    if annotation is time:
        return ["09:00", 9]
    if annotation is Decimal:
        return [Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+30"), "1", 1.5]
    if annotation is float:
        return [float("nan"), "1"]
    return None


def bad_values(annotation: Any, name: str) -> list[object]:
    """Values the annotation refuses (empty: nothing to throw)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in (Any, object) or isinstance(annotation, typing.TypeVar):
        return []
    scalars = _bad_scalars(annotation, name)
    if scalars is not None:
        return [*scalars, None]
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if any(option in (Any, object) for option in options):
            return []
        found = [
            value
            for option in options
            for value in bad_values(option, name)
            if value is not None
        ]
        # a value bad for one option may be good for another (int | str)
        return [v for v in found if not any(_accepts(o, v) for o in options)]
    if origin is typing.Literal:
        return ["not-an-option", None]
    if origin is tuple:
        return ["12", 12, None]
    if origin in (
        typing.Sequence.__origin__,  # type: ignore[attr-defined]
        typing.Iterable.__origin__,  # type: ignore[attr-defined]
        typing.Collection.__origin__,  # type: ignore[attr-defined]
        list,
        set,
        frozenset,
    ):
        inner = bad_values(args[0], name) if args else []
        return ["12", 12, None, *([[inner[0]]] if inner else [])]
    if origin in (typing.Mapping.__origin__, dict):  # type: ignore[attr-defined]
        return [[("a", 1)], "map", None]
    if origin is typing.Callable.__origin__:  # type: ignore[attr-defined]
        return [3, None]
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return [1, "X", None]
        return [object(), "x", None]
    return []


def _accepts(annotation: Any, value: object) -> bool:
    return isinstance(annotation, type) and type(value) is annotation


def commands(system: gsan_core.System) -> list[tuple[str, Callable[..., Any]]]:
    """Every public method of every service of ``system``, by dotted name."""
    found: list[tuple[str, Callable[..., Any]]] = []
    services = [
        (name, value)
        for name, value in vars(system).items()
        if isinstance(value, Service)
    ]
    services.append(
        ("service_requests.configuration", system.service_requests.configuration)
    )
    for label, service in services:
        for name in dir(type(service)):
            member = getattr(type(service), name)
            if name.startswith("_") or not getattr(member, "__gsan_checked__", False):
                continue
            found.append((f"{label}.{name}", getattr(service, name)))
    return found


def _targets(method: Callable[..., Any]) -> list[tuple[str, list[object], bool]]:
    hints = typing.get_type_hints(inspect.unwrap(method))
    signature = inspect.signature(method)
    targets = []
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(parameter.name, Any)
        values = bad_values(annotation, parameter.name)
        required = parameter.default is parameter.empty
        if not required:
            values = [v for v in values if v is not None]
        if values:
            targets.append((parameter.name, values, required))
    return targets


_PLACEHOLDERS: dict[Any, object] = {
    int: 1,
    str: "X",
    bool: False,
    date: date(2025, 1, 6),
    datetime: AWARE,
    time: time(9),
    Decimal: Decimal(1),
    float: 1.0,
}


def _placeholder_of(annotation: Any) -> object:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return None
    if annotation in _PLACEHOLDERS:
        return _PLACEHOLDERS[annotation]
    if origin is tuple:
        return ()
    if origin is not None and isinstance(origin, type):
        if issubclass(origin, typing.Mapping.__origin__):  # type: ignore[attr-defined]
            return {}
        return ()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    return 1


def _placeholder(method: Callable[..., Any]) -> dict[str, object]:
    """A value of the right type for every required parameter (the value itself
    may break a rule: the target argument is what must be refused)."""
    hints = typing.get_type_hints(inspect.unwrap(method))
    signature = inspect.signature(method)
    return {
        p.name: _placeholder_of(hints.get(p.name, Any))
        for p in signature.parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def snapshot(system: gsan_core.System) -> object:
    """Everything the store holds, comparable."""
    backend = system.backend
    if isinstance(backend, MemoryStore):
        with backend.lock:
            return {name: dict(rows) for name, rows in backend.tables.items() if rows}
    assert isinstance(backend, SqlBackend)
    state: dict[str, list[tuple[Hashable, ...]]] = {}
    with backend.engine.connect() as connection:
        for table in backend.tables.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return state


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # each example calls every command: a failure names it; shrinking would
    # replay hundreds of calls per step
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=st.data())
def test_every_command_refuses_invalid_values_and_writes_nothing(
    system: gsan_core.System, data: st.DataObject
) -> None:
    before = snapshot(system)
    checked = 0
    for label, method in commands(system):
        targets = _targets(method)
        if not targets:
            continue
        name, values, _ = data.draw(st.sampled_from(targets), label=label)
        value = data.draw(st.sampled_from(values), label=f"{label}({name}=)")
        _refused(label, method, name, value)
        checked += 1
    assert checked > 150
    assert snapshot(system) == before


def _refused(label: str, method: Callable[..., Any], name: str, value: object) -> None:
    arguments = _placeholder(method)
    arguments[name] = value
    with pytest.raises(GsanError) as caught:
        method(**arguments)
    error = caught.value
    assert error.code, (label, name, value)
    # a value of the right type may be refused by the command's own rules; a
    # refusal at the boundary names the field
    if isinstance(error, RuleViolation) and all(
        code.startswith("input.invalid.") for code in error.codes
    ):
        assert any(
            code == f"input.invalid.{name}" or code.startswith(f"input.invalid.{name}.")
            for code in error.codes
        ), (label, name, value, error.codes)


def test_every_bad_value_of_every_argument(system: gsan_core.System) -> None:
    """The exhaustive sweep (no sampling): every bad value of every argument of
    every command, once."""
    before = snapshot(system)
    for label, method in commands(system):
        for name, values, _ in _targets(method):
            for value in values:
                _refused(label, method, name, value)
    assert snapshot(system) == before
