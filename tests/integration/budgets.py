"""Counting the statements a command sends, for the statement budgets (issue 20).

Every statement the library sends is counted with SQLAlchemy's
``before_cursor_execute`` event on the engine, plus one per ``BEGIN``, one per
``COMMIT`` and one per ``ROLLBACK`` (the round trips a transaction costs), on
every connection of the engine. :func:`measure` runs a command once to warm
what is cached (id blocks, prepared statements, the reference cache) and
counts the second run, on a fresh target, so the count is deterministic.

Each ``test_statement_budgets*.py`` module holds its own ``BUDGETS`` (every
backend) and ``POSTGRES`` (PostgreSQL's lower budget where it sends fewer) and
checks them with :func:`assert_within`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import request_profile


class Counter:
    """Statements sent through an engine while :meth:`counting` is open."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        self.on = False
        self.statements: list[str] = []

        @event.listens_for(engine, "before_cursor_execute")
        def _statement(*args: Any) -> None:
            if self.on:
                self.count += 1
                self.statements.append(" ".join(str(args[2]).split())[:80])

        @event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            # SQLite's BEGIN is sent as a statement (counted above)
            if self.on and connection.dialect.name != "sqlite":
                self.count += 1
                self.statements.append("BEGIN")

        @event.listens_for(engine, "rollback")
        def _rollback(connection: sa.Connection) -> None:
            if self.on:
                self.count += 1
                self.statements.append("ROLLBACK")

        @event.listens_for(engine, "commit")
        def _commit(connection: sa.Connection) -> None:
            if self.on:
                self.count += 1
                self.statements.append("COMMIT")

    @contextmanager
    def counting(self) -> Iterator[None]:
        self.count, self.statements, self.on = 0, [], True
        try:
            yield
        finally:
            self.on = False


def measure(counter: Counter, action: Callable[[int], object]) -> int:
    """The statements of ``action(1)``, after ``action(0)`` warmed the caches."""
    action(0)  # warm: id blocks, caches
    with counter.counting():
        action(1)
    return counter.count


def per_chunk(marks: list[int]) -> int:
    """The most statements one chunk sent: the counts between two progress
    calls (the first chunk, which follows the run's reads, is left out)."""
    assert len(marks) >= 3, marks
    return max(b - a for a, b in itertools.pairwise(marks))


def assert_within(
    found: Mapping[str, int],
    dialect: str,
    budgets: Mapping[str, int],
    postgres: Mapping[str, int],
) -> None:
    """Fail naming every command of ``found`` that sent more than its budget."""
    print(dict(found))
    allowed = {**budgets, **(postgres if dialect == "postgresql" else {})}
    over = {name: (n, allowed[name]) for name, n in found.items() if n > allowed[name]}
    assert not over, f"over budget (statements, budget): {over}"


def budget_system(sql: SqlBackend) -> gsan_core.System:
    """A seeded system over ``sql`` with the request utility's profile."""
    system = gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=request_profile(large_consumer_unit_id=None),
        clock=FixedClock(),
        keep_events=False,
    )
    system.seed()
    return system
