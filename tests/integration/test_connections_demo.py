"""The demo's connection chapter runs on a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from gsan_core import demo


def test_demo_closes_a_cut_order(tmp_path: Path) -> None:
    lines: list[str] = []
    demo.run(tmp_path / "demo.sqlite", properties=60, out=lines.append)
    text = "\n".join(lines)
    assert "A water cut: its order closed with execution" in text
    assert "the property is CORTADO (5), the cut applied to the commercial side" in text
    assert "history: water LIGADO (3) -> CORTADO (5)" in text
