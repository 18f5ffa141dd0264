"""``gsan.units``: the unit tree, users and special permissions.

Every test runs on memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    NotFound,
    RuleViolation,
)
from gsan_core.model.units import (
    OrganizationalUnit,
    UnitChanged,
    UnitRegistered,
    User,
    UserRegistered,
)
from gsan_core.testing import DEFAULT_NOW

REGIONAL = OrganizationalUnit(
    id=1, name="GERENCIA REGIONAL", acronym="GR", unit_type_id=10
)
BUSINESS = OrganizationalUnit(
    id=2, name="UNIDADE NEGOCIO", unit_type_id=11, superior_id=1
)
CENTRE = OrganizationalUnit(id=3, name="CENTRAL", unit_type_id=13, superior_id=2)
OFFICE = OrganizationalUnit(
    id=4,
    name="ESCRITORIO CENTRO",
    unit_type_id=12,
    superior_id=2,
    dispatch_centre_id=3,
    locality_id=1,
)


@pytest.fixture
def tree(system: gsan_core.System) -> gsan_core.System:
    system.units.register_many([REGIONAL, BUSINESS, CENTRE, OFFICE], actor=1)
    return system


def test_register_many_superiors_first(system: gsan_core.System) -> None:
    since = len(system.events)
    stored = system.units.register_many(
        [attrs.evolve(REGIONAL, version=3), BUSINESS, CENTRE, OFFICE], actor=4
    )
    assert [u.version for u in stored] == [1, 1, 1, 1]
    assert system.units.get(4) == OFFICE
    assert list(system.units.tree()) == [1, 2, 3, 4]
    assert [u.id for u in system.units.ancestors(4)] == [2, 1]
    assert system.units.ancestors(1) == []
    assert list(system.events[since:]) == [
        UnitRegistered(occurred_at=DEFAULT_NOW, actor=4, unit_id=i)
        for i in (1, 2, 3, 4)
    ]


def test_uni_rules_refuse_the_whole_batch(system: gsan_core.System) -> None:
    since = len(system.events)
    orphan = OrganizationalUnit(id=9, name="ORFA", unit_type_id=12, superior_id=77)
    twin = attrs.evolve(BUSINESS, id=5, name="gerencia  regional")
    with pytest.raises(RuleViolation) as caught:
        system.units.register_many([REGIONAL, twin, orphan], actor=1)
    assert [(v.code, v.rule) for v in caught.value.violations] == [
        ("unit.duplicate_name", "UNI-1"),
        ("unit.unknown", "UNI-2"),
    ]
    assert system.units.tree() == {}
    assert list(system.events[since:]) == []


def test_register_one_unit(tree: gsan_core.System) -> None:
    extra = OrganizationalUnit(id=5, name="POSTO", unit_type_id=16, superior_id=3)
    assert tree.units.register(extra, actor=1) == extra
    with pytest.raises(DuplicateEntity):
        tree.units.register(attrs.evolve(extra, name="OUTRO POSTO"), actor=1)


def test_update_a_unit(tree: gsan_core.System) -> None:
    since = len(tree.events)
    changed = tree.units.update(attrs.evolve(OFFICE, name="ESCRITORIO NOVO"), actor=2)
    assert (changed.name, changed.version) == ("ESCRITORIO NOVO", 2)
    assert tree.units.get(4) == changed
    assert list(tree.events[since:]) == [
        UnitChanged(occurred_at=DEFAULT_NOW, actor=2, unit_id=4, version=2)
    ]
    with pytest.raises(ConcurrencyConflict):
        tree.units.update(attrs.evolve(OFFICE, name="OUTRO"), actor=2)
    assert tree.units.get(4).name == "ESCRITORIO NOVO"


def test_uni_2_update_refuses_a_cycle(tree: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        tree.units.update(
            attrs.evolve(REGIONAL, superior_id=4, unit_type_id=16), actor=1
        )
    assert "unit.cycle" in caught.value.codes
    assert tree.units.get(1).superior_id is None


def test_uni_7_u_5_units_keep_the_flags_what_they_serve_needs(
    tree: gsan_core.System,
) -> None:
    """GSAN U-5: the first unit of a specification keeps accepting forwarded
    requests; the unit of a sewer division stays a sewer unit."""
    configuration = tree.service_requests.configuration
    configuration.update_specification(
        attrs.evolve(configuration.specification(232), unit_id=OFFICE.id), actor=1
    )
    with pytest.raises(RuleViolation) as caught:
        tree.units.update(attrs.evolve(OFFICE, accepts_routing=False), actor=1)
    assert [(v.code, v.gsan_key) for v in caught.value.violations] == [
        ("unit.routing_in_use", "atencao.unidade.tramitacao")
    ]
    sewer_office = tree.units.update(attrs.evolve(OFFICE, sewer=True), actor=1)
    tree.catalog.add(
        "sewer_division",
        id=50,
        description="DIVISAO SUL",
        attributes={"unit_id": OFFICE.id},
        actor=1,
    )
    with pytest.raises(RuleViolation) as caught:
        tree.units.update(attrs.evolve(sewer_office, sewer=False), actor=1)
    assert caught.value.violations[0].params["division"] == "DIVISAO SUL"
    assert caught.value.codes == ("unit.sewer_in_use",)
    assert tree.units.get(OFFICE.id) == sewer_office
    # the centre serves neither: both flags may go
    tree.units.update(attrs.evolve(CENTRE, accepts_routing=False), actor=1)


def test_uni_6_u_3_the_main_company_has_no_contractor_unit(
    make_system: Callable[..., gsan_core.System],
) -> None:
    loaded = profiles.default()
    system_params = attrs.evolve(loaded.profile.system, main_company_id=1)
    gsan = make_system(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, system=system_params))
    )
    gsan.units.register_many([REGIONAL, BUSINESS, CENTRE], actor=1)
    contractor = OrganizationalUnit(
        id=5, name="EMPREITEIRA", unit_type_id=16, superior_id=3, company_id=1
    )
    with pytest.raises(RuleViolation) as caught:
        gsan.units.register(contractor, actor=1)
    assert caught.value.codes == ("unit.contractor_of_main_company",)
    assert gsan.units.register(attrs.evolve(contractor, company_id=2), actor=1)
    with pytest.raises(RuleViolation):
        gsan.units.update(attrs.evolve(contractor, company_id=1), actor=1)


def test_update_of_a_missing_unit(tree: gsan_core.System) -> None:
    with pytest.raises(NotFound):
        tree.units.update(attrs.evolve(OFFICE, id=99), actor=1)
    with pytest.raises(NotFound):
        tree.units.get(99)


def test_users_with_home_units(tree: gsan_core.System) -> None:
    since = len(tree.events)
    ana = tree.units.register_user(
        User(id=7, name="ANA", unit_id=4, login="ana"), actor=1
    )
    assert tree.units.user(7) == ana
    more = tree.units.register_users(
        [
            User(id=8, name="BIA", unit_id=3),
            User(id=9, name="CAIO", unit_id=4, version=5),
        ],
        actor=2,
    )
    assert [u.version for u in more] == [1, 1]
    assert [(e.user_id, e.unit_id, e.actor) for e in tree.events[since:]] == [  # type: ignore[attr-defined]
        (7, 4, 1),
        (8, 3, 2),
        (9, 4, 2),
    ]
    assert all(isinstance(e, UserRegistered) for e in tree.events[since:])
    with pytest.raises(NotFound):
        tree.units.user(404)


def test_usr_1_user_needs_an_active_home_unit(tree: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        tree.units.register_users(
            [User(id=7, name="ANA", unit_id=4), User(id=8, name="", unit_id=99)],
            actor=1,
        )
    assert caught.value.codes == ("common.required", "unit.unknown")
    with pytest.raises(NotFound):
        tree.units.user(7)


def test_special_permissions(tree: gsan_core.System) -> None:
    tree.units.register_user(User(id=7, name="ANA", unit_id=4), actor=1)
    assert not tree.units.has_permission(user_id=7, permission_id=30)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    tree.units.grant(user_id=7, permission_id=81, actor=0)
    assert tree.units.has_permission(user_id=7, permission_id=30)
    tree.units.revoke(user_id=7, permission_id=30, actor=0)
    tree.units.revoke(user_id=7, permission_id=30, actor=0)
    assert not tree.units.has_permission(user_id=7, permission_id=30)
    assert tree.units.has_permission(user_id=7, permission_id=81)
    with pytest.raises(RuleViolation) as unknown:
        tree.units.grant(user_id=404, permission_id=30, actor=0)
    assert unknown.value.codes == ("user.unknown",)
    assert not tree.units.has_permission(user_id=404, permission_id=30)


def test_usr_2_grants_are_audited_announced_and_need_a_known_permission(
    tree: gsan_core.System,
) -> None:
    """USR-2: a grant or revocation takes an actor, is recorded (who, when) and
    emits an event; a permission the profile does not know is refused; a
    deactivated user holds no permission and may not act."""
    tree.units.register_user(User(id=7, name="ANA", unit_id=4), actor=1)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    tree.clock.advance(hours=1)
    tree.units.revoke(user_id=7, permission_id=30, actor=0)
    changes = tree.units.permission_changes(user_id=7)
    assert [(c.granted, c.actor, c.permission_id) for c in changes] == [
        (True, 0, 30),
        (False, 0, 30),
    ]
    assert changes[0].at < changes[1].at
    tags = [event.tag for event in tree.events]
    assert "user.permission_granted" in tags
    assert "user.permission_revoked" in tags
    with pytest.raises(RuleViolation) as unknown:
        tree.units.grant(user_id=7, permission_id=999_999, actor=0)
    assert unknown.value.codes == ("user.permission.unknown",)
    assert len(tree.units.permission_changes(user_id=7)) == 2
    tree.units.grant(user_id=7, permission_id=81, actor=0)
    assert tree.units.has_permission(user_id=7, permission_id=81)
    tree.units.set_user_active(user_id=7, active=False, actor=0)
    assert not tree.units.has_permission(user_id=7, permission_id=81)
    tree.units.set_user_active(user_id=7, active=True, actor=0)
    assert tree.units.has_permission(user_id=7, permission_id=81)


def test_granting_again_to_a_deactivated_user_keeps_the_one_grant(
    tree: gsan_core.System,
) -> None:
    """A deactivated user holds no permission but keeps its stored grants: a
    second grant while it is inactive is idempotent (it once met the stored
    row as a duplicate key), audited and announced, and the grant holds again
    once the user is reactivated; a revocation while inactive removes it."""
    tree.units.register_user(User(id=7, name="ANA", unit_id=4), actor=1)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    tree.units.set_user_active(user_id=7, active=False, actor=0)
    since = len(tree.events)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    tree.units.grant(user_id=7, permission_id=30, actor=0)
    assert [e.tag for e in list(tree.events)[since:]] == ["user.permission_granted"] * 2
    assert not tree.units.has_permission(user_id=7, permission_id=30)
    assert len(tree.units.permission_changes(user_id=7)) == 3
    tree.units.set_user_active(user_id=7, active=True, actor=0)
    assert tree.units.has_permission(user_id=7, permission_id=30)
    tree.units.set_user_active(user_id=7, active=False, actor=0)
    tree.units.revoke(user_id=7, permission_id=30, actor=0)
    tree.units.set_user_active(user_id=7, active=True, actor=0)
    assert not tree.units.has_permission(user_id=7, permission_id=30)
