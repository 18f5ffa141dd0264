"""USR-2: every command's actor is the setup actor or a registered, active user
(on a system that checks actors: ``connect()``'s default)."""

from __future__ import annotations

from pathlib import Path

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.units import OrganizationalUnit, User

UNIT = OrganizationalUnit(id=1, name="GERENCIA", acronym="GR", unit_type_id=10)


def checking(system: gsan_core.System) -> gsan_core.System:
    """The same storage, checking actors."""
    return gsan_core.System(
        uow_factory=system.uow_factory,
        profile=system.loaded_profile,
        clock=system.clock,
        backend=system.backend,
        check_actors=True,
    )


def test_usr_2_unknown_inactive_and_setup_actors(system: gsan_core.System) -> None:
    """USR-2: the setup actor and active users act; unknown and inactive ones are
    refused before anything is written, and a deactivated user regains the
    right to act only when reactivated."""
    gsan = checking(system)
    gsan.units.register(UNIT, actor=gsan_core.SETUP_ACTOR)
    gsan.units.register_user(User(id=7, name="ANA", unit_id=1), actor=0)
    before = len(gsan.catalog.list("cut_reason"))
    with pytest.raises(RuleViolation) as unknown:
        gsan.catalog.add("cut_reason", description="X", actor=99)
    assert unknown.value.codes == ("actor.unknown",)
    assert unknown.value.violations[0].rule == "USR-2"
    gsan.catalog.add("cut_reason", description="PELA ANA", actor=7)
    gsan.units.set_user_active(user_id=7, active=False, actor=0)
    with pytest.raises(RuleViolation) as inactive:
        gsan.catalog.add("cut_reason", description="Y", actor=7)
    assert inactive.value.codes == ("actor.inactive",)
    with pytest.raises(RuleViolation) as malformed:
        gsan.catalog.add("cut_reason", description="Y", actor=-7)
    assert malformed.value.codes == ("input.invalid.actor",)
    assert len(gsan.catalog.list("cut_reason")) == before + 1
    gsan.units.set_user_active(user_id=7, active=True, actor=0)
    gsan.catalog.add("cut_reason", description="DE VOLTA", actor=7)


def test_a_system_that_does_not_check_lets_any_actor_act(
    system: gsan_core.System,
) -> None:
    system.catalog.add("cut_reason", description="QUALQUER", actor=12345)


def test_connect_checks_actors_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'actors.db'}"
    with gsan_core.connect(url, migrate=True, seed=True) as gsan:
        with pytest.raises(RuleViolation) as refused:
            gsan.catalog.add("cut_reason", description="X", actor=1)
        assert refused.value.codes == ("actor.unknown",)
    with gsan_core.connect(url, check_actors=False) as lenient:
        lenient.catalog.add("cut_reason", description="X", actor=1)
