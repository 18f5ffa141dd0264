"""The memory adapter's row locks: shared and exclusive, bounded waits."""

from __future__ import annotations

import threading
import time

import pytest

from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.adapters.memory.store import RowLocks
from gsan_core.errors import BatchAlreadyRunning, ConcurrencyConflict
from gsan_core.testing import SequentialIds


def in_thread(locks: RowLocks, owner: object, key: object, *, shared: bool) -> str:
    """Try to lock in another thread: "locked" or the error's class name."""
    outcome: list[str] = []

    def run() -> None:
        try:
            locks.acquire(owner, [key], shared=shared)
            outcome.append("locked")
        except ConcurrencyConflict as error:
            outcome.append(type(error).__name__)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=5)
    return outcome[0]


def test_shared_holders_share_and_an_exclusive_one_waits_for_them() -> None:
    locks = RowLocks(timeout=0.2)
    reader, other_reader, writer = object(), object(), object()
    locks.acquire(reader, [("route", 1)], shared=True)
    assert in_thread(locks, other_reader, ("route", 1), shared=True) == "locked"
    assert in_thread(locks, writer, ("route", 1), shared=False) == (
        "ConcurrencyConflict"  # it waited the timeout for the readers
    )
    locks.release(reader)
    locks.release(other_reader)
    assert in_thread(locks, writer, ("route", 1), shared=False) == "locked"
    assert in_thread(locks, reader, ("route", 1), shared=True) == (
        "ConcurrencyConflict"
    )


def test_a_holder_may_lock_again_and_upgrade_alone() -> None:
    locks = RowLocks(timeout=0.2)
    owner = object()
    locks.acquire(owner, [("property", 1)], shared=True)
    locks.acquire(owner, [("property", 1)])  # alone: the upgrade is granted
    locks.acquire(owner, [("property", 1)], shared=True)  # stays exclusive
    assert in_thread(locks, object(), ("property", 1), shared=True) == (
        "ConcurrencyConflict"
    )


def test_a_wait_ends_when_the_holder_releases() -> None:
    locks = RowLocks(timeout=5)
    holder, waiter = object(), object()
    locks.acquire(holder, [("property", 1)])
    done: list[float] = []

    def wait() -> None:
        locks.acquire(waiter, [("property", 1)])
        done.append(time.monotonic())

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.1)
    assert not done
    released = time.monotonic()
    locks.release(holder)
    thread.join(timeout=5)
    assert done
    assert done[0] >= released


def test_a_lock_held_by_another_unit_of_work_of_the_same_thread_fails_at_once() -> None:
    """Waiting could never end: the holder runs in this very thread."""
    store = MemoryStore(lock_timeout=30)
    factory = memory_uow_factory(store, SequentialIds())
    with factory() as outer:
        outer.lock_key("catalog.cut_reason")
        started = time.monotonic()
        with factory() as inner, pytest.raises(ConcurrencyConflict):
            inner.lock_key("catalog.cut_reason")
        assert time.monotonic() - started < 1


def test_a_batch_is_held_by_one_unit_of_work_until_it_ends() -> None:
    store = MemoryStore()
    factory = memory_uow_factory(store, SequentialIds())
    with factory() as holder:
        holder.hold_batch("cut orders", "group 1")
        holder.hold_batch("cut orders", "group 1")  # again: still its own
        with factory() as other, pytest.raises(BatchAlreadyRunning):
            other.hold_batch("cut orders", "group 1")
    with factory() as later:
        later.hold_batch("cut orders", "group 1")


def test_a_copied_store_keeps_its_lock_timeout_and_outbox_setting() -> None:
    store = MemoryStore(lock_timeout=0.5)
    store.outbox = False
    clone = store.copy()
    assert (clone.row_locks.timeout, clone.outbox) == (0.5, False)
