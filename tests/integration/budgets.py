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

import functools
import inspect
import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.profiles import LoadedProfile
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import request_profile
from tests.conftest import seed_from_template


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


@functools.cache
def budget_profile() -> LoadedProfile:
    """The request utility's profile, without its large-consumer unit."""
    return request_profile(large_consumer_unit_id=None)


def budget_system(sql: SqlBackend, clock: FixedClock | None = None) -> gsan_core.System:
    """A seeded system over ``sql`` (empty tables of a SQLite file or of the
    session's PostgreSQL schema) with :func:`budget_profile` and ``clock`` (a
    fixed clock of its own when none): its seeded rows are copied from a
    template, not seeded again per test."""
    seed_from_template(sql, budget_profile())
    return gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=budget_profile(),
        clock=clock or FixedClock(),
        keep_events=False,
    )


def counter_of(system: gsan_core.System) -> Counter:
    """A counter on the engine of ``system``'s SQL backend."""
    backend = system.backend
    assert isinstance(backend, SqlBackend)
    return Counter(backend.engine)


def dialect_of(system: gsan_core.System) -> str:
    backend = system.backend
    assert isinstance(backend, SqlBackend)
    return str(backend.engine.dialect.name)


def yields(
    size: int, count: Callable[[Any], int], command: Callable[[], object]
) -> Callable[[], object]:
    """``command``, checked to have done its ``size`` items (``count`` of its
    result): a count of statements of a command that did nothing is no
    budget."""

    def run() -> object:
        result = command()
        assert count(result) == size, result
        return result

    return run


def sizes(
    counter: Counter, prepare: Callable[[int], Callable[[], object]]
) -> tuple[int, int]:
    """The statements of the command ``prepare(2)`` and ``prepare(6)`` return
    (the size is the number of items; each prepared on fresh targets), after
    the command of ``prepare(1)`` warmed the caches."""
    prepare(1)()
    counts = []
    for size in (2, 6):
        command = prepare(size)
        with counter.counting():
            command()
        counts.append(counter.count)
    return counts[0], counts[1]


def assert_flat(
    grown: Mapping[str, tuple[int, int]],
    dialect: str,
    budgets: Mapping[str, int],
    postgres: Mapping[str, int],
) -> None:
    """Each command of ``grown`` sent as many statements at both sizes; those
    with a budget (keyed by it) within it."""
    print(dict(grown))
    assert all(two == six for two, six in grown.values()), grown
    assert_within(
        {k: two for k, (two, _) in grown.items() if k in budgets},
        dialect,
        budgets,
        postgres,
    )


def assert_tables(
    name: str,
    service: type,
    tables: tuple[Mapping[str, str], frozenset[str]],
    budgets: Mapping[str, int],
    postgres: Mapping[str, int],
) -> None:
    """Every public method of ``service`` (``name.method``) is either a command
    of ``tables``'s first (with a budget) or a query of its second, and each
    PostgreSQL budget is at most its SQLite one."""
    commands, queries = tables
    public = {
        f"{name}.{method}"
        for method, _ in inspect.getmembers(service, inspect.isfunction)
        if not method.startswith("_")
    }
    assert not set(commands) & queries
    assert set(commands) | queries == public
    assert set(commands.values()) == set(budgets)
    assert set(postgres) <= set(budgets)
    assert all(postgres[k] <= budgets[k] for k in postgres)
    assert all(n > 0 for n in budgets.values())


#: A test over the two SQL backends (the ``backend_name`` fixture's values).
SQL = pytest.mark.parametrize(
    "backend_name",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


@attrs.frozen
class Table:
    """A module's budgets (``BUDGETS``, and ``POSTGRES`` where it sends
    fewer), checked against a system's dialect."""

    budgets: Mapping[str, int]
    postgres: Mapping[str, int]

    def within(self, found: Mapping[str, int], system: gsan_core.System) -> None:
        assert_within(found, dialect_of(system), self.budgets, self.postgres)

    def flat(
        self, grown: Mapping[str, tuple[int, int]], system: gsan_core.System
    ) -> None:
        assert_flat(grown, dialect_of(system), self.budgets, self.postgres)
