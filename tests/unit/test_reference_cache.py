"""The SQL backend's cache of reference rows read by id (issue 20)."""

from __future__ import annotations

from gsan_core.adapters.sqlalchemy.reference import MISSING, ReferenceCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_row_is_kept_for_ttl_seconds() -> None:
    clock = Clock()
    cache = ReferenceCache(30, clock=clock)
    cache.put("unit", 1, "SEDE", cache.generation("unit"))
    assert cache.get("unit", 1) == "SEDE"
    clock.now = 31
    assert cache.get("unit", 1) is MISSING


def test_a_row_known_missing_is_kept_as_none() -> None:
    cache = ReferenceCache(30)
    cache.put("unit", 9, None, cache.generation("unit"))
    assert cache.get("unit", 9) is None


def test_a_write_forgets_the_table_and_a_racing_read_is_not_kept() -> None:
    cache = ReferenceCache(30)
    cache.put("user", 1, "ANA", cache.generation("user"))
    cache.put("unit", 1, "SEDE", cache.generation("unit"))
    before = cache.generation("user")  # a read starts...
    cache.invalidate({"user"})  # ...a writer commits meanwhile
    cache.put("user", 1, "ANA (old)", before)
    assert cache.get("user", 1) is MISSING
    assert cache.get("unit", 1) == "SEDE"
    cache.invalidate(())


def test_a_ttl_of_zero_turns_the_cache_off() -> None:
    cache = ReferenceCache(0)
    cache.put("unit", 1, "SEDE", cache.generation("unit"))
    assert cache.get("unit", 1) is MISSING
