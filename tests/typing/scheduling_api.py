"""Static checks of the scheduling public API (``mypy tests/typing``).

Nothing here runs: mypy --strict checks that the documented calls type-check and
return what the docs promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import assert_type

import gsan_core
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.scheduling import ScheduledOrder, SpecialDay, TeamFollower
from gsan_core.model.service_orders import (
    OrderSituation,
    ServiceOrder,
    ServiceType,
    Team,
)
from gsan_core.rules.scheduling.automatic import Placement, ScorePart
from gsan_core.services.scheduling import (
    AutomaticScheduling,
    DayClosing,
    RouteStop,
    ScheduleDay,
    TeamDay,
)


def scheduling_api(gsan: gsan_core.System, today: date) -> None:
    scheduling = gsan.scheduling
    rows = scheduling.program(
        unit_id=1, on=today, team_ids=[1], order_ids=[2, 3], actor=1, sequence=1
    )
    assert_type(rows, list[ScheduledOrder])
    assert_type(
        scheduling.move(order_id=2, on=today, to_team_id=4, actor=1), ScheduledOrder
    )
    assert_type(
        scheduling.reorder(order_id=2, on=today, sequence=1, actor=1),
        list[ScheduledOrder],
    )
    assert_type(scheduling.remove(order_id=3, on=today, actor=1), ServiceOrder)
    assert_type(
        scheduling.inform_situation(
            order_id=2,
            on=today,
            situation=OrderSituation.PENDING,
            reason_id=1,
            actor=1,
        ),
        ServiceOrder,
    )
    assert_type(scheduling.close_day(unit_id=1, on=today, actor=1), DayClosing)
    assert_type(scheduling.calendar(unit_id=1, year=2026, month=12), list[date])
    day = scheduling.day(unit_id=1, on=today)
    assert_type(day, ScheduleDay)
    assert_type(day.team(1), TeamDay)
    assert_type(day.team(1).percent_used, float)
    assert_type(scheduling.route(team_id=1, on=today), list[RouteStop])
    assert_type(scheduling.programmings(order_id=2), Sequence[ScheduledOrder])
    assert_type(
        scheduling.add_special_day(team_id=1, on=today, actor=1, confirmed=True),
        SpecialDay,
    )
    assert_type(
        scheduling.set_followed_teams(user_id=1, nature_ids=[1], actor=1),
        TeamFollower,
    )
    assert_type(scheduling.followed_teams(user_id=1), list[Team])
    assert_type(
        scheduling.inform_calibration(changes={1: (2, 3)}, actor=1),
        list[CatalogItem],
    )
    assert_type(
        scheduling.set_service_type_importance(importances={620: 1}, actor=1),
        list[ServiceType],
    )
    run = scheduling.schedule_automatically(unit_id=1, on=today, actor=1)
    assert_type(run, AutomaticScheduling)
    assert_type(run.placements, tuple[Placement, ...])
    assert_type(run.placements[0].parts, tuple[ScorePart, ...])
    assert_type(run.placed_per_team(), dict[int, int])
