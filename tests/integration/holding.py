"""A command run while another unit of work holds its lock (PostgreSQL).

The read-ahead tests (ADR 0004, ADR 0006) start a *holder*: a unit of work
that locks and writes, then waits; the command starts beside it and must come
to wait for the lock; the holder then commits, and the test checks that the
command decided on what the holder committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy import SqlBackend


def waiting(engine: sa.Engine, seconds: float = 10.0) -> bool:
    """Whether a backend came to wait for a row lock within ``seconds``."""
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            count = connection.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
            connection.rollback()
            if count:
                return True
            time.sleep(0.05)
    return False


def while_held(
    sql: SqlBackend, hold: Callable[[Any], None], command: Callable[[], Any]
) -> tuple[bool, list[Any]]:
    """Run ``command`` while another unit of work holds what ``hold`` locks
    and writes, until it is seen waiting; the holder then commits. Whether it
    waited, and what ``command`` returned (or raised)."""
    held, release = threading.Event(), threading.Event()
    outcome: list[Any] = []

    def holder() -> None:
        with sql.uow_factory() as uow:
            hold(uow)
            held.set()
            release.wait(20)
            uow.commit()

    def runner() -> None:
        held.wait(20)
        try:
            outcome.append(command())
        except BaseException as error:  # reported to the test
            outcome.append(error)

    threads = [threading.Thread(target=holder), threading.Thread(target=runner)]
    for thread in threads:
        thread.start()
    held.wait(20)
    waited = waiting(sql.engine)
    release.set()
    for thread in threads:
        thread.join(30)
    return waited, outcome
