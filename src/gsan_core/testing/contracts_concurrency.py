"""The concurrency contract of a unit of work, shipped for integrators.

Subclass it like :class:`~gsan_core.testing.contracts.UnitOfWorkContract`, with
the same ``uow_factory`` fixture (an empty, migrated store). It checks, with two
threads, what ``docs/concurrency.md`` relies on: a lock waits for its holder and
then reads what the holder committed, and ends with the transaction; a read-only
unit of work does not wait for a writer; gap-free counters; named keys; batch
holds; outbox ids in commit order, pending and acknowledged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from gsan_core.errors import BatchAlreadyRunning, NotFound
from gsan_core.model.catalog import CatalogItemAdded
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.capabilities import ALL, SEEDING, require
from gsan_core.testing.contracts import location, sample_property

__all__ = ["ConcurrencyContract"]

Factory = Callable[[], UnitOfWork]
#: How long a holder keeps its lock while the other thread should be waiting.
HOLD = 0.3
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


class _Thread(threading.Thread):
    """Runs ``work`` and keeps its result or error."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished_at = 0.0

    def run(self) -> None:
        try:
            self.result = self._work()
        except BaseException as error:
            self.error = error
        self.finished_at = time.monotonic()

    def outcome(self) -> Any:
        self.join(timeout=30)
        assert not self.is_alive(), "the other unit of work never finished"
        if self.error is not None:
            raise self.error
        return self.result


def _started(work: Callable[[], Any]) -> _Thread:
    thread = _Thread(work)
    thread.start()
    return thread


def _event(item_id: int) -> CatalogItemAdded:
    return CatalogItemAdded(occurred_at=AT, actor=1, kind="cut_reason", item_id=item_id)


class ConcurrencyContract:
    """Locks, counters, keys, batch holds and the outbox under two threads."""

    #: What the adapter offers (:mod:`gsan_core.testing.capabilities`).
    capabilities: frozenset[str] = ALL

    @pytest.fixture
    def uow_factory(self) -> Factory:  # pragma: no cover - overridden
        raise NotImplementedError

    def _property(self, uow_factory: Factory) -> None:
        loc, sector, block, route = location()
        with uow_factory() as uow:
            uow.localities.add(loc)
            uow.sectors.add(sector)
            uow.blocks.add(block)
            uow.routes.add(route)
            uow.properties.add(sample_property())
            uow.commit()

    # ------------------------------------------------------------ locks
    def test_a_lock_waits_for_its_holder_then_reads_what_it_committed(
        self, uow_factory: Factory
    ) -> None:
        self._property(uow_factory)

        def second() -> int | None:
            with uow_factory() as uow:
                return uow.properties.lock(1).block_face

        with uow_factory() as holder:
            held = holder.properties.lock(1)
            waiting = _started(second)
            time.sleep(HOLD)
            assert waiting.is_alive()  # it waits for the holder
            holder.properties.update(
                attrs.evolve(held, block_face=9, version=held.version + 1)
            )
            committing = time.monotonic()  # the waiter may end before we resume
            holder.commit()
        assert waiting.outcome() == 9  # and then reads the holder's work
        assert waiting.finished_at >= committing

    def test_a_lock_ends_with_the_transaction(self, uow_factory: Factory) -> None:
        self._property(uow_factory)
        with uow_factory() as holder:
            face = holder.properties.lock(1).block_face
            holder.rollback()
            other = _started(lambda: _lock_and_read(uow_factory))
            other.join(timeout=10)
            assert not other.is_alive()  # the holder's transaction ended
            assert other.outcome() == face

    def test_lock_many_in_id_order_and_missing_ids(self, uow_factory: Factory) -> None:
        self._property(uow_factory)
        with uow_factory() as uow:
            found = uow.properties.lock_many([5, 1])
            assert list(found) == [1]
            with pytest.raises(NotFound):
                uow.properties.lock(5)

    def test_a_read_only_unit_reads_beside_a_writer(self, uow_factory: Factory) -> None:
        self._property(uow_factory)

        def read() -> int | None:
            with uow_factory() as uow:
                uow.read_only()
                return uow.properties.get(1).block_face

        with uow_factory() as uow:
            uow.read_only()
            face = uow.properties.get(1).block_face
        with uow_factory() as writer:
            held = writer.properties.lock(1)
            writer.properties.update(
                attrs.evolve(held, block_face=(face or 0) + 1, version=held.version + 1)
            )
            reader = _started(read)
            reader.join(timeout=10)
            assert not reader.is_alive()  # it did not wait for the writer
            assert reader.outcome() == face  # nor saw its uncommitted work
            writer.commit()

    def test_a_named_key_is_held_until_the_transaction_ends(
        self, uow_factory: Factory
    ) -> None:
        def second() -> float:
            with uow_factory() as uow:
                uow.lock_key("catalog.cut_reason")
                return time.monotonic()

        with uow_factory() as holder:
            holder.lock_key("catalog.cut_reason")
            waiting = _started(second)
            time.sleep(HOLD)
            assert waiting.is_alive()
            # the waiter may finish before this thread runs again after the
            # commit: compare with the moment the commit started
            releasing = time.monotonic()
            holder.commit()
        assert waiting.outcome() >= releasing

    def test_billing_waits_for_a_command_that_read_the_field_lock(
        self, uow_factory: Factory
    ) -> None:
        """OS-6 / C-CAMPO: a command that found its property's route free keeps
        it free until it commits; billing's lock of the route waits."""
        require(self.capabilities, SEEDING)
        self._property(uow_factory)

        def bill() -> float:
            with uow_factory() as uow:
                uow.seeding.lock_route(1000, 202501)
                uow.commit()
                return time.monotonic()

        with uow_factory() as command:
            assert command.field_lock.locked_reference(1) is None
            billing = _started(bill)
            time.sleep(HOLD)
            assert billing.is_alive()
            releasing = time.monotonic()
            command.commit()
        assert billing.outcome() >= releasing

    # ------------------------------------------------------------ counters
    def test_numbers_are_gap_free_and_given_back_on_rollback(
        self, uow_factory: Factory
    ) -> None:
        with uow_factory() as uow:
            assert list(uow.take_numbers("manual", 3)) == [1, 2, 3]
            assert list(uow.take_numbers("manual", 2)) == [4, 5]
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.take_numbers("manual", 4)) == [6, 7, 8, 9]
        with uow_factory() as uow:  # the rolled-back numbers are taken again
            assert list(uow.take_numbers("manual", 1)) == [6]
            assert list(uow.take_numbers("other", 2, after=40)) == [41, 42]
            uow.commit()

    def test_concurrent_takers_queue(self, uow_factory: Factory) -> None:
        def take() -> list[int]:
            taken: list[int] = []
            for _ in range(5):
                with uow_factory() as uow:
                    taken += uow.take_numbers("manual", 3)
                    uow.commit()
            return taken

        first, second = _started(take), _started(take)
        together = sorted(first.outcome() + second.outcome())
        assert together == list(range(1, 31))

    # ------------------------------------------------------------ batches
    def test_one_run_of_a_batch_at_a_time(self, uow_factory: Factory) -> None:
        with uow_factory() as holder:
            holder.hold_batch("cut orders", "group 3")

            def second() -> None:
                with uow_factory() as uow:
                    uow.hold_batch("cut orders", "group 3")

            with pytest.raises(BatchAlreadyRunning) as refused:
                _started(second).outcome()
            assert "already running for group 3" in str(refused.value)
            with uow_factory() as other:
                other.hold_batch("cut orders", "group 4")
        with uow_factory() as after:  # released when the holder ended
            after.hold_batch("cut orders", "group 3")

    # ------------------------------------------------------------ outbox
    def test_outbox_ids_follow_commit_order(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            start = max((e.id for e in uow.outbox.after(0, 10_000)), default=0)
        for item_id in (1, 2, 3):
            with uow_factory() as uow:
                uow.record(_event(item_id), _event(item_id + 10))
                uow.commit()
        with uow_factory() as uow:
            uow.record(_event(99))  # never committed
        with uow_factory() as uow:
            entries = uow.outbox.after(start, 100)
        assert [e.id for e in entries] == list(range(start + 1, start + 7))
        assert [e.event.item_id for e in entries] == [1, 11, 2, 12, 3, 13]  # type: ignore[union-attr]
        assert all(e.tag == "catalog.item_added" and not e.published for e in entries)

    def test_pending_entries_until_acknowledged(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.record(_event(1), _event(2), _event(3))
            uow.commit()
        with uow_factory() as uow:
            pending = uow.outbox.pending(2)
            assert len(pending) == 2
            assert uow.outbox.mark_published([e.id for e in pending], AT) == 2
            assert uow.outbox.mark_published([pending[0].id], AT) == 0
            uow.commit()
        with uow_factory() as uow:
            rest = uow.outbox.pending(10)
            acknowledged = uow.outbox.after(pending[0].id - 1, 1)
        assert [e.event.item_id for e in rest] == [3]  # type: ignore[union-attr]
        assert acknowledged[0].published_at == AT


def _lock_and_read(uow_factory: Factory) -> int | None:
    with uow_factory() as uow:
        return uow.properties.lock(1).block_face
