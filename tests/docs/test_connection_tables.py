"""The transition tables of the connection pages are the profiles' data."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_connection_tables_are_up_to_date() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "connection_tables.py"))
    assert tool["main"](["--check"]) == 0, (
        "run .venv/bin/python tools/connection_tables.py"
    )


def test_tables_render_each_family_from_the_profile() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "connection_tables.py"))
    water = tool["render"]("water")
    assert (
        "| `water.cut` cut the water connection (UC0355) | 48 | water: 3 LIGADO, 4 EM FISCALIZACAO | cut (5)"
        in water
    )
    assert "| `cagepa` | `water.cut` | 3 LIGADO |" in water
    sewer = tool["render"]("sewer")
    assert (
        "| `caema` | `sewer.feasible_billable.inform` | 1 POTENCIAL, 2 FACTIVEL |"
        in sewer
    )
    assert "none." in tool["render"]("change")
