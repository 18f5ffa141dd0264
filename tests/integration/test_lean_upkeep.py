"""The lean commands of ``benchmarks.lean_upkeep`` leave the rows the library
leaves: the benchmark compares like with like (issue 20, tenth round).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written, but the
target's own keys, outbox rows included; the lean versions refuse what the
library refuses, writing nothing, and a second run of the same change
writes nothing more (its compare-and-set).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import id_ranges, lean_upkeep, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.accounts import Customer, PersonKind
from gsan_core.model.units import OrganizationalUnit, User
from tests.integration import lean_rows
from tests.services.connections_setup import ACTOR, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "customer_id", "item_id", "document", "description", "order_id"}
)


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    return town(scale._system(sql))


def _rows(sql: SqlBackend, table: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, "id", keys, without=KEYS)


def _item_row(sql: SqlBackend, kind: str, ident: int) -> dict[str, Any]:
    """The reference row ``(kind, ident)`` without the keys."""
    return lean_rows.catalog_row(sql, kind, ident, without=KEYS)


def _customers(gsan: gsan_core.System, sql: SqlBackend, count: int) -> list[Customer]:
    return lean_upkeep.customers(gsan, sql, count, name="ANA")


def _two(gsan: gsan_core.System, sql: SqlBackend) -> list[Customer]:
    return lean_upkeep.customers(gsan, sql, 2, name="ANA")


def test_a_lean_customer_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A customer with a CPF renamed and given a responsible: the row at
    version 2 (its person kind its type's, whatever the caller gave) and one
    ``accounts.customer_changed``, from either."""
    library, lean = _two(gsan, sql)
    boss = lean_upkeep.customers(gsan, sql, 1, name="CHEFE")[0].id
    changes = {
        "name": "ANA MARIA",
        "responsible_customer_id": boss,
        "email": "a@b.c",
        "person_kind": PersonKind.COMPANY,
    }
    gsan.accounts.update_customer(attrs.evolve(library, **changes), actor=7)
    stored = lean_upkeep.lean_update_customer(
        sql, attrs.evolve(lean, **changes), now=scale.NOW, actor=7
    )
    assert stored.version == 2
    first, second = _rows(sql, "customer", [library.id, lean.id])
    assert first == second
    assert (first["version"], first["name"]) == (2, "ANA MARIA")
    assert first["responsible_customer_id"] == boss
    assert first["person_kind"] == int(PersonKind.INDIVIDUAL)
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "accounts.customer_changed"


def test_a_lean_customer_change_refuses_what_the_library_refuses(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Another customer's CPF, a responsible that loops back, an unknown
    responsible, an unknown type, a stale version: nothing written; the same
    change run twice writes once."""
    one, two = _two(gsan, sql)
    gsan.accounts.update_customer(
        attrs.evolve(one, responsible_customer_id=two.id), actor=7
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong, match in (
        (attrs.evolve(two, document=one.document), "duplicate"),
        (attrs.evolve(two, responsible_customer_id=one.id), "cycle"),
        (attrs.evolve(two, responsible_customer_id=10**9), "not_found"),
        (attrs.evolve(two, customer_type_id=999), "type"),
        (attrs.evolve(two, version=2), None),
    ):
        with pytest.raises(AssertionError, match=match):
            lean_upkeep.lean_update_customer(sql, wrong, now=scale.NOW, actor=7)
    assert _rows(sql, "customer", [two.id])[0]["version"] == 1
    assert lean_rows.last_outbox_id(sql) == before
    renamed = attrs.evolve(two, name="OUTRO")
    lean_upkeep.lean_update_customer(sql, renamed, now=scale.NOW, actor=7)
    with pytest.raises(AssertionError):
        lean_upkeep.lean_update_customer(sql, renamed, now=scale.NOW, actor=7)
    assert _rows(sql, "customer", [two.id])[0]["version"] == 2
    assert lean_rows.last_outbox_id(sql) == before + 1


def test_a_lean_reference_row_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A reference row's new description: the row at version 2 and one
    ``catalog.item_changed``, from either; a sibling's description (CAT-4)
    and a stale version refused, nothing written."""
    library, lean = lean_upkeep.catalog_rows(gsan, 2, name="SSP")
    kind = lean_upkeep.CATALOG_KIND
    gsan.catalog.update(
        kind, library, expected_version=1, actor=7, description="SSP NOVA"
    )
    spec = gsan.catalog.kind(kind)
    before = lean_rows.last_outbox_id(sql)
    for description, version in (("SSP NOVA", 1), ("SSP OUTRA", 2)):
        with pytest.raises(AssertionError):
            lean_upkeep.lean_update_catalog(
                sql,
                spec,
                lean,
                expected_version=version,
                description=description,
                now=scale.NOW,
                actor=7,
            )
    assert lean_rows.last_outbox_id(sql) == before
    stored = lean_upkeep.lean_update_catalog(
        sql,
        spec,
        lean,
        expected_version=1,
        description="SSP OUTRA",
        now=scale.NOW,
        actor=7,
    )
    assert (stored.version, stored.description) == (2, "SSP OUTRA")
    assert gsan.catalog.get(kind, lean) == stored
    first, second = (_item_row(sql, kind, i) for i in (library, lean))
    assert first == second
    assert first["version"] == 2
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "catalog.item_changed"


def _unit(ident: int, **changes: Any) -> OrganizationalUnit:
    return OrganizationalUnit(
        id=ident, name=f"UNIDADE {ident}", unit_type_id=12, **changes
    )


def test_a_lean_unit_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A unit renamed and made a sewer and call-centre unit: the row at
    version 2 and one ``unit.changed``, from either."""
    library, lean = (gsan.units.register(_unit(i), actor=7) for i in (500, 501))
    changes = {"sewer": True, "call_centre": True}
    gsan.units.update(attrs.evolve(library, name="NOVA 1", **changes), actor=7)
    stored = lean_upkeep.lean_update_unit(
        sql,
        attrs.evolve(lean, name="NOVA 2", **changes),
        profile=gsan.profile,
        now=scale.NOW,
        actor=7,
    )
    assert stored.version == 2
    first, second = (
        lean_rows.rows(sql, "unit", "id", [i], without=KEYS)[0]
        for i in (library.id, lean.id)
    )
    assert (first.pop("name"), second.pop("name")) == ("NOVA 1", "NOVA 2")
    assert first == second
    assert (first["version"], first["sewer"], first["call_centre"]) == (2, True, True)
    one, two = lean_rows.outbox(sql, 2, without=KEYS | {"unit_id"})
    assert one == two
    assert one["tag"] == "unit.changed"


def test_a_lean_unit_change_refuses_what_the_library_refuses(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Its own superior (UNI-2's loop), an unknown type, a stale version, and
    a sewer division's unit made a non-sewer one (UNI-7): nothing written."""
    unit = gsan.units.register(_unit(500, sewer=True), actor=7)
    gsan.catalog.add(
        "sewer_division", description="DIVISAO", attributes={"unit_id": 500}, actor=7
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong in (
        attrs.evolve(unit, superior_id=500),
        attrs.evolve(unit, unit_type_id=999),
        attrs.evolve(unit, version=2),
        attrs.evolve(unit, sewer=False),
    ):
        with pytest.raises(AssertionError):
            lean_upkeep.lean_update_unit(
                sql, wrong, profile=gsan.profile, now=scale.NOW, actor=7
            )
    assert _rows(sql, "unit", [500])[0]["version"] == 1
    assert lean_rows.last_outbox_id(sql) == before
    with pytest.raises(gsan_core.RuleViolation):
        gsan.units.update(attrs.evolve(unit, sewer=False), actor=7)


def _inform(sql: SqlBackend, gsan: gsan_core.System, work: int, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "returned_on": gsan.clock.now().date(),
        "street_pavement_id": 1,
        "street_area": Decimal("9.80"),
        "profile": gsan.profile,
        "today": gsan.clock.now().date(),
        "now": gsan.clock.now(),
        "actor": ACTOR,
    }
    return lean_upkeep.lean_inform_repaving_return(sql, work, **(values | changes))


def test_a_lean_repaving_return_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A work's return by a user of its unit: the returned pavement, area and
    date at version 2 and one ``repaving.returned``, from either; a return
    by a user of another unit without the permission, one dated after today
    and one beyond the area sent refused, nothing written."""
    library, lean, other = lean_upkeep.sent_works(gsan, 3, unit_id=1)
    gsan.units.register(
        OrganizationalUnit(id=2, name="OUTRA", unit_type_id=12), actor=7
    )
    gsan.units.register_user(User(id=900, name="ZE", unit_id=2), actor=7)
    gsan.repaving.inform_return(
        work_id=library,
        returned_on=gsan.clock.now().date(),
        actor=ACTOR,
        street_pavement_id=1,
        street_area=Decimal("9.80"),
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong in (
        {"actor": 900},
        {"returned_on": gsan.clock.now().date() + timedelta(days=1)},
        {"street_area": Decimal("20.00")},
    ):
        with pytest.raises(AssertionError):
            _inform(sql, gsan, other, **wrong)
    assert lean_rows.last_outbox_id(sql) == before
    stored = _inform(sql, gsan, lean)
    assert stored.version == 2
    first, second = _rows(sql, "repaving_work", [library, lean])
    assert first == second
    assert (first["version"], first["returned_street_area"]) == (2, Decimal("9.80"))
    one, two = lean_rows.outbox(sql, 2, without=KEYS | {"work_id"})
    assert one == two
    assert one["tag"] == "repaving.returned"
    assert _rows(sql, "repaving_work", [other])[0]["version"] == 1


def test_a_lean_customer_registration_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A customer with a CPF registered: its row at version 1 (the type's
    person kind) and one ``accounts.customer_registered``, from either;
    another's CPF, an invalid CPF and an unknown type refused, nothing
    written."""
    (made,) = _customers(gsan, sql, 1)
    fresh = id_ranges.take("test registration").start
    library = gsan.accounts.register_customer(
        actor=7,
        name="NOVA",
        customer_type_id=made.customer_type_id,
        document=lean_upkeep.cpf(fresh),
        email="n@v.a",
    )
    lean = attrs.evolve(
        library,
        id=10**9,
        document=lean_upkeep.cpf(fresh + 1),
        person_kind=PersonKind.COMPANY,
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong in (
        attrs.evolve(lean, document=made.document),
        attrs.evolve(lean, document="12345678900"),
        attrs.evolve(lean, customer_type_id=999),
    ):
        with pytest.raises(AssertionError):
            lean_upkeep.lean_register_customer(sql, wrong, now=scale.NOW, actor=7)
    assert lean_rows.last_outbox_id(sql) == before
    stored = lean_upkeep.lean_register_customer(sql, lean, now=scale.NOW, actor=7)
    assert stored.person_kind is PersonKind.INDIVIDUAL
    first, second = _rows(sql, "customer", [library.id, 10**9])
    assert first == second
    assert (first["version"], first["email"]) == (1, "n@v.a")
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "accounts.customer_registered"


def _grant(sql: SqlBackend, gsan: gsan_core.System, user: int, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "user_id": user,
        "permission_id": _permission(gsan),
        "change_id": 10**9 + user,
        "profile": gsan.profile,
        "now": scale.NOW,
        "actor": 7,
    }
    return lean_upkeep.lean_grant(sql, **(values | changes))


#: A grant's keys.
USER = KEYS | {"user_id"}


def _permission(gsan: gsan_core.System) -> int:
    return sorted(gsan.profile.ids("permission.inform_non_charge_reason"))[0]


def _grants(sql: SqlBackend, user: int) -> list[Any]:
    t = sql.tables["user_permission"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(sa.select(t).where(t.c.user_id == user)).mappings()
        )


def test_a_lean_grant_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A special permission granted: the grant, the audit row and one
    ``user.permission_granted``, from either; an unknown user or permission
    refused, nothing written; granted twice, held once and audited twice (as
    the library does)."""
    gsan.units.register_users(
        [User(id=i, name=f"U {i}", unit_id=1) for i in (900, 901)], actor=7
    )
    before = lean_rows.last_outbox_id(sql)
    for wrong in ({"user_id": 999}, {"permission_id": 10**6}):
        with pytest.raises(AssertionError):
            _grant(sql, gsan, 901, **wrong)
    assert lean_rows.last_outbox_id(sql) == before
    assert _grants(sql, 901) == []
    gsan.units.grant(user_id=900, permission_id=_permission(gsan), actor=7)
    _grant(sql, gsan, 901)
    first, second = (
        lean_rows.rows(sql, "permission_change", "user_id", [u], without=USER)[0]
        for u in (900, 901)
    )
    assert first == second
    assert (first["granted"], first["permission_id"]) == (True, _permission(gsan))
    one, two = lean_rows.outbox(sql, 2, without=USER)
    assert one == two
    assert one["tag"] == "user.permission_granted"
    assert len(_grants(sql, 900)) == len(_grants(sql, 901)) == 1
    _grant(sql, gsan, 901, change_id=2 * 10**9)
    assert len(_grants(sql, 901)) == 1
    assert gsan.units.permission_changes(user_id=901)[-1].id == 2 * 10**9
