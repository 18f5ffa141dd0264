"""Serialisation at the edges: events and commands <-> JSON-ready dicts.

One cattrs converter (the model never learns about it): decimals as strings,
aware datetimes in ISO-8601, dates in ISO format, enums by value, sets as sorted
lists. Events are a tagged union on their stable ``tag``, so a renamed class never
breaks a stored payload.

    >>> payload = to_dict(event)          # {"type": "catalog.item_added", ...}
    >>> event == from_dict(payload)
    True
"""

from __future__ import annotations

import json
import threading
import types
import typing
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import cattrs

from gsan_core import model  # noqa: F401 - imports every event class
from gsan_core.errors import ConfigurationError
from gsan_core.model.events import DomainEvent, all_event_types

__all__ = [
    "converter",
    "dumps",
    "from_dict",
    "loads",
    "make_converter",
    "to_dict",
    "to_dicts",
]

TAG = "type"


def make_converter() -> cattrs.Converter:
    """A converter for the library's frozen attrs types."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_structure_hook(datetime, _datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, lambda v, _: date.fromisoformat(v))
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), lambda e: e.value
    )
    conv.register_unstructure_hook(frozenset, sorted)
    return conv


def _datetime(value: Any, _: type) -> datetime:
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(parsed, datetime) or parsed.tzinfo is None:
        msg = f"expected an aware ISO-8601 datetime, got {value!r}"
        raise ValueError(msg)
    return parsed


converter = make_converter()


def to_dict(event: DomainEvent) -> dict[str, Any]:
    """The JSON-ready form of an event, with its ``type`` tag."""
    data: dict[str, Any] = converter.unstructure(event)
    return {TAG: type(event).tag, **data}


#: The declared field types :func:`to_dicts` writes itself, as the converter
#: does: the plain ones as they are, the datetimes in ISO-8601.
_PLAIN = frozenset({int, str, bool, type(None)})
_FAST: dict[type, tuple[tuple[str, bool], ...] | None] = {}
_FAST_LOCK = threading.Lock()
#: The event classes by tag met so far (issue 20: :func:`all_event_types`
#: walks every subclass; an outbox read of n rows walked them n times); weak,
#: so a class the garbage collector frees is looked up anew.
_KNOWN: weakref.WeakValueDictionary[str, type[DomainEvent]] = (
    weakref.WeakValueDictionary()
)


def _fields(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """``(name, is a datetime)`` per field of an event class whose every
    field is declared of a plain type or a datetime (or an optional one);
    ``None`` when one is not (the converter writes those events)."""
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, bool]] = []
    for field in attrs.fields(cls):
        declared = hints.get(field.name)
        members = (
            typing.get_args(declared)
            if typing.get_origin(declared) in (typing.Union, types.UnionType)
            else (declared,)
        )
        if all(m in _PLAIN for m in members):
            plan.append((field.name, False))
        elif datetime in members and all(m in _PLAIN or m is datetime for m in members):
            plan.append((field.name, True))
        else:
            return None
    return tuple(plan)


def _plan(cls: type) -> tuple[tuple[str, bool], ...] | None:
    with _FAST_LOCK:
        if cls in _FAST:
            return _FAST[cls]
    plan = _fields(cls)
    with _FAST_LOCK:
        _FAST[cls] = plan
    return plan


def to_dicts(events: Sequence[DomainEvent]) -> list[dict[str, Any]]:
    """:func:`to_dict` of each event, the same dicts, for a batch's events:
    an event whose fields are all declared of plain types (and whose values
    are of exactly those types) or datetimes is written field by field, each
    distinct datetime formatted once for the whole batch (a batch's events
    share their instants); any other event goes through the converter."""
    iso: dict[int, str] = {}
    found: list[dict[str, Any]] = []
    for event in events:
        plan = _plan(type(event))
        data = None if plan is None else _plain(event, plan, iso)
        found.append(to_dict(event) if data is None else data)
    return found


def _plain(
    event: DomainEvent, plan: tuple[tuple[str, bool], ...], iso: dict[int, str]
) -> dict[str, Any] | None:
    data: dict[str, Any] = {TAG: type(event).tag}
    for name, moment in plan:
        value = getattr(event, name)
        if moment and type(value) is datetime:
            text = iso.get(id(value))
            if text is None:
                text = iso[id(value)] = value.isoformat()
            data[name] = text
        elif type(value) in _PLAIN:
            data[name] = value
        else:  # a value of another type than declared: the converter decides
            return None
    return data


def from_dict(data: dict[str, Any]) -> DomainEvent:
    """The event of a dict made by :func:`to_dict`."""
    payload = dict(data)
    tag = payload.pop(TAG, None)
    cls = _KNOWN.get(str(tag))
    if cls is None:
        _KNOWN.update(all_event_types())
        cls = _KNOWN.get(str(tag))
    if cls is None:
        msg = f"unknown event type {tag!r}"
        raise ConfigurationError(msg)
    return converter.structure(payload, cls)


def dumps(event: DomainEvent) -> str:
    """The event as a JSON string."""
    return json.dumps(to_dict(event), sort_keys=True)


def loads(text: str) -> DomainEvent:
    """The event of a JSON string made by :func:`dumps`."""
    return from_dict(json.loads(text))
