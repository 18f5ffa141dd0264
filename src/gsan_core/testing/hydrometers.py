"""A small meter lab for tests, notebooks and examples: a few properties in the
situations the meter rules care about, and meter data valid in the default
profile's seeds.

    >>> import gsan_core
    >>> from gsan_core.testing.hydrometers import METER, meter_lab
    >>> gsan = gsan_core.in_memory()
    >>> lab = meter_lab(gsan)
    >>> gsan.hydrometers.insert_range(
    ...     fixed="B24A", first=1, last=3, attributes=METER, location_id=1, actor=1
    ... ).count
    3
"""

from __future__ import annotations

from datetime import date

import attrs

from gsan_core.model.hydrometers import HydrometerAttributes
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    Property,
    Route,
)

__all__ = ["METER", "MeterLab", "meter_lab"]

#: Meter data valid in ``gsan_default``: capacity B (5 m³/h, 4 to 6 digits),
#: brand A (ZENNER), so numbers look like ``B24A000001``.
METER = HydrometerAttributes(
    acquired_on=date(2024, 3, 1),
    reading_digits=5,
    type_id=1,
    brand_id=10,
    capacity_id=5,
    diameter_id=13,
    metrological_class_id=2,
)


@attrs.frozen(kw_only=True)
class MeterLab:
    """The property ids of :func:`meter_lab`."""

    #: Water and sewer LIGADO: a meter can go on the connection and the well.
    connected: tuple[int, ...]
    #: Water CORTADO (a meter can be installed; corrections need a cut reading).
    cut: int
    #: Water POTENCIAL: no connection.
    potential: int
    #: Water LIGADO on a simultaneous-printing route (lock it to test OS-6).
    in_field: int
    route_in_field: int
    #: Water LIGADO in a locality whose meters come from stock location 2.
    other_locality: int
    #: Water LIGADO, but the property is not active.
    inactive: int


def meter_lab(system: object, *, connected: int = 4, actor: int = 0) -> MeterLab:
    """Load two localities and the lab's properties into a seeded system."""
    from gsan_core.system import System  # noqa: PLC0415

    assert isinstance(system, System)
    system.properties.load_locations(
        actor=actor,
        localities=[
            Locality(id=1, name="CENTRO"),
            Locality(id=2, name="BOA VISTA", stock_location_id=2),
        ],
        sectors=[
            CommercialSector(id=1, locality_id=1, code=1),
            CommercialSector(id=2, locality_id=2, code=1),
        ],
        blocks=[
            Block(id=1, locality_id=1, sector_id=1, number=1),
            Block(id=2, locality_id=2, sector_id=2, number=1),
        ],
        routes=[
            Route(id=1, locality_id=1, sector_id=1, code=1, group_id=1),
            Route(
                id=2,
                locality_id=1,
                sector_id=1,
                code=2,
                group_id=2,
                simultaneous_printing=True,
            ),
            Route(id=3, locality_id=2, sector_id=2, code=1, group_id=1),
        ],
    )

    def prop(
        ident: int,
        water: int,
        sewer: int = 1,
        *,
        locality: int = 1,
        route: int = 1,
        active: bool = True,
    ) -> Property:
        return Property(
            id=ident,
            locality_id=locality,
            sector_id=locality,
            block_id=locality,
            route_id=route,
            profile_id=1,
            categories=(Economies(category_id=1, subcategory_id=10),),
            water_status_id=water,
            sewer_status_id=sewer,
            active=active,
        )

    lab = MeterLab(
        connected=tuple(range(1001, 1001 + connected)),
        cut=201,
        potential=301,
        in_field=401,
        route_in_field=2,
        other_locality=501,
        inactive=601,
    )
    system.properties.load(
        [
            *(prop(ident, 3, 3) for ident in lab.connected),
            prop(lab.cut, 5, 3),
            prop(lab.potential, 1),
            prop(lab.in_field, 3, route=2),
            prop(lab.other_locality, 3, locality=2, route=3),
            prop(lab.inactive, 3, active=False),
        ],
        actor=actor,
    )
    return lab
