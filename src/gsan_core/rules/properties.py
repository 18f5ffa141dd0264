"""Rules for loading and changing properties and their location.

* PRO-1: the location is consistent: the locality exists, the sector belongs to
  it, the block to the sector, the route to the locality;
* PRO-2: profile, water and sewer situations, categories and subcategories exist,
  a subcategory belongs to its category, and there is at least one economy;
* PRO-3: a cadastral change never moves the water or sewer situation; only the
  connection operations do (prodigasistemas/gsan#221).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.properties import Property

__all__ = [
    "INCONSISTENT_LOCATION",
    "LOCATION_MISMATCH",
    "MISSING_ECONOMIES",
    "SITUATION_CHANGE_NOT_ALLOWED",
    "UNKNOWN_LOCATION_PARENT",
    "UNKNOWN_REFERENCE",
    "PropertyReferences",
    "check_change",
    "check_location_entry",
    "check_property",
]

UNKNOWN_REFERENCE = Message(
    "property.unknown_reference",
    en="Property {property_id}: {field} {value} does not exist or is inactive.",
    pt="Imóvel {property_id}: {campo} {value} inexistente ou inativo(a).",
    gsan_key="atencao.pesquisa_inexistente",
    rule="PRO-2",
)
INCONSISTENT_LOCATION = Message(
    "property.inconsistent_location",
    en="Property {property_id}: {child} {child_id} does not belong to {parent} {parent_id}.",
    pt="Imóvel {property_id}: {filho} {child_id} não pertence a {pai} {parent_id}.",
    rule="PRO-1",
)
MISSING_ECONOMIES = Message(
    "property.missing_economies",
    en="Property {property_id} must have at least one category with economies.",
    pt="Imóvel {property_id} deve ter ao menos uma categoria com economias.",
    gsan_key="atencao.required",
    rule="PRO-2",
)
SITUATION_CHANGE_NOT_ALLOWED = Message(
    "property.situation_change_not_allowed",
    en="Property {property_id}: the {which} situation changes only through its "
    "connection operations, not through a cadastral update.",
    pt="Imóvel {property_id}: a situação de {qual} só muda pelas operações da "
    "ligação, não pela atualização cadastral.",
    rule="PRO-3",
)


#: The Portuguese names of the entities the messages mention.
_PT = {
    "locality": "localidade",
    "sector": "setor comercial",
    "block": "quadra",
    "route": "rota",
    "property profile": "perfil do imóvel",
    "water situation": "situação de ligação de água",
    "sewer situation": "situação de ligação de esgoto",
    "collection situation": "situação de cobrança",
    "consumption tariff": "tarifa de consumo",
    "well type": "tipo de poço",
    "category": "categoria",
    "subcategory": "subcategoria",
    "water": "água",
    "sewer": "esgoto",
}


_LOCATION = frozenset({"locality", "sector", "block", "route"})


@attrs.frozen(kw_only=True)
class PropertyReferences:
    """The ids a property may point to, loaded once for a whole batch."""

    localities: frozenset[int]
    sector_locality: Mapping[int, int]
    block_sector: Mapping[int, int]
    route_locality: Mapping[int, int]
    profiles: frozenset[int]
    water_statuses: frozenset[int]
    sewer_statuses: frozenset[int]
    categories: frozenset[int]
    subcategory_category: Mapping[int, int]
    collection_situations: frozenset[int]
    #: ``cstf_id`` and ``poco_id`` rows, active (checked only when set).
    consumption_tariffs: frozenset[int] = frozenset()
    well_types: frozenset[int] = frozenset()


def check_property(
    prop: Property, *, refs: PropertyReferences
) -> tuple[Violation, ...]:
    """Every PRO-1 and PRO-2 violation of ``prop``."""
    found = _Findings(prop.id)
    _check_location(prop, refs, found)
    _check_situations(prop, refs, found)
    _check_categories(prop, refs, found)
    return tuple(found.violations)


@attrs.define
class _Findings:
    """The violations found about one property, in the order found."""

    property_id: int
    violations: list[Violation] = attrs.Factory(list)

    def unknown(self, field: str, value: int) -> None:
        # The location (PRO-1) and the other references (PRO-2) share a code.
        rule = "PRO-1" if field in _LOCATION else "PRO-2"
        self.violations.append(
            attrs.evolve(UNKNOWN_REFERENCE, rule=rule)(
                property_id=self.property_id, field=field, campo=_PT[field], value=value
            )
        )

    def belongs(
        self, child: str, child_id: int, parent: str, parent_id: int, actual: int
    ) -> None:
        # A subcategory outside its category breaks PRO-2, not the location.
        rule = "PRO-1" if child in _LOCATION else "PRO-2"
        if actual != parent_id:
            self.violations.append(
                attrs.evolve(INCONSISTENT_LOCATION, rule=rule)(
                    property_id=self.property_id,
                    child=child,
                    filho=_PT[child],
                    child_id=child_id,
                    parent=parent,
                    pai=_PT[parent],
                    parent_id=parent_id,
                )
            )


def _check_location(prop: Property, refs: PropertyReferences, found: _Findings) -> None:
    """PRO-1: the locality, sector, block and route exist and nest."""
    if prop.locality_id not in refs.localities:
        found.unknown("locality", prop.locality_id)
    sector_locality = refs.sector_locality.get(prop.sector_id)
    if sector_locality is None:
        found.unknown("sector", prop.sector_id)
    else:
        found.belongs(
            "sector", prop.sector_id, "locality", prop.locality_id, sector_locality
        )
    block_sector = refs.block_sector.get(prop.block_id)
    if block_sector is None:
        found.unknown("block", prop.block_id)
    else:
        found.belongs("block", prop.block_id, "sector", prop.sector_id, block_sector)
    if prop.route_id is not None:
        route_locality = refs.route_locality.get(prop.route_id)
        if route_locality is None:
            found.unknown("route", prop.route_id)
        else:
            found.belongs(
                "route", prop.route_id, "locality", prop.locality_id, route_locality
            )


def _check_situations(
    prop: Property, refs: PropertyReferences, found: _Findings
) -> None:
    """PRO-2: the profile, the situations, the tariff and the well type exist."""
    if prop.profile_id not in refs.profiles:
        found.unknown("property profile", prop.profile_id)
    if prop.water_status_id not in refs.water_statuses:
        found.unknown("water situation", prop.water_status_id)
    if prop.sewer_status_id not in refs.sewer_statuses:
        found.unknown("sewer situation", prop.sewer_status_id)
    for situation in sorted(prop.collection_situation_ids - refs.collection_situations):
        found.unknown("collection situation", situation)
    tariff = prop.consumption_tariff_id
    if tariff is not None and tariff not in refs.consumption_tariffs:
        found.unknown("consumption tariff", tariff)
    if prop.well_type_id is not None and prop.well_type_id not in refs.well_types:
        found.unknown("well type", prop.well_type_id)


def _check_categories(
    prop: Property, refs: PropertyReferences, found: _Findings
) -> None:
    """PRO-2: at least one category; each exists, its subcategory is its own."""
    if not prop.categories:
        found.violations.append(MISSING_ECONOMIES(property_id=prop.id))
    for entry in prop.categories:
        if entry.category_id not in refs.categories:
            found.unknown("category", entry.category_id)
        if entry.subcategory_id is not None:
            parent = refs.subcategory_category.get(entry.subcategory_id)
            if parent is None:
                found.unknown("subcategory", entry.subcategory_id)
            else:
                found.belongs(
                    "subcategory",
                    entry.subcategory_id,
                    "category",
                    entry.category_id,
                    parent,
                )


def check_change(
    before: Property, after: Property, *, refs: PropertyReferences
) -> tuple[Violation, ...]:
    """Violations of a cadastral change: PRO-1, PRO-2 and PRO-3."""
    found = list(check_property(after, refs=refs))
    if after.water_status_id != before.water_status_id:
        found.append(
            SITUATION_CHANGE_NOT_ALLOWED(
                property_id=before.id, which="water", qual=_PT["water"]
            )
        )
    if after.sewer_status_id != before.sewer_status_id:
        found.append(
            SITUATION_CHANGE_NOT_ALLOWED(
                property_id=before.id, which="sewer", qual=_PT["sewer"]
            )
        )
    return tuple(found)


UNKNOWN_LOCATION_PARENT = Message(
    "property.location.unknown_parent",
    en="{entity} {entity_id}: {parent} {parent_id} does not exist.",
    pt="{entidade} {entity_id}: {pai} {parent_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="PRO-1",
)
LOCATION_MISMATCH = Message(
    "property.location.mismatch",
    en="{entity} {entity_id}: {parent} {parent_id} belongs to locality "
    "{parent_locality}, not {locality_id}.",
    pt="{entidade} {entity_id}: {pai} {parent_id} pertence à localidade "
    "{parent_locality}, não à {locality_id}.",
    rule="PRO-1",
)


def check_location_entry(
    *,
    entity: str,
    entity_id: int,
    locality_id: int,
    sector_id: int | None,
    localities: frozenset[int],
    sector_locality: Mapping[int, int],
) -> tuple[Violation, ...]:
    """PRO-1 for a sector, block or route: its locality (and sector) exist and agree."""
    found: list[Violation] = []
    if locality_id not in localities:
        found.append(
            UNKNOWN_LOCATION_PARENT(
                entity=entity,
                entidade=_PT.get(entity, entity),
                entity_id=entity_id,
                parent="locality",
                pai=_PT["locality"],
                parent_id=locality_id,
            )
        )
    if sector_id is not None:
        parent_locality = sector_locality.get(sector_id)
        if parent_locality is None:
            found.append(
                UNKNOWN_LOCATION_PARENT(
                    entity=entity,
                    entidade=_PT.get(entity, entity),
                    entity_id=entity_id,
                    parent="sector",
                    pai=_PT["sector"],
                    parent_id=sector_id,
                )
            )
        elif parent_locality != locality_id:
            found.append(
                LOCATION_MISMATCH(
                    entity=entity,
                    entidade=_PT.get(entity, entity),
                    entity_id=entity_id,
                    parent="sector",
                    pai=_PT["sector"],
                    parent_id=sector_id,
                    parent_locality=parent_locality,
                    locality_id=locality_id,
                )
            )
    return tuple(found)
