"""Rules of the reference tables ("Inserir X / Manter X").

* CAT-1: description required and within the kind's length;
* CAT-2: abbreviation within its length, required where the kind says so;
* CAT-3: attributes: known, typed, within range, required ones present, ``ref``
  attributes pointing to an existing row of the referenced kind (an active one
  for an active row), and not below the attribute their spec names in
  ``not_below``;
* CAT-4: description unique among the kind's active rows (GSAN keys such as
  ``atencao.descricao_existente``); abbreviation and ``unique`` attributes too
  where the kind says so;
* CAT-5: a row in use cannot be removed: deactivate it instead.

Optimistic concurrency on update (CAT-6) is the repository's compare-and-set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import (
    AttributeSpec,
    AttributeValue,
    CatalogItem,
    CatalogKind,
)
from gsan_core.rules.validation import REQUIRED, TOO_LONG, normalized, required_text

__all__ = [
    "ATTRIBUTE_BELOW_OTHER",
    "ATTRIBUTE_OUT_OF_RANGE",
    "ATTRIBUTE_WRONG_TYPE",
    "DUPLICATE_ABBREVIATION",
    "DUPLICATE_ATTRIBUTE",
    "DUPLICATE_DESCRIPTION",
    "IN_USE",
    "REFERENCE_MISSING",
    "UNKNOWN_ATTRIBUTE",
    "SiblingIndex",
    "check_item",
    "check_removal",
    "coerce_attributes",
]

UNKNOWN_ATTRIBUTE = Message(
    "catalog.unknown_attribute",
    en="{kind} has no attribute {attribute!r}.",
    pt="{tipo} não tem o atributo {attribute!r}.",
    rule="CAT-3",
)
ATTRIBUTE_WRONG_TYPE = Message(
    "catalog.attribute_wrong_type",
    en="{attribute} of {kind} must be {expected}, got {value!r}.",
    pt="{attribute} de {tipo} deve ser {esperado}; informado {value!r}.",
    rule="CAT-3",
)
ATTRIBUTE_OUT_OF_RANGE = Message(
    "catalog.attribute_out_of_range",
    en="{attribute} of {kind} must be between {minimum} and {maximum}, got {value}.",
    pt="{attribute} de {tipo} deve estar entre {minimum} e {maximum}; informado {value}.",
    rule="CAT-3",
)
ATTRIBUTE_BELOW_OTHER = Message(
    "catalog.attribute_below_other",
    en="{attribute} of {kind} ({value}) may not be below {other} ({other_value}).",
    pt="{attribute} de {tipo} ({value}) não pode ser menor que {other} ({other_value}).",
    rule="CAT-3",
)
REFERENCE_MISSING = Message(
    "catalog.reference_missing",
    en="{attribute} points to {ref} {value}, which does not exist or is inactive.",
    pt="{attribute} aponta para {ref} {value}, inexistente ou inativo(a).",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CAT-3",
)
DUPLICATE_DESCRIPTION = Message(
    "catalog.duplicate_description",
    en="{kind} with the description {description!r} already exists (id {other_id}).",
    pt="{tipo} com a descrição {description!r} já existe (id {other_id}).",
    gsan_key="atencao.descricao_existente",
    rule="CAT-4",
)
DUPLICATE_ABBREVIATION = Message(
    "catalog.duplicate_abbreviation",
    en="{kind} with the abbreviation {abbreviation!r} already exists (id {other_id}).",
    pt="{tipo} com a descrição abreviada {abbreviation!r} já existe (id {other_id}).",
    gsan_key="atencao.descricao_abreviada_ja_existente",
    rule="CAT-4",
)
DUPLICATE_ATTRIBUTE = Message(
    "catalog.duplicate_attribute",
    en="{kind} with {attribute} = {value!r} already exists (id {other_id}).",
    pt="{tipo} com {attribute} = {value!r} já existe (id {other_id}).",
    rule="CAT-4",
)
IN_USE = Message(
    "catalog.in_use",
    en="{kind} {item_id} is in use by {count} record(s); deactivate it instead.",
    pt="{tipo} {item_id} é usado(a) por {count} registro(s); desative-o(a).",
    gsan_key="atencao.dependencias.existentes",
    rule="CAT-5",
)

Lookup = Callable[[str, int], CatalogItem | None]


def _coerce(spec: AttributeSpec, value: object) -> AttributeValue:
    """Turn a caller's value into the attribute's type; raise ``ValueError``."""
    if value is None:
        return None
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError
    if spec.type in {"int", "ref"}:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise ValueError
    if spec.type == "decimal":
        if isinstance(value, bool | float):
            raise ValueError
        if isinstance(value, Decimal | int | str):
            try:
                return Decimal(value)
            except InvalidOperation as exc:
                raise ValueError from exc
        raise ValueError
    if isinstance(value, str):
        return value
    raise ValueError


_EXPECTED = {
    "bool": "a boolean",
    "int": "an integer",
    "ref": "an id",
    "decimal": "a decimal",
    "str": "text",
}
_ESPERADO = {
    "bool": "verdadeiro ou falso",
    "int": "um número inteiro",
    "ref": "um id",
    "decimal": "um número decimal",
    "str": "um texto",
}


def coerce_attributes(
    kind: CatalogKind, attributes: Mapping[str, object]
) -> tuple[dict[str, AttributeValue], list[Violation]]:
    """Typed attributes with defaults filled in, and the violations found (CAT-3)."""
    violations: list[Violation] = []
    result: dict[str, AttributeValue] = {}
    violations.extend(
        UNKNOWN_ATTRIBUTE(kind=kind.title, tipo=kind.title_pt, attribute=name)
        for name in attributes
        if kind.attribute(name) is None
    )
    for spec in kind.attributes:
        raw = attributes.get(spec.name, spec.default)
        try:
            value = _coerce(spec, raw)
        except ValueError:
            violations.append(
                ATTRIBUTE_WRONG_TYPE(
                    kind=kind.title,
                    tipo=kind.title_pt,
                    attribute=spec.name,
                    expected=_EXPECTED[spec.type],
                    esperado=_ESPERADO[spec.type],
                    value=raw,
                )
            )
            continue
        if value is None and spec.required:
            violations.append(
                REQUIRED(
                    field=f"{kind.title}: {spec.name}",
                    campo=f"{kind.title_pt}: {spec.name}",
                )
            )
            continue
        if value is not None:
            violations.extend(_range_violations(kind, spec, value))
        result[spec.name] = value
    return result, violations


def _range_violations(
    kind: CatalogKind, spec: AttributeSpec, value: AttributeValue
) -> list[Violation]:
    if isinstance(value, str) and spec.max_length is not None:
        if len(value) > spec.max_length:
            return [
                TOO_LONG(
                    field=f"{kind.title}: {spec.name}",
                    campo=f"{kind.title_pt}: {spec.name}",
                    length=len(value),
                    max_length=spec.max_length,
                )
            ]
        return []
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return []
    low, high = spec.min_value, spec.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        return [
            ATTRIBUTE_OUT_OF_RANGE(
                kind=kind.title,
                tipo=kind.title_pt,
                attribute=spec.name,
                minimum="-" if low is None else low,
                maximum="-" if high is None else high,
                value=value,
            )
        ]
    return []


class SiblingIndex:
    """The active rows of a kind keyed by what CAT-4 compares (normalized
    description and abbreviation, unique attributes), so checking many new rows
    against many stored ones is linear, not quadratic. Pass it to
    :func:`check_item` as ``siblings``; :meth:`add` each row accepted."""

    def __init__(self, kind: CatalogKind, rows: Iterable[CatalogItem] = ()) -> None:
        self._kind = kind
        self._unique = [spec.name for spec in kind.attributes if spec.unique]
        self._order: dict[int, int] = {}
        self._by_key: dict[tuple[str, object], list[CatalogItem]] = {}
        for row in rows:
            self.add(row)

    def _keys(
        self, item: CatalogItem, attributes: Mapping[str, AttributeValue]
    ) -> list[tuple[str, object]]:
        keys: list[tuple[str, object]] = [("d", normalized(item.description))]
        if item.abbreviation:
            keys.append(("a", normalized(item.abbreviation)))
        keys += [
            (name, attributes[name])
            for name in self._unique
            if attributes.get(name) is not None
        ]
        return keys

    def add(self, row: CatalogItem) -> None:
        """Index a row (an inactive one never conflicts and is skipped)."""
        if not row.active:
            return
        self._order.setdefault(row.id, len(self._order))
        for key in self._keys(row, row.attributes):
            self._by_key.setdefault(key, []).append(row)

    def candidates(
        self, item: CatalogItem, attributes: Mapping[str, AttributeValue]
    ) -> list[CatalogItem]:
        """The indexed rows sharing a key with ``item``, in the order added."""
        found = {
            other.id: other
            for key in self._keys(item, attributes)
            for other in self._by_key.get(key, ())
        }
        return sorted(found.values(), key=lambda row: self._order[row.id])


def check_item(
    item: CatalogItem,
    *,
    kind: CatalogKind,
    siblings: Iterable[CatalogItem] | SiblingIndex,
    lookup: Lookup,
) -> tuple[Violation, ...]:
    """Every violation of CAT-1..CAT-4 for ``item`` among the kind's ``siblings``.

    ``siblings`` are the stored rows of the kind (``item`` itself is skipped by
    id), or a :class:`SiblingIndex` of them; ``lookup`` finds rows of other kinds
    for ``ref`` attributes.
    """
    violations: list[Violation] = []
    violations += required_text(
        item.description,
        field=f"{kind.title}: description",
        campo=f"{kind.title_pt}: descrição",
        max_length=kind.description_max_length,
    )
    if kind.abbreviation_required or item.abbreviation:
        violations += required_text(
            item.abbreviation,
            field=f"{kind.title}: abbreviation",
            campo=f"{kind.title_pt}: descrição abreviada",
            max_length=kind.abbreviation_max_length,
        )
    # Reference and uniqueness checks read the typed values: a ``ref`` given as
    # the text "999" must be looked up like 999, not skipped.
    typed, attribute_violations = coerce_attributes(kind, item.attributes)
    violations += attribute_violations
    for spec in kind.attributes:
        value = typed.get(spec.name)
        if spec.type != "ref" or spec.ref is None or not isinstance(value, int):
            continue
        target = lookup(spec.ref, value)
        # An inactive row may keep pointing to an inactive one (both retired).
        if target is None or (item.active and not target.active):
            violations.append(
                REFERENCE_MISSING(attribute=spec.name, ref=spec.ref, value=value)
            )
    violations += _order_violations(kind, item.attributes)
    if item.active:
        near = (
            siblings.candidates(item, typed)
            if isinstance(siblings, SiblingIndex)
            else siblings
        )
        violations += _uniqueness(item, kind=kind, siblings=near, attributes=typed)
    return tuple(violations)


def _order_violations(
    kind: CatalogKind, attributes: Mapping[str, AttributeValue]
) -> list[Violation]:
    """CAT-3: an attribute is not below the one its spec names in ``not_below``."""
    found: list[Violation] = []
    for spec in kind.attributes:
        if spec.not_below is None:
            continue
        value, other = attributes.get(spec.name), attributes.get(spec.not_below)
        if (
            isinstance(value, int | Decimal)
            and isinstance(other, int | Decimal)
            and value < other
        ):
            below = attrs.evolve(
                ATTRIBUTE_BELOW_OTHER, gsan_key=spec.not_below_gsan_key
            )
            found.append(
                below(
                    kind=kind.title,
                    tipo=kind.title_pt,
                    attribute=spec.name,
                    value=value,
                    other=spec.not_below,
                    other_value=other,
                )
            )
    return found


def _uniqueness(
    item: CatalogItem,
    *,
    kind: CatalogKind,
    siblings: Iterable[CatalogItem],
    attributes: Mapping[str, AttributeValue],
) -> list[Violation]:
    violations: list[Violation] = []
    description = normalized(item.description)
    abbreviation = normalized(item.abbreviation or "")
    unique_specs = [spec for spec in kind.attributes if spec.unique]
    for other in siblings:
        if other.id == item.id or not other.active:
            continue
        if kind.description_unique and normalized(other.description) == description:
            duplicate = attrs.evolve(
                DUPLICATE_DESCRIPTION,
                gsan_key=kind.duplicate_gsan_key,
                rule=kind.duplicate_rule or DUPLICATE_DESCRIPTION.rule,
            )
            violations.append(
                duplicate(
                    kind=kind.title,
                    tipo=kind.title_pt,
                    description=item.description,
                    other_id=other.id,
                )
            )
        if (
            kind.abbreviation_unique
            and abbreviation
            and normalized(other.abbreviation or "") == abbreviation
        ):
            duplicate = attrs.evolve(
                DUPLICATE_ABBREVIATION,
                gsan_key=kind.duplicate_abbreviation_gsan_key
                or DUPLICATE_ABBREVIATION.gsan_key,
                rule=kind.duplicate_rule or DUPLICATE_ABBREVIATION.rule,
            )
            violations.append(
                duplicate(
                    kind=kind.title,
                    tipo=kind.title_pt,
                    abbreviation=item.abbreviation,
                    other_id=other.id,
                )
            )
        for spec in unique_specs:
            mine = attributes.get(spec.name)
            if mine is not None and other.attributes.get(spec.name) == mine:
                duplicate = attrs.evolve(
                    DUPLICATE_ATTRIBUTE, gsan_key=spec.duplicate_gsan_key
                )
                violations.append(
                    duplicate(
                        kind=kind.title,
                        tipo=kind.title_pt,
                        attribute=spec.name,
                        value=mine,
                        other_id=other.id,
                    )
                )
    return violations


def check_removal(
    item: CatalogItem, *, kind: CatalogKind, usage: int
) -> tuple[Violation, ...]:
    """CAT-5: a row used ``usage`` times cannot be removed."""
    if usage > 0:
        return (
            IN_USE(kind=kind.title, tipo=kind.title_pt, item_id=item.id, count=usage),
        )
    return ()
