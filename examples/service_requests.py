"""Service requests in a small utility: configure the routing, open requests,
forward and close them, and print each request's routing history.

    python examples/service_requests.py
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import gsan_core
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    Property,
    Route,
)
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.model.units import OrganizationalUnit, User

ADMIN = 0


def configure(gsan: gsan_core.System) -> None:
    """Two localities, a call centre dispatching for the offices, a contractor,
    a sewer unit; the routing associations of the requests."""
    gsan.units.register_many(
        [
            OrganizationalUnit(id=1, name="DIRETORIA", acronym="DIR", unit_type_id=10),
            OrganizationalUnit(
                id=10,
                name="CENTRAL DE ATENDIMENTO",
                acronym="CA",
                unit_type_id=13,
                superior_id=1,
            ),
            OrganizationalUnit(
                id=20,
                name="ESCRITORIO CENTRO",
                acronym="ESC",
                unit_type_id=12,
                superior_id=1,
                locality_id=1,
                dispatch_centre_id=10,
            ),
            OrganizationalUnit(
                id=30,
                name="EMPREITEIRA AGUA LIMPA",
                acronym="EAL",
                unit_type_id=16,
                superior_id=10,
                may_open_requests=False,
            ),
            OrganizationalUnit(
                id=40,
                name="ESGOTAMENTO SANITARIO",
                acronym="ESG",
                unit_type_id=11,
                superior_id=1,
                sewer=True,
            ),
        ],
        actor=ADMIN,
    )
    gsan.units.register_users(
        [
            User(id=100, name="ATENDENTE", unit_id=10),
            User(id=300, name="ENCARREGADO EMPREITEIRA", unit_id=30),
        ],
        actor=ADMIN,
    )
    gsan.catalog.add(
        "sewer_division",
        id=1,
        description="DIVISAO CENTRO",
        attributes={"unit_id": 40},
        actor=ADMIN,
    )
    gsan.properties.load_locations(
        actor=ADMIN,
        localities=[Locality(id=1, name="CENTRO", municipality_id=1)],
        sectors=[CommercialSector(id=11, locality_id=1, code=1)],
        blocks=[
            Block(id=111, locality_id=1, sector_id=11, number=1, sewer_division_id=1)
        ],
        routes=[Route(id=1, locality_id=1, sector_id=11, code=1, group_id=1)],
    )
    gsan.properties.load(
        [
            Property(
                id=1000 + n,
                locality_id=1,
                sector_id=11,
                block_id=111,
                route_id=1,
                profile_id=1,
                categories=[Economies(category_id=1, subcategory_id=10)],
                water_status_id=3,
                sewer_status_id=3,
            )
            for n in range(1, 4)
        ],
        actor=ADMIN,
    )
    configuration = gsan.service_requests.configuration
    # water requests of locality 1 go to its office (and so to its dispatch centre)
    configuration.set_locality_group_units(locality_id=1, rows=[(6, 20)], actor=ADMIN)


def main() -> None:
    gsan = gsan_core.in_memory()
    configure(gsan)
    service = gsan.service_requests
    ana = [Requester(name="ANA SOUZA", address="RUA DAS FLORES 10")]

    leak = service.open(
        specification_id=679,  # VAZAMENTO NO RAMAL: urgent, an automatic order
        unit_id=10,
        channel_id=6,
        actor=100,
        location=RequestLocation(property_id=1001),
        requesters=ana,
    )
    sewer = service.open(
        specification_id=717,  # DESOBSTRUCAO DE RAMAL: a sewer type
        unit_id=10,
        channel_id=6,
        actor=100,
        location=RequestLocation(property_id=1002),
        requesters=ana,
    )
    street = service.open(
        specification_id=613,  # ESTOURAMENTO DE DISTRIBUIDOR: only a description
        unit_id=10,
        channel_id=6,
        actor=100,
        location=RequestLocation(description="ESQUINA DA PRACA DA MATRIZ"),
        requesters=ana,
    )
    for opened in (leak, sewer, street):
        request = opened.request
        print(
            f"request {request.id} ({request.situation.name.lower()}): "
            f"unit {request.current_unit_id} because {opened.reason.value}, "
            f"due {request.current_due_date}"
        )

    gsan.clock.advance(timedelta(minutes=15))
    service.forward(request_id=leak.request.id, destination_unit_id=30, actor=100)
    gsan.clock.advance(timedelta(hours=2))
    assert leak.order is not None
    closing = gsan.service_orders.close_executed(
        order_id=leak.order.id,
        reason_id=2,
        closed_on=gsan.clock.now().date(),
        actor=300,
        activities_given=True,
        remark="RAMAL TROCADO",
    )
    print(f"order {leak.order.id} closed by the contractor: {closing.effects}")
    gsan.clock.advance(timedelta(minutes=10))
    service.close(request_id=leak.request.id, reason_id=2, actor=100)
    service.close(
        request_id=street.request.id, reason_id=4, actor=100, remark="nao localizado"
    )

    zone = ZoneInfo(gsan.profile.timezone)
    for opened in (leak, sewer, street):
        request = service.get(opened.request.id)
        print(f"\nrequest {request.id} - {request.situation.name}")
        for step in service.history(request.id):
            print(
                f"  {step.at.astimezone(zone):%Y-%m-%d %H:%M}  {step.from_unit_id:>3} -> "
                f"{step.to_unit_id:<3} {step.remark or ''}"
            )


if __name__ == "__main__":
    main()
