"""The lean commands of ``benchmarks.lean_requests2`` leave the rows the
library leaves (issue 20): the library on one RA, the lean version on another
opened alike; the two RAs' rows (the request, its orders, routing steps,
reiterations, the orders' unit trail and the outbox rows each wrote) compared
without the ids that differ (``tests.integration.test_lean_orders.Rows``)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import sqlalchemy as sa
from benchmarks import commands, lean_requests2

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import RuleViolation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    GROUP_WATER,
    build_request_utility,
)
from tests.integration import lean_rows
from tests.integration.budgets import budget_system
from tests.integration.opened_requests import opened_at_call_centre
from tests.integration.test_lean_orders import Rows

pytestmark = pytest.mark.postgres


def test_a_lean_request_update_writes_the_library_s_rows(sql: SqlBackend) -> None:
    """UC0408 changing the observation: the request at its next version and
    one ``service_request.updated`` naming the field, from either; the same
    change again is refused (nothing to change), nothing written."""
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2, actor=0)
    attendant = utility.attendant
    mine, theirs = (o.request.id for o in opened_at_call_centre(system, utility, 2))
    clock.advance(timedelta(minutes=5))
    rows = Rows(sql)
    before = rows.of(mine)
    system.service_requests.update(
        request_id=mine, observation="VAZAMENTO NA CALCADA", actor=attendant
    )
    after_library = rows.of(mine)
    lean_requests2.lean_update_request(
        sql,
        theirs,
        observation="VAZAMENTO NA CALCADA",
        actor=attendant,
        now=clock.now(),
        expected_version=1,
    )
    after_lean = rows.of(theirs)
    assert after_lean == after_library
    assert after_library != before
    assert [r["tag"] for r in after_library["outbox"]] == ["service_request.updated"]
    assert after_library["request"][0]["observation"] == "VAZAMENTO NA CALCADA"
    with pytest.raises(AssertionError):
        lean_requests2.lean_update_request(
            sql,
            theirs,
            observation="VAZAMENTO NA CALCADA",
            actor=attendant,
            now=clock.now(),
        )
    assert rows.of(theirs) == {**after_lean, "outbox": []}


def test_a_lean_request_update_refuses_what_the_library_refuses(
    sql: SqlBackend,
) -> None:
    """UPD-04 (an open order of the RA scheduled) and UPD-05 (a stale
    version): refused by either, nothing written."""
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=1, actor=0)
    (opened,) = opened_at_call_centre(system, utility, 1)
    request = opened.request.id

    def lean(version: int | None = None) -> None:
        lean_requests2.lean_update_request(
            sql,
            request,
            observation="OUTRA",
            actor=utility.attendant,
            now=clock.now(),
            expected_version=version,
        )

    rows = Rows(sql)
    before = rows.of(request)
    with pytest.raises(AssertionError):
        lean(version=7)
    with pytest.raises(RuleViolation):
        system.service_requests.update(
            request_id=request,
            observation="OUTRA",
            actor=utility.attendant,
            expected_version=7,
        )
    order = sql.tables["service_order"]
    with sql.engine.begin() as connection:
        connection.execute(
            sa.update(order).where(order.c.request_id == request).values(scheduled=True)
        )
    scheduled = rows.of(request)
    with pytest.raises(AssertionError):
        lean()
    with pytest.raises(RuleViolation):
        system.service_requests.update(
            request_id=request, observation="OUTRA", actor=utility.attendant
        )
    assert rows.of(request) == {**scheduled, "outbox": []}
    assert scheduled["request"] == before["request"]


def _group_rows(sql: SqlBackend, locality: int) -> list[tuple[int, int, int]]:
    """The locality's (group, unit, version) rows, by group."""
    table = sql.tables["locality_group_unit"]
    with sql.engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                sa.select(table.c.group_id, table.c.unit_id, table.c.version)
                .where(table.c.locality_id == locality)
                .order_by(table.c.group_id)
            )
        ]


def test_lean_group_units_write_the_library_s_rows(sql: SqlBackend) -> None:
    """A locality's routing rows replaced (its former ones gone, the new at
    version 1) and one ``service_request.configuration_changed`` keyed by the
    locality, from either; twice, the same rows; an inactive unit refused."""
    system = budget_system(sql, FixedClock())
    utility = build_request_utility(system, properties=2, actor=0)
    billing_group = 2  # FATURAMENTO
    wanted = {
        1: [(GROUP_WATER, utility.call_centre), (billing_group, utility.sewer)],
        2: [(GROUP_WATER, utility.call_centre_2), (billing_group, utility.sewer)],
    }
    seen = lean_rows.last_outbox_id(sql)
    system.service_requests.configuration.set_locality_group_units(
        locality_id=1, rows=wanted[1], actor=0
    )
    ids = itertools.count(9_000_000_000)
    lean_requests2.lean_set_group_units(
        sql, 2, wanted[2], actor=0, ids=ids, now=system.clock.now()
    )
    expected = {
        locality: sorted((g, u, 1) for g, u in rows)
        for locality, rows in wanted.items()
    }
    assert {n: _group_rows(sql, n) for n in (1, 2)} == expected
    one, two = lean_rows.outbox(sql, 2, without={"key"})
    assert one == two
    assert (one["tag"], one["payload"]["what"]) == (
        "service_request.configuration_changed",
        "locality_group_unit",
    )
    assert lean_rows.last_outbox_id(sql) == seen + 2
    lean_requests2.lean_set_group_units(
        sql, 2, wanted[2], actor=0, ids=ids, now=system.clock.now()
    )
    assert _group_rows(sql, 2) == expected[2]
    with pytest.raises(AssertionError):
        lean_requests2.lean_set_group_units(
            sql, 2, [(GROUP_WATER, 999)], actor=0, ids=ids, now=system.clock.now()
        )
    assert _group_rows(sql, 2) == expected[2]


def test_the_benchmark_measures_them() -> None:
    """``python -m benchmarks.commands --only`` takes their names."""
    assert set(lean_requests2.COMMANDS) <= set(commands.COMMANDS)
