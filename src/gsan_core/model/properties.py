"""Properties (imóveis) and their location: locality, sector, block, route.

Only what the rules of this library read. ``gsan_core`` does not replace the
utility's cadastre: integrators load properties from theirs (bulk load API) and
keep the water and sewer situations in sync through the operations here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "Block",
    "CommercialSector",
    "Economies",
    "Locality",
    "LocationLinks",
    "NetworkIndicator",
    "PropertiesLoaded",
    "Property",
    "PropertyChanged",
    "PropertyRegistered",
    "Route",
]


class NetworkIndicator(IntEnum):
    """Whether the block has a network in front of it (``Quadra`` indicators)."""

    NONE = 1
    """``SEM_REDE``: no network."""
    NETWORK = 2
    """``COM_REDE``: the network covers the block."""
    PARTIAL = 3
    """``REDE_PARCIAL``: part of the block is covered."""


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value <= 0:
        msg = f"{attribute.name} must be positive, got {value}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Locality:
    """A locality (``cadastro.localidade``)."""

    id: int
    name: str
    municipality_id: int | None = None
    #: ``localidade.hila_id``: the default hydrometer stock location.
    stock_location_id: int | None = None
    #: CAEMA ``loca_iccontratoppp``: the locality is under a PPP sewer contract.
    ppp_contract: bool = False
    #: ``greg_id``: the gerência regional (regional management) of the locality.
    regional_management_id: int | None = None
    #: ``uneg_id``: the unidade de negócio (business unit) of the locality.
    business_unit_id: int | None = None
    active: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class CommercialSector:
    """A commercial sector of a locality (``cadastro.setor_comercial``)."""

    id: int
    locality_id: int
    code: int
    name: str = ""
    version: int = 1


@attrs.frozen(kw_only=True)
class Block:
    """A block (quadra) with its network indicators."""

    id: int
    locality_id: int
    sector_id: int
    number: int
    water_network: NetworkIndicator = NetworkIndicator.NETWORK
    sewer_network: NetworkIndicator = NetworkIndicator.NONE
    #: The sewer division (divisão de esgoto) that serves the block, if any.
    sewer_division_id: int | None = None
    version: int = 1


@attrs.frozen(kw_only=True)
class Route:
    """A reading route (``micromedicao.rota``), the unit GSAN's batches split on."""

    id: int
    locality_id: int
    sector_id: int
    code: int
    #: Billing/collection group (``faturamento_grupo`` / ``cobranca_grupo``).
    group_id: int
    #: ``rota_icimpressaosimultanea``: read and billed at once in the field.
    simultaneous_printing: bool = False
    version: int = 1


@attrs.frozen(kw_only=True)
class LocationLinks:
    """How the location rows asked for point to each other (ids absent from a
    mapping do not exist): what the property rules check a location against."""

    active_localities: frozenset[int] = frozenset()
    sector_locality: Mapping[int, int] = attrs.field(factory=dict)
    block_sector: Mapping[int, int] = attrs.field(factory=dict)
    route_locality: Mapping[int, int] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Economies:
    """How many economies (dwelling units) of a category a property has."""

    category_id: int
    subcategory_id: int | None = None
    count: int = attrs.field(default=1, validator=_positive)


def _categories(value: Iterable[Economies]) -> tuple[Economies, ...]:
    return tuple(value)


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Property:
    """A property (imóvel): its location, profile, economies and situations.

    The water and sewer *situations* live on the property, as in GSAN's
    ``cadastro.imovel`` (``last_id`` / ``lest_id``).
    """

    id: int
    locality_id: int
    sector_id: int
    block_id: int
    block_face: int | None = None
    route_id: int | None = None
    profile_id: int
    categories: tuple[Economies, ...] = attrs.field(
        factory=tuple, converter=_categories
    )
    water_status_id: int
    sewer_status_id: int
    #: ``imov.cstf_id``: the consumption tariff (a ``consumption_tariff`` row),
    #: read by the profile x tariff check of a water connection (V-LA7).
    consumption_tariff_id: int | None = None
    #: ``imov.poco_id``: the type of the property's well (a ``well_type`` row),
    #: chosen when a meter is installed on the well and cleared when it leaves.
    well_type_id: int | None = None
    #: Active collection situations (judicial, negativado...) of the property.
    collection_situation_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_ids
    )
    #: ``imov_icexclusao == 2``: the property is active.
    active: bool = True
    version: int = 1

    @property
    def economies(self) -> int:
        """Total economies over all categories."""
        return sum(c.count for c in self.categories)

    @property
    def main_category(self) -> Economies | None:
        """The category with most economies (the first one on a tie)."""
        best: Economies | None = None
        for entry in self.categories:
            if best is None or entry.count > best.count:
                best = entry
        return best

    def __repr__(self) -> str:
        return short_repr(
            self, "water_status_id", "sewer_status_id", "locality_id", "route_id"
        )

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class PropertyRegistered(DomainEvent):
    """A property was added one at a time."""

    tag: ClassVar[str] = "property.registered"
    property_id: int


@attrs.frozen(kw_only=True)
class PropertiesLoaded(DomainEvent):
    """A bulk load added properties (one event for the whole load)."""

    tag: ClassVar[str] = "property.bulk_loaded"
    count: int
    first_id: int
    last_id: int


@attrs.frozen(kw_only=True)
class PropertyChanged(DomainEvent):
    """A property's cadastral data changed."""

    tag: ClassVar[str] = "property.changed"
    property_id: int
    version: int
