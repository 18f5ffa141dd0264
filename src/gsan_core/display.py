"""How results look in a notebook or a terminal: short reprs, HTML tables with
names next to ids (``LIGADO (3)``), money with two decimals.

This module imports nothing of the library but the errors, so any ring may use
it. Names come from a :data:`Names` function, ``(kind, id) -> name``, that a
:class:`~gsan_core.System` supplies (``gsan.names``); without one, ids show alone
and enums show their own names::

    >>> from decimal import Decimal
    >>> from gsan_core.display import Named, money, named
    >>> named("LIGADO", 3), money(Decimal("80")), str(Named(5, "CORTADO"))
    ('LIGADO (3)', '80.00', 'CORTADO (5)')

``gsan.show(result)`` renders any result with the system's names;
:class:`NamedCounts` keeps counts keyed by ids that know their names.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

import attrs

__all__ = [
    "Named",
    "NamedCounts",
    "Names",
    "Shown",
    "html_of",
    "money",
    "named",
    "short_repr",
    "text_of",
]

#: ``(kind, id) -> name`` (``None`` when unknown). Kinds: catalog kinds
#: (``"water_status"``...), ``"unit"``, ``"user"``, ``"service_type"``,
#: ``"request_specification"``.
Names = Callable[[str, int], str | None]

K = TypeVar("K")

#: Fields whose kind is not their name without ``_id``.
FIELD_KINDS: Mapping[str, str] = {
    "current_unit_id": "unit",
    "unit_id": "unit",
    "from_unit_id": "unit",
    "to_unit_id": "unit",
    "opening_unit_id": "unit",
    "destination_unit_id": "unit",
    "superior_id": "unit",
    "dispatch_centre_id": "unit",
    "reference_service_type_id": "service_type",
    "new_service_type_id": "service_type",
    "actor": "user",
    "registered_by": "user",
    "responsible_id": "user",
    "installed_by": "user",
    "removed_by": "user",
    "location_id": "hydrometer_stock_location",
    "outgoing_location_id": "hydrometer_stock_location",
    "situation_id": "hydrometer_situation",
    "outgoing_situation_id": "hydrometer_situation",
    "specification_id": "request_specification",
    "channel_id": "request_channel",
    "brand_id": "hydrometer_brand",
    "capacity_id": "hydrometer_capacity",
    "current_priority_id": "service_priority",
    "original_priority_id": "service_priority",
    "priority_id": "service_priority",
}
_CENT = Decimal("0.01")


def named(name: str | None, ident: object) -> str:
    """``NAME (id)``, or the id alone when there is no name."""
    return f"{name} ({ident})" if name else str(ident)


def money(value: Decimal | float | None) -> str:
    """A value with two decimals (``1,234.50``); ``-`` for none."""
    if value is None:
        return "-"
    amount = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


class Named(int):
    """An id that knows its name: equal to (and hashed as) the plain id, shown
    as ``NAME (id)``."""

    name: str | None

    def __new__(cls, ident: int, name: str | None = None) -> Named:
        made = super().__new__(cls, ident)
        made.name = name
        return made

    def __str__(self) -> str:
        return named(self.name, int(self))

    def __repr__(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Named, (int(self), self.name))


class NamedCounts(Mapping[K, int]):
    """Counts keyed by ids that know their names (:class:`Named`, or tuples of
    them): ``counts[3]`` and ``counts["LIGADO"]`` read the same entry; equal to
    a plain ``dict`` of the same ids and counts."""

    def __init__(
        self, counts: Mapping[K, int], *, title: str = "", headers: Sequence[str] = ()
    ) -> None:
        self._counts = dict(counts)
        self.title = title
        self.headers = tuple(headers) or ("", "count")

    def __getitem__(self, key: object) -> int:
        if key in self._counts:
            return self._counts[key]
        for known, count in self._counts.items():
            if _label_matches(known, key):
                return count
        raise KeyError(key)

    def __iter__(self) -> Iterator[K]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def by_name(self) -> dict[str, int]:
        """The counts keyed by ``NAME (id)`` text."""
        return {_key_text(key): count for key, count in self._counts.items()}

    def __repr__(self) -> str:
        inner = ", ".join(f"{_key_text(k)}: {v}" for k, v in self._counts.items())
        return f"{{{inner}}}"

    def _repr_html_(self) -> str:
        rows = [
            [*(_cell_parts(key)), f"{count:,}"] for key, count in self._counts.items()
        ]
        total = sum(self._counts.values())
        width = len(rows[0]) if rows else 2
        rows.append(["total", *([""] * (width - 2)), f"{total:,}"])
        headers = list(self.headers)
        if len(headers) < width:
            headers = [*([""] * (width - len(headers))), *headers]
        return _grid(self.title, headers, rows)


def _cell_parts(key: object) -> list[str]:
    if isinstance(key, tuple):
        return ["-" if part is None else str(part) for part in key]
    return [str(key)]


def _key_text(key: object) -> str:
    if isinstance(key, tuple):
        return " / ".join(str(part) for part in key)
    return str(key)


def _label_matches(known: object, key: object) -> bool:
    if isinstance(known, Named):
        return isinstance(key, str) and key == known.name
    if isinstance(known, tuple) and isinstance(key, tuple) and len(key) == len(known):
        return all(
            part == want or _label_matches(part, want)
            for part, want in zip(known, key, strict=True)
        )
    return False


# ---------------------------------------------------------------- values
def _kind(owner: object, field: str) -> str | None:
    if field == "id" or not (field.endswith("_id") or field in FIELD_KINDS):
        return None
    if field in ("before_id", "after_id"):  # a situation change of a connection
        kind = getattr(owner, "kind", None)
        return f"{kind.value}_status" if isinstance(kind, enum.Enum) else None
    return FIELD_KINDS.get(field, field.removesuffix("_id"))


def value_text(owner: object, field: str, value: object, names: Names | None) -> str:
    """One field's value as text: names next to ids, enums by name, money with
    two decimals, dates in ISO."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.IntEnum):
        return named(value.name, int(value))
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, int) and names is not None:
        kind = _kind(owner, field)
        return named(names(kind, value), value) if kind else str(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        items = list(value)
        if items and attrs.has(type(items[0])):
            return f"{len(items)} {type(items[0]).__name__}"
        return ", ".join(value_text(owner, field, v, names) for v in items) or "-"
    if attrs.has(type(value)):
        return short_repr(value)
    return str(value)


def _fields(obj: object) -> list[tuple[str, object]]:
    """The attrs fields of ``obj`` worth showing (not unset, empty or false)."""
    kind: Any = type(obj)
    return [
        (a.name, value)
        for a in attrs.fields(kind)
        if (value := getattr(obj, a.name)) not in (None, "", False)
        and not (isinstance(value, (tuple, frozenset)) and not value)
    ]


# ---------------------------------------------------------------- reprs
def short_repr(obj: object, *fields: str) -> str:
    """``<ServiceOrder 12 PENDING service_type_id=621 property_id=1000001>``:
    the id, then ``fields`` that are set."""
    kind = type(obj).__name__
    parts = [kind]
    ident = getattr(obj, "id", None)
    if ident is not None:
        parts.append(str(ident))
    for field in fields:
        value = getattr(obj, field, None)
        if value is None or value == ():
            continue
        if isinstance(value, enum.Enum):
            parts.append(value.name)
        elif isinstance(value, Decimal):
            parts.append(f"{field}={money(value)}")
        else:
            parts.append(f"{field}={value_text(obj, field, value, None)}")
    return f"<{' '.join(parts)}>"


# ---------------------------------------------------------------- HTML
def _grid(title: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    caption = f"<caption>{html.escape(title)}</caption>" if title else ""
    return (
        f'<table class="gsan-core">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def html_of(obj: object, names: Names | None = None, *, title: str = "") -> str:
    """An HTML table of an attrs result (one row per field), of a sequence of
    them (one row each), or of a mapping."""
    if attrs.has(type(obj)):
        rows = [
            [field, value_text(obj, field, value, names)]
            for field, value in _fields(obj)
        ]
        return _grid(title or type(obj).__name__, ["field", "value"], rows)
    if isinstance(obj, Mapping):
        rows = [[_key_text(k), value_text(obj, "", v, names)] for k, v in obj.items()]
        return _grid(title, ["", "value"], rows)
    items = list(obj) if isinstance(obj, Iterable) else []
    if items and all(attrs.has(type(item)) for item in items):
        shown = {field for item in items for field, _ in _fields(item)}
        columns = [a.name for a in attrs.fields(type(items[0])) if a.name in shown]
        rows = [
            [value_text(item, f, getattr(item, f), names) for f in columns]
            for item in items
        ]
        heading = title or f"{len(items)} {type(items[0]).__name__}"
        return _grid(heading, columns, rows)
    return f"<pre>{html.escape(repr(obj))}</pre>"


def text_of(obj: object, names: Names | None = None) -> str:
    """A plain-text version of :func:`html_of` (one ``field: value`` a line)."""
    if attrs.has(type(obj)):
        return "\n".join(
            f"{field}: {value_text(obj, field, value, names)}"
            for field, value in _fields(obj)
        )
    if isinstance(obj, Iterable) and not isinstance(obj, (str, Mapping)):
        return "\n".join(text_of(item, names) for item in obj)
    return repr(obj)


@attrs.frozen
class Shown:
    """A result with the names of a system: what ``gsan.show(result)`` returns."""

    value: object
    names: Names = attrs.field(repr=False)

    def _repr_html_(self) -> str:
        return html_of(self.value, self.names)

    def __str__(self) -> str:
        return text_of(self.value, self.names)

    def __repr__(self) -> str:
        return str(self)
