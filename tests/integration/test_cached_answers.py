"""The answers of ``permissions.has`` and the rows routing a specification at a
place come from the backend's reference cache (issue 20: a command that checks a
special permission or routes a request no longer reads them), and a grant, a
revocation, a user's deactivation or a change of the routing tables through the
backend is seen by the next command."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_requests import RequestLocation
from gsan_core.testing.request_utility import build_request_utility
from tests.integration.budgets import Counter, budget_system
from tests.integration.test_statement_budgets import sql

__all__ = ["sql"]


def _has(backend: SqlBackend, user_id: int, permission_id: int) -> bool:
    with backend.uow_factory() as uow:
        return uow.permissions.has(user_id, permission_id)


def test_a_permission_is_read_once_and_every_change_is_seen(sql: SqlBackend) -> None:
    system = budget_system(sql)
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
    system = budget_system(sql)
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


def test_routing_rows_are_read_once_and_a_change_is_seen(sql: SqlBackend) -> None:
    """The destination of specification 679 on a property of locality 1 (its
    water group's office); a row of the locality and specification routes it
    elsewhere from the next suggestion on, the rows read once meanwhile."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=1, actor=0)
    home = utility.town.properties[0]
    where = RequestLocation(property_id=home.id)

    def destination() -> int | None:
        return system.service_requests.suggest_destination(
            specification_id=679, location=where
        ).unit_id

    sent: list[str] = []

    def _statement(*args: Any) -> None:
        sent.append(str(args[2]))

    before = destination()
    event.listen(sql.engine, "before_cursor_execute", _statement)
    try:
        assert destination() == before
    finally:
        event.remove(sql.engine, "before_cursor_execute", _statement)
    assert sent  # the property is read...
    routing = ("collection_situation_unit", "locality_specification_unit")
    assert not [s for s in sent if any(t in s for t in routing)]  # ...not these

    configuration = system.service_requests.configuration
    configuration.set_locality_specification_units(
        locality_id=home.locality_id,
        rows=[(311, utility.commercial), (679, utility.judicial)],
        actor=0,
    )
    assert before != utility.judicial
    assert destination() == utility.judicial
    configuration.set_locality_specification_units(
        locality_id=home.locality_id, rows=[(311, utility.commercial)], actor=0
    )
    assert destination() == before
