"""The composition root: ``in_memory``, ``System`` options and lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.calendar import HolidaysCalendar
from gsan_core.adapters.clock import SystemClock
from gsan_core.adapters.memory import MemoryStore, memory_uow_factory
from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile
from gsan_core.testing import FixedClock, SequentialIds, SteppingClock


def test_in_memory_defaults() -> None:
    gsan = gsan_core.in_memory()
    assert repr(gsan) == "<System profile='gsan_default'>"
    assert isinstance(gsan.backend, MemoryStore)
    assert gsan.clock.now() == gsan_core.testing.DEFAULT_NOW
    assert isinstance(gsan.calendar, HolidaysCalendar)
    assert gsan.calendar.state == "PA"
    assert len(gsan.events) == gsan.loaded_profile.row_count


def test_in_memory_options() -> None:
    at = datetime(2030, 5, 1, tzinfo=UTC)
    calendar = HolidaysCalendar(state="SP")
    gsan = gsan_core.in_memory("cagepa", now=at, calendar=calendar, seed=False)
    assert gsan.profile.name == "cagepa"
    assert gsan.clock.now() == at
    assert gsan.calendar is calendar
    assert gsan.catalog.list("water_status") == []
    assert gsan.events == ()
    stepping = SteppingClock(at)
    assert gsan_core.in_memory(clock=stepping, seed=False).clock.source is stepping


def test_in_memory_with_given_ids() -> None:
    ids = SequentialIds(500)
    gsan = gsan_core.in_memory(ids=ids, seed=False)
    with gsan.uow_factory() as uow:
        assert uow.next_id("x") == 500
        assert list(uow.next_ids("x", 2)) == [501, 502]


def test_profile_sources(tmp_path: Path) -> None:
    plain = gsan_core.in_memory(UtilityProfile(name="bare", state="RJ"))
    assert plain.profile.name == "bare"
    assert plain.loaded_profile.source == "<given>"
    assert plain.seed() == 0
    loaded = profiles.load("cagepa")
    assert gsan_core.in_memory(loaded).loaded_profile is loaded
    path = tmp_path / "p.toml"
    path.write_text('extends = "gsan_default"\nname = "file"\n', encoding="utf-8")
    assert gsan_core.in_memory(path).profile.name == "file"
    with pytest.raises(ConfigurationError):
        gsan_core.in_memory("no_such_profile")


def test_system_defaults_to_the_system_clock_and_profile_calendar() -> None:
    gsan = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds())
    )
    assert isinstance(gsan.clock.source, SystemClock)
    assert not gsan.clock.settable
    assert gsan.clock.now().tzinfo is UTC
    assert gsan.profile.name == "gsan_default"
    assert gsan.calendar.is_holiday(date(2025, 8, 15), scope="state")  # Pará


def test_without_kept_events_sinks_still_receive_them() -> None:
    received: list[object] = []
    gsan = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds()),
        clock=FixedClock(),
        keep_events=False,
    )
    gsan.subscribe(received.extend)
    assert gsan.seed() > 0
    assert gsan.events == ()
    assert len(received) == gsan.loaded_profile.row_count


def test_joining_needs_the_sql_backend() -> None:
    with pytest.raises(ConfigurationError, match="needs the SQL backend"):
        gsan_core.in_memory().joining(object())


def test_close_runs_once_and_the_system_is_a_context_manager() -> None:
    closed: list[int] = []
    gsan = gsan_core.System(
        uow_factory=memory_uow_factory(MemoryStore(), SequentialIds()),
        on_close=lambda: closed.append(1),
    )
    with gsan as same:
        assert same is gsan
    gsan.close()
    assert closed == [1]
    gsan_core.in_memory(seed=False).close()  # nothing to release


def test_the_public_api() -> None:
    assert gsan_core.__version__ == "0.1.0.dev0"
    for name in gsan_core.__all__:
        assert hasattr(gsan_core, name)
    assert gsan_core.SETUP_ACTOR == 0


def test_services_take_local_dates_in_the_utility_zone() -> None:
    from gsan_core.services.catalog import CatalogService  # noqa: PLC0415

    belem = gsan_core.in_memory()  # America/Belem, UTC-3
    service: CatalogService = belem.catalog
    late_evening = datetime(2025, 1, 7, 2, 30, tzinfo=UTC)  # 23:30 on the 6th
    assert service._local_date(late_evening) == date(2025, 1, 6)
    assert service._ctx.zone.key == "America/Belem"
    assert service.profile is belem.profile
