"""Connections: connect, cut, reconnect, suppress and restore a property's water;
then connect another one with a meter installation.

Each operation runs by closing its service order with execution: the field
team's work reaches the commercial system in the same transaction that closes
the order, and the order's charge goes to billing. A refused operation writes
nothing; the situation history keeps every change with its order and user. The
"com instalação de hidrômetro" connection installs the meter in the same
transaction; the cut writes its reading on the meter's installation and the
suppression removes the meter.

Run: python examples/connections.py
"""

from __future__ import annotations

from datetime import date

import gsan_core
from gsan_core.display import money, named
from gsan_core.model.connections import (
    ConnectWithMeterInput,
    CutInput,
    MeterInstallation,
    ReconnectionInput,
    RestorationInput,
    SuppressionInput,
    WaterConnectionInput,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.testing.hydrometers import METER

ANA = 7  # the user who reports the work
TODAY = date(2025, 1, 6)


def setup() -> gsan_core.System:
    gsan = gsan_core.in_memory()
    gsan.units.register(
        OrganizationalUnit(id=1, name="ESCRITORIO", unit_type_id=12), actor=0
    )
    gsan.units.register_user(User(id=ANA, name="ANA", unit_id=1), actor=0)
    gsan.units.grant(
        user_id=ANA, permission_id=79, actor=0
    )  # suppress (special permission)
    gsan.properties.load_locations(
        actor=0,
        localities=[Locality(id=1, name="CENTRO")],
        sectors=[CommercialSector(id=1, locality_id=1, code=1)],
        blocks=[
            Block(
                id=1,
                locality_id=1,
                sector_id=1,
                number=1,
                water_network=NetworkIndicator.NETWORK,
                sewer_network=NetworkIndicator.NETWORK,
            )
        ],
    )
    gsan.properties.load(
        [
            Property(
                id=property_id,
                locality_id=1,
                sector_id=1,
                block_id=1,
                profile_id=1,
                categories=[Economies(category_id=1, count=1)],
                water_status_id=2,  # FACTÍVEL
                sewer_status_id=1,  # POTENCIAL
            )
            for property_id in (1001, 1002)
        ],
        actor=0,
    )
    # meters B24A000001..3 in stock location 1
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=3, attributes=METER, location_id=1, actor=0
    )
    return gsan


def close(
    gsan: gsan_core.System,
    operation: str,
    data: object,
    property_id: int = 1001,
) -> None:
    """Generate an order of the operation's service type (by profile role) for
    the property and close it executed."""
    service_type = gsan.profile.id(f"service_type.{operation}")
    assert service_type is not None
    order = gsan.service_orders.generate(
        service_type_id=service_type, property_id=property_id, actor=ANA
    )
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=gsan.profile.id("closing_reason.service_concluded") or 0,
        closed_on=TODAY,
        actor=ANA,
        commercial=data,
    )
    charge = f", charged {money(result.charge.total)}" if result.charge else ""
    name = named(gsan.names("service_type", service_type), service_type)
    print(f"order {order.id} ({name}) closed{charge}: {situation(gsan, property_id)}")


def situation(gsan: gsan_core.System, property_id: int = 1001) -> str:
    prop = gsan.properties.get(property_id)
    water = named(
        gsan.names("water_status", prop.water_status_id), prop.water_status_id
    )
    sewer = named(
        gsan.names("sewer_status", prop.sewer_status_id), prop.sewer_status_id
    )
    return f"water {water}, sewer {sewer}"


def main() -> None:
    gsan = setup()
    print("before:", situation(gsan))
    close(
        gsan,
        "water.connect",
        WaterConnectionInput(
            connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
        ),
    )
    close(gsan, "water.cut", CutInput(cut_type_id=1, cut_reason_id=1, seal_number=4471))
    close(gsan, "water.reconnect", ReconnectionInput())
    close(
        gsan,
        "water.suppress",  # reason 1 needs special permission 79
        SuppressionInput(suppression_type_id=1, suppression_reason_id=1),
    )
    try:
        close(gsan, "water.cut", CutInput(cut_type_id=1, cut_reason_id=1))
    except gsan_core.RuleViolation as refused:
        print("refused:", refused.violations[0].message("pt"))
    close(gsan, "water.restore", RestorationInput())

    print("history:")
    for change in gsan.connections.history(1001):
        kind = f"{change.kind.value}_status"
        before = named(gsan.names(kind, change.before_id), change.before_id)
        after = named(gsan.names(kind, change.after_id), change.after_id)
        user = named(gsan.names("user", change.actor), change.actor)
        print(
            f"  {change.effective_on} {change.kind.value:<5} {before} -> {after} "
            f"by {change.operation} (order {change.order_id}, user {user})"
        )
    total = sum(c.total for c in gsan.billing.charges(1001))
    print("charges to bill:", money(total))

    # Ligação de água com instalação de hidrômetro (GSAN operation 706)
    close(
        gsan,
        "water.connect_with_meter",
        ConnectWithMeterInput(
            connection=WaterConnectionInput(
                connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
            ),
            meter=MeterInstallation(
                number="B24A000001", reading=0, place_id=1, protection_id=6
            ),
        ),
        property_id=1002,
    )
    close(
        gsan,
        "water.cut",
        CutInput(cut_type_id=1, cut_reason_id=1, reading=12),
        1002,
    )
    close(
        gsan,
        "water.suppress",
        SuppressionInput(suppression_type_id=1, suppression_reason_id=1, reading=15),
        1002,
    )
    for record in gsan.hydrometers.history(property_id=1002):
        meter = gsan.hydrometers.get(record.hydrometer_id)
        print(
            f"  meter {meter.number}: installed {record.installed_on}, "
            f"cut reading {record.cut_reading}, removed {record.removed_on} "
            f"at {record.removal_reading}; now situation {meter.situation_id}"
        )


if __name__ == "__main__":
    main()
