"""Utility profiles: load, validate and list them.

A profile file (TOML or JSON) holds a :class:`~gsan_core.model.profile.UtilityProfile`
plus the seed rows of the reference tables. ``extends = "gsan_default"`` starts
from another profile: tables merge key by key, lists are replaced, catalog rows
merge by id. A broken file raises :class:`~gsan_core.errors.ConfigurationError`
naming the file, the field and the problem.

Bundled profiles: ``gsan_default`` (prodigasistemas GSAN ids and rules),
``cagepa`` (a CAGEPA-like utility) and ``caema`` (a CAEMA-like utility).
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote

from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogItem, CatalogKind
from gsan_core.model.kinds import kinds_by_name
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.service_requests import RequestSpecification
from gsan_core.rules.catalog import coerce_attributes

__all__ = [
    "BUNDLED",
    "LoadedProfile",
    "available",
    "default",
    "load",
]

R = TypeVar("R")

#: Names of the profiles shipped with the library.
BUNDLED = ("gsan_default", "cagepa", "caema")

_STATES = frozenset(
    [
        "AC",
        "AL",
        "AM",
        "AP",
        "BA",
        "CE",
        "DF",
        "ES",
        "GO",
        "MA",
        "MG",
        "MS",
        "MT",
        "PA",
        "PB",
        "PE",
        "PI",
        "PR",
        "RJ",
        "RN",
        "RO",
        "RR",
        "RS",
        "SC",
        "SE",
        "SP",
        "TO",
    ]
)
_ROW_KEYS = frozenset({"id", "description", "abbreviation", "active", "attributes"})
#: Top-level lists of entity rows, merged by id when a profile extends another.
_ROW_LISTS = frozenset({"service_types", "request_specifications"})


@attrs.frozen(kw_only=True)
class LoadedProfile:
    """A validated profile with the reference rows it seeds."""

    profile: UtilityProfile
    seeds: tuple[CatalogItem, ...]
    source: str
    #: Service types the profile seeds (``[[service_types]]``).
    service_types: tuple[ServiceType, ...] = ()
    #: Request specifications the profile seeds (``[[request_specifications]]``).
    request_specifications: tuple[RequestSpecification, ...] = ()

    @property
    def row_count(self) -> int:
        """How many rows seeding an empty store inserts (reference rows, service
        types and request specifications)."""
        return (
            len(self.seeds) + len(self.service_types) + len(self.request_specifications)
        )


def available() -> tuple[str, ...]:
    """The bundled profile names."""
    return BUNDLED


def default() -> LoadedProfile:
    """The ``gsan_default`` profile."""
    return load("gsan_default")


def load(
    source: str | Path, *, kinds: Mapping[str, CatalogKind] | None = None
) -> LoadedProfile:
    """Load a bundled profile by name, or a ``.toml`` / ``.json`` file by path."""
    known = kinds if kinds is not None else kinds_by_name()
    document, label = _read_document(source, chain=())
    return _build(document, label, known)


# ------------------------------------------------------------------ reading
def _read_document(
    source: str | Path, *, chain: tuple[str, ...]
) -> tuple[dict[str, Any], str]:
    raw, label, base_dir = _read_raw(source)
    # Files are compared by resolved path: "sub/../a.toml" is "a.toml".
    key = label if base_dir is None else str(Path(label).resolve())
    if key in chain:
        raise ConfigurationError(
            f"profiles extend each other in a cycle: {' -> '.join((*chain, key))}",
            file=label,
            field="extends",
        )
    parent = raw.pop("extends", None)
    if parent is None:
        return raw, label
    if not isinstance(parent, str):
        raise ConfigurationError(
            "must be a profile name or path", file=label, field="extends"
        )
    parent_source: str | Path = parent
    if parent not in BUNDLED and base_dir is not None:
        parent_source = base_dir / parent
    base, _ = _read_document(parent_source, chain=(*chain, key))
    return _merge(base, raw), label


def _read_raw(source: str | Path) -> tuple[dict[str, Any], str, Path | None]:
    if isinstance(source, str) and source in BUNDLED:
        text = (
            resources.files("gsan_core.profiles")
            .joinpath("data", f"{source}.toml")
            .read_text(encoding="utf-8")
        )
        return _parse(text, f"<bundled {source}>", json_format=False), source, None
    path = Path(source)
    label = str(path)
    if not path.is_file():
        raise ConfigurationError(
            f"no profile named {source!r} (bundled: {', '.join(BUNDLED)}) and no such file",
            file=label,
        )
    json_format = path.suffix.lower() == ".json"
    if not json_format and path.suffix.lower() != ".toml":
        raise ConfigurationError("a profile file must be .toml or .json", file=label)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigurationError(
            "not a text file (a profile is UTF-8 TOML or JSON)", file=label
        ) from exc
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            file=label,
        ) from exc
    return _parse(text, label, json_format=json_format), label, path.parent


#: How deep tables and lists may nest in a profile (the deepest real one is 4).
MAX_DEPTH = 16


def _parse(text: str, label: str, *, json_format: bool) -> dict[str, Any]:
    if "\x00" in text:
        raise ConfigurationError("not a text file (it contains NUL bytes)", file=label)
    if not text.strip():
        raise ConfigurationError("the profile file is empty", file=label)
    try:
        data = json.loads(text) if json_format else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(
            f"not valid {'JSON' if json_format else 'TOML'}: {exc}", file=label
        ) from exc
    except RecursionError as exc:
        raise ConfigurationError(
            f"nested deeper than {MAX_DEPTH} levels", file=label
        ) from exc
    if not isinstance(data, dict):
        raise ConfigurationError("the document must be a table/object", file=label)
    if _too_deep(data):
        raise ConfigurationError(f"nested deeper than {MAX_DEPTH} levels", file=label)
    if not data:
        raise ConfigurationError("the profile file is empty", file=label)
    return data


def _too_deep(data: object) -> bool:
    """Whether tables and lists nest deeper than :data:`MAX_DEPTH` (iterative:
    a deep document must not exhaust the stack here either)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
    return False


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key == "catalog" and isinstance(value, dict):
            merged[key] = _merge_catalog(base.get("catalog", {}), value)
        elif key in _ROW_LISTS and isinstance(value, list):
            merged[key] = _merge_rows(base.get(key, []), value)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _merge_rows(base: Any, override: list[Any]) -> list[Any]:
    by_id: dict[Any, Any] = {}
    for row in (*(base if isinstance(base, list) else ()), *override):
        by_id[row.get("id") if isinstance(row, dict) else id(row)] = row
    return list(by_id.values())


def _merge_catalog(base: Any, override: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = dict(base) if isinstance(base, dict) else {}
    for kind, rows in override.items():
        base_rows = merged.get(kind)
        if not isinstance(rows, list) or not isinstance(base_rows, list):
            merged[kind] = rows
        elif all(isinstance(row, dict) for row in (*base_rows, *rows)):
            by_id = {row.get("id"): row for row in base_rows}
            by_id.update((row.get("id"), row) for row in rows)
            merged[kind] = list(by_id.values())
        else:
            # Keep every row, so that validation names the one that is not a table.
            merged[kind] = [*base_rows, *rows]
    return merged


# ------------------------------------------------------------------ building
@functools.cache
def _converter() -> cattrs.Converter:
    """The profile converter, built once per process: its hooks never change,
    and building them (cattrs compiles a function per class) cost about half
    of loading a bundled profile."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def decimal(value: Any, _: type) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("expected a decimal number")
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a decimal number") from exc

    def integer(value: Any, _: type) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        return value

    def boolean(value: Any, _: type) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value

    def text(value: Any, _: type) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value

    def names(value: Any, _: type) -> frozenset[str]:
        # cattrs would turn the text "catalog" into the set of its letters.
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of names, got {value!r}")
        return frozenset(value)

    converter.register_structure_hook_func(lambda t: t == frozenset[str], names)
    converter.register_structure_hook(Decimal, decimal)
    converter.register_structure_hook(int, integer)
    converter.register_structure_hook(bool, boolean)
    converter.register_structure_hook(str, text)
    return converter


def _field_of(message: str) -> tuple[str, str]:
    problem, _, path = message.rpartition(" @ ")
    field = path.removeprefix("$").lstrip(".") or None
    return (problem or message), (field or "")


def _refused_value(
    exc: BaseException, path: str
) -> tuple[ConfigurationError, str] | None:
    """The first value a profile model's validator refused (a range, a month)
    in cattrs' error tree, with the path of the table that holds it."""
    if isinstance(exc, ConfigurationError):
        return exc, path
    if not isinstance(exc, cattrs.BaseValidationError):
        return None
    for inner in exc.exceptions:
        step = ""
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                step = f".{note.name}"
            elif isinstance(note, IterableValidationNote):
                step = f"[{note.index}]"
        found = _refused_value(inner, path + step)
        if found is not None:
            return found
    return None


def _build(
    document: dict[str, Any], label: str, kinds: Mapping[str, CatalogKind]
) -> LoadedProfile:
    catalog = document.pop("catalog", {})
    type_rows = document.pop("service_types", [])
    specification_rows = document.pop("request_specifications", [])
    converter = _converter()
    try:
        profile = converter.structure(document, UtilityProfile)
    except cattrs.BaseValidationError as exc:
        refused = _refused_value(exc, "")
        if refused is not None:
            error, where = refused
            # a section's field is named from where the file put it (a list's
            # index included); the profile's own fields name themselves
            field = error.field or ""
            if where:
                field = f"{where.lstrip('.')}.{field.rpartition('.')[2]}"
            raise ConfigurationError(error.problem, file=label, field=field) from exc
        messages = cattrs.transform_error(exc)
        problem, field = _field_of(messages[0])
        raise ConfigurationError(problem, file=label, field=field or None) from exc
    try:
        ZoneInfo(profile.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"unknown time zone {profile.timezone!r}", file=label, field="timezone"
        ) from exc
    if profile.state not in _STATES:
        raise ConfigurationError(
            f"{profile.state!r} is not a Brazilian state (UF)",
            file=label,
            field="state",
        )
    seeds = _seeds(catalog, label, kinds)
    _check_roles(profile, seeds, label, kinds)
    service_types = _rows(converter, type_rows, label, ServiceType, "service_types")
    specifications = _rows(
        converter,
        specification_rows,
        label,
        RequestSpecification,
        "request_specifications",
    )
    return LoadedProfile(
        profile=profile,
        seeds=seeds,
        source=label,
        service_types=service_types,
        request_specifications=specifications,
    )


def _rows(
    converter: cattrs.Converter, rows: Any, label: str, cls: type[R], name: str
) -> tuple[R, ...]:
    """Entity rows of a top-level list (``[[service_types]]``...), unique by id."""
    if not isinstance(rows, list):
        raise ConfigurationError("must be a list of tables", file=label, field=name)
    found: list[R] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        where = f"{name}[{index}]"
        try:
            entity = converter.structure(row, cls)
        except cattrs.BaseValidationError as exc:
            problem, field = _field_of(cattrs.transform_error(exc)[0])
            raise ConfigurationError(
                problem, file=label, field=f"{where}.{field}" if field else where
            ) from exc
        ident: int = entity.id  # type: ignore[attr-defined]
        if ident in seen:
            raise ConfigurationError(
                f"id {ident} appears twice", file=label, field=f"{where}.id"
            )
        seen.add(ident)
        found.append(entity)
    return tuple(found)


def _seeds(
    catalog: Any, label: str, kinds: Mapping[str, CatalogKind]
) -> tuple[CatalogItem, ...]:
    if not isinstance(catalog, dict):
        raise ConfigurationError(
            "must be a table of reference tables", file=label, field="catalog"
        )
    items: list[CatalogItem] = []
    for kind_name, rows in catalog.items():
        where = f"catalog.{kind_name}"
        kind = kinds.get(kind_name)
        if kind is None:
            raise ConfigurationError(
                f"unknown reference table {kind_name!r}", file=label, field=where
            )
        if not isinstance(rows, list):
            raise ConfigurationError("must be a list of rows", file=label, field=where)
        seen: set[int] = set()
        for index, row in enumerate(rows):
            items.append(_seed_row(row, kind, label, f"{where}[{index}]", seen))
    return tuple(items)


def _seed_row(
    row: Any, kind: CatalogKind, label: str, where: str, seen: set[int]
) -> CatalogItem:
    if not isinstance(row, dict):
        raise ConfigurationError("must be a table", file=label, field=where)
    extra = sorted(set(row) - _ROW_KEYS)
    if extra:
        raise ConfigurationError(
            f"unknown key(s) {', '.join(extra)}", file=label, field=where
        )
    ident = row.get("id")
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise ConfigurationError(
            "id must be an integer", file=label, field=f"{where}.id"
        )
    if ident in seen:
        raise ConfigurationError(
            f"id {ident} appears twice", file=label, field=f"{where}.id"
        )
    seen.add(ident)
    description = row.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ConfigurationError(
            "description is required", file=label, field=f"{where}.description"
        )
    abbreviation = row.get("abbreviation")
    if abbreviation is not None and not isinstance(abbreviation, str):
        raise ConfigurationError(
            "must be text", file=label, field=f"{where}.abbreviation"
        )
    active = row.get("active", True)
    if not isinstance(active, bool):
        raise ConfigurationError(
            "must be true or false", file=label, field=f"{where}.active"
        )
    raw_attributes = row.get("attributes", {})
    if not isinstance(raw_attributes, dict):
        raise ConfigurationError(
            "must be a table", file=label, field=f"{where}.attributes"
        )
    attributes, violations = coerce_attributes(kind, raw_attributes)
    if violations:
        raise ConfigurationError(
            violations[0].message(), file=label, field=f"{where}.attributes"
        )
    return CatalogItem(
        kind=kind.name,
        id=ident,
        description=description,
        abbreviation=abbreviation,
        active=active,
        attributes=attributes,
    )


def _check_roles(
    profile: UtilityProfile,
    seeds: tuple[CatalogItem, ...],
    label: str,
    kinds: Mapping[str, CatalogKind],
) -> None:
    seeded: dict[str, set[int]] = {}
    for item in seeds:
        seeded.setdefault(item.kind, set()).add(item.id)
    for role, ids in profile.roles.items():
        kind, _, _ = role.partition(".")
        if kind not in kinds:
            continue
        missing = sorted(ids - seeded.get(kind, set()))
        if missing:
            raise ConfigurationError(
                f"role maps to {kind} id(s) {missing} that the profile does not seed",
                file=label,
                field=f"roles.{role}",
            )
