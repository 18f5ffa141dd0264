"""The statements psycopg converts anew on every call (issue 20).

:func:`tests.integration.psycopg_cache.oversized` lists the statements over
psycopg's cache limits (4 KiB of text, 50 parameters); the joint forwarding
(UC0503) sends none on PostgreSQL, whatever the number of requests it
forwards up to the most a unit of work leaves waiting (``MOST_ROWS``): its
reads' texts do not grow with the requests, and its deferred write sets each
request's and order's unit and version only, as arrays, instead of a
compare-and-set ``UPDATE`` of every column per row (17,850 bytes and 331
parameters for four requests before).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import sqlalchemy as sa
from benchmarks import lean_forwarding

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import RequestUtility, build_request_utility
from tests.integration.budgets import budget_system
from tests.integration.opened_requests import opened_at_call_centre
from tests.integration.psycopg_cache import (
    MOST_BYTES,
    MOST_PARAMS,
    PSYCOPG_LIMITS,
    oversized,
)


def _opened(system: gsan_core.System, utility: RequestUtility, count: int) -> list[int]:
    """``count`` RAs (each with its automatic order) opened at the call
    centre, one a property of the town."""
    return [o.request.id for o in opened_at_call_centre(system, utility, count)]


def test_psycopg_s_cache_limits_are_the_ones_held() -> None:
    """The one place psycopg's private limits are pinned: a psycopg that
    changes them fails here, not as a wrong verdict in every check."""
    queries = pytest.importorskip("psycopg._queries")
    assert {name: getattr(queries, name) for name in PSYCOPG_LIMITS} == {
        "MAX_CACHED_STATEMENT_LENGTH": MOST_BYTES,
        "MAX_CACHED_STATEMENT_PARAMS": MOST_PARAMS,
    }


@pytest.mark.postgres
def test_the_check_lists_the_statements_over_either_limit(sql: SqlBackend) -> None:
    long = "SELECT " + " + ".join(["CAST(:a AS integer)"] * 400)
    many = "SELECT " + " + ".join(f"CAST(:p{i} AS integer)" for i in range(51))
    with sql.engine.connect() as connection, oversized(sql.engine) as found:
        connection.execute(sa.text("SELECT CAST(:a AS integer)"), {"a": 1})
        connection.execute(sa.text(long), {"a": 1})
        connection.execute(sa.text(many), {f"p{i}": i for i in range(51)})
    assert [(f.size > MOST_BYTES, f.params > MOST_PARAMS) for f in found] == [
        (True, False),
        (False, True),
    ]
    assert found[0].head.startswith("SELECT CAST(")


@pytest.mark.postgres
@pytest.mark.parametrize("together", [2, 6, MOST_ROWS])
def test_uc0503_a_joint_forwarding_sends_no_statement_psycopg_converts_anew(
    sql: SqlBackend, together: int
) -> None:
    system = budget_system(sql)
    utility = build_request_utility(system, properties=2 * together, actor=0)
    opened = _opened(system, utility, 2 * together)
    system.clock.advance(timedelta(minutes=5))  # TRM-14: after the openings
    first, second = opened[:together], opened[together:]
    # the first forwarding warms what is cached (ids, reference rows)
    system.service_requests.forward_many(
        request_ids=first, destination_unit_id=utility.office_2, actor=utility.admin
    )
    with oversized(sql.engine) as found:
        moved = system.service_requests.forward_many(
            request_ids=second,
            destination_unit_id=utility.office_2,
            actor=utility.admin,
        )
    assert not found, [str(f) for f in found]
    assert [r.request.id for r in moved] == second
    assert all(r.orders_moved == 1 for r in moved)
    for request_id in opened:
        request = system.service_requests.get(request_id)
        assert request.current_unit_id == utility.office_2
        assert request.version == 2  # opened, then moved once
        (order,) = system.service_orders.find_by(request_id=request_id)
        assert order.current_unit_id == utility.office_2


@pytest.mark.postgres
def test_uc0503_the_lean_joint_forwarding_sends_none_either(sql: SqlBackend) -> None:
    """The benchmark compares like with like: the lean version's two
    statements are under psycopg's limits too."""
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=4, actor=0)
    opened = _opened(system, utility, 4)
    clock.advance(timedelta(minutes=5))
    with oversized(sql.engine) as found:
        lean_forwarding.lean_forward_many(
            sql,
            opened,
            destination=utility.office_2,
            actor=utility.admin,
            ids=itertools.count(9_000_000),
            now=clock.now(),
        )
    assert not found, [str(f) for f in found]
    assert {system.service_requests.get(r).current_unit_id for r in opened} == {
        utility.office_2
    }


@pytest.mark.postgres
def test_forwarding_one_ra_sends_no_statement_psycopg_converts_anew(
    sql: SqlBackend,
) -> None:
    """A single forwarding's joined read names its tables by alias (7,442
    bytes with the schema's name before each column before)."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=2, actor=0)
    first, second = _opened(system, utility, 2)
    system.clock.advance(timedelta(minutes=5))
    system.service_requests.forward(
        request_id=first, destination_unit_id=utility.office_2, actor=utility.admin
    )
    with oversized(sql.engine) as found:
        moved = system.service_requests.forward(
            request_id=second,
            destination_unit_id=utility.office_2,
            actor=utility.admin,
        )
    assert not found, [str(f) for f in found]
    assert moved.orders_moved == 1
    assert system.service_requests.get(second).current_unit_id == utility.office_2
