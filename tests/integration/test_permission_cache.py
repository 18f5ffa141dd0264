"""The answers of ``permissions.has`` come from the backend's reference cache
(issue 20: a command that checks a special permission no longer reads it), and
a grant, a revocation or a user's deactivation through the backend is seen by
the next check."""

from __future__ import annotations

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing.request_utility import build_request_utility
from tests.integration.test_statement_budgets import Counter, _system, sql

__all__ = ["sql"]


def _has(backend: SqlBackend, user_id: int, permission_id: int) -> bool:
    with backend.uow_factory() as uow:
        return uow.permissions.has(user_id, permission_id)


def test_a_permission_is_read_once_and_every_change_is_seen(sql: SqlBackend) -> None:
    system = _system(sql)
    utility = build_request_utility(system, properties=1, actor=0)
    user = utility.attendant
    permission = min(
        pid
        for role, ids in system.profile.roles.items()
        if role.startswith("permission.")
        for pid in ids
    )
    counter = Counter(sql.engine)
    before = _has(sql, user, permission)
    with counter.counting():
        assert _has(sql, user, permission) is before
    assert not [s for s in counter.statements if s.startswith("SELECT")]

    system.units.grant(user_id=user, permission_id=permission, actor=1)
    assert _has(sql, user, permission) is True
    system.units.set_user_active(user_id=user, active=False, actor=1)
    assert _has(sql, user, permission) is False  # USR-2: inactive, none held
    system.units.set_user_active(user_id=user, active=True, actor=1)
    assert _has(sql, user, permission) is True
    system.units.revoke(user_id=user, permission_id=permission, actor=1)
    assert _has(sql, user, permission) is False


def test_a_unit_of_work_that_granted_reads_its_own_grant(sql: SqlBackend) -> None:
    system = _system(sql)
    utility = build_request_utility(system, properties=1, actor=0)
    user = utility.attendant
    permission = min(
        pid
        for role, ids in system.profile.roles.items()
        if role.startswith("permission.")
        for pid in ids
    )
    assert _has(sql, user, permission) is False  # cached as not held
    with sql.uow_factory() as uow:
        uow.permissions.grant(user, permission)
        assert uow.permissions.has(user, permission) is True
        # not committed: rolled back
    assert _has(sql, user, permission) is False
