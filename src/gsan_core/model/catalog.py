"""Reference tables ("Inserir X / Manter X"): the catalog.

GSAN has dozens of small reference tables (situations, reasons, types, materials)
that all share the same shape: an id, a description, an abbreviation, an in-use
flag (``*_icuso``) and an optimistic-lock stamp. Some add a few typed columns
(a water situation's billing flag, a cut type's administrative flag, a meter
brand's letter).

``gsan_core`` models them once: a :class:`CatalogKind` describes one table (its
GSAN name, its extra attributes and their uniqueness), and a :class:`CatalogItem`
is one row. New areas add kinds without new tables or repositories.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar, Literal

import attrs

from gsan_core.model.events import DomainEvent

__all__ = [
    "AttributeSpec",
    "AttributeType",
    "AttributeValue",
    "CatalogItem",
    "CatalogItemAdded",
    "CatalogItemChanged",
    "CatalogItemRemoved",
    "CatalogKind",
    "Reference",
]

AttributeType = Literal["bool", "int", "str", "decimal", "ref"]
AttributeValue = bool | int | str | Decimal | None


@attrs.frozen(kw_only=True)
class AttributeSpec:
    """One extra column of a reference table."""

    name: str
    type: AttributeType
    required: bool = False
    default: AttributeValue = None
    #: Unique among the active rows of the kind (e.g. a meter brand's letter).
    unique: bool = False
    #: For ``type == "ref"``: the catalog kind this attribute points to.
    ref: str | None = None
    max_length: int | None = None
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    doc: str = ""
    #: The GSAN message key when ``unique`` is broken (a capacity's letter).
    duplicate_gsan_key: str | None = None
    #: Another attribute of the kind this one may not be below (a capacity's most
    #: reading digits are at least its fewest).
    not_below: str | None = None
    #: The GSAN message key when ``not_below`` is broken.
    not_below_gsan_key: str | None = None


@attrs.frozen
class Reference:
    """An entity field that points to catalog rows of a kind (``property.water_status_id``)."""

    entity: str
    field: str
    #: When the field holds records (``property.categories``), the key of each
    #: record that points to the row (``category_id``).
    key: str | None = None


@attrs.frozen(kw_only=True)
class CatalogKind:
    """The description of one reference table."""

    name: str
    title: str
    title_pt: str
    gsan_table: str
    attributes: tuple[AttributeSpec, ...] = ()
    description_max_length: int = 50
    abbreviation_max_length: int = 10
    abbreviation_required: bool = False
    #: The abbreviation is unique among active rows (e.g. service-type profiles).
    abbreviation_unique: bool = False
    #: The description is unique among active rows (GSAN ``atencao.descricao_existente``).
    description_unique: bool = True
    #: Entity fields that use rows of this kind: a row in use cannot be removed.
    referenced_by: tuple[Reference, ...] = ()
    #: The GSAN message key for "a row with this description already exists".
    duplicate_gsan_key: str = "atencao.descricao_existente"
    #: The GSAN message key for a duplicate abbreviation, when the table has its own.
    duplicate_abbreviation_gsan_key: str | None = None
    #: The numbered rule a duplicate breaks, when the table's area numbers it
    #: (``CFG-07`` for service profiles); ``CAT-4`` otherwise.
    duplicate_rule: str | None = None

    def attribute(self, name: str) -> AttributeSpec | None:
        """The spec of attribute ``name``, if the kind has it."""
        for spec in self.attributes:
            if spec.name == name:
                return spec
        return None


def _attributes(value: Mapping[str, AttributeValue]) -> Mapping[str, AttributeValue]:
    return dict(sorted(value.items()))


@attrs.frozen(kw_only=True)
class CatalogItem:
    """One row of a reference table."""

    kind: str
    id: int
    description: str
    abbreviation: str | None = None
    active: bool = True
    attributes: Mapping[str, AttributeValue] = attrs.field(
        factory=dict, converter=_attributes
    )
    version: int = 1

    def flag(self, name: str) -> bool:
        """A boolean attribute (``False`` when absent)."""
        return self.attributes.get(name) is True

    def integer(self, name: str) -> int | None:
        """An integer (or ``ref``) attribute."""
        value = self.attributes.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        return int(value)

    def text(self, name: str) -> str | None:
        """A text attribute."""
        value = self.attributes.get(name)
        return value if isinstance(value, str) else None

    def decimal(self, name: str) -> Decimal | None:
        """A decimal attribute."""
        value = self.attributes.get(name)
        if value is None or isinstance(value, bool):
            return None
        return Decimal(value)


@attrs.frozen(kw_only=True)
class CatalogItemAdded(DomainEvent):
    """A reference row was inserted."""

    tag: ClassVar[str] = "catalog.item_added"
    kind: str
    item_id: int


@attrs.frozen(kw_only=True)
class CatalogItemChanged(DomainEvent):
    """A reference row was updated (including activation and deactivation)."""

    tag: ClassVar[str] = "catalog.item_changed"
    kind: str
    item_id: int
    version: int
    active: bool


@attrs.frozen(kw_only=True)
class CatalogItemRemoved(DomainEvent):
    """A reference row that nothing used was deleted."""

    tag: ClassVar[str] = "catalog.item_removed"
    kind: str
    item_id: int
