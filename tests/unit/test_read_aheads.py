"""Every command a service names to ``read_ahead`` has a reader on the SQL
stores, and every reader is named by some service: a misspelt name would
otherwise read row by row, silently, and a reader no service names is dead."""

from __future__ import annotations

import re
from pathlib import Path

import gsan_core
from gsan_core.adapters.sqlalchemy.read_aheads import READERS

SERVICES = Path(gsan_core.__file__).parent / "services"
NAMED = re.compile(r"read_ahead\(\s*\"([a-z_]+)\"")


def _named_by_services() -> set[str]:
    return {
        name
        for path in SERVICES.rglob("*.py")
        for name in NAMED.findall(path.read_text(encoding="utf-8"))
    }


def test_every_command_named_by_a_service_has_a_reader() -> None:
    named = _named_by_services()
    assert named, "no service names a read ahead: the pattern is stale"
    assert named - set(READERS) == set()


def test_every_reader_is_named_by_a_service() -> None:
    assert set(READERS) - _named_by_services() == set()
