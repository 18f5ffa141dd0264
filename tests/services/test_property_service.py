"""``gsan.properties``: locations, register, bulk load, update, field lock.

Every test runs on memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

import attrs
import pytest

import gsan_core
from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    NotFound,
    RuleViolation,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    PropertiesLoaded,
    PropertyChanged,
    PropertyRegistered,
    Route,
)
from gsan_core.services.properties import LoadSummary, chunked
from gsan_core.testing import DEFAULT_NOW
from gsan_core.testing.contracts import location
from tests.services.conftest import valid_property
from tests.support import only


# ---------------------------------------------------------------- location
def test_load_locations_and_read_them(located: gsan_core.System) -> None:
    loc, _, block, route = location()
    assert located.properties.locality(1) == loc
    assert located.properties.block(100) == block
    assert located.properties.route(1000) == route
    with pytest.raises(NotFound):
        located.properties.locality(2)


def test_pro_1_location_load_is_checked_and_atomic(located: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        located.properties.load_locations(
            actor=1,
            localities=[Locality(id=2, name="NOVA")],
            sectors=[
                CommercialSector(id=20, locality_id=2, code=1),
                CommercialSector(id=30, locality_id=9, code=1),
            ],
            blocks=[Block(id=200, locality_id=2, sector_id=10, number=1)],
            routes=[Route(id=2000, locality_id=2, sector_id=77, code=1, group_id=1)],
        )
    assert [(v.code, v.rule) for v in caught.value.violations] == [
        ("property.location.unknown_parent", "PRO-1"),
        ("property.location.mismatch", "PRO-1"),
        ("property.location.unknown_parent", "PRO-1"),
    ]
    with pytest.raises(NotFound):
        located.properties.locality(2)


def test_location_entries_may_refer_to_stored_ones(located: gsan_core.System) -> None:
    located.properties.load_locations(
        actor=1, blocks=[Block(id=101, locality_id=1, sector_id=10, number=2)]
    )
    assert located.properties.block(101).number == 2


# ---------------------------------------------------------------- register
def test_register_stores_version_one_and_records_the_event(
    located: gsan_core.System,
) -> None:
    since = len(located.events)
    stored = located.properties.register(valid_property(5, version=7), actor=33)
    assert stored.version == 1
    assert located.properties.get(5) == stored
    assert list(located.events[since:]) == [
        PropertyRegistered(occurred_at=DEFAULT_NOW, actor=33, property_id=5)
    ]


def test_pro_2_register_refuses_unknown_references(located: gsan_core.System) -> None:
    since = len(located.events)
    bad = valid_property(5, profile_id=99, water_status_id=9)  # 9 is inactive
    with pytest.raises(RuleViolation) as caught:
        located.properties.register(bad, actor=1)
    assert [v.params["field"] for v in caught.value.violations] == [
        "property profile",
        "water situation",
    ]
    assert located.properties.find_by() == []
    assert list(located.events[since:]) == []


def test_register_an_existing_id(located: gsan_core.System) -> None:
    located.properties.register(valid_property(5), actor=1)
    with pytest.raises(DuplicateEntity):
        located.properties.register(valid_property(5, block_face=3), actor=1)
    assert located.properties.get(5).block_face == 2


def test_check_a_property(located: gsan_core.System) -> None:
    assert located.properties.check(valid_property(1)) == ()
    problems = located.properties.check(valid_property(1, block_id=404))
    assert [v.code for v in problems] == ["property.unknown_reference"]  # type: ignore[attr-defined]


def test_a_deactivated_profile_is_refused(located: gsan_core.System) -> None:
    located.catalog.deactivate("property_profile", 3, expected_version=1, actor=1)
    with pytest.raises(RuleViolation):
        located.properties.register(valid_property(1, profile_id=3), actor=1)


# ---------------------------------------------------------------- bulk load
def test_atomic_load_in_chunks_with_progress(located: gsan_core.System) -> None:
    calls: list[tuple[int, int | None]] = []
    since = len(located.events)
    summary = located.properties.load(
        (valid_property(i) for i in range(1, 6)),
        actor=12,
        chunk_size=2,
        total=5,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert summary == LoadSummary(loaded=5, skipped_existing=0, chunks=3)
    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert [p.id for p in located.properties.find_by()] == [1, 2, 3, 4, 5]
    assert list(located.events[since:]) == [
        PropertiesLoaded(
            occurred_at=DEFAULT_NOW, actor=12, count=5, first_id=1, last_id=5
        )
    ]


def test_atomic_load_leaves_nothing_on_a_violation(located: gsan_core.System) -> None:
    since = len(located.events)
    good = [valid_property(i) for i in range(1, 5)]
    bad = valid_property(5, sector_id=404)
    with pytest.raises(RuleViolation) as caught:
        located.properties.load([*good, bad], actor=1, chunk_size=2)
    assert caught.value.violations[0].params["property_id"] == 5
    assert located.properties.find_by() == []
    assert list(located.events[since:]) == []


def test_atomic_load_refuses_existing_ids(located: gsan_core.System) -> None:
    located.properties.register(valid_property(3), actor=1)
    with pytest.raises(DuplicateEntity):
        located.properties.load([valid_property(i) for i in range(1, 5)], actor=1)
    assert [p.id for p in located.properties.find_by()] == [3]


def test_atomic_load_without_progress_or_total(located: gsan_core.System) -> None:
    summary = located.properties.load([valid_property(1, version=4)], actor=1)
    assert summary == LoadSummary(loaded=1, skipped_existing=0, chunks=1)
    assert located.properties.get(1).version == 1


def test_empty_load_records_no_event(located: gsan_core.System) -> None:
    since = len(located.events)
    assert located.properties.load([], actor=1) == LoadSummary(
        loaded=0, skipped_existing=0, chunks=0
    )
    assert located.properties.load([], actor=1, atomic=False).chunks == 0
    assert list(located.events[since:]) == []


def test_resumable_load_commits_each_chunk(located: gsan_core.System) -> None:
    props = [valid_property(i) for i in range(1, 8)]
    broken = [*props[:4], valid_property(5, block_id=404), *props[5:]]
    calls: list[tuple[int, int | None]] = []
    with pytest.raises(RuleViolation):
        located.properties.load(
            broken,
            actor=1,
            chunk_size=2,
            atomic=False,
            progress=lambda done, total: calls.append((done, total)),
        )
    assert [p.id for p in located.properties.find_by()] == [1, 2, 3, 4]
    assert calls == [(2, None), (4, None)]
    since = len(located.events)
    calls.clear()
    summary = located.properties.load(
        props,
        actor=2,
        chunk_size=2,
        atomic=False,
        total=7,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert summary == LoadSummary(loaded=3, skipped_existing=4, chunks=4)
    assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert [p.id for p in located.properties.find_by()] == list(range(1, 8))
    assert [(e.count, e.first_id, e.last_id) for e in located.events[since:]] == [  # type: ignore[attr-defined]
        (2, 5, 6),
        (1, 7, 7),
    ]
    rerun = located.properties.load(props, actor=2, chunk_size=3, atomic=False)
    assert rerun == LoadSummary(loaded=0, skipped_existing=7, chunks=3)


def test_resumable_load_in_one_chunk_with_gaps(located: gsan_core.System) -> None:
    located.properties.register(valid_property(2), actor=1)
    summary = located.properties.load(
        [valid_property(i) for i in (9, 2, 4)], actor=1, atomic=False
    )
    assert summary == LoadSummary(loaded=2, skipped_existing=1, chunks=1)
    event = located.events[-1]
    assert isinstance(event, PropertiesLoaded)
    assert (event.first_id, event.last_id) == (4, 9)


def test_chunked_splits_any_iterable() -> None:
    props = [valid_property(i) for i in range(1, 6)]
    assert [[p.id for p in c] for c in chunked(iter(props), 2)] == [[1, 2], [3, 4], [5]]
    assert list(chunked([], 3)) == []


# ---------------------------------------------------------------- update
def test_update_a_property(located: gsan_core.System) -> None:
    located.properties.register(valid_property(1), actor=1)
    since = len(located.events)
    seen = located.properties.get(1)
    changed = located.properties.update(
        attrs.evolve(seen, block_face=7, profile_id=4), actor=21
    )
    assert (changed.version, changed.block_face, changed.profile_id) == (2, 7, 4)
    assert located.properties.get(1) == changed
    assert list(located.events[since:]) == [
        PropertyChanged(occurred_at=DEFAULT_NOW, actor=21, property_id=1, version=2)
    ]


def test_pro_3_update_never_moves_a_situation(located: gsan_core.System) -> None:
    located.properties.register(valid_property(1), actor=1)
    seen = located.properties.get(1)
    since = len(located.events)
    with pytest.raises(RuleViolation) as caught:
        located.properties.update(attrs.evolve(seen, water_status_id=5), actor=1)
    violation = only(caught.value.violations)
    assert (violation.code, violation.rule) == (
        "property.situation_change_not_allowed",
        "PRO-3",
    )
    assert located.properties.get(1) == seen
    assert list(located.events[since:]) == []


def test_stale_update_conflicts(located: gsan_core.System) -> None:
    located.properties.register(valid_property(1), actor=1)
    seen = located.properties.get(1)
    located.properties.update(attrs.evolve(seen, block_face=3), actor=1)
    with pytest.raises(ConcurrencyConflict) as caught:
        located.properties.update(attrs.evolve(seen, block_face=4), actor=2)
    assert (caught.value.entity, caught.value.id, caught.value.expected_version) == (
        "property",
        1,
        1,
    )
    stored = located.properties.get(1)
    assert (stored.block_face, stored.version) == (3, 2)


def test_update_of_a_missing_property(located: gsan_core.System) -> None:
    with pytest.raises(NotFound):
        located.properties.update(valid_property(404), actor=1)


def test_reads(located: gsan_core.System) -> None:
    located.properties.load(
        [
            valid_property(1),
            valid_property(2, water_status_id=5),
            valid_property(3, water_status_id=5, active=False),
            valid_property(4, route_id=None),
        ],
        actor=1,
    )
    assert located.properties.count_by_water_status() == {3: 2, 5: 1}
    assert [p.id for p in located.properties.find_by(water_status_id=5)] == [2, 3]
    assert [p.id for p in located.properties.find_by(route_id=None)] == [4]
    assert [p.id for p in located.properties.find_by(id=[4, 1, 99])] == [1, 4]
    with pytest.raises(NotFound):
        located.properties.get(404)


# ---------------------------------------------------------------- field lock
def test_field_lock_of_a_simultaneous_printing_route(located: gsan_core.System) -> None:
    located.properties.load_locations(
        actor=1,
        routes=[
            Route(
                id=2000,
                locality_id=1,
                sector_id=10,
                code=2,
                group_id=1,
                simultaneous_printing=True,
            )
        ],
    )
    located.properties.load(
        [valid_property(1, route_id=2000), valid_property(2)], actor=1
    )
    located.properties.lock_route_in_field(2000, reference=202501)
    located.properties.lock_route_in_field(1000, reference=202501)
    assert located.properties.locked_reference(1) == 202501
    assert located.properties.locked_reference(2) is None  # not simultaneous printing
    assert located.properties.locked_reference(404) is None
    located.properties.lock_route_in_field(2000, reference=202502)
    assert located.properties.locked_reference(1) == 202502
    located.properties.unlock_route(2000)
    assert located.properties.locked_reference(1) is None
    with pytest.raises(NotFound):
        located.properties.lock_route_in_field(404, reference=202501)
