"""Differential test of the cut-order batch (issue 20): the memory adapter runs
the pure rules CUT-1..CUT-5 in Python, the SQL adapter decides them in one
statement per chunk (``adapters/sqlalchemy/collection.py``). On
Hypothesis-generated small utilities, with random criteria and a restriction
window (GEN-18), memory, SQLite and PostgreSQL must generate the same orders,
skip the same properties for the same reasons and record the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gsan_core
from gsan_core import profiles
from gsan_core.model.collection import CutOrdersGenerated
from gsan_core.model.profile import NewOrderRestriction
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from tests.conftest import PostgresSchema
from tests.stateful.conftest import memory_copy, sqlite_system
from tests.templates import loaded

GAVE_UP = 4  # closing reason "not executed": the order closes, its window starts


@attrs.frozen
class Shape:
    """A small utility and the collection criteria it runs with."""

    seed: int
    size: int
    min_bills: int
    min_amount: Decimal
    after_days: int
    window: int
    close_every: int


SHAPES = st.builds(
    Shape,
    seed=st.integers(0, 10_000),
    size=st.integers(20, 160),
    min_bills=st.integers(0, 3),
    min_amount=st.sampled_from([Decimal(0), Decimal("45.5"), Decimal(150)]),
    after_days=st.sampled_from([0, 30, 90]),
    window=st.sampled_from([0, 1, 30]),
    close_every=st.integers(1, 4),
)


def profiled(base: gsan_core.System, shape: Shape) -> gsan_core.System:
    """``base``'s storage under the default profile with the shape's criteria."""
    loaded = profiles.default()
    profile = loaded.profile
    restrictions = (
        [NewOrderRestriction(service_type_id=242, days=shape.window)]
        if shape.window
        else []
    )
    return gsan_core.System(
        uow_factory=base.uow_factory,
        backend=getattr(base, "backend", None),
        clock=base.clock,
        profile=attrs.evolve(
            loaded,
            profile=attrs.evolve(
                profile,
                collection=attrs.evolve(
                    profile.collection,
                    min_overdue_bills=shape.min_bills,
                    min_overdue_amount=shape.min_amount,
                    overdue_after_days=shape.after_days,
                ),
                service_orders=attrs.evolve(
                    profile.service_orders, new_order_restrictions=restrictions
                ),
            ),
        ),
    )


def outcome(base: gsan_core.System, shape: Shape) -> Any:
    """Run the batch over every group, close some of its orders, run it again:
    what each run did, the orders and the events, as plain data."""
    generate(base, properties=shape.size, seed=shape.seed)
    system = profiled(base, shape)
    with system.uow_factory() as uow:
        group_ids = sorted({r.group_id for r in uow.routes.find_by()})
    today = system.clock.today()
    runs = []
    for attempt in range(2):
        for group in group_ids:
            run = system.collection.generate_cut_orders(
                group_id=group, actor=1, routes_per_chunk=2
            )
            runs.append((attempt, group, run.evaluated, dict(run.summary.skipped)))
        if attempt == 0:
            made = system.service_orders.find_by(service_type_id=242)
            for order in sorted(made, key=lambda o: o.property_id or 0)[
                :: shape.close_every
            ]:
                system.service_orders.close_not_executed(
                    order_id=order.id, reason_id=GAVE_UP, closed_on=today, actor=1
                )
    orders = sorted(
        (o.property_id, o.current_unit_id, o.situation, o.closing_reason_id)
        for o in system.service_orders.find_by(service_type_id=242)
    )
    events = [
        (e.group_id, e.route_id, e.service_type_id, tuple(e.property_ids))
        for e in system.events
        if isinstance(e, CutOrdersGenerated)
    ]
    return runs, orders, events


def agree(shape: Shape, makers: dict[str, Callable[[], Any]]) -> None:
    found = {}
    for name, make in makers.items():
        with make() as system:
            found[name] = outcome(system, shape)
    reference = found["memory"]
    for name, mine in found.items():
        assert mine[0] == reference[0], (name, "runs", shape)
        assert mine[1] == reference[1], (name, "orders", shape)
        assert mine[2] == reference[2], (name, "events", shape)


@contextmanager
def memory() -> Iterator[gsan_core.System]:
    yield memory_copy()  # a copy of the seeded store, not a seeding


@contextmanager
def sqlite() -> Iterator[gsan_core.System]:
    system = sqlite_system()
    try:
        yield system
    finally:
        system.close()


@settings(max_examples=12, deadline=None)
@given(SHAPES)
def test_cut_1_to_cut_5_memory_and_sqlite_agree(shape: Shape) -> None:
    """CUT-1..CUT-5 (GEN-12, GEN-13, GEN-14, GEN-10, GEN-18): the pure rules
    and the set-based SQL decide the same."""
    agree(shape, {"memory": memory, "sqlite": sqlite})


@pytest.mark.postgres
def test_cut_1_to_cut_5_memory_sqlite_and_postgres_agree(
    postgres: PostgresSchema,
) -> None:
    """CUT-1..CUT-5 on the three backends, the batch's events included."""

    @contextmanager
    def pg() -> Iterator[gsan_core.System]:
        # a copy of the seeded template, like the SQLite side (no seeding per
        # example; the compared events are the batch's own)
        backend = postgres.reset("gsan_default")
        yield gsan_core.System(
            uow_factory=backend.uow_factory,
            backend=backend,
            clock=FixedClock(),
            profile=loaded("gsan_default"),  # not parsed again per example
        )

    @settings(max_examples=8, deadline=None)
    @given(SHAPES)
    def check(shape: Shape) -> None:
        agree(shape, {"memory": memory, "sqlite": sqlite, "postgres": pg})

    check()


def interleaved(base: gsan_core.System, shape: Shape) -> Any:
    """:func:`outcome` on a utility whose routes interleave their properties'
    ids (property ``i`` on route ``i mod n``): each chunk's id span then
    covers the whole utility, with other routes' bills and open orders
    inside it, which the SQL's span bound must not count."""
    generate(base, properties=shape.size, seed=shape.seed)
    with base.uow_factory() as uow:
        routes = sorted(uow.routes.find_by(), key=lambda r: r.id)
        props = sorted(uow.properties.find_by(), key=lambda p: p.id)
        uow.properties.update_many(
            attrs.evolve(p, route_id=routes[i % len(routes)].id, version=p.version + 1)
            for i, p in enumerate(props)
        )
        uow.commit()
    system = profiled(base, shape)
    group_ids = sorted({r.group_id for r in routes})
    runs = []
    for attempt in range(2):
        run = system.collection.generate_cut_orders_of_groups(
            group_ids=group_ids, actor=1, properties_per_chunk=shape.size // 3
        )
        runs.append((attempt, run.evaluated, dict(run.summary.skipped)))
        if attempt == 0:
            made = system.service_orders.find_by(service_type_id=242)
            for order in sorted(made, key=lambda o: o.property_id or 0)[
                :: shape.close_every
            ]:
                system.service_orders.close_not_executed(
                    order_id=order.id,
                    reason_id=GAVE_UP,
                    closed_on=system.clock.today(),
                    actor=1,
                )
    orders = sorted(
        (o.property_id, o.current_unit_id, o.situation, o.closing_reason_id)
        for o in system.service_orders.find_by(service_type_id=242)
    )
    return runs, orders


#: Shapes that generate orders (any overdue bill counts) and leave some open
#: for the second run (CUT-2), with and without a restriction window (CUT-5).
INTERLEAVED = [
    Shape(seed, 150, 1, Decimal(0), 0, window, 2)
    for seed, window in ((3, 0), (11, 30), (42, 0))
]


@pytest.mark.postgres
@pytest.mark.parametrize("shape", INTERLEAVED, ids=lambda s: f"seed{s.seed}")
def test_cut_2_and_cut_3_when_routes_interleave_ids(
    postgres: PostgresSchema, shape: Shape
) -> None:
    """CUT-2 and CUT-3 on PostgreSQL count only the chunk's own open orders
    and bills when other routes' properties lie between its ids (the
    statement bounds its joins by the chunk's id span): the same orders and
    skips as the pure rules in memory."""
    backend = postgres.reset("gsan_default")  # the seeded template's copy
    pg = gsan_core.System(
        uow_factory=backend.uow_factory, backend=backend, clock=FixedClock()
    )
    found = interleaved(pg, shape)
    with memory() as system:
        expected = interleaved(system, shape)
    assert expected[1], "no order generated: the shape proves nothing"
    assert found == expected
