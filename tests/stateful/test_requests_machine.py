"""The service-request state machine on memory and SQLite."""

from __future__ import annotations

import functools

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

import gsan_core
from gsan_core.model.service_requests import RequestSituation
from gsan_core.profiles import LoadedProfile
from gsan_core.testing import FixedClock, machines_requests
from gsan_core.testing.machines_requests import request_machine
from gsan_core.testing.request_utility import request_profile
from tests.stateful.conftest import memory_copy, sqlite_copy


@functools.cache
def _profile() -> LoadedProfile:
    return request_profile()


# Each example copies the profile's seeded template (memory or SQLite) rather
# than seeding a new store (~0.1 s) or database (~1 s).
def _memory() -> gsan_core.System:
    return memory_copy(_profile())


def _sqlite() -> gsan_core.System:
    return sqlite_copy(_profile(), clock=FixedClock())


def test_service_request_machine_in_memory() -> None:
    machine = request_machine(_memory)
    run_state_machine_as_test(machine)


def test_service_request_machine_on_sqlite() -> None:
    run_state_machine_as_test(
        request_machine(_sqlite),
        settings=settings(settings.default, max_examples=8),
    )


@pytest.mark.slow
def test_service_request_machine_on_sqlite_long() -> None:
    run_state_machine_as_test(request_machine(_sqlite))


def test_service_request_machine_scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    """One fixed walk through the rules, so that every rule's outcome is taken
    at least once whatever Hypothesis draws: an order closed that closes its
    request, a reactivation, refusals."""
    monkeypatch.setattr(machines_requests, "event", lambda _: None)
    machine = request_machine(_memory)()
    try:
        machine.start()
        first = machine.open(
            specification=679, index=0, unit="call_centre", free_text=False
        )
        assert first > 0
        assert (
            machine.open(
                specification=679, index=0, unit="call_centre", free_text=False
            )
            == -1
        )  # the hard duplicate
        machine.forward(first, destination=1, user=0)
        machine.close_order(first, executed=True, contractor=False)
        machine.reiterate(first, days=1)
        machine.close(first, reason=4, reference=None, user=4)
        new = machine.reactivate(first)
        assert new > first
        assert machine.reactivate(first) == -1  # reactivated once only
        closes = machine.open(
            specification=684, index=1, unit="call_centre", free_text=False
        )
        machine.close_order(closes, executed=True, contractor=False)
        assert machine.model[closes] is RequestSituation.CLOSED  # by the order
        for check in (
            machine.one_current_unit_the_last_destination,
            machine.closed_requests_never_change,
            machine.situations_agree_with_the_model,
        ):
            check()
    finally:
        machine.teardown()
