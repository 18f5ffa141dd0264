"""How integrators use the public API, checked by ``mypy --strict`` (never run).

``assert_type`` pins the types callers see; each ``# type: ignore[code]`` is a
misuse mypy must reject (``warn_unused_ignores`` fails the check if it stops
being an error).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, assert_type

from hypothesis import strategies as st

import gsan_core
from gsan_core import (
    ConcurrencyConflict,
    ConfigurationError,
    GsanError,
    NotFound,
    RuleViolation,
    System,
    Violation,
    profiles,
    serialization,
)
from gsan_core.display import NamedCounts, Shown
from gsan_core.model.catalog import CatalogItem, CatalogKind
from gsan_core.model.events import DomainEvent
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Economies, Property
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.services.properties import LoadSummary
from gsan_core.testing import DEFAULT_NOW, FixedClock, SequentialIds
from gsan_core.testing import strategies as gst
from gsan_core.testing.contracts import UnitOfWorkContract
from gsan_core.testing.machines import CatalogPropertiesMachine, make_machine


def systems(path: Path) -> None:
    memory = gsan_core.in_memory()
    assert_type(memory, System)
    assert_type(gsan_core.in_memory("cagepa", now=DEFAULT_NOW, seed=False), System)
    assert_type(gsan_core.in_memory(profiles.load(path)), System)
    assert_type(gsan_core.in_memory(clock=FixedClock(), ids=SequentialIds()), System)
    with gsan_core.connect(f"sqlite:///{path}", migrate=True, seed=True) as db:
        assert_type(db, System)
        assert_type(db.seed(), int)
    assert_type(memory.profile, UtilityProfile)
    assert_type(memory.events, Sequence[DomainEvent])
    assert_type(memory.clock.now(), datetime)
    assert_type(memory.today(), date)
    assert_type(memory.clock.today(), date)
    assert_type(memory.clock.advance(timedelta(minutes=15)), datetime)
    assert_type(memory.clock.advance(days=2), datetime)
    assert_type(memory.clock.set(date(2025, 3, 3)), datetime)
    assert_type(memory.clock.settable, bool)
    memory.clock.advance(days="2")  # type: ignore[arg-type]
    gsan_core.in_memory(seed="yes")  # type: ignore[arg-type]
    gsan_core.connect("sqlite://", migrate="yes")  # type: ignore[arg-type]


def catalog(gsan: System) -> None:
    item = gsan.catalog.add("cut_reason", description="FRAUDE", actor=1)
    assert_type(item, CatalogItem)
    assert_type(item.flag("billing"), bool)
    assert_type(item.integer("level"), int | None)
    assert_type(item.decimal("sewer_percentage"), Decimal | None)
    assert_type(item.text("code"), str | None)
    assert_type(
        gsan.catalog.list("cut_reason", active_only=True), Sequence[CatalogItem]
    )
    assert_type(gsan.catalog.kind("cut_type"), CatalogKind)
    assert_type(gsan.catalog.check(item), tuple[Violation, ...])
    changed = gsan.catalog.update("cut_reason", item.id, expected_version=1, actor=1)
    assert_type(changed, CatalogItem)
    assert_type(
        gsan.catalog.remove("cut_reason", item.id, expected_version=2, actor=1), None
    )
    gsan.catalog.add("cut_reason", "FRAUDE", actor=1)  # type: ignore[call-arg]
    gsan.catalog.update("cut_reason", 1, actor=1)  # type: ignore[call-arg]
    item.description = "OTHER"  # type: ignore[misc]


def properties(gsan: System, prop: Property) -> None:
    assert_type(gsan.properties.register(prop, actor=1), Property)
    summary = gsan.properties.load([prop], actor=1, atomic=False, progress=print)
    assert_type(summary, LoadSummary)
    assert_type(summary.loaded, int)
    assert_type(gsan.properties.find_by(route_id=1000), Sequence[Property])
    assert_type(gsan.properties.count_by_water_status(), NamedCounts[int])
    assert_type(gsan.properties.count_by_water_status()[3], int)
    assert_type(gsan.show(prop), Shown)
    assert_type(gsan.names("water_status", 3), str | None)
    assert_type(prop.economies, int)
    assert_type(prop.main_category, Economies | None)
    gsan.properties.register(prop)  # type: ignore[call-arg]
    gsan.properties.load([prop], actor=1, progress=len)  # type: ignore[arg-type]


def units(gsan: System, unit: OrganizationalUnit) -> None:
    assert_type(gsan.units.register(unit, actor=1), OrganizationalUnit)
    assert_type(gsan.units.tree(), Mapping[int, OrganizationalUnit])
    assert_type(
        gsan.units.register_user(User(id=1, name="A", unit_id=1), actor=1), User
    )
    assert_type(gsan.units.has_permission(user_id=1, permission_id=30), bool)
    gsan.units.grant(1, 30)  # type: ignore[call-arg]


def errors(error: GsanError, violation: Violation) -> None:
    assert_type(error.code, str)
    if isinstance(error, RuleViolation):
        assert_type(error.violations, tuple[Violation, ...])
        assert_type(error.codes, tuple[str, ...])
        assert_type(error.messages("pt"), tuple[str, ...])
    if isinstance(error, ConcurrencyConflict):
        assert_type(error.expected_version, int | None)
    if isinstance(error, NotFound):
        assert_type(error.entity, str)
    if isinstance(error, ConfigurationError):
        assert_type(error.field, str | None)
    assert_type(violation.message("en"), str)
    assert_type(violation.gsan_key, str | None)
    violation.message("de")  # type: ignore[arg-type]


def profile_roles(profile: UtilityProfile) -> None:
    assert_type(profile.ids("water_status.cut"), frozenset[int])
    assert_type(profile.id("water_status.cut"), int | None)
    assert_type(profile.allowed("water.cut"), frozenset[int])
    assert_type(profile.plays("cut_type.branch", None), bool)


def events(event: DomainEvent) -> None:
    payload = serialization.to_dict(event)
    assert_type(payload, dict[str, Any])
    assert_type(serialization.from_dict(payload), DomainEvent)
    assert_type(serialization.loads(serialization.dumps(event)), DomainEvent)


def testing_helpers() -> None:
    assert_type(gst.properties(), st.SearchStrategy[Property])
    assert_type(gst.aware_datetimes(), st.SearchStrategy[datetime])
    assert_type(gst.events(), st.SearchStrategy[DomainEvent])
    machine = make_machine(gsan_core.in_memory)
    assert_type(machine, type[CatalogPropertiesMachine])
    gst.properties(None)  # type: ignore[call-arg]

    class TestMine(UnitOfWorkContract):
        pass

    assert_type(TestMine, type[TestMine])


def scenarios(gsan: System) -> None:
    from gsan_core.model.service_orders import ServiceOrder, Team  # noqa: PLC0415
    from gsan_core.testing import Scenario  # noqa: PLC0415

    given = Scenario(gsan)
    assert_type(given.property(water="CORTADO", meter=True), Property)
    assert_type(given.order("service_type.cut_order"), ServiceOrder)
    assert_type(given.team(), Team)
    assert_type(given.situation("water_status", "LIGADO"), int)
    given.property(water=3.5)  # type: ignore[arg-type]
