"""The fault suite: a batch whose database session is terminated, or whose
process is SIGKILLed, in the middle of its run; then run again.

Each route is one chunk (one transaction): after the fault the routes with cut
orders are whole routes (no partial chunk), and after the re-run the orders are
exactly those of a clean run (no duplicate, none missing).
"""

from __future__ import annotations

import multiprocessing
import queue
import uuid
from collections import Counter
from multiprocessing.synchronize import Event
from typing import Any

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy.repositories import SqlCollectionQueries
from gsan_core.adapters.sqlalchemy.service_orders import SqlServiceOrderRepository
from gsan_core.errors import GsanError
from gsan_core.synthetic import generate
from tests.concurrency.conftest import Database
from tests.concurrency.support import CONTEXT, TIMEOUT, Shared, kill, start
from tests.conftest import PostgresSchema

PROPERTIES = 700  # four routes of one group: four chunks of one route
SEED = 11
GROUP = 1
CUT_TYPE = 242


def clean_run() -> dict[int, set[int]]:
    """Per route, the properties one clean run generates a cut order for."""
    reference = gsan_core.in_memory()
    generate(reference, properties=PROPERTIES, seed=SEED)
    reference.collection.generate_cut_orders(group_id=GROUP, actor=1)
    by_route: dict[int, set[int]] = {}
    for order in reference.service_orders.find_by(service_type_id=CUT_TYPE):
        prop = reference.properties.get(order.property_id or 0)
        by_route.setdefault(prop.route_id or 0, set()).add(prop.id)
    return by_route


def orders_by_route(
    system: gsan_core.System,
) -> tuple[dict[int, set[int]], Counter[int]]:
    """Per route the properties with an open cut order, and how many each has."""
    by_route: dict[int, set[int]] = {}
    count: Counter[int] = Counter()
    for order in system.service_orders.find_by(service_type_id=CUT_TYPE):
        prop = system.properties.get(order.property_id or 0)
        by_route.setdefault(prop.route_id or 0, set()).add(prop.id)
        count[prop.id] += 1
    return by_route, count


def _run_reporting(
    shared: Shared,
    reports: multiprocessing.Queue[object],
    application: str,
    resume: Event,
) -> None:
    """The batch in a process of its own. It reports each committed chunk, and
    "writing" once the second chunk inserted its orders, which it then holds
    uncommitted until ``resume`` is set: the fault hits a transaction with
    writes in it."""
    inserts = [0]
    insert = SqlServiceOrderRepository.add_many
    write = SqlCollectionQueries.write_cut_orders

    def wrote() -> None:
        inserts[0] += 1
        if inserts[0] == 2:
            reports.put("writing")
            resume.wait(TIMEOUT)

    def slow_add_many(self: SqlServiceOrderRepository, orders: Any) -> None:
        insert(self, orders)  # SQLite: the orders written through the repository
        wrote()

    def slow_write(self: SqlCollectionQueries, *args: Any) -> Any:
        written = write(self, *args)  # PostgreSQL: decided and written at once
        if written is not None and written.orders:
            wrote()
        return written

    SqlServiceOrderRepository.add_many = slow_add_many  # type: ignore[method-assign]
    SqlCollectionQueries.write_cut_orders = slow_write  # type: ignore[method-assign]
    named = {"connect_args": {"application_name": application}}
    system = shared.connect(**(named if shared.backend == "postgres" else {}))
    try:
        system.collection.generate_cut_orders(
            group_id=GROUP,
            actor=1,
            routes_per_chunk=1,
            progress=lambda p: reports.put(p.units_done),
        )
        reports.put("finished")
    except Exception as error:
        reports.put(("failed", type(error).__name__, isinstance(error, GsanError)))
    finally:
        system.close()


def _mid_second_chunk(reports: multiprocessing.Queue[object]) -> None:
    """Wait until the first chunk committed and the second one is writing."""
    assert reports.get(timeout=TIMEOUT) == 1
    assert reports.get(timeout=TIMEOUT) == "writing"


def _after_fault_then_rerun(
    system: gsan_core.System, expected: dict[int, set[int]]
) -> None:
    """Only whole chunks stayed; a re-run completes the clean run exactly."""
    by_route, _ = orders_by_route(system)
    assert len(by_route) == 1, "the first chunk committed, the second did not"
    for route, properties in by_route.items():
        assert properties == expected[route], route  # the whole chunk
    before = sum(len(p) for p in by_route.values())
    rerun = system.collection.generate_cut_orders(
        group_id=GROUP, actor=1, routes_per_chunk=1
    )
    by_route, count = orders_by_route(system)
    assert by_route == expected
    assert set(count.values()) == {1}  # no duplicate
    assert rerun.generated == sum(len(p) for p in expected.values()) - before


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_batch_whose_session_is_terminated_resumes_without_duplicates(
    postgres: PostgresSchema, database: Database
) -> None:
    """``pg_terminate_backend`` of every session of the batch's process while
    its second chunk holds uncommitted orders: the run stops with a library
    error, the first chunk stays whole, and a re-run completes a clean run."""
    system, shared = database.make()
    generate(system, properties=PROPERTIES, seed=SEED)
    expected = clean_run()
    application = f"gsan-fault-{uuid.uuid4().hex[:8]}"
    reports: multiprocessing.Queue[object] = CONTEXT.Queue()

    resume = CONTEXT.Event()
    process = start(_run_reporting, shared, reports, application, resume)
    _mid_second_chunk(reports)
    with postgres.engine.connect() as admin:
        terminated = admin.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": application},
        ).scalar_one()
    assert terminated >= 1
    resume.set()  # its next statement meets the terminated session
    outcome = reports.get(timeout=TIMEOUT)
    process.join(timeout=TIMEOUT)
    assert outcome == ("failed", "PersistenceError", True)  # a library error

    _after_fault_then_rerun(system, expected)


def test_a_batch_killed_mid_run_resumes_without_duplicates(
    database: Database,
) -> None:
    """SIGKILL of the batch's process while its second chunk holds uncommitted
    orders: the first chunk stays whole, the run's hold is released (a session
    that died, a lease whose process is gone), and a re-run completes a clean
    run."""
    system, shared = database.make()
    generate(system, properties=PROPERTIES, seed=SEED)
    expected = clean_run()
    reports: multiprocessing.Queue[object] = CONTEXT.Queue()

    process = start(_run_reporting, shared, reports, "gsan-kill", CONTEXT.Event())
    _mid_second_chunk(reports)
    kill(process)
    while True:
        try:
            reports.get_nowait()
        except queue.Empty:
            break

    _after_fault_then_rerun(system, expected)
