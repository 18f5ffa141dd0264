"""A small town for the connection service tests (any backend)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

import gsan_core
from gsan_core.model.connections import (
    CutInput,
    SewerConnection,
    WaterConnection,
    WaterConnectionInput,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
    Route,
)
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.units import OrganizationalUnit, User

ACTOR = 7
OTHER = 8
TODAY = date(2025, 1, 6)
CONCLUDED = 2  # closing reason "conclusão do serviço" (executed)
DEBT_PAID = 3  # not executed, 30 grace days
DESISTED = 4  # not executed, no grace
NETWORK_BLOCK, BARE_BLOCK, PPP_BLOCK = 1, 2, 3
FIELD_ROUTE = 1
CONNECT = WaterConnectionInput(
    connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
)
CUT = CutInput(cut_type_id=1, cut_reason_id=1)


def town(system: gsan_core.System) -> gsan_core.System:
    """Units, users, two localities (the second under a PPP contract), blocks with
    and without networks, a simultaneous-printing route."""
    system.units.register(
        OrganizationalUnit(id=1, name="ESCRITORIO", unit_type_id=12, locality_id=1),
        actor=0,
    )
    system.units.register_users(
        [
            User(id=ACTOR, name="ANA", unit_id=1),
            User(id=OTHER, name="BETO", unit_id=1),
        ],
        actor=0,
    )
    system.properties.load_locations(
        actor=0,
        localities=[
            Locality(id=1, name="CENTRO"),
            Locality(id=2, name="PPP", ppp_contract=True),
        ],
        sectors=[
            CommercialSector(id=11, locality_id=1, code=1),
            CommercialSector(id=21, locality_id=2, code=1),
        ],
        blocks=[
            Block(
                id=NETWORK_BLOCK,
                locality_id=1,
                sector_id=11,
                number=1,
                water_network=NetworkIndicator.NETWORK,
                sewer_network=NetworkIndicator.NETWORK,
            ),
            Block(
                id=BARE_BLOCK,
                locality_id=1,
                sector_id=11,
                number=2,
                water_network=NetworkIndicator.NONE,
                sewer_network=NetworkIndicator.NONE,
            ),
            Block(
                id=PPP_BLOCK,
                locality_id=2,
                sector_id=21,
                number=1,
                water_network=NetworkIndicator.NETWORK,
                sewer_network=NetworkIndicator.NETWORK,
            ),
        ],
        routes=[
            Route(
                id=FIELD_ROUTE,
                locality_id=1,
                sector_id=11,
                code=1,
                group_id=1,
                simultaneous_printing=True,
            )
        ],
    )
    for permission in (30, 65, 67, 76, 79, 81):
        system.units.grant(user_id=ACTOR, permission_id=permission, actor=0)
    return system


def add_property(
    system: gsan_core.System,
    property_id: int,
    water: int,
    sewer: int = 1,
    *,
    block: int = NETWORK_BLOCK,
    with_water: bool | None = None,
    with_sewer: bool | None = None,
    water_changes: dict[str, Any] | None = None,
    **changes: Any,
) -> Property:
    """A property with the connection rows its situations imply."""
    locality, sector = (2, 21) if block == PPP_BLOCK else (1, 11)
    prop = Property(
        id=property_id,
        locality_id=locality,
        sector_id=sector,
        block_id=block,
        profile_id=1,
        categories=[Economies(category_id=1, count=1)],
        water_status_id=water,
        sewer_status_id=sewer,
    )
    prop = attrs.evolve(prop, **changes)
    system.properties.load([prop], actor=0)
    if with_water is None:
        with_water = water not in (1, 2)
    if with_sewer is None:
        with_sewer = sewer not in (1, 2)
    water_rows = []
    if with_water:
        row = WaterConnection(
            id=property_id,
            connected_on=date(2024, 1, 10),
            implanted_on=date(2024, 1, 10),
            diameter_id=1,
            material_id=1,
            profile_id=1,
        )
        water_rows.append(attrs.evolve(row, **(water_changes or {})))
    sewer_rows = []
    if with_sewer:
        sewer_rows.append(
            SewerConnection(
                id=property_id,
                connected_on=date(2024, 1, 10),
                diameter_id=1,
                material_id=1,
                profile_id=1,
                grease_trap=True,
            )
        )
    system.connections.load(actor=0, water=water_rows, sewer=sewer_rows)
    return system.properties.get(property_id)


def order_for(
    system: gsan_core.System, service_type_id: int, property_id: int
) -> ServiceOrder:
    """A standalone order of the type for the property."""
    return system.service_orders.generate(
        service_type_id=service_type_id, property_id=property_id, actor=ACTOR
    )


def unlink(system: gsan_core.System, service_type_id: int) -> None:
    """Make the type no longer run its operation when closed (GSAN: no
    ``servico_tipo_operacao`` row), so it reaches the menu path."""
    current = system.service_orders.get_type(service_type_id)
    system.service_orders.update_type(
        attrs.evolve(current, updates_commercial=False, operation=None), actor=0
    )


def closed_not_applied(
    system: gsan_core.System,
    service_type_id: int,
    property_id: int,
    *,
    reason: int = CONCLUDED,
) -> ServiceOrder:
    """An order of the type closed (executed unless told) without running its
    operation: the input of the menu path."""
    unlink(system, service_type_id)
    order = order_for(system, service_type_id, property_id)
    if reason == CONCLUDED:
        result = system.service_orders.close_executed(
            order_id=order.id, reason_id=reason, closed_on=TODAY, actor=ACTOR
        )
    else:
        result = system.service_orders.close_not_executed(
            order_id=order.id, reason_id=reason, closed_on=TODAY, actor=ACTOR
        )
    assert not result.commercial_applied
    return result.order
