"""Batch cut-order generation for a collection group, on every backend."""

from __future__ import annotations

import pytest

import gsan_core
from gsan_core.errors import ConfigurationError
from gsan_core.model.collection import CutOrdersGenerated
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import OrderOrigin
from gsan_core.services.batches import BatchProgress, sized_chunks
from gsan_core.synthetic import generate


@pytest.fixture
def utility(system: gsan_core.System) -> gsan_core.System:
    generate(system, properties=700, seed=11)
    return system


def groups(system: gsan_core.System) -> list[int]:
    with system.uow_factory() as uow:
        return sorted({r.group_id for r in uow.routes.find_by()})


def test_generates_one_order_per_qualifying_property(utility: gsan_core.System) -> None:
    seen: list[BatchProgress] = []
    run = utility.collection.generate_cut_orders(
        group_id=groups(utility)[0], actor=1, progress=seen.append
    )
    orders = utility.service_orders.find_by(service_type_id=242)
    assert run.generated == len(orders) > 0
    assert run.evaluated == run.generated + sum(run.summary.skipped.values())
    assert {o.origin for o in orders} == {OrderOrigin.COLLECTION}
    assert len({o.property_id for o in orders}) == len(orders)
    for order in orders:
        prop = utility.properties.get(order.property_id or 0)
        assert prop.water_status_id in utility.profile.allowed("water.cut")
        assert len(utility.billing.open_debts(prop.id)) >= 2
        assert order.current_unit_id is not None
    assert [p.units_done for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].changed == run.generated
    events = [e for e in utility.events if isinstance(e, CutOrdersGenerated)]
    assert sum(len(e.order_ids) for e in events) == run.generated
    assert {e.actor for e in events} == {1}


def test_rerun_skips_properties_with_an_open_cut_order(
    utility: gsan_core.System,
) -> None:
    group = groups(utility)[0]
    first = utility.collection.generate_cut_orders(group_id=group, actor=1)
    second = utility.collection.generate_cut_orders(group_id=group, actor=1)
    assert second.generated == 0
    assert second.summary.skipped["open cut order"] == first.generated
    assert len(utility.service_orders.find_by(service_type_id=242)) == first.generated


def test_reports_why_properties_were_skipped(utility: gsan_core.System) -> None:
    run = utility.collection.generate_cut_orders(group_id=groups(utility)[0], actor=1)
    assert "water situation does not allow a cut" in run.summary.skipped
    assert "overdue debts below the criteria" in run.summary.skipped


def test_needs_a_cut_service_type(make_system) -> None:  # type: ignore[no-untyped-def]
    system = make_system()
    generate(system, properties=200, seed=3)
    with pytest.raises(gsan_core.NotFound):
        system.collection.generate_cut_orders(group_id=1, actor=1, service_type_id=999)
    with pytest.raises(ConfigurationError):
        gsan_core.in_memory(UtilityProfile(name="bare")).collection.generate_cut_orders(
            group_id=1, actor=1
        )


@pytest.mark.parametrize("routes_per_chunk", [1, 5])
def test_chunks_of_routes_generate_the_same_orders(
    utility: gsan_core.System, routes_per_chunk: int
) -> None:
    reference = gsan_core.in_memory()
    generate(reference, properties=700, seed=11)
    group = groups(utility)[0]
    wide = reference.collection.generate_cut_orders(group_id=group, actor=1)
    seen: list[BatchProgress] = []
    narrow = utility.collection.generate_cut_orders(
        group_id=group, actor=1, routes_per_chunk=routes_per_chunk, progress=seen.append
    )
    assert narrow.summary.skipped == wide.summary.skipped
    assert sorted(
        o.property_id for o in utility.service_orders.find_by(service_type_id=242)
    ) == sorted(
        o.property_id for o in reference.service_orders.find_by(service_type_id=242)
    )
    routes = len(_routes(utility, group))
    assert seen[-1].units_total == -(-routes // routes_per_chunk)
    events = [e for e in utility.events if isinstance(e, CutOrdersGenerated)]
    assert len({e.route_id for e in events}) == len(events) > 1


def _routes(system: gsan_core.System, group: int) -> list[int]:
    with system.uow_factory() as uow:
        return list(uow.collection.routes_of_group(group))


def test_routes_per_chunk_must_be_positive(utility: gsan_core.System) -> None:
    with pytest.raises(gsan_core.RuleViolation) as refused:
        utility.collection.generate_cut_orders(group_id=1, actor=1, routes_per_chunk=0)
    assert refused.value.code == "input.invalid.routes_per_chunk"


@pytest.mark.parametrize("properties_per_chunk", [1, 60, 100_000])
def test_chunks_sized_in_properties_generate_the_same_orders(
    utility: gsan_core.System, properties_per_chunk: int
) -> None:
    """Issue 20: whole routes packed up to ``properties_per_chunk`` properties
    per unit of work; the orders do not depend on the packing, and a second
    run (a resume) adds none."""
    reference = gsan_core.in_memory()
    generate(reference, properties=700, seed=11)
    group = groups(utility)[0]
    wide = reference.collection.generate_cut_orders(
        group_id=group, actor=1, routes_per_chunk=1
    )
    seen: list[BatchProgress] = []
    sized = utility.collection.generate_cut_orders(
        group_id=group,
        actor=1,
        properties_per_chunk=properties_per_chunk,
        progress=seen.append,
    )
    assert sized.summary.skipped == wide.summary.skipped
    assert sized.generated == wide.generated
    with utility.uow_factory() as uow:
        sizes = list(uow.collection.route_sizes_of_groups([group])[group])
    assert [r for r, _ in sizes] == _routes(utility, group)
    assert sum(n for _, n in sizes) == sized.evaluated
    assert seen[-1].units_total == len(sized_chunks(sizes, properties_per_chunk))
    if properties_per_chunk == 1:
        assert seen[-1].units_total == len(sizes)
    if properties_per_chunk == 100_000:
        assert seen[-1].units_total == 1
    again = utility.collection.generate_cut_orders(group_id=group, actor=1)
    assert again.generated == 0


def test_sized_chunks_pack_whole_units_up_to_the_limit() -> None:
    sizes = [("a", 3), ("b", 4), ("c", 9), ("d", 1), ("e", 0), ("f", 2)]
    assert sized_chunks(sizes, 7) == [("a", "b"), ("c",), ("d", "e", "f")]
    assert sized_chunks(sizes, 100) == [("a", "b", "c", "d", "e", "f")]
    assert sized_chunks([], 5) == []
    with pytest.raises(ValueError, match="limit"):
        sized_chunks(sizes, 0)


def test_properties_per_chunk_must_be_positive(utility: gsan_core.System) -> None:
    with pytest.raises(gsan_core.RuleViolation) as refused:
        utility.collection.generate_cut_orders(
            group_id=1, actor=1, properties_per_chunk=0
        )
    assert refused.value.code == "input.invalid.properties_per_chunk"


def _made(system: gsan_core.System) -> list[tuple[object, ...]]:
    """The cut orders as data, without their ids (which follow the chunks)."""
    return sorted(
        (o.property_id, o.current_unit_id, o.situation, o.origin)
        for o in system.service_orders.find_by(service_type_id=242)
    )


def _route_events(system: gsan_core.System) -> list[tuple[object, ...]]:
    return sorted(
        (e.group_id, e.route_id, tuple(e.property_ids), len(e.order_ids))
        for e in system.events
        if isinstance(e, CutOrdersGenerated)
    )


@pytest.mark.parametrize("properties_per_chunk", [60, 100_000])
def test_cut_1_to_cut_5_chunks_across_groups_agree_with_one_run_per_group(
    system: gsan_core.System, properties_per_chunk: int
) -> None:
    """Issue 20: ``generate_cut_orders_of_groups`` packs the routes of several
    groups into chunks that span groups; CUT-1..CUT-5 decide per property, so
    the orders, the skips and the events (one per route, with its group) are
    those of one run per group, and a second run adds none."""
    utility = system
    generate(utility, properties=3_000, seed=11)
    reference = gsan_core.in_memory()
    generate(reference, properties=3_000, seed=11)
    wanted = groups(reference)
    assert len(wanted) > 1
    per_group = [
        reference.collection.generate_cut_orders(group_id=group, actor=1)
        for group in wanted
    ]
    seen: list[BatchProgress] = []
    run = utility.collection.generate_cut_orders_of_groups(
        group_ids=reversed(wanted),
        actor=1,
        properties_per_chunk=properties_per_chunk,
        progress=seen.append,
    )
    assert run.group_ids == tuple(wanted)
    assert run.generated == sum(r.generated for r in per_group) > 0
    assert run.evaluated == sum(r.evaluated for r in per_group)
    skipped: dict[str, int] = {}
    for one in per_group:
        for reason, count in one.summary.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
    assert dict(run.summary.skipped) == skipped
    assert _made(utility) == _made(reference)
    assert _route_events(utility) == _route_events(reference)
    if properties_per_chunk == 100_000:
        assert seen[-1].units_total == 1
    assert "generated" in repr(run)
    again = utility.collection.generate_cut_orders_of_groups(group_ids=wanted, actor=1)
    assert again.generated == 0
    assert again.summary.skipped["open cut order"] == run.generated


def test_cut_orders_of_no_group_do_nothing(utility: gsan_core.System) -> None:
    run = utility.collection.generate_cut_orders_of_groups(group_ids=[], actor=1)
    assert (run.group_ids, run.generated, run.evaluated) == ((), 0, 0)


def test_cut_orders_of_groups_are_refused_while_one_group_runs(
    utility: gsan_core.System,
) -> None:
    """The run holds the key of every group: a run of one of them elsewhere
    refuses it before anything is written."""
    group = groups(utility)[0]
    with utility.uow_factory() as other_run:
        other_run.hold_batch("cut orders", f"group {group}")
        with pytest.raises(gsan_core.BatchAlreadyRunning):
            utility.collection.generate_cut_orders_of_groups(group_ids=[group], actor=1)
    assert utility.service_orders.find_by(service_type_id=242) == []
    run = utility.collection.generate_cut_orders_of_groups(group_ids=[group], actor=1)
    assert run.generated > 0


def test_route_sizes_of_several_groups_in_one_read(utility: gsan_core.System) -> None:
    """The chunking's sizes for every group of a run at once: each group's
    routes by id with their property counts, an unknown group empty."""
    every = groups(utility)
    with utility.uow_factory() as uow:
        sizes = uow.collection.route_sizes_of_groups([*every, 999_999])
        props = uow.properties.find_by()
    assert sizes[999_999] == []
    for group in every:
        assert [r for r, _ in sizes[group]] == _routes(utility, group)
        for route, count in sizes[group]:
            assert count == sum(1 for p in props if p.route_id == route)
    assert sum(n for g in every for _, n in sizes[g]) == len(props)
