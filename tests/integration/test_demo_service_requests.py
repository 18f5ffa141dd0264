"""The demo's service-request chapter runs on its SQLite file."""

from __future__ import annotations

from pathlib import Path

from gsan_core import demo


def test_demo_routes_forwards_and_closes_requests(tmp_path: Path) -> None:
    lines: list[str] = []
    demo.run(tmp_path / "demo.sqlite", properties=60, out=lines.append)
    text = "\n".join(lines)
    assert "Service requests: routed, forwarded, closed through the order" in text
    assert "routed to CENTRAL DE ATENDIMENTO 01 because locality_group" in text
    assert "the RA went back to the unit that sent it" in text
    assert "(the RA was closed with it), now CLOSED" in text
