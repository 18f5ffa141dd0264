"""A small synthetic town: localities, sectors, blocks, routes, properties, units.

Deterministic for a seed. Used by the demo, the tests and the notebooks; the
scale generator builds on the same shapes. Situations follow the CAER 2007
distribution (83% LIGADO, 10.5% SUPRIMIDO, 5.8% CORTADO, the rest POTENCIAL or
FACTIVEL).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import attrs

from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
    Route,
)
from gsan_core.model.units import OrganizationalUnit, User

__all__ = ["WATER_MIX", "Town", "load_town", "small_town", "water_status_for"]

#: ``(water situation id, cumulative share)`` of the CAER 2007 distribution.
WATER_MIX: tuple[tuple[int, float], ...] = (
    (3, 0.830),
    (6, 0.935),
    (5, 0.993),
    (1, 0.9965),
    (2, 1.0),
)
PROPERTIES_PER_ROUTE = 175
BLOCKS_PER_ROUTE = 8


def water_status_for(draw: float) -> int:
    """The water situation of a property for a uniform draw in ``[0, 1)``."""
    for status, upper in WATER_MIX:
        if draw < upper:
            return status
    return WATER_MIX[-1][0]


@attrs.frozen(kw_only=True)
class Town:
    """The entities of a synthetic town, ready to load."""

    localities: tuple[Locality, ...]
    sectors: tuple[CommercialSector, ...]
    blocks: tuple[Block, ...]
    routes: tuple[Route, ...]
    properties: tuple[Property, ...]
    units: tuple[OrganizationalUnit, ...]
    users: tuple[User, ...]


def _categories(rng: random.Random) -> tuple[Economies, ...]:
    roll = rng.random()
    if roll < 0.86:
        return (Economies(category_id=1, subcategory_id=10, count=1 + (roll > 0.8)),)
    if roll < 0.95:
        return (Economies(category_id=2, subcategory_id=20, count=1),)
    if roll < 0.97:
        return (Economies(category_id=3, subcategory_id=30, count=1),)
    if roll < 0.99:
        return (Economies(category_id=4, subcategory_id=40, count=1),)
    return (
        Economies(category_id=1, subcategory_id=10, count=2),
        Economies(category_id=2, subcategory_id=20, count=1),
    )


def _properties(
    rng: random.Random, routes: list[Route], blocks: dict[int, list[Block]], count: int
) -> Iterator[Property]:
    for index in range(count):
        route = routes[index // PROPERTIES_PER_ROUTE % len(routes)]
        block = rng.choice(blocks[route.id])
        water = water_status_for(rng.random())
        sewer = (
            3
            if water in (3, 5) and block.sewer_network is NetworkIndicator.NETWORK
            else 1
        )
        if water == 5 and sewer == 3 and rng.random() < 0.3:
            sewer = 5
        profile = 4 if rng.random() < 0.03 else (2 if rng.random() < 0.01 else 1)
        yield Property(
            id=1_000_000 + index * 10 + 1,
            locality_id=route.locality_id,
            sector_id=route.sector_id,
            block_id=block.id,
            route_id=route.id,
            profile_id=profile,
            categories=_categories(rng),
            water_status_id=water,
            sewer_status_id=sewer,
        )


def small_town(*, properties: int = 350, seed: int = 2007, localities: int = 2) -> Town:
    """A town of ``properties`` properties over ``localities`` localities.

    Units: a regional management above one locality unit and one dispatch centre
    per locality, and a contractor below each centre; one user per unit.
    """
    rng = random.Random(seed)
    route_count = max(1, -(-properties // PROPERTIES_PER_ROUTE))
    locs = [
        Locality(id=n, name=f"LOCALIDADE {n:02d}", municipality_id=100 + n)
        for n in range(1, localities + 1)
    ]
    sectors = [
        CommercialSector(id=n * 10 + 1, locality_id=n, code=1, name=f"SETOR {n}-1")
        for n in range(1, localities + 1)
    ]
    routes: list[Route] = []
    blocks: dict[int, list[Block]] = {}
    for index in range(route_count):
        sector = sectors[index % len(sectors)]
        route = Route(
            id=sector.id * 100 + index,
            locality_id=sector.locality_id,
            sector_id=sector.id,
            code=index + 1,
            group_id=1 + index % 4,
            simultaneous_printing=index % 5 == 0,
        )
        routes.append(route)
        blocks[route.id] = [
            Block(
                id=route.id * 100 + b,
                locality_id=route.locality_id,
                sector_id=route.sector_id,
                number=index * BLOCKS_PER_ROUTE + b,
                water_network=NetworkIndicator.NETWORK
                if rng.random() < 0.97
                else NetworkIndicator.PARTIAL,
                sewer_network=NetworkIndicator.NETWORK
                if rng.random() < 0.6
                else NetworkIndicator.NONE,
            )
            for b in range(1, BLOCKS_PER_ROUTE + 1)
        ]
    units, users = _units_and_users(locs)
    return Town(
        localities=tuple(locs),
        sectors=tuple(sectors),
        blocks=tuple(b for route_blocks in blocks.values() for b in route_blocks),
        routes=tuple(routes),
        properties=tuple(_properties(rng, routes, blocks, properties)),
        units=tuple(units),
        users=tuple(users),
    )


def _units_and_users(
    locs: list[Locality],
) -> tuple[list[OrganizationalUnit], list[User]]:
    """A regional management with its administrator; per locality a dispatch
    centre, an office and a contractor below the centre, one user each."""
    units = [
        OrganizationalUnit(
            id=1, name="GERENCIA REGIONAL", acronym="GR", unit_type_id=10
        )
    ]
    users = [User(id=1, name="ADMINISTRADOR", unit_id=1, login="admin")]
    for loc in locs:
        base = loc.id * 100
        units += [
            OrganizationalUnit(
                id=base + 1,
                name=f"CENTRAL DE ATENDIMENTO {loc.id:02d}",
                acronym=f"CA{loc.id:02d}",
                unit_type_id=13,
                superior_id=1,
                call_centre=True,
            ),
            OrganizationalUnit(
                id=base + 2,
                name=f"ESCRITORIO {loc.name}",
                acronym=f"ESC{loc.id:02d}",
                unit_type_id=12,
                superior_id=1,
                locality_id=loc.id,
                dispatch_centre_id=base + 1,
            ),
            OrganizationalUnit(
                id=base + 3,
                name=f"EMPREITEIRA {loc.id:02d}",
                acronym=f"EMP{loc.id:02d}",
                unit_type_id=16,
                superior_id=base + 1,
                may_open_requests=False,
                company_id=loc.id,
            ),
        ]
        users += [
            User(id=base + 1, name=f"ATENDENTE {loc.id:02d}", unit_id=base + 1),
            User(id=base + 2, name=f"TECNICO {loc.id:02d}", unit_id=base + 2),
            User(id=base + 3, name=f"EMPREITEIRO {loc.id:02d}", unit_id=base + 3),
        ]
    return units, users


def load_town(system: object, town: Town, *, actor: int = 0) -> None:
    """Load ``town`` into a :class:`~gsan_core.System` (units, users, location, properties)."""
    from gsan_core.system import System  # noqa: PLC0415

    assert isinstance(system, System)
    system.units.register_many(town.units, actor=actor)
    system.units.register_users(town.users, actor=actor)
    system.properties.load_locations(
        actor=actor,
        localities=town.localities,
        sectors=town.sectors,
        blocks=town.blocks,
        routes=town.routes,
    )
    system.properties.load(town.properties, actor=actor, total=len(town.properties))
