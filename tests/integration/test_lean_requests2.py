"""The lean commands of ``benchmarks.lean_requests2`` leave the rows the
library leaves (issue 20): the library on one RA, the lean version on another
opened alike; the two RAs' rows (the request, its orders, routing steps,
reiterations, the orders' unit trail and the outbox rows each wrote) compared
without the ids that differ (``tests.integration.test_lean_orders.Rows``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from benchmarks import commands, lean_requests2

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import RuleViolation
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import CHANNEL_PHONE, build_request_utility
from tests.integration.budgets import budget_system
from tests.integration.test_lean_orders import SPECIFICATION, Rows

pytestmark = pytest.mark.postgres


def test_a_lean_request_update_writes_the_library_s_rows(sql: SqlBackend) -> None:
    """UC0408 changing the observation: the request at its next version and
    one ``service_request.updated`` naming the field, from either; the same
    change again is refused (nothing to change), nothing written."""
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2, actor=0)
    attendant = utility.attendant
    mine, theirs = (
        system.service_requests.open(
            specification_id=SPECIFICATION,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=attendant,
            location=RequestLocation(property_id=p.id),
            requesters=(Requester(name="ANA", address="RUA 1"),),
        ).request.id
        for p in utility.town.properties[:2]
    )
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
    opened = system.service_requests.open(
        specification_id=SPECIFICATION,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        actor=utility.attendant,
        location=RequestLocation(property_id=utility.town.properties[0].id),
        requesters=(Requester(name="ANA", address="RUA 1"),),
    )
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


def test_the_benchmark_measures_them() -> None:
    """``python -m benchmarks.commands --only`` takes their names."""
    assert set(lean_requests2.COMMANDS) <= set(commands.COMMANDS)
