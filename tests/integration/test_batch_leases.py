"""Batch holds on the SQL backends: the SQLite lease and its holder's process,
the PostgreSQL advisory lock per schema, a run's keys in order (one statement
on PostgreSQL), nothing held in a host's transaction."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.leases import _alive, advisory_key
from gsan_core.errors import BatchAlreadyRunning
from gsan_core.ports.unit_of_work import BatchHolding, UnitOfWork
from tests.conftest import sqlite_backend


def test_a_lease_holder_is_alive_unless_its_process_on_this_host_is_gone() -> None:
    host = socket.gethostname()
    assert _alive(f"{host}:{os.getpid()}:token")
    assert not _alive(f"{host}:{2**22 + 12345}:token")  # beyond pid_max
    assert _alive("another-machine:1:token")  # only that machine can tell
    assert _alive(f"{host}:not-a-pid:token")


def test_the_advisory_key_depends_on_the_schema_the_job_and_the_key() -> None:
    key = advisory_key("gsan.gsan_", "cut orders", "group 1")
    assert key == advisory_key("gsan.gsan_", "cut orders", "group 1")
    assert -(2**63) <= key < 2**63
    assert (
        len(
            {
                key,
                advisory_key("other.gsan_", "cut orders", "group 1"),
                advisory_key("gsan.gsan_", "cut orders", "group 2"),
                advisory_key("gsan.gsan_", "overdue closing", "group 1"),
            }
        )
        == 4
    )


def test_a_sqlite_lease_is_held_once_and_taken_over_from_a_dead_process(
    tmp_path: Path,
) -> None:
    backend = sqlite_backend(tmp_path / "leases.db")
    table = backend.tables["batch_lease"]
    with backend.uow_factory() as holder:
        holder.hold_batch("cut orders", "group 1")
        holder.hold_batch("cut orders", "group 1")  # its own: nothing to do
        with backend.uow_factory() as other, pytest.raises(BatchAlreadyRunning):
            other.hold_batch("cut orders", "group 1")
        with backend.engine.begin() as connection:  # its process died
            connection.execute(
                table.update().values(holder=f"{socket.gethostname()}:4194999:dead")
            )
        with backend.uow_factory() as other:
            other.hold_batch("cut orders", "group 1")  # taken over
            with backend.engine.connect() as connection:
                (holder_name,) = connection.execute(table.select()).one()[2:3]
            assert holder_name.split(":")[1] == str(os.getpid())
    with backend.engine.connect() as connection:  # each released its own
        assert connection.execute(table.select()).all() == []
    backend.dispose()


def test_nothing_is_held_inside_a_host_transaction(tmp_path: Path) -> None:
    backend: SqlBackend = sqlite_backend(tmp_path / "joined.db")
    with backend.engine.connect() as connection, connection.begin():
        factory = backend.joining(connection)
        with factory() as first, factory() as second:
            first.hold_batch("cut orders", "group 1")
            second.hold_batch("cut orders", "group 1")  # the host decides
    backend.dispose()


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"], indirect=True)
def test_a_run_holds_its_keys_in_order_up_to_the_first_held_elsewhere(
    backend_uow_factory: Callable[[], UnitOfWork],
) -> None:
    """``hold_batches`` (one statement on PostgreSQL, issue 20) is
    ``hold_batch`` per key in order: the refusal names the first key held
    elsewhere, the keys before it stay held until the refused run ends, and
    the keys after it are not taken."""
    factory = backend_uow_factory
    with factory() as holder:
        assert isinstance(holder, BatchHolding)
        holder.hold_batches("cut orders", ["group 2"])
        with factory() as run:
            assert isinstance(run, BatchHolding)
            with pytest.raises(BatchAlreadyRunning) as refused:
                run.hold_batches("cut orders", ["group 1", "group 2", "group 3"])
            assert (refused.value.job, refused.value.key) == ("cut orders", "group 2")
            with factory() as other:
                other.hold_batch("cut orders", "group 3")  # never taken
                with pytest.raises(BatchAlreadyRunning, match="group 1"):
                    other.hold_batch("cut orders", "group 1")
    with factory() as later:  # every holder ended: every key is free
        assert isinstance(later, BatchHolding)
        later.hold_batches("cut orders", ["group 1", "group 2", "group 3"])
