"""The lean command of ``benchmarks.lean_repaving`` leaves the rows the
library leaves: the benchmark compares like with like (issue 20, eleventh
round).

The library changes one repaving service, the lean version another of the
same unit; every column of the rows written is compared, but the target's own
keys, outbox rows included. The lean version refuses what the library
refuses (a stale version, a user of another repaving unit, a value under the
kind's minimum), writing nothing, and a second run of the same change writes
nothing more (its compare-and-set).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from benchmarks import lean_repaving, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import RuleViolation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.units import OrganizationalUnit, User
from tests.integration import lean_rows
from tests.services.connections_setup import ACTOR, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "item_id", "description"})
SERVICE = lean_repaving.SERVICE
#: Units beyond an ``integer``, as the benchmark's ids of
#: ``benchmarks.id_ranges`` are.
BIG = 9_030_000_000


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    return town(scale._system(sql))


def _row(sql: SqlBackend, ident: int) -> dict[str, Any]:
    return lean_rows.catalog_row(sql, SERVICE, ident, without=KEYS)


def _update(
    sql: SqlBackend, gsan: gsan_core.System, item: CatalogItem, **changes: Any
) -> CatalogItem:
    values: dict[str, Any] = {
        "expected_version": item.version,
        "value": Decimal("47.00"),
        "profile": gsan.profile,
        "now": gsan.clock.now(),
        "actor": ACTOR,
    }
    return lean_repaving.lean_update_repaving_service(
        sql, gsan.catalog.kind(SERVICE), item.id, **(values | changes)
    )


def test_a_lean_repaving_service_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A service's new value: the row at version 2 (its value typed as the
    library types it) and one ``catalog.item_changed``, from either; a stale
    version, a user of another repaving unit and a value under the minimum
    refused by both, nothing written; a second run writes nothing."""
    library, lean, other = lean_repaving.repaving_services(
        gsan, 3, name="RECOMPOSICAO", unit_id=BIG
    )
    lean_repaving.repaving_services(gsan, 0, name="ASFALTO SUL", unit_id=BIG + 1)
    gsan.units.register_user(User(id=900, name="ZE", unit_id=BIG + 1), actor=7)
    with pytest.raises(RuleViolation):
        gsan.repaving.update_service(
            service_id=library.id,
            expected_version=1,
            attributes={"value": Decimal("47.00")},
            actor=900,
        )
    gsan.repaving.update_service(
        service_id=library.id,
        expected_version=1,
        attributes={"value": Decimal("47.00")},
        actor=ACTOR,
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong in (
        {"expected_version": 2},
        {"actor": 900},
        {"value": Decimal("0.00")},
    ):
        with pytest.raises(AssertionError):
            _update(sql, gsan, other, **wrong)
    assert lean_rows.last_outbox_id(sql) == before
    stored = _update(sql, gsan, lean)
    assert stored.version == 2
    assert gsan.catalog.get(SERVICE, lean.id) == stored
    first, second = _row(sql, library.id), _row(sql, lean.id)
    assert first == second
    assert first["version"] == 2
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "catalog.item_changed"
    with pytest.raises(AssertionError):
        _update(sql, gsan, lean)
    assert lean_rows.last_outbox_id(sql) == before + 1
    assert _row(sql, other.id)["version"] == 1


def test_a_lean_change_knows_a_unit_that_repaves_by_its_grouping(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAV-10: a unit of another type repaves when it serves a neighbourhood
    grouping; the lean read finds it as the library does, and neither side
    changes a service of such a unit once its grouping is deactivated."""
    gsan.units.register(
        OrganizationalUnit(id=BIG + 2, name="EMPREITEIRA", unit_type_id=12), actor=7
    )
    grouping = gsan.catalog.add(
        "repaving_neighbourhood",
        id=1,
        description="CENTRO",
        attributes={"neighbourhood_id": 1, "unit_id": BIG + 2},
        actor=7,
    )
    library, lean, other = (
        gsan.repaving.add_service(
            description=f"CALCADA {n}",
            unit_id=BIG + 2,
            measure_unit_id=1,
            value=Decimal("45.90"),
            actor=ACTOR,
        )
        for n in range(3)
    )
    gsan.repaving.update_service(
        service_id=library.id,
        expected_version=1,
        attributes={"value": Decimal("47.00")},
        actor=ACTOR,
    )
    _update(sql, gsan, lean)
    assert _row(sql, library.id) == _row(sql, lean.id)
    gsan.catalog.update(
        "repaving_neighbourhood",
        grouping.id,
        expected_version=grouping.version,
        active=False,
        actor=7,
    )
    with pytest.raises(RuleViolation):
        gsan.repaving.update_service(
            service_id=library.id,
            expected_version=2,
            attributes={"value": Decimal("48.00")},
            actor=ACTOR,
        )
    with pytest.raises(AssertionError):
        _update(sql, gsan, other)
