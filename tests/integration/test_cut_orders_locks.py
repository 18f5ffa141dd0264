"""The cut-order chunk on PostgreSQL (issue 20, fifth round;
``adapters/sqlalchemy/cut_orders.py``): its first statement decides the
chunk and locks only the properties it chose, the second decides those again
after the lock (ADR 0004: what is written is decided on what the previous
holders committed), and each question of the decision is a join, not a
subquery per property (which was planned at the units' scan for each
property: above ``jit_above_cost`` at 1 million).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.profile import NewOrderRestriction
from gsan_core.ports.unit_of_work import UnitOfWorkFactory
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from tests.concurrency.test_batches import (
    CUT_TYPE,
    PROPERTIES,
    SEED,
    clean_cut_orders,
    open_cut_orders,
)
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres

#: The chunk statement that decides and locks (its routes are the parameter).
DECIDING = "FOR UPDATE"


def _system(
    backend: SqlBackend,
    *,
    window: int = 0,
    factory: UnitOfWorkFactory | None = None,
) -> gsan_core.System:
    """A system of the default profile (CUT-5's window on the cut type when
    ``window``), over ``factory`` (default: the backend's own)."""
    loaded = profiles.default()
    restrictions = (
        [NewOrderRestriction(service_type_id=CUT_TYPE, days=window)] if window else []
    )
    return gsan_core.System(
        uow_factory=factory or backend.uow_factory,
        backend=backend,
        clock=FixedClock(),
        profile=attrs.evolve(
            loaded,
            profile=attrs.evolve(
                loaded.profile,
                service_orders=attrs.evolve(
                    loaded.profile.service_orders,
                    new_order_restrictions=restrictions,
                ),
            ),
        ),
    )


def _groups(system: gsan_core.System) -> list[int]:
    with system.uow_factory() as uow:
        return sorted({r.group_id for r in uow.routes.find_by()})


@contextmanager
def _after_each(backend: SqlBackend, action: Any, *, containing: str) -> Iterator[None]:
    """``action(statement, parameters)`` after each chunk statement sent."""

    def observe(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if containing in statement and "chunk_props" in statement:
            action(statement, parameters)

    event.listen(backend.engine, "after_cursor_execute", observe)
    try:
        yield
    finally:
        event.remove(backend.engine, "after_cursor_execute", observe)


def test_a_chunk_locks_only_the_properties_it_chose(postgres: PostgresSchema) -> None:
    """CUT-2 / ADR 0004: while a chunk's transaction is open, the properties
    of its routes that are locked are exactly those that get an order; the
    others (skipped: nothing written for them) stay free."""
    backend = postgres.reset("gsan_default")
    system = _system(backend)
    generate(system, properties=PROPERTIES, seed=SEED)
    prop = backend.tables["property"]
    locked: list[set[int]] = []

    def seen_from_elsewhere(_statement: str, parameters: Any) -> None:
        mine = sa.select(prop.c.id).where(
            prop.c.route_id == sa.any_(sa.literal(parameters["cut_routes"]))
        )
        with backend.engine.connect() as other:
            every = set(other.execute(mine).scalars())
            free = set(other.execute(mine.with_for_update(skip_locked=True)).scalars())
        locked.append(every - free)

    with _after_each(backend, seen_from_elsewhere, containing=DECIDING):
        run = system.collection.generate_cut_orders_of_groups(
            group_ids=_groups(system), actor=1, properties_per_chunk=100
        )
    expected = clean_cut_orders()
    assert run.summary.units > 1
    assert len(locked) == run.summary.units
    assert set().union(*locked) == expected
    assert sum(len(chunk) for chunk in locked) == run.generated == len(expected)


def _waiting_on_a_lock(backend: SqlBackend) -> None:
    """Until a session waits for a lock in a statement of this test's schema
    (the chunk's: nothing else runs on it)."""
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE :pattern"
    )
    pattern = f"%{backend.tables.schema}.%"
    deadline = time.monotonic() + 30
    with backend.engine.connect() as watcher:
        while not watcher.execute(waiting, {"pattern": pattern}).scalar():
            assert time.monotonic() < deadline, "the chunk never waited"
            time.sleep(0.05)
            watcher.rollback()


def test_a_chosen_property_is_decided_again_after_its_lock(
    postgres: PostgresSchema,
) -> None:
    """GEN-13 against CUT-2: a "Gerar Ordem de Corte" that holds a property
    the chunk chose, and commits an order for it while the chunk waits for
    its lock, is seen by the chunk's second decision: the property is
    skipped (open cut order), its one open order is the command's, and the
    others of the group get theirs."""
    backend = postgres.reset("gsan_default")
    system = _system(backend)
    generate(system, properties=PROPERTIES, seed=SEED)
    expected = clean_cut_orders()
    target = min(expected)
    prop, routes = backend.tables["property"], backend.tables["route"]
    with backend.engine.connect() as connection:
        group = connection.execute(
            sa.select(routes.c.group_id)
            .join(prop, prop.c.route_id == routes.c.id)
            .where(prop.c.id == target)
        ).scalar_one()
        in_group = set(
            connection.execute(
                sa.select(prop.c.id)
                .join(routes, prop.c.route_id == routes.c.id)
                .where(routes.c.group_id == group)
            ).scalars()
        )
    already = sum(1 for p in open_cut_orders(system) if p in in_group)
    done: dict[str, Any] = {}
    with backend.engine.connect() as host:
        host.execute(sa.select(prop.c.id).where(prop.c.id == target).with_for_update())
        batch = threading.Thread(
            target=lambda: done.update(
                run=system.collection.generate_cut_orders(group_id=group, actor=1)
            )
        )
        batch.start()
        _waiting_on_a_lock(backend)
        single = _system(backend, factory=backend.joining(host))
        assert single.service_orders.generate_cut_order(
            property_id=target, actor=1
        ).generated
        host.commit()
        batch.join(timeout=60)
    run = done["run"]
    assert run.summary.skipped["open cut order"] == already + 1
    assert run.generated == len(expected & in_group) - 1
    assert open_cut_orders(system)[target] == 1
    assert set(open_cut_orders(system).values()) == {1}


def test_the_chunk_asks_each_question_as_a_join(postgres: PostgresSchema) -> None:
    """CUT-1..CUT-5 (with a restriction window, CUT-5): the plans of both
    chunk statements have no subquery run per property (``SubPlan``; the
    span's ``InitPlan`` runs once), and cost less than ``jit_above_cost``."""
    backend = postgres.reset("gsan_default")
    system = _system(backend, window=30)
    generate(system, properties=PROPERTIES, seed=SEED)
    sent: list[tuple[str, Any]] = []
    with _after_each(backend, lambda *pair: sent.append(pair), containing=""):
        run = system.collection.generate_cut_orders_of_groups(
            group_ids=_groups(system), actor=1
        )
    assert run.generated > 0
    assert [DECIDING in s for s, _ in sent] == [True, False] * run.summary.units
    raw = backend.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT current_setting('jit_above_cost')::float")
        (jit_above,) = cursor.fetchone()
        for statement, parameters in sent[:2]:
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            (plan,) = cursor.fetchone()[0]
            assert plan["Plan"]["Total Cost"] < jit_above
            names = list(_subplans(plan["Plan"]))
            assert "recent" in statement
            assert not [n for n in names if n.startswith("SubPlan")], names
    finally:
        raw.rollback()
        raw.close()


def _subplans(node: dict[str, Any]) -> Iterator[str]:
    if "Subplan Name" in node:
        yield node["Subplan Name"]
    for child in node.get("Plans", ()):
        yield from _subplans(child)
