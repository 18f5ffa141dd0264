"""Events: the right types, the actor recorded, published only after commit."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.catalog import (
    CatalogItemAdded,
    CatalogItemChanged,
    CatalogItemRemoved,
)
from gsan_core.model.events import DomainEvent
from gsan_core.model.properties import (
    PropertiesLoaded,
    PropertyChanged,
    PropertyRegistered,
)
from gsan_core.model.units import UnitRegistered, User, UserRegistered
from tests.services.conftest import valid_property


class CheckingSink:
    """Records events and checks the work is already visible when they arrive."""

    def __init__(self, system: gsan_core.System) -> None:
        self.system = system
        self.batches: list[list[DomainEvent]] = []

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, CatalogItemAdded):
                assert self.system.catalog.get(event.kind, event.item_id)
            if isinstance(event, PropertyRegistered):
                assert self.system.properties.get(event.property_id)
        self.batches.append(list(events))


def test_events_follow_commits_with_their_actor(located: gsan_core.System) -> None:
    system = located
    sink = CheckingSink(system)
    calls: list[int] = []
    system.subscribe(sink)
    system.subscribe(lambda events: calls.append(len(events)))

    added = system.catalog.add("cut_reason", description="NOVO", actor=11)
    system.catalog.update(
        "cut_reason", added.id, expected_version=1, description="N", actor=12
    )
    system.catalog.remove("cut_reason", added.id, expected_version=2, actor=13)
    prop = system.properties.register(valid_property(1), actor=14)
    system.properties.update(prop, actor=15)
    system.properties.load([valid_property(2)], actor=16)
    from gsan_core.model.units import OrganizationalUnit  # noqa: PLC0415

    system.units.register(
        OrganizationalUnit(id=1, name="SEDE", unit_type_id=10), actor=17
    )
    system.units.register_user(User(id=1, name="ANA", unit_id=1), actor=18)

    flat = [e for batch in sink.batches for e in batch]
    assert [(type(e), e.actor) for e in flat] == [
        (CatalogItemAdded, 11),
        (CatalogItemChanged, 12),
        (CatalogItemRemoved, 13),
        (PropertyRegistered, 14),
        (PropertyChanged, 15),
        (PropertiesLoaded, 16),
        (UnitRegistered, 17),
        (UserRegistered, 18),
    ]
    assert calls == [1] * 8
    assert list(system.events[-8:]) == flat
    assert all(e.occurred_at.utcoffset() is not None for e in flat)


def test_refused_work_publishes_nothing(system: gsan_core.System) -> None:
    published: list[DomainEvent] = []
    system.subscribe(published.extend)
    with pytest.raises(RuleViolation):
        system.catalog.add("cut_reason", description="", actor=1)
    assert system.catalog.list("cut_reason", active_only=True)
    assert published == []


def test_reads_publish_nothing(system: gsan_core.System) -> None:
    published: list[DomainEvent] = []
    system.subscribe(published.extend)
    system.catalog.list("cut_reason")
    system.units.tree()
    assert published == []
