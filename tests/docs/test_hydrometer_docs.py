"""The hydrometer pages say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from gsan_core import demo
from gsan_core.rules.hydrometers import SITUATION_TRANSITIONS

ROOT = Path(__file__).resolve().parents[2]
STOCK = ROOT / "docs" / "hydrometers" / "stock.md"


def test_the_situation_table_is_the_rules_table() -> None:
    text = STOCK.read_text(encoding="utf-8")
    section = text.split("| before | event | after |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", section, re.M)
    documented = {
        (None if before == "(new)" else before, event): after
        for before, event, after in rows
    }
    actual = {
        (before, event.value): after
        for (before, event), after in SITUATION_TRANSITIONS.items()
    }
    assert documented == actual


def test_every_hydrometer_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs" / "hydrometers").glob("*.md")):
        assert f"hydrometers/{page.name}" in nav


def test_the_demo_replaces_a_meter(tmp_path: Path) -> None:
    lines: list[str] = []
    demo.run(tmp_path / "demo.sqlite", properties=40, out=lines.append)
    text = "\n".join(lines)
    assert ". A meter replacement" in text
    assert "replacement  installed since" in text
    assert "read 312 at removal" in text
    assert "None" not in text
