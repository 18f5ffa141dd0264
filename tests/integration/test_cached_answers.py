"""The answers of ``permissions.has`` and the rows routing a specification at a
place, and the index table, come from the backend's reference cache (issue 20: a
command that checks a special permission, routes a request or prices a debt no
longer reads them), and a grant, a revocation, a user's deactivation or a change
of the routing tables or of the index table through the backend is seen by the
next command."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
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


def test_the_index_table_is_read_once_and_informing_reads_the_database(
    sql: SqlBackend,
) -> None:
    """UC0216's index table comes from the reference cache (a change through
    the backend seen at once); IDX-05 decides under the table's key on the
    rows in the database: a month another process wrote meanwhile is updated
    in place, not inserted again."""
    system = budget_system(sql)
    inform = functools.partial(
        system.accounts.inform_index,
        actor=1,
        fine_rate=Decimal("2"),
        interest_rate=Decimal("1"),
        correction_factor=Decimal("1.01"),
    )
    inform(month=202410)
    assert [i.id for i in system.accounts.indices()] == [202410]
    counter = Counter(sql.engine)
    with counter.counting():
        assert [i.id for i in system.accounts.indices()] == [202410]
    assert not [s for s in counter.statements if s.startswith("SELECT")]
    inform(month=202411)  # through the backend: seen by the next read
    assert [i.id for i in system.accounts.indices()] == [202410, 202411]
    # another process's month, behind the cache's back
    table = sql.tables["surcharge_index"]
    with sql.engine.begin() as connection:
        connection.execute(
            sa.insert(table).values(
                id=202412,
                fine_rate=Decimal("2"),
                fine_monthly=True,
                interest_rate=Decimal("1"),
                interest_monthly=True,
                correction_factor=Decimal("1.02"),
                version=1,
            )
        )
    assert [i.id for i in system.accounts.indices()] == [202410, 202411]
    updated = inform(month=202412)
    assert updated.version == 2  # IDX-05: updated, not a duplicate
    assert [i.id for i in system.accounts.indices()] == [202410, 202411, 202412]
