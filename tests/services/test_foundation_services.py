"""Foundation use cases the service-order area builds on, on memory, SQLite and
PostgreSQL: property loads and changes, the "in field" lock, units and users,
permissions, billing and the catalog service."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict, NotFound, RuleViolation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.testing.town import load_town, small_town


def test_properties_load_in_chunks_and_resume(system: gsan_core.System) -> None:
    town = small_town(properties=12)
    system.units.register_many(town.units, actor=0)
    system.properties.load_locations(
        actor=0,
        localities=town.localities,
        sectors=town.sectors,
        blocks=town.blocks,
        routes=town.routes,
    )
    seen: list[tuple[int, int | None]] = []
    first = system.properties.load(
        town.properties[:5],
        actor=0,
        chunk_size=2,
        atomic=False,
        total=12,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (first.loaded, first.chunks) == (5, 3)
    again = system.properties.load(
        town.properties, actor=0, chunk_size=4, atomic=False, progress=lambda *_: None
    )
    assert (again.loaded, again.skipped_existing) == (7, 5)
    assert seen == [(2, 12), (4, 12), (5, 12)]
    assert system.properties.load([], actor=0, atomic=False).loaded == 0
    assert len(system.properties.find_by(locality_id=1)) >= 1
    loc = system.properties.locality(1)
    block = system.properties.block(town.blocks[0].id)
    route = system.properties.route(town.routes[0].id)
    assert (loc.id, block.id, route.id) == (1, town.blocks[0].id, town.routes[0].id)


def test_property_changes_and_the_field_lock(system: gsan_core.System) -> None:
    town = small_town(properties=4)
    load_town(system, town)
    prop = system.properties.get(town.properties[0].id)
    changed = system.properties.update(attrs.evolve(prop, block_face=3), actor=1)
    assert changed.version == prop.version + 1
    with pytest.raises(ConcurrencyConflict):
        system.properties.update(attrs.evolve(prop, block_face=4), actor=1)
    with pytest.raises(RuleViolation) as error:
        system.properties.update(attrs.evolve(changed, water_status_id=5), actor=1)
    assert error.value.code == "property.situation_change_not_allowed"
    route = system.properties.route(prop.route_id or 0)
    assert system.properties.locked_reference(prop.id) is None
    system.properties.lock_route_in_field(route.id, reference=202501)
    expected = 202501 if route.simultaneous_printing else None
    assert system.properties.locked_reference(prop.id) == expected
    system.properties.unlock_route(route.id)
    assert system.properties.locked_reference(prop.id) is None
    with pytest.raises(NotFound):
        system.properties.lock_route_in_field(999_999, reference=202501)
    counts = system.properties.count_by_water_status()
    assert sum(counts.values()) == 4


def test_units_users_and_permissions(system: gsan_core.System) -> None:
    town = small_town(properties=1)
    load_town(system, town)
    unit = system.units.get(102)
    renamed = system.units.update(attrs.evolve(unit, name="ESCRITORIO CENTRO"), actor=1)
    assert renamed.version == unit.version + 1
    with pytest.raises(ConcurrencyConflict):
        system.units.update(unit, actor=1)
    assert [u.id for u in system.units.ancestors(103)] == [101, 1]
    assert set(system.units.tree()) >= {1, 101, 102, 103}
    assert system.units.user(102).unit_id == 102
    system.units.grant(user_id=102, permission_id=30)
    assert system.units.has_permission(user_id=102, permission_id=30)
    system.units.revoke(user_id=102, permission_id=30)
    assert not system.units.has_permission(user_id=102, permission_id=30)
    with pytest.raises(NotFound):
        system.units.grant(user_id=9999, permission_id=30)


def test_billing_debts_and_settlement(system: gsan_core.System) -> None:
    town = small_town(properties=1)
    load_town(system, town)
    prop = town.properties[0].id
    system.billing.record_debts(
        [
            OpenDebt(
                id=1, property_id=prop, kind=DebtKind.BILL, amount=Decimal("9.90")
            ),
            OpenDebt(id=2, property_id=prop, kind=DebtKind.CREDIT, amount=Decimal(1)),
        ]
    )
    assert [d.id for d in system.billing.open_debts(prop)] == [1, 2]
    system.billing.settle([1])
    assert [d.kind for d in system.billing.open_debts(prop)] == [DebtKind.CREDIT]
    assert system.billing.charges(prop) == []


def test_catalog_service_reads_and_checks(system: gsan_core.System) -> None:
    catalog = system.catalog
    with pytest.raises(RuleViolation) as error:
        catalog.list("no_such_kind")
    assert error.value.code == "catalog.unknown_kind"
    active = catalog.list("water_status", active_only=True)
    assert 9 not in {i.id for i in active}
    candidate = CatalogItem(kind="cut_reason", id=50, description="FALTA DE PAGAMENTO")
    assert [v.code for v in catalog.check(candidate)] == [
        "catalog.duplicate_description"
    ]
    assert catalog.references("water_status")[0].entity == "property"
    item = catalog.add(
        "special_equipment", description="GUINDASTE", abbreviation="GUIND", actor=1
    )
    changed = catalog.update(
        "special_equipment",
        item.id,
        expected_version=item.version,
        abbreviation="GUI",
        actor=1,
    )
    retired = catalog.deactivate(
        "special_equipment", item.id, expected_version=changed.version, actor=1
    )
    back = catalog.activate(
        "special_equipment", item.id, expected_version=retired.version, actor=1
    )
    assert (back.abbreviation, back.active) == ("GUI", True)
    with pytest.raises(ConcurrencyConflict):
        catalog.update("special_equipment", item.id, expected_version=1, actor=1)
    with pytest.raises(ConcurrencyConflict):
        catalog.remove("special_equipment", item.id, expected_version=1, actor=1)
    catalog.remove("special_equipment", item.id, expected_version=back.version, actor=1)
    with pytest.raises(NotFound):
        catalog.get("special_equipment", item.id)
    assert system.seed() == 0
