"""Two runs at once of a lean field batch (issue 20, ninth round).

The library holds a batch job (an advisory lock: one run of a job and key at a
time, ``docs/concurrency.md``), so two runs at once never both write the same
work. A lean version (``benchmarks.lean_field_batches``,
``benchmarks.lean_sewer``) is the same work only if it is as safe: here two
threads, each on its own connection, start the same lean run together at a
barrier, round after round on fresh rows, and the rows left are checked for a
double write (two inspection orders of one closed order, a work accepted
twice, a command closed twice, two orders of one property).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_field_batches, lean_sewer

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_work import CommandSituation
from gsan_core.model.service_orders import OrderSituation, OrderUnitRelation
from gsan_core.rules.repaving import AUTOMATIC_ACCEPTANCE
from gsan_core.synthetic import generate
from tests.integration import lean_rows

POSTGRES = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
#: Rounds of two runs at once (each on rows of its own).
ROUNDS = 8
INSPECTION = 350
NOT_EXECUTED = 4


def _sql(system: gsan_core.System) -> SqlBackend:
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    return sql


def _twice(run: Callable[[], Any]) -> list[Any]:
    """``run`` in two threads released together: what each returned, or
    ``"refused"`` where it failed its rule's ``assert`` (a command closed
    already, a job held)."""
    barrier = threading.Barrier(2)

    def one() -> Any:
        barrier.wait(30)
        try:
            return run()
        except AssertionError:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(one) for _ in range(2)]
        return [f.result(timeout=60) for f in futures]


def _events(sql: SqlBackend, tag: str) -> list[dict[str, Any]]:
    outbox = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        return [
            dict(p)
            for p in connection.execute(
                sa.select(outbox.c.payload)
                .where(outbox.c.tag == tag)
                .order_by(outbox.c.id)
            ).scalars()
        ]


# --------------------------------------------------- inspection orders
def _inspect_rounds(system: gsan_core.System, *, held: bool) -> list[int]:
    """:data:`ROUNDS` rounds of UC1176 run twice at once on a new company's
    closed orders; how many closed orders got two inspection orders."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    order = sql.tables["service_order"]
    # the library's run first: the lean statement takes its ids from the
    # ``id_block`` rows the library's first run makes
    first = lean_field_batches.closed_orders(system)
    system.inspections.generate_for_closed(
        company_id=first, days=5, sample_percentage=50, actor=1
    )
    doubled = []
    for _ in range(ROUNDS):
        company = lean_field_batches.closed_orders(system)
        scope = lean_field_batches.inspection_scope(
            system, company_id=company, days=5, percentage=50, seed=0
        )
        outcomes = _twice(
            lambda scope=scope: lean_field_batches.lean_inspection_orders(
                sql, scope, actor=1, now=system.clock.now(), held=held
            )
        )
        made = [i for o in outcomes if o != "refused" for i in o]
        with sql.engine.connect() as connection:
            references = connection.execute(
                sa.select(order.c.reference_order_id).where(order.c.id.in_(made))
            ).scalars()
            counts = Counter(references)
        # one run inspects 6; a run after it samples the concluded left (1)
        assert len(made) in {6, 7, 12}, outcomes
        doubled.append(sum(1 for n in counts.values() if n > 1))
    return doubled


@POSTGRES
def test_lean_inspection_orders_held_never_inspect_an_order_twice(
    system: gsan_core.System,
) -> None:
    """With the company's run held (the library's advisory lock, its own
    statement first), the second of two runs at once is refused: no closed
    order gets two inspection orders."""
    assert _inspect_rounds(system, held=True) == [0] * ROUNDS


@POSTGRES
def test_lean_inspection_orders_unheld_inspect_orders_twice(
    system: gsan_core.System,
) -> None:
    """Without the hold the lean statement is not the same work: both runs
    read the candidates in their own snapshot (no row of them is locked or
    written, the ``id_block`` row serialises only the ids) and both make
    their inspection orders."""
    doubled = _inspect_rounds(system, held=False)
    assert any(doubled), doubled


# ------------------------------------------------------ repaving works
@POSTGRES
def test_lean_accept_repaving_twice_accepts_each_work_once(
    system: gsan_core.System,
) -> None:
    """Safe without a hold: the ``UPDATE ... WHERE acceptance IS NULL`` of
    the second run waits for the first run's row locks and re-checks its
    condition on the rows the first committed (READ COMMITTED), so no work
    is accepted twice and no work id is in two events."""
    sql = _sql(system)
    percentage = system.profile.service_orders.repaving_convergence_percentage
    work = sql.tables["repaving_work"]
    for _ in range(ROUNDS):
        ids = lean_field_batches.returned_works(system, 10)
        outcomes = _twice(
            lambda: lean_field_batches.lean_accept_repaving(
                sql, percentage=percentage, actor=1, now=system.clock.now()
            )
        )
        accepted = sorted(i for o in outcomes for i in o)
        assert accepted == ids[::2], outcomes
        with sql.engine.connect() as connection:
            rows = connection.execute(
                sa.select(work.c.acceptance_remark, work.c.version).where(
                    work.c.id.in_(ids[::2])
                )
            ).all()
        assert rows == [(AUTOMATIC_ACCEPTANCE, 2)] * 5
    events = _events(sql, "repaving.accepted")
    every = [i for e in events for i in e["work_ids"]]
    assert len(every) == len(set(every)) == 5 * ROUNDS


# ------------------------------------------------- closing a command
@POSTGRES
def test_lean_close_selective_twice_closes_once(system: gsan_core.System) -> None:
    """Safe without a hold: the first statement reads the command locked
    (``FOR UPDATE``) and asserts it open; the second run waits for that lock
    and reads the command the first closed, so it is refused (SEL-03) before
    its write, whose snapshot would follow the lock anyway."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    with system.uow_factory() as uow:
        locality = min(p.locality_id for p in uow.properties.find_by())
    trail = sql.tables["order_unit"]
    for _ in range(ROUNDS):
        command = lean_rows.selective_command(system, locality, "INSPECAO TWICE")
        outcomes = _twice(
            lambda command=command: lean_field_batches.lean_close_selective(
                sql,
                command,
                reason_id=NOT_EXECUTED,
                actor=1,
                now=system.clock.now(),
            )
        )
        assert sorted(o == "refused" for o in outcomes) == [False, True], outcomes
        closed = next(o for o in outcomes if o != "refused")
        assert len(closed) == 3
        with sql.engine.connect() as connection:
            trails = connection.execute(
                sa.select(trail.c.order_id, sa.func.count())
                .where(
                    trail.c.order_id.in_(closed),
                    trail.c.relation == int(OrderUnitRelation.CLOSED),
                )
                .group_by(trail.c.order_id)
            ).all()
        assert all(n == 1 for _, n in trails), trails
        assert (
            system.field_work.selective_command(command_id=command).situation
            is CommandSituation.CLOSED
        )
    events = _events(sql, "field_work.selective_command_closed")
    assert len(events) == ROUNDS
    assert len({e["command_id"] for e in events}) == ROUNDS


# ------------------------------------------------------- sewer orders
def _blocks(sql: SqlBackend, count: int) -> Sequence[tuple[int, int]]:
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(prop.c.locality_id, prop.c.block_id)
            .where(prop.c.active.is_(True))
            .group_by(prop.c.locality_id, prop.c.block_id)
            .having(sa.func.count() >= 2)
            .order_by(prop.c.locality_id, prop.c.block_id)
            .limit(count)
        ).all()
    assert len(rows) == count
    return [(int(a), int(b)) for a, b in rows]


@POSTGRES
def test_lean_sewer_orders_twice_make_one_order_a_property(
    system: gsan_core.System,
) -> None:
    """Safe without a hold: the first statement locks the command; the second
    run waits for it, and its write's snapshot (taken after the lock) sees
    the links the first committed, so it makes no order and writes no
    event (it marks the command executed again, as a re-run does)."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    order, link = sql.tables["service_order"], sql.tables["sewer_command_order"]
    statuses = lean_sewer.statuses(sql)
    for locality, block in _blocks(sql, ROUNDS):
        command = lean_sewer.sewer_command(system, locality, block, statuses)
        outcomes = _twice(
            lambda command=command: lean_sewer.lean_sewer_orders(
                sql, command, actor=1, now=system.clock.now()
            )
        )
        assert sorted(len(o) == 0 for o in outcomes) == [False, True], outcomes
        with sql.engine.connect() as connection:
            per_property = connection.execute(
                sa.select(order.c.property_id, sa.func.count())
                .where(
                    order.c.service_type_id == lean_sewer.SEWER_TYPE,
                    order.c.generated_at == system.clock.now(),
                    order.c.situation != int(OrderSituation.CLOSED),
                )
                .group_by(order.c.property_id)
            ).all()
            links = connection.execute(
                sa.select(sa.func.count()).where(link.c.command_id == command)
            ).scalar_one()
        assert all(n == 1 for _, n in per_property), per_property
        assert links == max(len(o) for o in outcomes)
        assert system.field_work.sewer_command(command_id=command).generated == links
    events = _events(sql, lean_sewer.TAG)
    assert len(events) == ROUNDS
    assert len({e["command_id"] for e in events}) == ROUNDS


def _overlapping_rounds(
    system: gsan_core.System, generate_orders: Callable[[int], object]
) -> list[int]:
    """:data:`ROUNDS` rounds of two sewer commands of one block (the same
    type and properties) generated at once by ``generate_orders(command)``;
    how many properties of each round got two open orders of the type
    (GEN-11 allows one)."""
    generate(system, properties=300, seed=9)
    sql = _sql(system)
    order, prop = sql.tables["service_order"], sql.tables["property"]
    statuses = lean_sewer.statuses(sql)
    doubled = []
    for locality, block in _blocks(sql, ROUNDS):
        commands = iter(
            [lean_sewer.sewer_command(system, locality, block, statuses) for _ in "ab"]
        )
        taking = threading.Lock()

        def run(commands: Any = commands, taking: Any = taking) -> object:
            with taking:
                command = next(commands)
            return generate_orders(command)

        _twice(run)
        with sql.engine.connect() as connection:
            per_property = connection.execute(
                sa.select(sa.func.count())
                .select_from(order.join(prop, prop.c.id == order.c.property_id))
                .where(
                    prop.c.locality_id == locality,
                    prop.c.block_id == block,
                    order.c.service_type_id == lean_sewer.SEWER_TYPE,
                    order.c.generated_at == system.clock.now(),
                )
                .group_by(order.c.property_id)
            ).scalars()
            counts = list(per_property)
        assert counts
        doubled.append(sum(1 for n in counts if n > 1))
    return doubled


def _lean_sewer(system: gsan_core.System, *, locked: bool) -> Callable[[int], object]:
    sql = _sql(system)
    return lambda command: lean_sewer.lean_sewer_orders(
        sql, command, actor=1, now=system.clock.now(), locked=locked
    )


@POSTGRES
def test_library_sewer_orders_one_order_a_property_across_commands(
    system: gsan_core.System,
) -> None:
    """What the lean version must match: the library's runs of two commands
    on the same properties at once order each property once."""

    def library(command: int) -> object:
        return system.field_work.generate_sewer_orders(command_id=command, actor=1)

    assert _overlapping_rounds(system, library) == [0] * ROUNDS


@POSTGRES
def test_lean_sewer_orders_locked_one_order_a_property_across_commands(
    system: gsan_core.System,
) -> None:
    """Two commands on the same properties at once: with the scope's
    properties locked first (a statement of its own, as the library's
    ``lock_where``), the second run's write reads after the first's commit
    and GEN-11 skips the properties it served."""
    assert _overlapping_rounds(system, _lean_sewer(system, locked=True)) == [0] * ROUNDS


@POSTGRES
def test_lean_sewer_orders_unlocked_order_a_property_twice(
    system: gsan_core.System,
) -> None:
    """Without that lock each command's run is safe only against itself (its
    command's row lock): the write's ``FOR UPDATE OF p`` waits for the other
    run, but the property comes back unchanged, so its ``NOT EXISTS`` (read
    in the snapshot before the wait) is not re-checked: two open orders of
    the type on each property."""
    doubled = _overlapping_rounds(system, _lean_sewer(system, locked=False))
    assert any(doubled), doubled
