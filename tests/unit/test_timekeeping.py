"""``gsan.clock`` and ``gsan.today()``: reading and moving a system's time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import gsan_core
from gsan_core.adapters.clock import SystemClock
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.testing import DEFAULT_NOW, FixedClock, SequentialIds, SteppingClock
from gsan_core.timekeeping import SettableClock, Timekeeper

BELEM = ZoneInfo("America/Belem")


def test_today_is_the_date_in_the_profile_timezone() -> None:
    # 01:30 UTC on the 7th is still the 6th in São Paulo (UTC-3)
    late = datetime(2025, 1, 7, 1, 30, tzinfo=UTC)
    gsan = gsan_core.in_memory(now=late, seed=False)
    assert gsan.today() == date(2025, 1, 6)
    assert gsan.clock.today() == date(2025, 1, 6)
    assert gsan.clock.now() == late


def test_set_takes_aware_naive_and_bare_dates() -> None:
    gsan = gsan_core.in_memory(seed=False)
    zone = ZoneInfo(gsan.profile.timezone)
    assert gsan.clock.settable
    at = datetime(2025, 2, 1, 15, tzinfo=UTC)
    assert gsan.clock.set(at) == at
    naive = datetime(2025, 2, 3, 8)  # noqa: DTZ001 - read in the profile's zone
    assert gsan.clock.set(naive) == datetime(2025, 2, 3, 8, tzinfo=zone)
    assert gsan.clock.set(date(2025, 3, 3)) == datetime(2025, 3, 3, 9, tzinfo=zone)
    assert gsan.today() == date(2025, 3, 3)


def test_advance_moves_forward_by_the_given_amounts() -> None:
    gsan = gsan_core.in_memory(seed=False)
    assert gsan.clock.advance() == DEFAULT_NOW + timedelta(days=1)
    assert gsan.clock.advance(timedelta(minutes=15)) == DEFAULT_NOW + timedelta(
        days=1, minutes=15
    )
    assert gsan.clock.advance(days=1, hours=2) == DEFAULT_NOW + timedelta(
        days=2, hours=2, minutes=15
    )
    with pytest.raises(ValueError, match="only moves forward"):
        gsan.clock.advance(days=-1)


def test_the_services_read_the_moved_time() -> None:
    gsan = gsan_core.in_memory()
    gsan.clock.set(datetime(2025, 5, 5, 12, tzinfo=UTC))
    reason = gsan.catalog.add("cut_reason", description="FRAUDE", actor=1)
    added = [e for e in gsan.events if getattr(e, "item_id", None) == reason.id]
    assert added[-1].occurred_at == datetime(2025, 5, 5, 12, tzinfo=UTC)


def test_a_given_fixed_clock_is_the_one_moved() -> None:
    fixed = FixedClock()
    gsan = gsan_core.in_memory(clock=fixed, seed=False)
    gsan.clock.advance(hours=1)
    assert fixed.now() == DEFAULT_NOW + timedelta(hours=1)
    fixed.set(DEFAULT_NOW)
    assert gsan.clock.now() == DEFAULT_NOW
    assert gsan.clock.source is fixed
    assert isinstance(fixed, SettableClock)


def test_the_real_clock_cannot_be_moved() -> None:
    gsan = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds())
    )
    assert isinstance(gsan.clock.source, SystemClock)
    assert not gsan.clock.settable
    assert "(real)" in repr(gsan.clock)
    with pytest.raises(gsan_core.ConfigurationError, match="settable clock"):
        gsan.clock.advance(days=1)
    with pytest.raises(gsan_core.ConfigurationError, match="FixedClock"):
        gsan.clock.set(date(2025, 1, 1))
    stepping = gsan_core.in_memory(clock=SteppingClock(), seed=False)
    assert not stepping.clock.settable


def test_a_timekeeper_never_wraps_another() -> None:
    fixed = FixedClock()
    outer = Timekeeper(Timekeeper(fixed, timezone="UTC"), timezone="America/Belem")
    assert outer.source is fixed
    assert outer.zone == BELEM
    assert "(settable)" in repr(outer)
