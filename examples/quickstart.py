"""Quickstart: a utility in memory and on SQLite, with reference tables and properties.

Run: python examples/quickstart.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gsan_core
from gsan_core.testing.town import load_town, small_town


def main() -> None:
    gsan = gsan_core.in_memory()
    town = small_town(properties=500)
    load_town(gsan, town, actor=1)
    names = {item.id: item.description for item in gsan.catalog.list("water_status")}
    for status, count in gsan.properties.count_by_water_status().items():
        print(f"{names[status]:<12} {count}")

    reason = gsan.catalog.add("cut_reason", description="FRAUDE", actor=1)
    try:
        gsan.catalog.remove("water_status", 3, expected_version=1, actor=1)
    except gsan_core.RuleViolation as refused:
        print("refused:", refused.violations[0].message("pt"))
    print("added cut reason", reason.id, "events so far:", len(gsan.events))

    database = Path(tempfile.mkdtemp()) / "quickstart.db"
    with gsan_core.connect(f"sqlite:///{database}", migrate=True, seed=True) as db:
        load_town(db, town, actor=gsan_core.SETUP_ACTOR)  # no users yet
        assert (
            db.properties.count_by_water_status()
            == gsan.properties.count_by_water_status()
        )
        print("SQLite agrees with memory:", database)


if __name__ == "__main__":
    main()
