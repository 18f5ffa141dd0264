"""Processes released together, and where they find the shared database.

:func:`race` forks one process per argument tuple; every process builds its own
system over the shared database (:class:`Shared`), waits at a barrier, runs its
target, and reports what happened (:class:`Outcome`). The parent checks the
invariants on the final state. Forked processes start in milliseconds, which
keeps each test to a few seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import attrs

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import GsanError
from gsan_core.testing import DEFAULT_NOW, FixedClock

__all__ = ["Attempt", "Outcome", "Shared", "attempt", "in_step", "race", "start"]

CONTEXT = multiprocessing.get_context("fork")
#: Seconds a test waits for its processes.
TIMEOUT = 60.0


@attrs.frozen(kw_only=True)
class Shared:
    """How a process reaches the test's database: a URL (and schema)."""

    backend: str
    url: str
    schema: str | None = None
    profile: Any = "gsan_default"
    #: The processes' clock runs this long after the set-up's (fixed) one.
    later: timedelta = timedelta(minutes=5)

    def connect(self, **options: Any) -> gsan_core.System:
        """A system of this process over the shared database (its tables were
        made from the metadata, not by the migrations)."""
        backend = SqlBackend.open(self.url, schema=self.schema, **options)
        return gsan_core.System(
            uow_factory=backend.uow_factory,
            profile=self.profile,
            clock=FixedClock(DEFAULT_NOW + self.later),
            backend=backend,
            on_close=backend.dispose,
        )


@attrs.frozen(kw_only=True)
class Outcome:
    """What one process's target did: its value, or the error it raised."""

    index: int
    value: Any = None
    error: str | None = None
    gsan_error: bool = False
    message: str = ""

    @property
    def ok(self) -> bool:
        """Whether the target returned."""
        return self.error is None


@attrs.frozen
class Attempt:
    """One command's result in a process: its value, or its error's class and
    whether it was a library error."""

    value: Any = None
    error: str | None = None
    gsan_error: bool = True

    @property
    def ok(self) -> bool:
        """Whether the command returned."""
        return self.error is None


def attempt(command: Callable[[], Any]) -> Attempt:
    """Run ``command``; what happened, as a picklable :class:`Attempt`."""
    try:
        value = command()
    except Exception as error:
        return Attempt(
            error=type(error).__name__, gsan_error=isinstance(error, GsanError)
        )
    return Attempt(value=value)


def in_step(step: Barrier, command: Callable[[], Any]) -> Attempt:
    """:func:`attempt` ``command`` once every process of ``step`` is ready for
    its own: pairs of commands start together, not only the first ones."""
    step.wait(TIMEOUT)
    return attempt(command)


def _child(
    index: int,
    target: Callable[..., Any],
    args: tuple[Any, ...],
    barrier: Barrier,
    results: multiprocessing.Queue[Outcome],
) -> None:
    try:
        system = args[0].connect()
        try:
            barrier.wait(TIMEOUT)
            value = target(system, *args[1:])
        finally:
            system.close()
    except BaseException as error:
        results.put(
            Outcome(
                index=index,
                error=type(error).__name__,
                gsan_error=isinstance(error, GsanError),
                message=str(error)[:300],
            )
        )
    else:
        results.put(Outcome(index=index, value=value))


def race(target: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Outcome]:
    """Run ``target(system, *call[1:])`` in one process per call (``call[0]`` is
    the :class:`Shared` database), all released together; the outcomes by call."""
    barrier = CONTEXT.Barrier(len(calls))
    results: multiprocessing.Queue[Outcome] = CONTEXT.Queue()
    processes = [
        CONTEXT.Process(target=_child, args=(i, target, call, barrier, results))
        for i, call in enumerate(calls)
    ]
    for process in processes:
        process.start()
    outcomes: list[Outcome] = []
    try:
        outcomes.extend(results.get(timeout=TIMEOUT) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    return sorted(outcomes, key=lambda o: o.index)


def start(target: Callable[..., Any], *args: Any) -> multiprocessing.Process:
    """Start ``target(*args)`` in a forked process (the fault suite kills it)."""
    process = CONTEXT.Process(target=target, args=args, daemon=True)
    process.start()
    return process


def kill(process: multiprocessing.Process) -> None:
    """SIGKILL a process and reap it."""
    if process.pid is not None and process.is_alive():
        os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=10)


def wait_for(condition: Callable[[], bool], *, timeout: float = 20.0) -> None:
    """Poll ``condition`` until it holds (or fail)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        time.sleep(0.02)


def drain(results: multiprocessing.Queue[Any]) -> list[Any]:
    """What is in a queue now."""
    found = []
    while True:
        try:
            found.append(results.get_nowait())
        except queue.Empty:
            return found


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
