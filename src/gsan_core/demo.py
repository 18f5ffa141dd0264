"""The main job: a small utility on an embedded SQLite database.

``make demo`` (``gsan-core demo``) creates the database, migrates it, seeds the
default profile, loads a synthetic town and walks through the library's flows,
printing a readable summary. Each area adds its chapter to :data:`CHAPTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gsan_core.system import SETUP_ACTOR, System, connect
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


#: The demo's chapters, in order: ``(title, function)``.
CHAPTERS: list[tuple[str, Callable[[System, Town, Out], None]]] = [
    ("A synthetic town", _town),
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
