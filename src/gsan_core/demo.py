"""The main job: a small utility on an embedded SQLite database.

``make demo`` (``gsan-core demo``) creates the database, migrates it, seeds the
default profile, loads a synthetic town and walks through the library's flows,
printing a readable summary. Each area adds its chapter to :data:`CHAPTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from gsan_core.model.hydrometers import InstallHydrometer, ReplaceHydrometer
from gsan_core.system import SETUP_ACTOR, System, connect
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.town import Town, load_town, small_town

__all__ = ["CHAPTERS", "Out", "run"]

Out = Callable[[str], None]


def _town(gsan: System, town: Town, out: Out) -> None:
    out(f"Profile: {gsan.profile.name} ({gsan.profile.description})")
    out(
        f"Loaded {len(town.localities)} localities, {len(town.sectors)} sectors, "
        f"{len(town.blocks)} blocks, {len(town.routes)} routes, "
        f"{len(town.properties)} properties, {len(town.units)} units, "
        f"{len(town.users)} users."
    )
    situations = {i.id: i.description for i in gsan.catalog.list("water_status")}
    counts = gsan.properties.count_by_water_status()
    total = sum(counts.values())
    out("Properties by water situation:")
    for status, count in counts.items():
        share = 100 * count / total
        out(f"  {situations.get(status, status)!s:<20} {count:>6}  {share:5.1f}%")
    tree = gsan.units.tree()
    out("Organisational units:")
    for unit in tree.values():
        depth = len(gsan.units.ancestors(unit.id))
        out(f"  {'  ' * depth}{unit.id:>4} {unit.name}")


def _meter_replacement(gsan: System, town: Town, out: Out) -> None:
    """A batch of meters arrives; one is installed and then replaced."""
    today = gsan.clock.now().astimezone(ZoneInfo(gsan.profile.timezone)).date()
    batch = gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=20, attributes=METER, location_id=1, actor=1
    )
    out(f"Received {batch.count} meters, {batch.first_number}..{batch.last_number}.")
    home = next(p.id for p in town.properties if p.water_status_id == 3)
    for type_id, data in (
        (
            304,
            InstallHydrometer(number=batch.first_number, place_id=1, protection_id=6),
        ),
        (
            310,
            ReplaceHydrometer(
                removal_reading=312,
                outgoing_situation_id=2,
                outgoing_location_id=3,
                number=batch.last_number,
                place_id=2,
                protection_id=7,
            ),
        ),
    ):
        order = gsan.service_orders.generate(
            service_type_id=type_id, property_id=home, actor=1
        )
        result = gsan.service_orders.close_executed(
            order_id=order.id, reason_id=2, closed_on=today, actor=1, commercial=data
        )
        charge = result.charge.total if result.charge else "nothing"
        out(f"Order {order.id} (service type {type_id}) closed; charged {charge}.")
    out(f"Installation history of property {home}:")
    for record in gsan.hydrometers.history(property_id=home):
        meter = gsan.hydrometers.get(record.hydrometer_id)
        until = record.removed_on or "now"
        out(
            f"  {meter.number}  {record.installed_on} .. {until}  "
            f"{record.origin.name.lower():<12} removal reading {record.removal_reading}"
        )
    situations = {
        i.id: i.description for i in gsan.catalog.list("hydrometer_situation")
    }
    out("Stock by location and situation:")
    for (location, situation), count in gsan.hydrometers.stock().items():
        out(f"  location {location}  {situations[situation]:<14} {count}")


#: The demo's chapters, in order: ``(title, function)``.
CHAPTERS: list[tuple[str, Callable[[System, Town, Out], None]]] = [
    ("A synthetic town", _town),
    ("A meter replacement", _meter_replacement),
]


def run(database: Path, *, properties: int = 350, out: Out = print) -> None:
    """Build the demo database from scratch at ``database`` and narrate it."""
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    with connect(f"sqlite:///{database}", migrate=True, seed=True) as gsan:
        town = small_town(properties=properties)
        load_town(gsan, town, actor=SETUP_ACTOR)
        for number, (title, chapter) in enumerate(CHAPTERS, start=1):
            out("")
            out(f"== {number}. {title}")
            chapter(gsan, town, out)
    out("")
    out(f"Demo database: {database}")
