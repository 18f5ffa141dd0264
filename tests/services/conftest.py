"""Fixtures of the service tests: a location to put properties on."""

from __future__ import annotations

import attrs
import pytest

import gsan_core
from gsan_core.model.properties import Economies, Property
from gsan_core.testing.contracts import location, sample_property


def add_location(system: gsan_core.System) -> None:
    """Load :func:`~gsan_core.testing.contracts.location` into ``system``."""
    loc, sector, block, route = location()
    system.properties.load_locations(
        actor=1, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )


def valid_property(id: int = 1, **changes: object) -> Property:
    """A property the seeded default profile accepts."""
    base = attrs.evolve(
        sample_property(id),
        categories=(
            Economies(category_id=1, subcategory_id=10, count=2),
            Economies(category_id=2, subcategory_id=20, count=1),
        ),
    )
    return attrs.evolve(base, **changes)


@pytest.fixture
def located(system: gsan_core.System) -> gsan_core.System:
    """The seeded system with one locality, sector, block and route."""
    add_location(system)
    return system
