"""Hydrometers: receive a batch of meters, install, replace and remove them by
closing service orders, and print the installation history.

Run: python examples/hydrometers.py
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import gsan_core
from gsan_core.model.hydrometers import (
    HydrometerAttributes,
    InstallHydrometer,
    RemoveHydrometer,
    ReplaceHydrometer,
)
from gsan_core.testing.town import load_town, small_town

ACTOR = 1
INSTALL, REPLACE, REMOVE = 304, 310, 307


def close(gsan: gsan_core.System, type_id: int, property_id: int, data: object) -> None:
    """Generate the service order of the field work and close it as executed."""
    today = gsan.clock.now().astimezone(ZoneInfo(gsan.profile.timezone)).date()
    order = gsan.service_orders.generate(
        service_type_id=type_id, property_id=property_id, actor=ACTOR
    )
    result = gsan.service_orders.close_executed(
        order_id=order.id, reason_id=2, closed_on=today, actor=ACTOR, commercial=data
    )
    charged = f", charged {result.charge.total}" if result.charge else ""
    print(f"  order {order.id} ({type_id}) closed{charged}")


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
            until = record.removed_on or "now"
            print(
                f"  {meter.number} from {record.installed_on} until {until}"
                f" ({record.origin.name.lower()}, read {record.installation_reading}"
                f" -> {record.removal_reading})"
            )

    spare = gsan.hydrometers.in_range(fixed="B24A", first=4, last=9)
    gsan.hydrometers.move(
        hydrometer_ids=[m.id for m in spare],
        destination_id=2,
        reason_id=3,
        moved_on=gsan.clock.now().date(),
        moved_time=time(16, 0),
        actor=ACTOR,
    )
    situations = {
        s.id: s.description for s in gsan.catalog.list("hydrometer_situation")
    }
    locations = {
        s.id: s.description for s in gsan.catalog.list("hydrometer_stock_location")
    }
    print("stock:")
    for (location, situation), count in gsan.hydrometers.stock().items():
        where = locations.get(location, "-") if location is not None else "-"
        print(f"  {where:<24} {situations[situation]:<14} {count}")


if __name__ == "__main__":
    main()
