"""The catalog/properties state machine on memory and SQLite.

Settings come from the Hypothesis profile (``HYPOTHESIS_PROFILE``: ``dev``,
``ci`` or ``nightly``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import pytest

import gsan_core
from gsan_core.errors import ConfigurationError
from gsan_core.testing.machines import CatalogPropertiesMachine, make_machine
from tests.stateful.conftest import memory_copy, sqlite_system

# a copy of the seeded store per example, not a seeding (in_memory()): ~0.1 s
MemoryMachine = make_machine(memory_copy, name="MemoryMachine")
SqliteMachine = make_machine(sqlite_system, name="SqliteMachine")

TestMemoryMachine = MemoryMachine.TestCase
TestSqliteMachine = SqliteMachine.TestCase


def test_the_machine_needs_a_factory() -> None:
    with pytest.raises(ConfigurationError, match="make_machine"):
        CatalogPropertiesMachine()


def test_make_machine_sets_the_factory_and_settings() -> None:
    from hypothesis import settings  # noqa: PLC0415

    quick = make_machine(gsan_core.in_memory, settings=settings(max_examples=2))
    assert quick.__name__ == "CatalogPropertiesMachine"
    assert quick.system_factory is gsan_core.in_memory
    assert quick.TestCase.settings.max_examples == 2
    machine = quick()
    try:
        assert machine.system.profile.name == "gsan_default"
        machine.catalog_agrees()
        machine.properties_agree()
        machine.events_agree()
    finally:
        machine.teardown()
