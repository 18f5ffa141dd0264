"""The statements psycopg converts anew on every call (issue 20).

:func:`tests.integration.psycopg_cache.oversized` lists the statements over
psycopg's cache limits (4 KiB of text, 50 parameters); the joint forwarding
(UC0503) sends none on PostgreSQL, whatever the number of requests it
forwards up to the most a unit of work leaves waiting (``MOST_ROWS``): its
reads' texts do not grow with the requests, and its deferred write sets each
request's and order's unit and version only, as arrays, instead of a
compare-and-set ``UPDATE`` of every column per row (17,850 bytes and 331
parameters for four requests before). Opening, submitting, checking and
reactivating an RA read under the limits (their joined reads aliased);
closing and reiterating an RA and applying an order's operation send no
statement over them (the rows they update kept as read).
"""

from __future__ import annotations

import io
import itertools
from datetime import timedelta

import pytest
import sqlalchemy as sa
from benchmarks import lean_forwarding

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.pipeline import MOST_ROWS
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import OpenRequest, Requester, RequestLocation
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
)
from tests.field_commands import command_orders, emitted_inspections
from tests.integration.budgets import budget_system
from tests.integration.opened_requests import opened_at_call_centre
from tests.integration.psycopg_cache import (
    MOST_BYTES,
    MOST_PARAMS,
    PSYCOPG_LIMITS,
    Oversized,
    oversized,
)
from tests.integration.test_statement_budgets_field import _visit_return
from tests.integration.test_statement_budgets_orders import _orders
from tests.services.orders_support import ACTOR, DEBT_PAID, EDITABLE

SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS


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


def _reads(found: list[Oversized]) -> list[str]:
    """The reads among ``found`` (a command's write may be over the limits
    apart)."""
    return [str(f) for f in found if f.head.startswith("SELECT")]


@pytest.mark.postgres
def test_opening_submitting_and_checking_an_ra_read_under_the_limits(
    sql: SqlBackend,
) -> None:
    """The opening's joined read (the property, its customers and requests)
    names its tables by alias: 5,523 bytes with the schema's name before
    each column before."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=4, actor=0)
    homes = [p.id for p in utility.town.properties]
    _opened(system, utility, 1)  # warms what is cached

    def command(index: int) -> OpenRequest:
        return OpenRequest(
            specification_id=SPECIFICATION,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            location=RequestLocation(property_id=homes[index]),
            requesters=(Requester(name="ANA", address="RUA 1"),),
        )

    requests = system.service_requests
    with oversized(sql.engine) as found:
        requests.check_open(command(1), actor=utility.attendant)
        requests.submit(command(2), actor=utility.attendant)
        opened = requests.open(
            specification_id=SPECIFICATION,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=homes[3]),
            requesters=(Requester(name="ANA", address="RUA 1"),),
        )
    assert not _reads(found), _reads(found)
    assert opened.request.property_id == homes[3]
    assert requests.find_by(property_id=homes[1]) == []
    assert len(requests.find_by(property_id=homes[2])) == 1


@pytest.mark.postgres
def test_reactivating_an_ra_reads_under_the_limits(sql: SqlBackend) -> None:
    """Reactivation's joined read (the closed request, its successors, its
    property, the property's customers and requests) names its tables by
    alias: 10,057 bytes before."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=2, actor=0)
    opened = _opened(system, utility, 2)
    system.clock.advance(timedelta(minutes=5))
    requests = system.service_requests
    for request_id in opened:
        requests.close(request_id=request_id, reason_id=4, actor=utility.attendant)

    def reactivate(request_id: int) -> int:
        return requests.reactivate(
            request_id=request_id,
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
        ).request.id

    reactivate(opened[0])  # warms what is cached
    with oversized(sql.engine) as found:
        new = reactivate(opened[1])
    assert not _reads(found), _reads(found)
    assert requests.get(new).reactivation_of_id == opened[1]


@pytest.mark.postgres
def test_closing_an_ra_and_its_orders_sends_no_statement_psycopg_converts_anew(
    sql: SqlBackend,
) -> None:
    """The request's orders read ahead are kept as read: closing the request
    (a reason "not executed" closes its open order) updates the order's
    changed columns only (51 parameters and more before)."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=2, actor=0)
    opened = _opened(system, utility, 2)
    system.clock.advance(timedelta(minutes=5))
    requests = system.service_requests
    requests.close(request_id=opened[0], reason_id=4, actor=utility.attendant)
    with oversized(sql.engine) as found:
        closed = requests.close(
            request_id=opened[1], reason_id=4, actor=utility.attendant
        )
    assert not found, [str(f) for f in found]
    assert closed.request.id == opened[1]
    (order,) = system.service_orders.find_by(request_id=opened[1])
    assert order.situation is not OrderSituation.PENDING
    assert order.version == 2


@pytest.mark.postgres
def test_reiterating_an_ra_sends_no_statement_psycopg_converts_anew(
    sql: SqlBackend,
) -> None:
    """The request read is kept as read: reiterating it updates its changed
    columns only (61 parameters with the reiteration's row before)."""
    system = budget_system(sql)
    utility = build_request_utility(system, properties=2, actor=0)
    opened = _opened(system, utility, 2)
    system.clock.advance(timedelta(days=3))  # REI-02: past its due date
    requests = system.service_requests
    requests.reiterate(request_id=opened[0], actor=utility.attendant)
    with oversized(sql.engine) as found:
        requests.reiterate(request_id=opened[1], actor=utility.attendant)
        again = requests.reiterate(request_id=opened[1], actor=utility.attendant)
    assert not found, [str(f) for f in found]
    assert again.reiterations == 2
    assert requests.get(opened[1]).version == 3


@pytest.mark.postgres
def test_applying_an_operation_sends_no_statement_psycopg_converts_anew(
    sql: SqlBackend,
) -> None:
    """The order read is kept as read: the operation's update of it sets its
    changed columns only (51 parameters with the charge's row before)."""
    h = _orders(sql)
    orders = h.gsan.service_orders
    graced = [h.generate(EDITABLE) for _ in range(2)]
    for order in graced:
        orders.close_not_executed(
            order_id=order.id, reason_id=DEBT_PAID, closed_on=h.today, actor=ACTOR
        )
    orders.apply_operation(operation="test.grace", order_id=graced[0].id, actor=ACTOR)
    with oversized(sql.engine) as found:
        applied = orders.apply_operation(
            operation="test.grace", order_id=graced[1].id, actor=ACTOR
        )
    assert not found, [str(f) for f in found]
    assert applied.commercial_applied
    assert orders.get(graced[1].id).version == applied.version
    assert h.grace.calls == {o.id: 1 for o in graced}


def test_processing_a_visit_updates_its_return_lines_changed_columns_only(
    system: gsan_core.System,
) -> None:
    """A visit file's return lines read are kept as read: their update
    (applied) sets the changed columns only (the write was 82 parameters
    with the closing's and a generated order's rows, 53 after: still over
    the limit with the generated order's insert)."""
    backend = system.backend
    if not isinstance(backend, SqlBackend) or backend.engine.dialect.name != (
        "postgresql"
    ):
        pytest.skip("psycopg's cache: PostgreSQL only")
    generate(system, properties=300, seed=9)
    fw = system.field_work
    chosen = command_orders(system, emitted_inspections(system))[:2]
    file_id = fw.generate_visit_file(order_ids=chosen, actor=1).id
    fw.release_field_file(file_id=file_id, agent_id=90, actor=1)
    fw.download_field_file(file_id=file_id, out=io.BytesIO(), actor=1)
    fw.process_field_return(
        file_id=file_id, source=_visit_return(file_id, chosen), actor=1
    )
    fw.process_visit(file_id=file_id, order_id=chosen[0], actions=[304], actor=1)
    sent: list[str] = []

    def seen(_c: object, _k: object, statement: str, *_: object) -> None:
        sent.append(" ".join(statement.split()))

    sa.event.listen(backend.engine, "before_cursor_execute", seen)
    try:
        with oversized(backend.engine) as found:
            event = fw.process_visit(
                file_id=file_id, order_id=chosen[1], actions=[304], actor=1
            )
    finally:
        sa.event.remove(backend.engine, "before_cursor_execute", seen)
    # the lines' update sets what changed (applied) and the version only;
    # what is left over the limits is the generated order's insert and the
    # change of situation's shared read (not this round's)
    lines = [p for s in sent for p in s.split(" AS (") if "return_line SET" in p]
    assert lines, sent
    assert not [p for p in lines if "file_id=" in p], lines
    assert [f.params for f in found if f.params > MOST_PARAMS] == [53], found
    assert event.order_id == chosen[1]
    assert len(event.generated_order_ids) == 1
    assert system.service_orders.get(chosen[1]).situation is not (
        OrderSituation.PENDING
    )
