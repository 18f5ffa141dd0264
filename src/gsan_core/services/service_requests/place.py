"""The place of the occurrence and the destination suggested for it
(:func:`suggest_in`)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters, UtilityProfile
from gsan_core.model.properties import Block, Property
from gsan_core.model.service_requests import RequestLocation, RequestSpecification
from gsan_core.model.units import OrganizationalUnit
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.common import (
    _specification,
)
from gsan_core.services.units import load_units


def _completed_location(
    location: RequestLocation, prop: Property | None
) -> RequestLocation:
    """The place, with the locality, sector and block of the property (GSAN copies
    them from the imóvel)."""
    if prop is None:
        return location
    return attrs.evolve(
        location,
        locality_id=prop.locality_id,
        sector_id=prop.sector_id,
        block_id=prop.block_id,
    )


@attrs.frozen(kw_only=True)
class _Place:
    location: RequestLocation
    prop: Property | None
    unknown: tuple[tuple[str, str, int], ...]
    division_compatible: bool
    division_unit_id: int | None
    municipality_id: int | None


def _place(
    uow: UnitOfWork,
    location: RequestLocation,
    *,
    sewer: bool,
    full: bool,
    need_municipality: bool = False,
    lock: bool = False,
) -> _Place:
    """The place with what the rules read about it. Only what is needed is read:
    the block for a sewer type or an unchecked block, the locality when there is
    no property (or when municipal holidays need its municipality). With
    ``lock`` the property is read under its lock (the requests of the property
    are read next: INS-07 and the other duplicate checks)."""
    unknown: list[tuple[str, str, int]] = []
    prop = None
    if location.property_id is not None:
        prop = (
            uow.properties.lock_many([location.property_id]).get(location.property_id)
            if lock
            else uow.properties.find(location.property_id)
        )
        if prop is None:
            unknown.append(("Property", "Imóvel", location.property_id))
    location = _completed_location(location, prop)
    needs_block = (sewer and location.sewer_division_id is None) or (
        full and prop is None
    )
    block = None
    if location.block_id is not None and needs_block:
        block = uow.blocks.find(location.block_id)
        if block is None:
            unknown.append(("Block", "Quadra", location.block_id))
    if sewer and location.sewer_division_id is None and block is not None:
        location = attrs.evolve(location, sewer_division_id=block.sewer_division_id)
    locality = None
    if location.locality_id is not None and (prop is None or need_municipality):
        locality = uow.localities.find(location.locality_id)
        if locality is None:
            unknown.append(("Locality", "Localidade", location.locality_id))
    if full and prop is None:
        unknown += _unknown_of_free_location(uow, location, block)
    division_unit = None
    compatible = True
    if location.sewer_division_id is not None:
        division = uow.catalog.find("sewer_division", location.sewer_division_id)
        if division is None:
            unknown.append(
                ("Sewer division", "Divisão de Esgoto", location.sewer_division_id)
            )
        else:
            division_unit = division.integer("unit_id")
        if full and prop is None:
            compatible = _division_serves(uow, location, block)
    municipality = location.municipality_id
    if municipality is None and locality is not None:
        municipality = locality.municipality_id
    return _Place(
        location=location,
        prop=prop,
        unknown=tuple(unknown),
        division_compatible=compatible,
        division_unit_id=division_unit,
        municipality_id=municipality,
    )


def _unknown_of_free_location(
    uow: UnitOfWork, location: RequestLocation, block: Block | None
) -> list[tuple[str, str, int]]:
    """A place given without a property: its sector (of its locality), its
    block (of its sector) and its pavements must exist."""
    unknown: list[tuple[str, str, int]] = []
    if location.sector_id is not None:
        sector = uow.sectors.find(location.sector_id)
        if sector is None or sector.locality_id != location.locality_id:
            unknown.append(("Commercial sector", "Setor Comercial", location.sector_id))
    if block is not None and block.sector_id != location.sector_id:
        unknown.append(("Block", "Quadra", block.id))
    for kind, value, field, campo in (
        (
            "street_pavement",
            location.street_pavement_id,
            "Street pavement",
            "Pavimento Rua",
        ),
        (
            "sidewalk_pavement",
            location.sidewalk_pavement_id,
            "Sidewalk pavement",
            "Pavimento Calçada",
        ),
    ):
        if value is not None and uow.catalog.find(kind, value) is None:
            unknown.append((field, campo, value))
    return unknown


def _division_serves(
    uow: UnitOfWork, location: RequestLocation, block: object | None
) -> bool:
    """INS-11 (FS0013): the division serves the block, else the sector, else the
    locality given."""
    division = location.sewer_division_id
    if block is not None:
        return getattr(block, "sewer_division_id", None) == division
    if location.sector_id is not None:
        return (
            uow.blocks.count_by(
                sector_id=location.sector_id, sewer_division_id=division
            )
            > 0
        )
    if location.locality_id is not None:
        return (
            uow.blocks.count_by(
                locality_id=location.locality_id, sewer_division_id=division
            )
            > 0
        )
    return True


def _routing_tables(
    uow: UnitOfWork,
    spec: RequestSpecification,
    *,
    locality_id: int | None,
    group_id: int | None,
    collection_situation_ids: Iterable[int],
    division_unit_id: int | None,
) -> routing.RoutingTables:
    collection, by_locality, by_group = uow.service_requests.routing_associations(
        specification_id=spec.id,
        locality_id=locality_id,
        group_id=group_id,
        collection_situation_ids=sorted(collection_situation_ids),
    )
    return routing.RoutingTables(
        collection=collection,
        locality_specification=by_locality,
        locality_group=by_group,
        sewer_division_unit_id=division_unit_id,
    )


def _large_consumer(
    uow: UnitOfWork, prop: Property | None, params: ServiceRequestParameters
) -> bool:
    if prop is None or params.large_consumer_unit_id is None:
        return False
    profile = uow.catalog.find("property_profile", prop.profile_id)
    return profile is not None and profile.flag("large_consumer")


def _suggest(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    spec: RequestSpecification,
    group: CatalogItem | None,
    place: _Place,
    reactivation: bool,
    more_units: Iterable[int | None] = (),
) -> tuple[routing.Destination, dict[int, OrganizationalUnit]]:
    """The suggested destination, and the units read to choose it (with
    ``more_units``, loaded in the same round trips)."""
    params = profile.service_requests
    location = place.location
    prop = place.prop
    facts = routing.RoutingFacts(
        specification=spec,
        group_id=None if group is None else group.id,
        sewer=group is not None and group.flag("sewer"),
        locality_id=location.locality_id,
        has_property=prop is not None,
        large_consumer=_large_consumer(uow, prop, params),
        collection_situation_ids=() if prop is None else prop.collection_situation_ids,
        sewer_division_id=location.sewer_division_id,
    )
    tables = _routing_tables(
        uow,
        spec,
        locality_id=location.locality_id,
        group_id=facts.group_id,
        collection_situation_ids=facts.collection_situation_ids,
        division_unit_id=place.division_unit_id,
    )
    candidates = [
        spec.unit_id,
        tables.sewer_division_unit_id,
        params.large_consumer_unit_id,
        *(r.unit_id for r in tables.collection),
        *(r.unit_id for r in tables.locality_specification),
        *(r.unit_id for r in tables.locality_group),
        *more_units,
    ]
    units = load_units(uow, candidates, ancestors=False)
    choose = (
        routing.reactivation_destination
        if reactivation
        else routing.initial_destination
    )
    return choose(facts, tables, units, params), units


def suggest_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    specification_id: int,
    location: RequestLocation,
) -> routing.Destination:
    """The destination a new request of the specification at ``location`` would
    get (§2.2); nothing is checked or written."""
    spec, _, group = _specification(uow, specification_id)
    if spec is None:
        ensure([rules.UNKNOWN_SPECIFICATION(specification_id=specification_id)])
    assert spec is not None
    sewer = group is not None and group.flag("sewer")
    place = _place(uow, location, sewer=sewer, full=False)
    destination, _ = _suggest(
        uow, ctx.profile, spec=spec, group=group, place=place, reactivation=False
    )
    return destination
