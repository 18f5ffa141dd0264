"""The contract of the scheduling repositories, shipped for integrators.

Subclass it like :class:`gsan_core.testing.contracts.UnitOfWorkContract`, with a
``uow_factory`` fixture returning units of work over an empty, migrated store::

    class TestMyScheduling(SchedulingRepositoriesContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity
from gsan_core.model.scheduling import (
    Schedule,
    ScheduledOrder,
    ScheduleOutcome,
    SpecialDay,
    TeamFollower,
)
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork

__all__ = ["SchedulingRepositoriesContract"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2026, 12, 7, 10, 0, tzinfo=timezone(timedelta(hours=-3)))
MONDAY = date(2026, 12, 7)


def _row(ident: int, **changes: Any) -> ScheduledOrder:
    base = ScheduledOrder(
        id=ident,
        schedule_id=1,
        order_id=100 + ident,
        team_id=1,
        unit_id=10,
        on=MONDAY,
        sequence=ident,
        scheduled_by=3,
        scheduled_at=AT,
    )
    return attrs.evolve(base, **changes)


class SchedulingRepositoriesContract:
    """Roteiros, programmings, special days and followers of one adapter."""

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    def test_roteiros_by_unit_and_dates(self, uow_factory: Factory) -> None:
        days = [MONDAY + timedelta(days=n) for n in (0, 1, 8, 40)]
        schedules = [
            Schedule(id=n, unit_id=10, on=day) for n, day in enumerate(days, start=1)
        ]
        with uow_factory() as uow:
            uow.schedules.add_many(
                [*schedules, Schedule(id=9, unit_id=11, on=MONDAY, closed=True)]
            )
            uow.commit()
        with uow_factory() as uow:
            found = uow.schedules.between(10, date(2026, 12, 1), date(2026, 12, 31))
            assert found == schedules[:3]
            assert uow.schedules.between(11, MONDAY, MONDAY)[0].closed
            assert uow.schedules.find_by(unit_id=10, on=[days[1], days[3]]) == [
                schedules[1],
                schedules[3],
            ]
        with uow_factory() as uow, pytest.raises(DuplicateEntity):
            uow.schedules.add(schedules[0])

    def test_programmings_round_trip_and_filters(self, uow_factory: Factory) -> None:
        rows = [
            _row(1),
            _row(2, team_id=2, principal=False),
            _row(
                3,
                active=False,
                outcome=ScheduleOutcome.NOT_CLOSED,
                reason_id=5,
                missing_equipment_id=1,
                closed_by=4,
            ),
            _row(4, on=MONDAY + timedelta(days=1)),
        ]
        with uow_factory() as uow:
            uow.programmings.add_many(rows)
            uow.commit()
        with uow_factory() as uow:
            repo = uow.programmings
            assert repo.get(3) == rows[2]
            assert repo.find_by(unit_id=10, on=[MONDAY], active=True) == rows[:2]
            assert repo.find_by(unit_id=10, on=MONDAY, team_id=[1], active=True) == [
                rows[0]
            ]
            assert repo.find_by(order_id=[101, 104], active=True) == [rows[0], rows[3]]
            assert repo.count_by(active=False) == 1

    def test_programmings_compare_and_set(self, uow_factory: Factory) -> None:
        with uow_factory() as uow:
            uow.programmings.add(_row(1))
            uow.commit()
        moved = attrs.evolve(_row(1), sequence=2, version=2)
        with uow_factory() as uow:
            uow.programmings.update_many([moved])
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(ConcurrencyConflict):
                uow.programmings.update(attrs.evolve(moved, sequence=3))
            uow.rollback()
        with uow_factory() as uow:
            assert uow.programmings.get(1) == moved

    def test_special_days_and_followers(self, uow_factory: Factory) -> None:
        day = SpecialDay(id=1, team_id=1, on=date(2026, 12, 12), created_by=3)
        follower = TeamFollower(id=7, nature_ids={2, 1}, team_ids={9})
        with uow_factory() as uow:
            uow.special_days.add(day)
            uow.team_followers.add(follower)
            uow.commit()
        with uow_factory() as uow:
            assert uow.special_days.find_by(team_id=1, on=day.on) == [day]
            assert uow.team_followers.get(7) == follower
            uow.team_followers.update(attrs.evolve(follower, team_ids=(), version=2))
            uow.commit()
        with uow_factory() as uow:
            assert uow.team_followers.get(7).team_ids == frozenset()

    def test_the_candidates_of_automatic_scheduling(self, uow_factory: Factory) -> None:
        """UC1190 reads a unit's open, unprogrammed orders of automatic types."""
        automatic = ServiceType(
            id=1, description="A", abbreviation="A", automatic_scheduling=True
        )
        manual = ServiceType(id=2, description="M", abbreviation="M")

        def order(ident: int, **changes: Any) -> ServiceOrder:
            base = ServiceOrder(
                id=ident,
                service_type_id=1,
                generated_at=AT,
                current_unit_id=10,
                property_id=5,
                request_id=None,
            )
            return attrs.evolve(base, **changes)

        with uow_factory() as uow:
            uow.service_types.add_many([automatic, manual])
            uow.service_orders.add_many(
                [
                    order(1),
                    order(2, situation=OrderSituation.IN_EXECUTION, version=3),
                    order(3, service_type_id=2),
                    order(4, scheduled=True),
                    order(5, situation=OrderSituation.CLOSED),
                    order(6, current_unit_id=11),
                    order(7, situation=OrderSituation.AWAITING_RELEASE),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            found = uow.service_orders.schedulable(10)
        assert [(o.id, o.version, o.property_id) for o in found] == [
            (1, 1, 5),
            (2, 3, 5),
        ]
        assert found[0].generated_at == AT

    def test_a_roteiro_key_queues_a_second_writer(self, uow_factory: Factory) -> None:
        """Two units of work locking the same roteiro key: the second waits for
        the first's commit and then reads its row (``docs/concurrency.md``)."""
        seen: list[int] = []
        first_has_it = threading.Event()
        release = threading.Event()

        def first() -> None:
            with uow_factory() as uow:
                uow.lock_key("schedule:10:2026-12-07")
                uow.programmings.add(_row(1))
                first_has_it.set()
                release.wait(5)
                uow.commit()

        def second() -> None:
            first_has_it.wait(5)
            with uow_factory() as uow:
                uow.lock_key("schedule:10:2026-12-07")
                seen.append(uow.programmings.count_by(unit_id=10, on=MONDAY))
                uow.commit()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        first_has_it.wait(5)
        release.set()
        for thread in threads:
            thread.join(15)
        assert seen == [1]
