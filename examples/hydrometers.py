"""Hydrometers: receive a batch of meters, install, replace and remove them by
closing service orders, and print the installation history.

Run: python examples/hydrometers.py
"""

from __future__ import annotations

from datetime import date, time, timedelta

import gsan_core
from gsan_core.display import money, named
from gsan_core.model.hydrometers import (
    HydrometerAttributes,
    InstallHydrometer,
    RemoveHydrometer,
    ReplaceHydrometer,
)
from gsan_core.testing.town import load_town, small_town

ACTOR = 1
#: The field work, by profile role (GSAN's 304, 310 and 307 in gsan_default).
INSTALL, REPLACE, REMOVE = (
    "service_type.hydrometer.install",
    "service_type.hydrometer.replace",
    "service_type.hydrometer.remove",
)


def close(gsan: gsan_core.System, role: str, property_id: int, data: object) -> None:
    """Generate the service order of the field work and close it as executed."""
    type_id = min(gsan.profile.ids(role))  # replace: 310 (and GSAN's 1421)
    order = gsan.service_orders.generate(
        service_type_id=type_id, property_id=property_id, actor=ACTOR
    )
    result = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=gsan.profile.id("closing_reason.service_concluded") or 0,
        closed_on=gsan.today(),
        actor=ACTOR,
        commercial=data,
    )
    charged = f", charged {money(result.charge.total)}" if result.charge else ""
    name = named(gsan.names("service_type", type_id), type_id)
    print(f"  order {order.id} ({name}) closed{charged}")


def main() -> None:
    gsan = gsan_core.in_memory()
    town = small_town(properties=60)
    load_town(gsan, town, actor=ACTOR)

    # A batch arrives from the supplier: 12 meters, capacity B, 2024, brand A.
    batch = gsan.hydrometers.insert_range(
        fixed="B24A",
        first=1,
        last=12,
        attributes=HydrometerAttributes(
            acquired_on=date(2024, 11, 4),
            reading_digits=5,
            type_id=1,
            brand_id=10,
            capacity_id=5,
            diameter_id=13,
            metrological_class_id=2,
            invoice_number=81_234,
        ),
        location_id=1,
        actor=ACTOR,
    )
    print(f"received {batch.count} meters, {batch.first_number}..{batch.last_number}")
    try:
        gsan.hydrometers.insert_range(
            fixed="B24A",
            first=10,
            last=20,
            attributes=HydrometerAttributes.of(gsan.hydrometers.get(batch.first_id)),
            location_id=1,
            actor=ACTOR,
        )
    except gsan_core.RuleViolation as refused:
        print("second delivery refused:", refused.violations[0].message("pt"))

    connected = [p.id for p in town.properties if p.water_status_id == 3][:3]
    print("installing on", connected)
    for index, property_id in enumerate(connected, start=1):
        close(
            gsan,
            INSTALL,
            property_id,
            InstallHydrometer(number=f"B24A{index:06d}", place_id=1, protection_id=6),
        )

    gsan.clock.advance(timedelta(days=45))  # in_memory() runs on a FixedClock
    home = connected[0]
    print("45 days later, replacing the meter of", home)
    close(
        gsan,
        REPLACE,
        home,
        ReplaceHydrometer(
            removal_reading=1_234,
            outgoing_situation_id=2,  # EM MANUTENCAO
            outgoing_location_id=3,  # the workshop
            number="B24A000010",
            place_id=2,
            protection_id=7,
        ),
    )
    print("removing the meter of", connected[1])
    close(
        gsan,
        REMOVE,
        connected[1],
        RemoveHydrometer(reading=877, situation_id=3, location_id=2),
    )

    for property_id in connected:
        print(f"history of property {property_id}:")
        for record in gsan.hydrometers.history(property_id=property_id):
            meter = gsan.hydrometers.get(record.hydrometer_id)
            readings = f"read {record.installation_reading} at installation"
            if record.removed_on is None:
                period = f"installed since {record.installed_on}"
            else:
                period = f"from {record.installed_on} until {record.removed_on}"
                readings += f", {record.removal_reading} at removal"
            print(
                f"  {meter.number} {period} ({record.origin.name.lower()}, {readings})"
            )

    spare = gsan.hydrometers.in_range(fixed="B24A", first=4, last=9)
    gsan.hydrometers.move(
        hydrometer_ids=[m.id for m in spare],
        destination_id=2,
        reason_id=3,
        moved_on=gsan.today(),
        moved_time=time(16, 0),
        actor=ACTOR,
    )
    print("stock (ids with their names):")
    for (location, situation), count in gsan.hydrometers.stock().items():
        where = "installed" if location is None else str(location)
        print(f"  {where:<28} {situation!s:<18} {count}")


if __name__ == "__main__":
    main()
