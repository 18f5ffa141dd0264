"""Two outbox relays at once on PostgreSQL: each entry handed on once, in
order (a relay's batch is claimed in one statement, ``PostgresOutbox.claim``;
issue 20)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.leases import advisory_key
from gsan_core.errors import BatchAlreadyRunning, ConcurrencyConflict
from gsan_core.model.outbox import OutboxEntry
from gsan_core.ports.outbox import OutboxClaiming
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.services.outbox import RELAY_JOB
from gsan_core.testing import FixedClock
from tests.conftest import POSTGRES_URL, PostgresSchema
from tests.integration.test_postgres_race import race

pytestmark = pytest.mark.postgres


def _system(backend: SqlBackend) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=backend.uow_factory, backend=backend, clock=FixedClock()
    )
    system.seed()
    return system


def _record(system: gsan_core.System, count: int) -> None:
    for n in range(count):
        system.catalog.add("cut_reason", description=f"MOTIVO {n}", actor=5)


def test_two_relays_at_once_hand_each_entry_on_once_in_order(
    postgres: PostgresSchema,
) -> None:
    backend = postgres.reset()
    system = _system(backend)
    _record(system, 40)
    expected = [e.id for e in system.outbox.pending(limit=1_000)]
    assert len(expected) >= 40
    with backend.uow_factory() as uow:
        assert isinstance(uow.outbox, OutboxClaiming)
    handed: list[int] = []
    refused: list[int] = []
    guard = threading.Lock()

    def handler(batch: Sequence[OutboxEntry]) -> None:
        with guard:
            handed.extend(e.id for e in batch)

    def relay() -> None:
        deadline = time.monotonic() + 20
        while system.outbox.pending(limit=1) and time.monotonic() < deadline:
            try:
                system.outbox.relay(handler, batch_size=1, max_batches=3)
            except BatchAlreadyRunning:
                refused.append(1)

    assert race(relay, relay) == [None, None]
    assert handed == expected  # each once, in commit order
    assert system.outbox.pending() == []


def test_a_relay_whose_hold_was_taken_between_batches_stops(
    postgres: PostgresSchema,
) -> None:
    """Each batch is a transaction of its own: another relay (here a session
    holding the relay's advisory lock) may take the hold between two; the
    first stops after the batches it committed, and they stay acknowledged."""
    backend = postgres.reset()
    system = _system(backend)
    _record(system, 3)
    start = len(system.outbox.pending(limit=1_000))
    tables = backend.tables
    key = advisory_key(f"{tables.schema or ''}.{tables.prefix}", *RELAY_JOB)
    taken, done = threading.Event(), threading.Event()

    def other() -> None:
        with backend.engine.connect() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_lock(key)))
            taken.set()
            done.wait(timeout=20)
            connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            connection.commit()

    opened: list[int] = []

    def factory() -> UnitOfWork:
        opened.append(1)
        if len(opened) == 2:  # the second batch's unit of work
            assert taken.wait(timeout=20)
        return backend.uow_factory()

    relaying = gsan_core.System(
        uow_factory=factory, backend=backend, clock=FixedClock()
    )
    thread = threading.Thread(target=other)

    def handler(batch: Sequence[OutboxEntry]) -> None:
        thread.start()  # waits for this batch's transaction to end

    try:
        run = relaying.outbox.relay(handler, batch_size=1)
    finally:
        done.set()
        thread.join(timeout=20)
    assert (run.batches, run.entries) == (1, 1)
    assert len(system.outbox.pending(limit=1_000)) == start - 1


def test_a_handler_acknowledging_its_own_batch_waits_for_the_relay(
    postgres: PostgresSchema,
) -> None:
    """The claimed rows stay locked until the relay commits: an ``ack`` of
    them from the handler waits for the lock timeout (here 300 ms) and fails;
    the relay rolls back and the batch stays pending."""
    seeded = postgres.reset()
    _system(seeded)
    engine = create_engine(POSTGRES_URL, lock_timeout_ms=300)
    try:
        backend = SqlBackend(engine, tables=seeded.tables)
        system = gsan_core.System(
            uow_factory=backend.uow_factory, backend=backend, clock=FixedClock()
        )
        _record(system, 1)
        before = [e.id for e in system.outbox.pending(limit=1_000)]

        def handler(batch: Sequence[OutboxEntry]) -> None:
            system.outbox.ack(e.id for e in batch)

        with pytest.raises(ConcurrencyConflict):
            system.outbox.relay(handler, batch_size=1)
        assert [e.id for e in system.outbox.pending(limit=1_000)] == before
    finally:
        engine.dispose()
