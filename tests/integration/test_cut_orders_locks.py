"""The cut-order chunk on PostgreSQL decides on what the holders of its
properties' locks committed (ADR 0004, ``adapters/sqlalchemy/cut_orders.py``:
the lock is a statement of its own, before the one that decides and writes),
with the interleaving forced rather than raced (issue 20, fifth round: the
test that a faster chunk must keep passing).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.ports.unit_of_work import UnitOfWorkFactory
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from tests.concurrency.test_batches import (
    PROPERTIES,
    SEED,
    clean_cut_orders,
    open_cut_orders,
)
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres


def _system(
    backend: SqlBackend, factory: UnitOfWorkFactory | None = None
) -> gsan_core.System:
    """A system of the default profile over ``factory`` (default: the
    backend's own units of work)."""
    return gsan_core.System(
        uow_factory=factory or backend.uow_factory,
        backend=backend,
        clock=FixedClock(),
        profile="gsan_default",
    )


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


def test_a_chunk_decides_a_property_on_what_its_lock_holder_committed(
    postgres: PostgresSchema,
) -> None:
    """GEN-13 against CUT-2: a "Gerar Ordem de Corte" that holds a property
    the batch would choose, and commits an order for it while the chunk
    waits for its lock, is seen by the chunk's decision: the property is
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
        single = _system(backend, backend.joining(host))
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
