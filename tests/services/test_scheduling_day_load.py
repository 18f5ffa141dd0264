"""The programmings' day load and day lock (``ProgrammingRepository``, issue
20's eighth round): one read of what a command changing a roteiro's day
reads under its locks, the same on every backend."""

from __future__ import annotations

from datetime import timedelta

from gsan_core.services.service_orders.programmings import (
    schedule_key,
    schedule_key_around,
)
from tests.services.scheduling_support import MONDAY, QUICK, REPAIR, Dispatch, dispatch

__all__ = ["dispatch"]

TUESDAY = MONDAY + timedelta(days=1)


def test_a_day_load_reads_the_day_s_rows_minutes_teams_and_roteiros(
    dispatch: Dispatch,
) -> None:
    """The unit's active rows of the day (of the teams asked), the rows of the
    orders asked on any day, their orders' minutes, the teams and roteiros."""
    first, second, elsewhere = (dispatch.order(t) for t in (REPAIR, QUICK, QUICK))
    dispatch.program(first)
    dispatch.program(second, team=dispatch.other)
    dispatch.program(elsewhere, on=TUESDAY)
    removed = dispatch.order(QUICK)
    dispatch.program(removed)
    dispatch.gsan.scheduling.remove(
        order_id=removed.id, on=MONDAY, actor=dispatch.place.technician
    )
    office = dispatch.place.office
    with dispatch.gsan.uow_factory() as uow:
        every = uow.programmings.load_days(office, [MONDAY], teams=[dispatch.other.id])
        mine = uow.programmings.load_days(
            office,
            [MONDAY],
            of_teams=[dispatch.team.id],
            orders=[elsewhere.id],
        )
    assert [r.order_id for r in every.rows] == [first.id, second.id]
    assert every.minutes == {first.id: 120, second.id: 30}
    assert list(every.teams) == [dispatch.other.id]
    assert list(every.schedules) == [MONDAY]
    assert every.schedules[MONDAY].id == every.rows[0].schedule_id
    assert [r.order_id for r in mine.rows] == [first.id, elsewhere.id]
    assert mine.minutes == {first.id: 120, elsewhere.id: 30}
    assert mine.teams == {}
    assert [r.on for r in mine.rows] == [MONDAY, TUESDAY]


def test_a_day_lock_is_taken_from_the_order_s_programming(dispatch: Dispatch) -> None:
    """The unit of the order's active programming of the day, its key locked
    (the key ``schedule_key`` names); ``None`` without one."""
    order, idle = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(order)
    office = dispatch.place.office
    with dispatch.gsan.uow_factory() as uow:
        found = uow.programmings.lock_day_of(
            order.id, MONDAY, schedule_key_around(MONDAY)
        )
        assert found == office
        assert uow.programmings.lock_day_of(idle.id, MONDAY, ("a:", ":b")) is None
        assert uow.programmings.lock_day_of(order.id, TUESDAY, ("a:", ":b")) is None
    assert schedule_key(office, MONDAY) == "".join(
        (schedule_key_around(MONDAY)[0], str(office), schedule_key_around(MONDAY)[1])
    )
