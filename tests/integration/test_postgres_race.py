"""Two threads update the same row on PostgreSQL: one wins, nothing is lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.testing import FixedClock
from gsan_core.testing.contracts import location
from gsan_core.testing.request_utility import CHANNEL_PHONE, build_request_utility
from tests.conftest import POSTGRES_URL, PostgresSchema
from tests.integration.budgets import budget_system
from tests.services.conftest import valid_property

pytestmark = pytest.mark.postgres


def race(*workers: Callable[[], None]) -> list[BaseException | None]:
    """Run the workers at once (after a barrier); the exception of each, or None."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[BaseException | None] = [None] * len(workers)

    def run(index: int, work: Callable[[], None]) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_same_row_compare_and_set_one_wins(postgres: PostgresSchema) -> None:
    backend = postgres.reset()
    with backend.uow_factory() as uow:
        uow.catalog.add(CatalogItem(kind="cut_reason", id=1, description="ORIGINAL"))
        uow.commit()
    with backend.uow_factory() as uow:
        seen = uow.catalog.get("cut_reason", 1)
    read = threading.Barrier(2)

    def writer(description: str) -> Callable[[], None]:
        def work() -> None:
            with backend.uow_factory() as uow:
                mine = uow.catalog.get("cut_reason", 1)
                assert mine == seen
                read.wait()  # both read version 1 before either writes
                uow.catalog.update(
                    attrs.evolve(mine, description=description, version=2)
                )
                uow.commit()

        return work

    outcomes = race(writer("PRIMEIRO"), writer("SEGUNDO"))
    conflicts = [o for o in outcomes if isinstance(o, ConcurrencyConflict)]
    assert len(conflicts) == 1, outcomes
    assert outcomes.count(None) == 1
    winner = ["PRIMEIRO", "SEGUNDO"][outcomes.index(None)]
    loser = ["PRIMEIRO", "SEGUNDO"][outcomes.index(conflicts[0])]
    with backend.uow_factory() as uow:
        stored = uow.catalog.get("cut_reason", 1)
    assert (stored.description, stored.version) == (winner, 2)
    # nothing lost: the loser re-reads and applies its change on top
    with backend.uow_factory() as uow:
        current = uow.catalog.get("cut_reason", 1)
        uow.catalog.update(
            attrs.evolve(current, abbreviation=loser[:3], version=current.version + 1)
        )
        uow.commit()
    with backend.uow_factory() as uow:
        final = uow.catalog.get("cut_reason", 1)
    assert (final.description, final.abbreviation, final.version) == (
        winner,
        loser[:3],
        3,
    )


def test_same_property_through_the_service_one_wins(postgres: PostgresSchema) -> None:
    backend = postgres.reset()
    system = gsan_core.System(
        uow_factory=backend.uow_factory, backend=backend, clock=FixedClock()
    )
    system.seed()
    loc, sector, block, route = location()
    system.properties.load_locations(
        actor=1, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )
    system.properties.register(valid_property(1), actor=1)
    seen = system.properties.get(1)

    outcomes = race(
        lambda: system.properties.update(attrs.evolve(seen, block_face=5), actor=10),
        lambda: system.properties.update(attrs.evolve(seen, profile_id=4), actor=20),
    )
    assert sorted(type(o).__name__ for o in outcomes) == [
        "ConcurrencyConflict",
        "NoneType",
    ]
    stored = system.properties.get(1)
    assert stored.version == 2
    winner = outcomes.index(None)
    assert (stored.block_face, stored.profile_id) == ((5, 1) if winner == 0 else (2, 4))
    changed = [e for e in system.events if type(e).tag == "property.changed"]
    assert [e.actor for e in changed] == [10 if winner == 0 else 20]
    # the loser retries on the stored version: both changes survive
    if winner == 0:
        system.properties.update(attrs.evolve(stored, profile_id=4), actor=20)
    else:
        system.properties.update(attrs.evolve(stored, block_face=5), actor=10)
    final = system.properties.get(1)
    assert (final.block_face, final.profile_id, final.version) == (5, 4, 3)


def test_a_lock_waited_past_the_lock_timeout_is_a_conflict(
    postgres: PostgresSchema,
) -> None:
    """A unit of work that waits for a root longer than ``lock_timeout_ms`` gets
    ``ConcurrencyConflict`` (SQLSTATE 55P03), not a persistence error."""
    backend = postgres.reset()
    with backend.uow_factory() as uow:
        uow.catalog.add(CatalogItem(kind="cut_reason", id=1, description="X"))
        uow.take_numbers("x", 1)
        uow.commit()
    assert POSTGRES_URL is not None
    impatient = SqlBackend(
        create_engine(POSTGRES_URL, lock_timeout_ms=150), tables=backend.tables
    )
    with backend.uow_factory() as holder:
        holder.lock_key("x")
        started = time.monotonic()
        with pytest.raises(ConcurrencyConflict), impatient.uow_factory() as uow:
            uow.lock_key("x")
        assert time.monotonic() - started < 5
    with impatient.uow_factory() as uow:  # free again
        uow.lock_key("x")
    impatient.engine.dispose()


def test_a_closed_request_reactivated_twice_at_once_is_reactivated_once(
    postgres: PostgresSchema,
) -> None:
    """REA (UC0426): the closed request's lock, then what reactivating it
    reads (its successors among them, read ahead after the lock): the second
    reactivation waits for the first and sees its new request."""
    backend = postgres.reset()
    system = budget_system(backend)
    utility = build_request_utility(system, properties=2, actor=0)
    home = utility.town.properties[0].id
    opened = system.service_requests.open(
        specification_id=679,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        actor=utility.attendant,
        location=RequestLocation(property_id=home),
        requesters=(Requester(name="ANA", address="RUA 1"),),
    )
    closed = opened.request.id
    system.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    system.service_requests.close(
        request_id=closed, reason_id=4, actor=utility.attendant
    )
    system.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]

    def reactivate() -> None:
        system.service_requests.reactivate(
            request_id=closed,
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
        )

    outcomes = race(reactivate, reactivate)
    assert outcomes.count(None) == 1, outcomes
    refused = [o for o in outcomes if o is not None]
    assert isinstance(refused[0], RuleViolation), refused
    assert len(system.service_requests.find_by(reactivation_of_id=closed)) == 1
