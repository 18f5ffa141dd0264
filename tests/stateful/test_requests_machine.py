"""The service-request state machine on memory and SQLite."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

import gsan_core
from gsan_core.testing import FixedClock
from gsan_core.testing.machines_requests import request_machine
from gsan_core.testing.request_utility import request_profile
from tests.conftest import sqlite_backend


def test_service_request_machine_in_memory() -> None:
    machine = request_machine(lambda: gsan_core.in_memory(request_profile()))
    run_state_machine_as_test(machine)


def test_service_request_machine_on_sqlite(tmp_path: Path) -> None:
    numbers = itertools.count()

    def factory() -> gsan_core.System:
        backend = sqlite_backend(tmp_path / f"machine{next(numbers)}.db")
        system = gsan_core.System(
            uow_factory=backend.uow_factory,
            profile=request_profile(),
            clock=FixedClock(),
            on_close=backend.dispose,
        )
        system.seed()
        return system

    run_state_machine_as_test(
        request_machine(factory),
        settings=settings(settings.default, max_examples=8),
    )


@pytest.mark.slow
def test_service_request_machine_on_sqlite_long(tmp_path: Path) -> None:
    numbers = itertools.count()

    def factory() -> gsan_core.System:
        backend = sqlite_backend(tmp_path / f"long{next(numbers)}.db")
        system = gsan_core.System(
            uow_factory=backend.uow_factory,
            profile=request_profile(),
            clock=FixedClock(),
            on_close=backend.dispose,
        )
        system.seed()
        return system

    run_state_machine_as_test(request_machine(factory))
