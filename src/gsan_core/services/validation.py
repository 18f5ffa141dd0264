"""Input checked where it enters: the arguments of every public service method.

:class:`~gsan_core.services.context.Service` wraps each public method of its
subclasses with :func:`checked`. On the method's first call a plan is built from
its annotations (``typing.get_type_hints``), one check per parameter, and kept:
later calls only run the checks. A bad argument is a
:class:`~gsan_core.errors.RuleViolation` whose code names the field
(``input.invalid.<field>``, ``input.invalid.<field>.<attribute>`` inside an
attrs object), raised before anything is read or written, on every backend
alike:

* ids (``id``, ``*_id``, ``*_ids``, ``*_by``, ``actor``) are ints in
  ``0 .. 2**63-1`` (GSAN numbers some reference rows from 0, the hydrometer
  tables' "not informed" rows; ``actor`` 0 is the setup actor; whether an id
  exists is the command's own check); a ``bool`` is not an int;
  sizes, offsets and versions have their ranges
  (:data:`NAMED_RANGES`), references are ``yyyymm``, other ints fit their
  column (:mod:`gsan_core.model.limits`) or 64 bits;
* text is a ``str`` without NUL characters, no longer than its column (or
  than the profile's ``text_lengths`` says: the *active* limits, see
  :func:`checked`);
* dates are ``date`` (not ``datetime``), datetimes are aware, both within the
  years :data:`MIN_YEAR` .. :data:`MAX_YEAR`;
* decimals are finite ``Decimal`` (or ``int``) that fit ``NUMERIC(20, 7)``;
* collections are collections (a ``str`` is not a collection of ids; a
  one-shot iterator is read once into a tuple and passed on as that tuple);
* enums are members, literals one of their values, attrs objects instances of
  their class whose attributes are checked the same way.
"""

from __future__ import annotations

import contextvars
import enum
import functools
import inspect
import math
import types
import typing
from collections import abc
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.limits import INT_BITS, TEXT_LENGTHS

__all__ = [
    "ACTING",
    "MAX_YEAR",
    "MIN_YEAR",
    "NAMED_RANGES",
    "REFERENCES",
    "checked",
    "int_range",
    "invalid",
    "lengths_key",
]

#: The years a date or datetime argument may fall in.
MIN_YEAR, MAX_YEAR = 1900, 2999
_ID_MAX = 2**63 - 1
_INT64 = (-(2**63), 2**63 - 1)
#: NUMERIC(20, 7): 13 digits before the point.
_DECIMAL_LIMIT = Decimal(10) ** 13

F = TypeVar("F", bound=Callable[..., Any])

#: The actor of the command running in this context and whether it was checked
#: (``[actor, checked]``): the first unit of work of the command checks it
#: (USR-2) in its own transaction.
ACTING: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "gsan_core_acting", default=None
)

#: The profile's text-length overrides the plans being built follow (sorted
#: ``(name, length)`` pairs; empty: the library's own columns). Plans are
#: cached per overrides, so a system whose profile narrows a length checks
#: against it while another system in the process keeps the defaults.
Lengths = tuple[tuple[str, int], ...]
_BUILDING: contextvars.ContextVar[Lengths] = contextvars.ContextVar(
    "gsan_core_lengths", default=()
)


def _text_limit(leaf: str) -> int | None:
    """The longest text of the field ``leaf`` under the limits being built."""
    for name, length in _BUILDING.get():
        if name == leaf:
            return length
    return TEXT_LENGTHS.get(leaf)


def lengths_key(overrides: typing.Mapping[str, int]) -> Lengths:
    """The cache key of a profile's ``text_lengths``."""
    return tuple(sorted(overrides.items()))


#: A check takes the value and its field path, appends what is wrong, and
#: returns the value to pass on (a one-shot iterator becomes a tuple).
Check = Callable[[Any, str, list[Violation]], Any]


def invalid(field: str, en: str, pt: str, **params: object) -> Violation:
    """The violation of one bad argument (code ``input.invalid.<field>``)."""
    return Violation(
        code=f"input.invalid.{field}",
        en="{field} is not valid: " + en + ".",
        pt="Valor inválido em {field}: " + pt + ".",
        gsan_key="atencao.campo_invalido",
        params={"field": field, **params},
    )


# ------------------------------------------------------------------ scalars
def _is_id(name: str) -> bool:
    leaf = name.rsplit(".", 1)[-1]
    return (
        leaf in ("id", "ids")
        or leaf.endswith(("_id", "_ids", "_by"))
        or leaf == "actor"
    )


_INT32_MAX = 2**31 - 1
#: Ranges of the integer arguments that are not ids, by name: sizes and
#: counts are at least 1, offsets at least 0, a version starts at 1.
NAMED_RANGES: dict[str, tuple[int, int]] = {
    # (the rules check installments, quantities, days and percentages
    # themselves, with their GSAN messages: only the column's width here)
    **dict.fromkeys(
        (
            "chunk_size",
            "batch_size",
            "routes_per_chunk",
            "properties_per_chunk",
            "localities_per_chunk",
            "limit",
            "max_batches",
            "month",
        ),
        (1, _INT32_MAX),
    ),
    **dict.fromkeys(
        ("position", "work_minutes", "first", "last", "total"), (0, _INT32_MAX)
    ),
    # a version starts at 1; 0 names a row that is not there (a stale read)
    "expected_version": (0, _ID_MAX),
}
#: Billing references (``yyyymm``) by name.
REFERENCES = frozenset({"reference", "reference_from", "reference_to"})


def int_range(name: str) -> tuple[int, int]:
    """The range of the integer argument or attribute ``name``."""
    leaf = name.rsplit(".", 1)[-1]
    if _is_id(name):
        return 0, _ID_MAX
    if leaf in NAMED_RANGES:
        return NAMED_RANGES[leaf]
    if leaf in REFERENCES:
        return MIN_YEAR * 100 + 1, MAX_YEAR * 100 + 12
    if leaf in INT_BITS:
        bits = INT_BITS[leaf]
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return _INT64


def _int_check(name: str) -> Check:
    low, high = int_range(name)
    month_of_reference = name.rsplit(".", 1)[-1] in REFERENCES
    is_id = _is_id(name)

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if type(value) is not int and (
            not isinstance(value, int) or isinstance(value, bool)
        ):
            out.append(
                invalid(path, "must be an integer", "deve ser um número inteiro")
            )
        elif month_of_reference and low <= value <= high and not 1 <= value % 100 <= 12:
            out.append(
                invalid(
                    path,
                    "must be a reference yyyymm with a month from 1 to 12",
                    "deve ser uma referência aaaamm com mês de 1 a 12",
                )
            )
        elif not low <= value <= high:
            if is_id:
                out.append(
                    invalid(
                        path,
                        "must be an id between {low} and {high}",
                        "deve ser um identificador entre {low} e {high}",
                        low=low,
                        high=high,
                    )
                )
            else:
                out.append(
                    invalid(
                        path,
                        "must be between {low} and {high}",
                        "deve estar entre {low} e {high}",
                        low=low,
                        high=high,
                    )
                )
        return value

    return check


def _str_check(name: str) -> Check:
    limit = _text_limit(name.rsplit(".", 1)[-1])

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, str):
            out.append(invalid(path, "must be text", "deve ser um texto"))
        elif "\x00" in value:
            out.append(
                invalid(path, "contains a NUL character", "contém um caractere nulo")
            )
        elif limit is not None and len(value) > limit:
            out.append(
                invalid(
                    path,
                    "has {length} characters; at most {max_length} are allowed",
                    "tem {length} caracteres; o máximo é {max_length}",
                    length=len(value),
                    max_length=limit,
                )
            )
        return value

    return check


def _bool_check(value: Any, path: str, out: list[Violation]) -> Any:
    if not isinstance(value, bool):
        out.append(
            invalid(path, "must be true or false", "deve ser verdadeiro ou falso")
        )
    return value


def _year_ok(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def _date_check(value: Any, path: str, out: list[Violation]) -> Any:
    if not isinstance(value, date) or isinstance(value, datetime):
        out.append(invalid(path, "must be a date", "deve ser uma data"))
    elif not _year_ok(value):
        out.append(_year_violation(path))
    return value


def _year_violation(path: str) -> Violation:
    return invalid(
        path,
        "must fall in the years {low} to {high}",
        "deve estar entre os anos {low} e {high}",
        low=MIN_YEAR,
        high=MAX_YEAR,
    )


def _datetime_check(value: Any, path: str, out: list[Violation]) -> Any:
    if not isinstance(value, datetime):
        out.append(invalid(path, "must be a datetime", "deve ser uma data e hora"))
    elif value.tzinfo is None or value.utcoffset() is None:
        out.append(
            invalid(
                path,
                "must be aware (carry a time zone)",
                "deve informar o fuso horário",
            )
        )
    elif not _year_ok(value):
        out.append(_year_violation(path))
    return value


def _time_check(value: Any, path: str, out: list[Violation]) -> Any:
    if not isinstance(value, time):
        out.append(invalid(path, "must be a time of day", "deve ser uma hora do dia"))
    return value


def _decimal_check(value: Any, path: str, out: list[Violation]) -> Any:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        out.append(invalid(path, "must be a decimal", "deve ser um número decimal"))
    elif isinstance(value, Decimal) and not value.is_finite():
        out.append(invalid(path, "must be finite", "deve ser um número finito"))
    elif not -_DECIMAL_LIMIT < value < _DECIMAL_LIMIT:
        out.append(
            invalid(
                path,
                "must be smaller than 10**13 in magnitude",
                "deve ser menor que 10**13 em valor absoluto",
            )
        )
    return value


def _float_check(value: Any, path: str, out: list[Violation]) -> Any:
    if isinstance(value, bool) or not isinstance(value, float | int):
        out.append(invalid(path, "must be a number", "deve ser um número"))
    elif not math.isfinite(value):
        out.append(invalid(path, "must be finite", "deve ser um número finito"))
    return value


def _instance_check(kind: type, *, label: str) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, kind):
            out.append(
                invalid(
                    path,
                    "must be a {kind}",
                    "deve ser do tipo {kind}",
                    kind=label,
                )
            )
        return value

    return check


def _enum_check(kind: type[enum.Enum]) -> Check:
    options = ", ".join(str(member.name) for member in kind)

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, kind):
            out.append(
                invalid(
                    path,
                    "must be one of {kind}: {options}",
                    "deve ser um de {kind}: {options}",
                    kind=kind.__name__,
                    options=options,
                )
            )
        return value

    return check


def _literal_check(allowed: tuple[Any, ...]) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not any(
            value == option and type(value) is type(option) for option in allowed
        ):
            out.append(
                invalid(
                    path,
                    "must be one of {options}",
                    "deve ser um de {options}",
                    options=", ".join(repr(option) for option in allowed),
                )
            )
        return value

    return check


def _callable_check(value: Any, path: str, out: list[Violation]) -> Any:
    if not callable(value):
        out.append(invalid(path, "must be callable", "deve ser uma função"))
    return value


def _protocol_check(kind: type) -> Check:
    """A port given as an argument (a gateway, a sink): an object with every
    method the protocol names (structural, as ``runtime_checkable`` checks)."""
    members = sorted(
        {
            name
            for base in kind.__mro__
            if getattr(base, "_is_protocol", False) and base is not typing.Protocol
            for name in vars(base)
            if not name.startswith("_")
        }
    )

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if any(not callable(getattr(value, name, None)) for name in members):
            out.append(
                invalid(
                    path,
                    "must be a {kind}",
                    "deve ser do tipo {kind}",
                    kind=kind.__name__,
                )
            )
        return value

    return check


# ------------------------------------------------------------------ compounds
def _optional(inner: Check | None) -> Check | None:
    if inner is None:
        return None

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        return None if value is None else inner(value, path, out)

    return check


def _required(inner: Check) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if value is None:
            out.append(invalid(path, "is required", "é obrigatório(a)"))
            return value
        return inner(value, path, out)

    return check


def _any_of(checks: list[Check]) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        first: list[Violation] = []
        for option in checks:
            found: list[Violation] = []
            result = option(value, path, found)
            if not found:
                return result
            first = first or found
        out.extend(first)
        return value

    return check


_ONE_SHOT = (abc.Iterator,)


def _collection_check(
    container: type, element: Check | None, *, sequence: bool, materialize: bool
) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if isinstance(value, str | bytes | bytearray) or not isinstance(
            value, container
        ):
            out.append(invalid(path, "must be a collection", "deve ser uma coleção"))
            return value
        if sequence and not isinstance(value, abc.Sequence):
            out.append(invalid(path, "must be a sequence", "deve ser uma sequência"))
            return value
        if materialize and isinstance(value, _ONE_SHOT):
            value = tuple(value)
        if element is not None:
            for item in value:
                before = len(out)
                element(item, path, out)
                if len(out) > before:  # one bad element is enough to say
                    break
        return value

    return check


def _tuple_check(items: tuple[Any, ...], name: str) -> Check:
    if len(items) == 2 and items[1] is Ellipsis:
        return _collection_check(
            tuple, _build(items[0], name), sequence=True, materialize=False
        )
    checks = [_build(item, name) for item in items]

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, tuple | list) or len(value) != len(checks):
            out.append(
                invalid(
                    path,
                    "must be a tuple of {size} values",
                    "deve ser uma tupla de {size} valores",
                    size=len(checks),
                )
            )
            return value
        before = len(out)
        for item, item_check in zip(value, checks, strict=True):
            if item_check is not None:
                item_check(item, path, out)
            if len(out) > before:
                break
        return value

    return check


def _mapping_check(key: Check | None, item: Check | None) -> Check:
    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, abc.Mapping):
            out.append(invalid(path, "must be a mapping", "deve ser um mapeamento"))
            return value
        for k, v in value.items():
            if key is not None:
                key(k, path, out)
            if item is not None:
                item(v, path, out)
        return value

    return check


#: Plans of attrs classes, built once (a placeholder while one is being built,
#: so a class that refers to itself does not recurse).
_ATTRS_PLANS: dict[tuple[type, Lengths], list[tuple[str, Check]] | None] = {}


def _attrs_plan(kind: type, lengths: Lengths) -> list[tuple[str, Check]]:
    key = (kind, lengths)
    if key in _ATTRS_PLANS:
        return _ATTRS_PLANS[key] or []
    _ATTRS_PLANS[key] = None
    token = _BUILDING.set(lengths)
    try:
        plan = _attrs_fields_plan(kind)
    finally:
        _BUILDING.reset(token)
    _ATTRS_PLANS[key] = plan
    return plan


def _attrs_fields_plan(kind: type) -> list[tuple[str, Check]]:
    try:
        hints = typing.get_type_hints(kind)
    except Exception:
        hints = {}
    plan: list[tuple[str, Check]] = []
    for field in attrs.fields(kind):
        annotation = hints.get(field.name)
        if annotation is None:
            continue
        found = _build(annotation, field.name)
        if found is not None:
            plan.append((field.name, found))
    return plan


#: Generated "all valid?" predicates of attrs classes (the fast path: one
#: compiled expression per class; the field-by-field plan runs only when it
#: says no, to name what is wrong).
_FAST: dict[tuple[type, Lengths], Callable[[Any], bool]] = {}


def _fast_expression(
    annotation: Any, name: str, var: str, names: dict[str, Any]
) -> str | None:
    """A Python expression true when ``var`` is valid for ``annotation`` (at
    least as strict as the check), or ``None`` when there is none."""
    origin = typing.get_origin(annotation)
    if annotation in (Any, object) or isinstance(annotation, TypeVar):
        return "True"
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        options = [arg for arg in args if arg is not type(None)]
        if len(options) != 1 or len(options) == len(args):
            return None
        inner = _fast_expression(options[0], name, var, names)
        return None if inner is None else f"({var} is None or {inner})"
    leaf = name.rsplit(".", 1)[-1]
    if annotation is int:
        if leaf in REFERENCES:
            return None
        low, high = int_range(name)
        return f"(type({var}) is int and {low} <= {var} <= {high})"
    if annotation is str:
        limit = _text_limit(leaf)
        length = f" and len({var}) <= {limit}" if limit is not None else ""
        return f"(type({var}) is str and '\\x00' not in {var}{length})"
    if annotation is bool:
        return f"({var} is True or {var} is False)"
    years = f"{MIN_YEAR} <= {var}.year <= {MAX_YEAR}"
    if annotation is date:
        return f"(type({var}) is _date and {years})"
    if annotation is datetime:
        return (
            f"(type({var}) is _datetime and {var}.tzinfo is not None"
            f" and {var}.utcoffset() is not None and {years})"
        )
    if annotation is Decimal:
        return (
            f"(type({var}) is _Decimal and {var}.is_finite()"
            f" and -_LIMIT < {var} < _LIMIT)"
        )
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        key = f"_kind{len(names)}"
        names[key] = annotation
        return f"(type({var}) is {key})"
    if isinstance(annotation, type) and attrs.has(annotation):
        key = f"_kind{len(names)}"
        names[key] = annotation
        names[f"{key}_fast"] = _fast(annotation, _BUILDING.get())
        return f"(type({var}) is {key} and {key}_fast({var}))"
    if origin in (tuple, frozenset) and typing.get_args(annotation):
        args = typing.get_args(annotation)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return None
        inner = _fast_expression(args[0], name, "_x", names)
        if inner is None:
            return None
        container = "tuple" if origin is tuple else "frozenset"
        return f"(type({var}) is {container} and all({inner} for _x in {var}))"
    return None


def _never(value: Any) -> bool:
    del value
    return False


def _fast(kind: type, lengths: Lengths) -> Callable[[Any], bool]:
    """The generated predicate of ``kind`` (``lambda value: False`` when a
    field has no fast form: the plan then always runs)."""
    found = _FAST.get((kind, lengths))
    if found is not None:
        return found
    _FAST[kind, lengths] = _never  # while it is built (a class that refers to itself)
    token = _BUILDING.set(lengths)
    try:
        predicate = _fast_predicate(kind)
    finally:
        _BUILDING.reset(token)
    _FAST[kind, lengths] = predicate
    return predicate


def _fast_predicate(kind: type) -> Callable[[Any], bool]:
    names: dict[str, Any] = {
        "_date": date,
        "_datetime": datetime,
        "_Decimal": Decimal,
        "_LIMIT": _DECIMAL_LIMIT,
    }
    try:
        hints = typing.get_type_hints(kind)
    except Exception:
        hints = {}
    terms = []
    for field in attrs.fields(kind):
        annotation = hints.get(field.name)
        if annotation is None:
            continue
        term = _fast_expression(annotation, field.name, f"v.{field.name}", names)
        if term is None:
            terms = ["False"]
            break
        terms.append(term)
    source = "lambda v: " + (" and ".join(terms) if terms else "True")
    predicate: Callable[[Any], bool] = eval(source, names)  # noqa: S307 - built from annotations
    return predicate


def _attrs_check(kind: type) -> Check:
    plan: list[list[tuple[str, Check]]] = []
    fast: list[Callable[[Any], bool]] = []
    lengths = _BUILDING.get()

    def check(value: Any, path: str, out: list[Violation]) -> Any:
        if not isinstance(value, kind):
            out.append(
                invalid(
                    path,
                    "must be a {kind}",
                    "deve ser do tipo {kind}",
                    kind=kind.__name__,
                )
            )
            return value
        if not fast:
            fast.append(_fast(kind, lengths))
        if fast[0](value):
            return value
        if not plan:
            plan.append(_attrs_plan(kind, lengths))
        for field, field_check in plan[0]:
            field_check(getattr(value, field), f"{path}.{field}", out)
        return value

    return check


_SEQUENCES: dict[Any, tuple[type, bool, bool]] = {
    # origin -> (container to accept, must be a sequence, read an iterator once)
    abc.Sequence: (abc.Sequence, True, False),
    list: (list, True, False),
    abc.Iterable: (abc.Iterable, False, True),
    abc.Collection: (abc.Collection, False, False),
    abc.Set: (abc.Set, False, False),
    set: (set, False, False),
    frozenset: (frozenset, False, False),
}
_SCALARS: dict[Any, Check] = {
    bool: _bool_check,
    date: _date_check,
    datetime: _datetime_check,
    time: _time_check,
    Decimal: _decimal_check,
    float: _float_check,
}


def _build(annotation: Any, name: str) -> Check | None:
    """The check of one annotation (``None``: anything goes)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in (Any, object) or isinstance(annotation, TypeVar):
        return None
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        if any(option in (Any, object) for option in options):
            return None
        built = [_build(option, name) for option in options]
        usable = [check for check in built if check is not None]
        if len(usable) < len(built):
            return None
        inner = usable[0] if len(usable) == 1 else _any_of(usable)
        return _optional(inner) if len(options) < len(args) else _required(inner)
    if annotation is type(None):
        return _literal_check((None,))
    if annotation is int:
        return _required(_int_check(name))
    if annotation is str:
        return _required(_str_check(name))
    if annotation in _SCALARS:
        return _required(_SCALARS[annotation])
    if origin is typing.Literal:
        return _literal_check(args)
    if origin is tuple:
        return _required(_tuple_check(args, name))
    if origin in _SEQUENCES:
        container, sequence, materialize = _SEQUENCES[origin]
        element = _build(args[0], name) if args else None
        return _required(
            _collection_check(
                container, element, sequence=sequence, materialize=materialize
            )
        )
    if origin in (abc.Mapping, dict):
        key = _build(args[0], name) if args else None
        item = _build(args[1], name) if args else None
        return _required(_mapping_check(key, item))
    if origin is abc.Callable or annotation is abc.Callable:
        return _required(_callable_check)
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return _required(_enum_check(annotation))
        if attrs.has(annotation):
            return _required(_attrs_check(annotation))
        if getattr(annotation, "_is_protocol", False):
            return _required(_protocol_check(annotation))
        return _required(_instance_check(annotation, label=annotation.__name__))
    return None


# ------------------------------------------------------------------ methods
@attrs.frozen
class _Plan:
    positional: tuple[str, ...]
    names: frozenset[str]
    required: frozenset[str]
    checks: tuple[tuple[str, Check], ...]
    open_keywords: bool
    open_positional: bool


def _plan(function: Callable[..., Any]) -> _Plan:
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    parameters = list(signature.parameters.values())[1:]  # self
    positional = tuple(
        p.name
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    )
    named = [p for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    checks = []
    for parameter in named:
        annotation = hints.get(parameter.name)
        found = None if annotation is None else _build(annotation, parameter.name)
        if found is not None:
            checks.append((parameter.name, found))
    return _Plan(
        positional=positional,
        names=frozenset(p.name for p in named),
        required=frozenset(p.name for p in named if p.default is p.empty),
        checks=tuple(checks),
        open_keywords=any(p.kind is p.VAR_KEYWORD for p in parameters),
        open_positional=any(p.kind is p.VAR_POSITIONAL for p in parameters),
    )


def _arguments(
    plan: _Plan, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any] | Violation:
    if len(args) > len(plan.positional) and not plan.open_positional:
        return invalid(
            "arguments",
            "{count} positional arguments given; at most {allowed} are taken",
            "{count} argumentos posicionais informados; no máximo {allowed}",
            count=len(args),
            allowed=len(plan.positional),
        )
    given = dict(zip(plan.positional, args, strict=False))
    for name, value in kwargs.items():
        if name in given or (name not in plan.names and not plan.open_keywords):
            return invalid(
                name,
                "is not an argument of this command (or is given twice)",
                "não é argumento deste comando (ou foi informado duas vezes)",
            )
        given[name] = value
    missing = sorted(plan.required - given.keys())
    if missing:
        return invalid(missing[0], "is required", "é obrigatório(a)")
    return given


def checked(function: F) -> F:
    """``function`` (a service method) with its arguments checked first.

    The text lengths checked are the *active* ones: the library's columns
    (:data:`~gsan_core.model.limits.TEXT_LENGTHS`) with the overrides of the
    service's profile (``UtilityProfile.text_lengths``, read through the
    service's ``_lengths`` key); a plan is built once per set of overrides."""
    plans: dict[Lengths, _Plan] = {}

    @functools.wraps(function)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        lengths: Lengths = getattr(self, "_lengths", ())
        plan = plans.get(lengths)
        if plan is None:
            building = _BUILDING.set(lengths)
            try:
                plan = plans[lengths] = _plan(function)
            finally:
                _BUILDING.reset(building)
        given = _arguments(plan, args, kwargs)
        if isinstance(given, Violation):
            raise RuleViolation([given])
        found: list[Violation] = []
        changed = False
        for name, check in plan.checks:
            if name in given:
                value = given[name]
                result = check(value, name, found)
                if result is not value:
                    given[name] = result
                    changed = True
        if found:
            raise RuleViolation(found)
        token = ACTING.set([given["actor"], False]) if "actor" in given else None
        try:
            if changed:
                positional = [given.pop(name) for name in plan.positional[: len(args)]]
                return function(self, *positional, *args[len(positional) :], **given)
            return function(self, *args, **kwargs)
        finally:
            if token is not None:
                ACTING.reset(token)

    wrapper.__gsan_checked__ = True  # type: ignore[attr-defined]
    return typing.cast("F", wrapper)
