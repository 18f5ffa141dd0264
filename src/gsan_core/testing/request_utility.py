"""A small utility configured for service requests: the synthetic town, a few
more units, users and the routing associations.

Used by the tests, the state machine, the benchmarks and the notebooks::

    gsan = gsan_core.in_memory(request_profile())
    utility = build_request_utility(gsan)
    gsan.service_requests.open(
        specification_id=679,
        unit_id=utility.call_centre,
        channel_id=6,
        actor=utility.attendant,
        location=RequestLocation(property_id=utility.town.properties[0].id),
        requesters=[Requester(name="ANA", address="RUA 1")],
    )
"""

from __future__ import annotations

from typing import Any

import attrs

from gsan_core import profiles
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.testing.town import Town, load_town, small_town

__all__ = [
    "CHANNEL_PHONE",
    "GROUP_SEWER",
    "GROUP_WATER",
    "RequestUtility",
    "build_request_utility",
    "request_profile",
]

#: Channel "TELEFONE" and the request-type groups of the default profile.
CHANNEL_PHONE = 6
GROUP_WATER = 6
GROUP_SEWER = 7


@attrs.frozen(kw_only=True)
class RequestUtility:
    """The ids of a :func:`build_request_utility` utility."""

    town: Town
    #: The regional management (type G), above everything.
    management: int = 1
    #: Locality 1: its call centre (a dispatch centre), office and contractor.
    call_centre: int = 101
    office: int = 102
    contractor: int = 103
    #: Locality 2.
    call_centre_2: int = 201
    office_2: int = 202
    contractor_2: int = 203
    commercial: int = 5
    large_consumers: int = 6
    judicial: int = 7
    sewer: int = 8
    #: Users: the administrator (management), the attendant of the call centre,
    #: the technician of the office, the contractor's user, a commercial clerk.
    admin: int = 1
    attendant: int = 101
    technician: int = 102
    contractor_user: int = 103
    clerk: int = 5
    sewer_division: int = 1


def request_profile(**parameters: Any) -> profiles.LoadedProfile:
    """The default profile with the large-consumer unit of the utility (6) and
    any other ``service_requests`` parameter given."""
    loaded = profiles.default()
    params = attrs.evolve(
        loaded.profile.service_requests,
        **{"large_consumer_unit_id": 6, **parameters},
    )
    return attrs.evolve(
        loaded, profile=attrs.evolve(loaded.profile, service_requests=params)
    )


def build_request_utility(
    system: Any, *, properties: int = 200, actor: int = 0
) -> RequestUtility:
    """Load the synthetic town into ``system`` and configure its routing:
    locality x group (water) to each office, whose dispatch centre is the call
    centre; the blocks of locality 1 in a sewer division served by the sewer unit; "RELIGACAO - CORTE A
    PEDIDO" of a judicial property to the judicial unit; "VERIF. CONDICOES DO
    HIDROMETRO" of locality 1 to the commercial unit."""
    from gsan_core.system import System  # noqa: PLC0415

    assert isinstance(system, System)
    town = small_town(properties=properties)
    utility = RequestUtility(town=town)
    town = attrs.evolve(
        town,
        blocks=tuple(
            attrs.evolve(block, sewer_division_id=utility.sewer_division)
            if block.locality_id == 1
            else block
            for block in town.blocks
        ),
    )
    utility = attrs.evolve(utility, town=town)
    load_town(system, town, actor=actor)
    system.units.register_many(_units(utility), actor=actor)
    system.units.register_user(
        User(id=utility.clerk, name="ATENDENTE COMERCIAL", unit_id=utility.commercial),
        actor=actor,
    )
    system.catalog.add(
        "sewer_division",
        id=utility.sewer_division,
        description="DIVISAO NORTE",
        attributes={"unit_id": utility.sewer},
        actor=actor,
    )
    configuration = system.service_requests.configuration
    configuration.set_locality_group_units(
        locality_id=1, rows=[(GROUP_WATER, utility.office)], actor=actor
    )
    configuration.set_locality_group_units(
        locality_id=2, rows=[(GROUP_WATER, utility.office_2)], actor=actor
    )
    configuration.set_locality_specification_units(
        locality_id=1, rows=[(311, utility.commercial)], actor=actor
    )
    configuration.add_collection_situation_units(
        [(216, 1, utility.judicial)], actor=actor
    )
    return utility


def _units(utility: RequestUtility) -> list[OrganizationalUnit]:
    """The units the routing sends requests to, under the management."""
    return [
        OrganizationalUnit(
            id=utility.commercial,
            name="GERENCIA COMERCIAL",
            acronym="GCO",
            unit_type_id=11,
            superior_id=utility.management,
        ),
        OrganizationalUnit(
            id=utility.large_consumers,
            name="GRANDES CONSUMIDORES",
            acronym="GCONS",
            unit_type_id=11,
            superior_id=utility.management,
        ),
        OrganizationalUnit(
            id=utility.judicial,
            name="COBRANCA JUDICIAL",
            acronym="CJUD",
            unit_type_id=11,
            superior_id=utility.management,
        ),
        OrganizationalUnit(
            id=utility.sewer,
            name="ESGOTAMENTO SANITARIO",
            acronym="ESG",
            unit_type_id=11,
            superior_id=utility.management,
            sewer=True,
        ),
    ]
