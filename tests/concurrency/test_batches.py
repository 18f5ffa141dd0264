"""Two or more runs of the same batch at the same time (``docs/concurrency.md``).

A run holds its job for its key while it runs: the others get
``BatchAlreadyRunning`` before they do anything. Whatever the interleaving, each
item is acted on once, and the totals equal those of one clean run.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from benchmarks import lean_field_batches

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.connections import ConnectionKind
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.model.service_requests import RequestSituation
from gsan_core.synthetic import generate
from gsan_core.testing.request_utility import (
    request_profile,
)
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, attempt, race
from tests.concurrency.test_pairs import (
    attempts,
    losers_got_library_errors,
    open_requests,
)
from tests.services.connections_setup import ACTOR, add_property, town
from tests.services.orders_support import OVERDUE, TEST_TYPES, orders_profile

PROPERTIES = 350
SEED = 11
CUT_TYPE = 242


def _groups(system: gsan_core.System) -> list[int]:
    with system.uow_factory() as uow:
        return sorted({r.group_id for r in uow.routes.find_by()})


def clean_cut_orders() -> set[int]:
    """The properties one clean run generates a cut order for (in memory)."""
    reference = gsan_core.in_memory()
    generate(reference, properties=PROPERTIES, seed=SEED)
    for group in _groups(reference):
        reference.collection.generate_cut_orders(group_id=group, actor=1)
    return {o.property_id or 0 for o in reference.service_orders.find_by()}


def open_cut_orders(system: gsan_core.System) -> Counter[int]:
    return Counter(
        o.property_id or 0
        for o in system.service_orders.find_by(service_type_id=CUT_TYPE)
        if o.is_open
    )


def _cut_run(system: gsan_core.System, groups: list[int]) -> list[Attempt]:
    return [
        attempt(
            lambda g=g: (
                system.collection.generate_cut_orders(  # type: ignore[misc]
                    group_id=g, actor=1, routes_per_chunk=1
                ).generated
            )
        )
        for g in groups
    ]


def test_cut_order_generation_run_three_times_at_once(database: Database) -> None:
    """CUT-2 / GEN-13 (one open cut order per property): three runs of the
    cut-order generation for the same groups, started together, generate each
    order once; a run that finds the group taken is told so
    (``BatchAlreadyRunning``) and the totals are those of one clean run."""
    system, shared = database.make()
    generate(system, properties=PROPERTIES, seed=SEED)
    groups = _groups(system)

    tried = attempts(race(_cut_run, [(shared, groups)] * 3))

    losers_got_library_errors(tried)
    assert {a.error for a in tried if not a.ok} <= {"BatchAlreadyRunning"}
    per_property = open_cut_orders(system)
    assert set(per_property.values()) <= {1}
    expected = clean_cut_orders()
    assert set(per_property) == expected
    assert sum(a.value for a in tried if a.ok) == len(expected)


def _cut_orders_by_either_path(
    system: gsan_core.System, role: str, items: list[int]
) -> list[Attempt]:
    """The batch for the groups ``items``, or "Gerar Ordem de Corte" for each
    property of ``items``."""
    if role == "batch":
        return _cut_run(system, items)
    return [
        attempt(
            lambda p=p: (
                system.service_orders.generate_cut_order(  # type: ignore[misc]
                    property_id=p, actor=1
                ).generated
            )
        )
        for p in items
    ]


def test_gerar_ordem_de_corte_beside_the_batch(database: Database) -> None:
    """GEN-13 against CUT-2: single "Gerar Ordem de Corte" requests for the
    group's properties while the batch runs over them leave one open cut order
    per property (the batch locks its routes' properties before it reads)."""
    system, shared = database.make()
    generate(system, properties=PROPERTIES, seed=SEED)
    groups = _groups(system)
    chosen = sorted(clean_cut_orders())

    tried = attempts(
        race(
            _cut_orders_by_either_path,
            [
                (shared, "batch", groups),
                (shared, "single", chosen[::2]),
                (shared, "single", chosen[1::2][::-1]),
            ],
        )
    )

    losers_got_library_errors(tried)
    per_property = open_cut_orders(system)
    assert set(per_property.values()) <= {1}, per_property.most_common(3)
    assert set(per_property) == set(chosen)


# ---------------------------------------------------------------- overdue closing
def _close_overdue(system: gsan_core.System) -> Attempt:
    return attempt(
        lambda: (
            system.service_orders.close_overdue(
                service_type_id=OVERDUE, days=10, actor=ACTOR, chunk_size=5
            ).changed
        )
    )


def test_overdue_closing_run_three_times_at_once(database: Database) -> None:
    """VEN-02 (each pending overdue order closed once, with one unit-trail
    record): three runs started together close each order once."""
    system, shared = database.make(orders_profile())
    town(system)
    system.service_orders.add_types(
        [t for t in TEST_TYPES if t.operation is None], actor=0
    )
    add_property(system, 700, 3)
    clock = system.clock
    now = clock.now()
    clock.set(now - timedelta(days=150))  # type: ignore[attr-defined]
    made = [
        system.service_orders.generate(
            service_type_id=OVERDUE, property_id=700, actor=ACTOR
        ).id
        for _ in range(24)
    ]
    clock.set(now)  # type: ignore[attr-defined]

    tried = attempts(race(_close_overdue, [(shared,)] * 3))

    losers_got_library_errors(tried)
    # a run that started after the winner ended found nothing to close (VEN-03)
    assert {a.error for a in tried if not a.ok} <= {
        "BatchAlreadyRunning",
        "RuleViolation",
    }
    assert sum(a.value for a in tried if a.ok) == len(made)
    for order_id in made:
        assert system.service_orders.get(order_id).situation is OrderSituation.CLOSED
        closing = [
            r
            for r in system.service_orders.unit_history(order_id)
            if r.relation is OrderUnitRelation.CLOSED
        ]
        assert len(closing) == 1, order_id


# ---------------------------------------------------------------- request closing
def _execute(system: gsan_core.System, command_id: int, actor: int) -> Attempt:
    return attempt(
        lambda: (
            system.service_requests.execute_closing_command(
                command_id=command_id, actor=actor
            ).changed
        )
    )


def test_request_batch_closing_executed_three_times_at_once(
    database: Database,
) -> None:
    """CMD-06 (each selected request closed once, its orders with it) and the
    command's counters: three executions of one command started together."""
    system, shared = database.make(request_profile())
    utility, opened = open_requests(system, 679, 12)
    # the command closes those still at the call centre
    selected = {r.id for r in opened if r.current_unit_id == utility.call_centre}
    assert len(selected) > 5
    command = system.service_requests.issue_closing_command(
        period_start=date(2025, 1, 6),
        period_end=date(2025, 1, 6),
        reason_id=32,
        responsible_id=utility.admin,
        actor=utility.admin,
        current_unit_id=utility.call_centre,
        specification_ids=[679],
    )

    tried = attempts(race(_execute, [(shared, command.id, utility.admin)] * 3))

    losers_got_library_errors(tried)
    closed = [
        r
        for r in system.service_requests.find_by(specification_id=679)
        if r.situation is RequestSituation.CLOSED
    ]
    assert {r.id for r in closed} == selected
    assert sum(a.value for a in tried if a.ok) == len(selected)
    stored = system.service_requests.closing_command(command.id)
    assert stored.closed_requests == len(selected)
    orders = [o for r in closed for o in system.service_orders.find_by(request_id=r.id)]
    assert all(not o.is_open for o in orders)
    assert stored.closed_orders == len(orders)


# ---------------------------------------------------------------- UC1073
def _reconnect(system: gsan_core.System) -> Attempt:
    return attempt(
        lambda: (
            system.connections.reconnect_cut_with_real_consumption(
                reference=202412, actor=ACTOR
            ).changed
        )
    )


def test_reconnection_by_real_consumption_run_three_times_at_once(
    database: Database,
) -> None:
    """UC1073: three runs started together reconnect each cut property with
    real billed consumption once (one situation change each)."""
    system, shared = database.make()
    town(system)
    cut = list(range(801, 813))
    for pid in cut:
        add_property(system, pid, 5, water_changes={"cut_on": date(2024, 10, 1)})
    system.billing.record_consumption(
        [
            ConsumptionRecord(
                property_id=pid,
                reference=202412,
                consumption_type_id=1,
                billed_volume=9,
            )
            for pid in cut
        ]
    )

    tried = attempts(race(_reconnect, [(shared,)] * 3))

    losers_got_library_errors(tried)
    assert sum(a.value for a in tried if a.ok) == len(cut)
    for pid in cut:
        assert system.properties.get(pid).water_status_id == 3
        water = [
            h for h in system.connections.history(pid) if h.kind is ConnectionKind.WATER
        ]
        assert len(water) == 1, pid


REPAVING_WORKS = 30


def _accept_run(system: gsan_core.System, chunk_size: int) -> list[Attempt]:
    return [
        attempt(
            lambda: (
                system.repaving.accept_automatically(
                    actor=1, chunk_size=chunk_size
                ).changed
            )
        )
    ]


def test_automatic_repaving_acceptance_run_three_times_at_once(
    database: Database,
) -> None:
    """PAV-03 under the batch frame (issue 20, round 8: the hold, the starting
    read and the last chunk in one transaction on PostgreSQL): three runs of
    the automatic acceptance started together, in chunks of 4 works and in
    one chunk, accept each convergent work once; a run that finds the job
    taken gets ``BatchAlreadyRunning`` and the totals are one clean run's."""
    system, shared = database.make()
    generate(system, properties=20, seed=SEED)
    for chunk_size in (4, 5_000):
        lean_field_batches.returned_works(system, REPAVING_WORKS)
        tried = attempts(race(_accept_run, [(shared, chunk_size)] * 3))

        losers_got_library_errors(tried)
        assert {a.error for a in tried if not a.ok} <= {"BatchAlreadyRunning"}
        assert sum(a.value for a in tried if a.ok) == REPAVING_WORKS // 2
        with system.uow_factory() as uow:
            # the odd ones (not convergent) of every call so far
            waiting = uow.repaving_works.count_by(acceptance=None)
        assert waiting == REPAVING_WORKS // 2 * (1 + (chunk_size > 4))


def test_automatic_repaving_acceptance_beside_a_held_work_and_outbox_writer(
    database: Database,
) -> None:
    """PAV-03's chunk writes its outbox row in its one statement (issue 20,
    ninth round): it locks every convergent work before the outbox counter,
    so while it waits for a work another transaction holds, that transaction
    can still take the counter (a manual acceptance writing its outbox row at
    its commit) and commit; the chunk then finishes. Had the chunk taken the
    counter first, both would wait for each other (a deadlock, one aborted)."""
    system, _ = database.make()
    backend = system.backend
    assert isinstance(backend, SqlBackend)
    if backend.engine.dialect.name != "postgresql":
        pytest.skip("the advisory frame and the one statement are PostgreSQL's")
    generate(system, properties=20, seed=SEED)
    ids = lean_field_batches.returned_works(system, 8)
    held = ids[-2]  # the last convergent one (the even ones converge)
    work, counter = backend.tables["repaving_work"], backend.tables["counter"]
    done: list[object] = []
    with backend.engine.connect() as other:
        other.execute(sa.text("SET lock_timeout = '5s'"))
        other.execute(sa.select(work.c.id).where(work.c.id == held).with_for_update())
        runner = threading.Thread(
            target=lambda: done.append(
                attempt(lambda: system.repaving.accept_automatically(actor=1).changed)
            )
        )
        runner.start()
        time.sleep(1.0)  # the chunk is waiting for the held work
        assert not done
        bumped = other.execute(
            sa.update(counter)
            .where(counter.c.name == "outbox")
            .values(value=counter.c.value)
            .returning(counter.c.value)
        ).all()
        other.commit()
    runner.join(timeout=30)
    assert len(done) == 1
    ran = done[0]
    assert isinstance(ran, Attempt)
    assert ran.ok, ran
    assert ran.value == 4
    assert len(bumped) <= 1
