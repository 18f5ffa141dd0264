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
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import cattrs

from gsan_core import model  # noqa: F401 - imports every event class
from gsan_core.errors import ConfigurationError
from gsan_core.model.events import DomainEvent, all_event_types

__all__ = ["converter", "dumps", "from_dict", "loads", "make_converter", "to_dict"]

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


def from_dict(data: dict[str, Any]) -> DomainEvent:
    """The event of a dict made by :func:`to_dict`."""
    payload = dict(data)
    tag = payload.pop(TAG, None)
    cls = all_event_types().get(str(tag))
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
