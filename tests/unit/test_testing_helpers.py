"""Deterministic clocks, ids and the synthetic town (``gsan_core.testing``)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import gsan_core
from gsan_core.model.properties import NetworkIndicator
from gsan_core.testing import DEFAULT_NOW, FixedClock, SequentialIds, SteppingClock
from gsan_core.testing.town import (
    BLOCKS_PER_ROUTE,
    PROPERTIES_PER_ROUTE,
    WATER_MIX,
    load_town,
    small_town,
    water_status_for,
)

NAIVE = datetime(2025, 1, 6, 9, 0)  # noqa: DTZ001 - the point of the test


# ---------------------------------------------------------------- clocks
def test_default_now_is_monday_nine_in_brasilia() -> None:
    local = DEFAULT_NOW.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
    assert DEFAULT_NOW.tzinfo is UTC


def test_fixed_clock_stays_until_moved() -> None:
    clock = FixedClock()
    assert clock.now() == clock.now() == DEFAULT_NOW
    later = datetime(2025, 2, 1, tzinfo=UTC)
    clock.set(later)
    assert clock.now() == later
    assert clock.advance() == later + timedelta(days=1)
    assert clock.advance(timedelta(hours=2)) == later + timedelta(days=1, hours=2)
    assert clock.now() == later + timedelta(days=1, hours=2)


def test_stepping_clock_moves_on_every_read() -> None:
    clock = SteppingClock(DEFAULT_NOW, timedelta(minutes=5))
    assert [clock.now() for _ in range(3)] == [
        DEFAULT_NOW,
        DEFAULT_NOW + timedelta(minutes=5),
        DEFAULT_NOW + timedelta(minutes=10),
    ]
    default = SteppingClock()
    assert default.now() + timedelta(seconds=1) == default.now()


@pytest.mark.parametrize(
    "make",
    [FixedClock, SteppingClock, lambda at: FixedClock().set(at)],
    ids=["fixed", "stepping", "fixed.set"],
)
def test_clocks_refuse_naive_datetimes(make: object) -> None:
    with pytest.raises(ValueError, match="clocks need an aware datetime"):
        make(NAIVE)  # type: ignore[operator]


# ---------------------------------------------------------------- ids
def test_sequential_ids_per_kind() -> None:
    ids = SequentialIds()
    assert ids.next_id("a") == 1
    assert list(ids.next_ids("a", 3)) == [2, 3, 4]
    assert ids.next_id("b") == 1
    assert ids.next_id("a") == 5
    assert list(ids.next_ids("c", 0)) == []
    assert ids.next_id("c") == 1


def test_sequential_ids_from_a_start() -> None:
    ids = SequentialIds(100, starts={"property": 1_000_001})
    assert ids.next_id("unit") == 100
    assert ids.next_id("property") == 1_000_001
    assert ids.next_id("property") == 1_000_002


def test_sequential_ids_are_thread_safe() -> None:
    ids = SequentialIds()
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        mine = [i for _ in range(200) for i in ids.next_ids("x", 3)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 2401))


# ---------------------------------------------------------------- town
def test_water_status_for_follows_the_cumulative_mix() -> None:
    assert water_status_for(0.0) == 3
    assert water_status_for(0.8299) == 3
    assert water_status_for(0.83) == 6
    assert water_status_for(0.935) == 5
    assert water_status_for(0.994) == 1
    assert water_status_for(0.99999) == 2
    assert water_status_for(1.0) == WATER_MIX[-1][0]


def test_small_town_is_deterministic_for_a_seed() -> None:
    assert small_town(properties=500, seed=11) == small_town(properties=500, seed=11)
    assert small_town(properties=500, seed=11) != small_town(properties=500, seed=12)


def test_small_town_shape() -> None:
    town = small_town(properties=400, localities=3)
    routes = -(-400 // PROPERTIES_PER_ROUTE)
    assert len(town.properties) == 400
    assert len(town.routes) == routes
    assert len(town.blocks) == routes * BLOCKS_PER_ROUTE
    assert len(town.localities) == len(town.sectors) == 3
    assert len(town.units) == len(town.users) == 1 + 3 * 3
    assert len({p.id for p in town.properties}) == 400
    blocks = {b.id: b for b in town.blocks}
    routes_by_id = {r.id: r for r in town.routes}
    for prop in town.properties:
        route = routes_by_id[prop.route_id]  # type: ignore[index]
        block = blocks[prop.block_id]
        assert (prop.locality_id, prop.sector_id) == (
            route.locality_id,
            route.sector_id,
        )
        assert (block.locality_id, block.sector_id) == (
            prop.locality_id,
            prop.sector_id,
        )
        assert prop.economies >= 1
        if prop.sewer_status_id != 1:
            assert block.sewer_network is NetworkIndicator.NETWORK


def test_small_town_of_one_route() -> None:
    town = small_town(properties=1, localities=1)
    assert (len(town.routes), len(town.properties)) == (1, 1)


def test_caer_water_mix_within_two_points_on_twenty_thousand_properties() -> None:
    town = small_town(properties=20_000)
    counts = Counter(p.water_status_id for p in town.properties)
    previous = 0.0
    for status, cumulative in WATER_MIX:
        expected = cumulative - previous
        previous = cumulative
        share = counts[status] / 20_000
        assert abs(share - expected) <= 0.02, (status, share, expected)
    assert set(counts) == {status for status, _ in WATER_MIX}


def test_load_town_fills_a_system() -> None:
    town = small_town(properties=200)
    gsan = gsan_core.in_memory()
    load_town(gsan, town, actor=7)
    assert sum(gsan.properties.count_by_water_status().values()) == 200
    assert len(gsan.units.tree()) == len(town.units)
    assert gsan.units.user(1).name == "ADMINISTRADOR"
    loaded = [e for e in gsan.events if type(e).tag == "property.bulk_loaded"]
    assert [(e.actor, e.count) for e in loaded] == [(7, 200)]  # type: ignore[attr-defined]


def test_load_town_needs_a_system() -> None:
    with pytest.raises(AssertionError):
        load_town(object(), small_town(properties=1))
