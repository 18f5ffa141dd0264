"""Differential test: the same commands on memory, SQLite and PostgreSQL agree.

A random command sequence (valid and invalid, stale versions, missing ids) runs
against each backend; every outcome (result or error), the final state and the
events must be the same everywhere. The idea of Hypothesis' own
``test_database_agreement``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gsan_core
from gsan_core.errors import GsanError, RuleViolation
from gsan_core.model.units import OrganizationalUnit
from gsan_core.testing import FixedClock
from gsan_core.testing import strategies as gst
from gsan_core.testing.contracts import location
from gsan_core.testing.machines import KINDS
from tests.conftest import PostgresSchema
from tests.stateful.conftest import memory_copy
from tests.stateful.conftest import sqlite_system as stateful_sqlite_system
from tests.templates import loaded

Command = tuple[Any, ...]

ROW_IDS = st.integers(1, 8)
VERSIONS = st.integers(1, 3)
DESCRIPTIONS = st.sampled_from(
    ["NOVO", "novo", "  LIGADO ", "", "X" * 60]
) | gst.descriptions(max_size=12)
PROPERTIES = gst.properties(
    ids=st.integers(1, 6),
    profile_ids=(1, 2, 3, 4, 99),
    water_status_ids=(3, 5, 9),
    categories=((1, 10), (1, 11), (2, 20), (1, 20), (7, None)),
)

COMMANDS: st.SearchStrategy[Command] = st.one_of(
    st.tuples(
        st.just("add"), st.sampled_from(KINDS), DESCRIPTIONS, st.booleans(), ROW_IDS
    ),
    st.tuples(
        st.just("update"), st.sampled_from(KINDS), ROW_IDS, VERSIONS, DESCRIPTIONS
    ),
    st.tuples(
        st.sampled_from(["deactivate", "activate", "remove"]),
        st.sampled_from(KINDS),
        ROW_IDS,
        VERSIONS,
    ),
    st.tuples(st.just("register"), PROPERTIES),
    st.tuples(
        st.just("change"),
        st.integers(1, 6),
        VERSIONS,
        st.sampled_from(["block_face", "profile_id", "water_status_id"]),
        st.integers(1, 5),
    ),
    st.tuples(
        st.just("unit"),
        st.integers(1, 5),
        st.sampled_from([10, 11, 12, 99]),
        st.none() | st.integers(1, 5),
        st.sampled_from(["SEDE", "FILIAL", "sede"]),
    ),
)


def run(system: gsan_core.System, command: Command) -> Any:
    """Apply one command; its result as plain data."""
    name = command[0]
    if name == "add":
        _, kind, description, active, category = command
        attributes: dict[str, object] = {}
        if kind == "subcategory":
            attributes["category_id"] = category
        if kind == "sewer_profile":
            attributes["sewer_percentage"] = "12.5"
        return system.catalog.add(
            kind, description=description, attributes=attributes, active=active, actor=1
        )
    if name == "update":
        _, kind, ident, version, description = command
        return system.catalog.update(
            kind, ident, expected_version=version, description=description, actor=2
        )
    if name in ("deactivate", "activate", "remove"):
        _, kind, ident, version = command
        method: Callable[..., Any] = getattr(system.catalog, name)
        return method(kind, ident, expected_version=version, actor=3)
    if name == "register":
        return system.properties.register(command[1], actor=4)
    if name == "change":
        _, pid, version, field, value = command
        current = system.properties.get(pid)
        return system.properties.update(
            attrs.evolve(current, version=version, **{field: value}), actor=5
        )
    _, ident, unit_type, superior, unit_name = command
    return system.units.register(
        OrganizationalUnit(
            id=ident, name=unit_name, unit_type_id=unit_type, superior_id=superior
        ),
        actor=6,
    )


def outcome(system: gsan_core.System, command: Command) -> Any:
    try:
        return ("ok", run(system, command))
    except RuleViolation as refused:
        return ("refused", refused.codes, refused.messages("pt"))
    except GsanError as error:
        return (type(error).__name__, str(error))


def state(system: gsan_core.System, since: int) -> Any:
    return (
        {kind: list(system.catalog.list(kind)) for kind in KINDS},
        list(system.properties.find_by()),
        dict(system.units.tree()),
        list(system.events[since:]),
    )


def prepare(system: gsan_core.System) -> gsan_core.System:
    loc, sector, block, route = location()
    system.properties.load_locations(
        actor=0, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )
    return system


@contextmanager
def sqlite_system() -> Iterator[gsan_core.System]:
    system = stateful_sqlite_system()
    try:
        yield prepare(system)
    finally:
        system.close()


def agree(commands: list[Command], systems: dict[str, gsan_core.System]) -> None:
    since = {name: len(s.events) for name, s in systems.items()}
    results = {name: [outcome(s, c) for c in commands] for name, s in systems.items()}
    finals = {name: state(s, since[name]) for name, s in systems.items()}
    reference = "memory"
    for name in systems:
        for index, (mine, theirs) in enumerate(
            zip(results[name], results[reference], strict=True)
        ):
            assert mine == theirs, (name, index, commands[index])
        assert finals[name] == finals[reference], name


@given(st.lists(COMMANDS, max_size=20))
def test_memory_and_sqlite_agree(commands: list[Command]) -> None:
    with sqlite_system() as sqlite:
        agree(commands, {"memory": prepare(memory_copy()), "sqlite": sqlite})


@pytest.mark.postgres
def test_memory_sqlite_and_postgres_agree(postgres: PostgresSchema) -> None:
    @given(st.lists(COMMANDS, max_size=20))
    def check(commands: list[Command]) -> None:
        # a copy of the seeded template, not a seeding per example (~1 s)
        backend = postgres.reset("gsan_default")
        pg = gsan_core.System(
            uow_factory=backend.uow_factory,
            clock=FixedClock(),
            profile=loaded("gsan_default"),  # not parsed again per example
        )
        with sqlite_system() as sqlite:
            agree(
                commands,
                {
                    "memory": prepare(memory_copy()),
                    "sqlite": sqlite,
                    "postgres": prepare(pg),
                },
            )

    check()
