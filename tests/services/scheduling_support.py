"""Fixtures of the scheduling tests: a scenario's office with two teams of five
hours and a two-hour service type, on a Monday."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.scheduling import ScheduledOrder
from gsan_core.model.service_orders import ServiceOrder, ServiceType, Team
from gsan_core.testing import FixedClock
from gsan_core.testing.scenarios import Place, Scenario

#: Monday 2026-12-07, 10:00 in Belém.
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
MONDAY = date(2026, 12, 7)
REPAIR = 990  # 120 minutes
QUICK = 991  # 30 minutes
NOT_EXECUTED_REASON = 5


def codes(refused: pytest.ExceptionInfo[RuleViolation]) -> set[str]:
    """The codes of a refusal."""
    return {v.code for v in refused.value.violations}


def rules_of(refused: pytest.ExceptionInfo[RuleViolation]) -> set[str | None]:
    """The rule ids of a refusal."""
    return {v.rule for v in refused.value.violations}


@attrs.define
class Dispatch:
    """A scenario ready to schedule."""

    gsan: gsan_core.System
    given: Scenario
    place: Place
    clock: FixedClock
    team: Team
    other: Team

    def order(self, service_type_id: int = REPAIR, **options: object) -> ServiceOrder:
        """A pending order of the office."""
        return self.given.order(service_type_id, **options)

    def program(
        self,
        *orders: ServiceOrder,
        team: Team | None = None,
        on: date = MONDAY,
        until: date | None = None,
        sequence: int | None = None,
    ) -> list[ScheduledOrder]:
        """Program ``orders`` on ``team`` (the first team) on ``on`` (Monday)."""
        return self.gsan.scheduling.program(
            unit_id=self.place.office,
            on=on,
            until=until,
            sequence=sequence,
            team_ids=[(team or self.team).id],
            order_ids=[o.id for o in orders],
            actor=self.place.technician,
        )


@pytest.fixture
def dispatch(system: gsan_core.System, clock: FixedClock) -> Dispatch:
    """Two teams of the scenario's office (300 minutes a day each)."""
    clock.set(NOW)
    given = Scenario(system)
    place = given.ready()
    system.service_orders.add_types(
        [
            ServiceType(
                id=REPAIR,
                description="REPARO PROGRAMADO",
                abbreviation="REPARO",
                average_execution_minutes=120,
            ),
            ServiceType(
                id=QUICK,
                description="VISTORIA RAPIDA",
                abbreviation="VIST RAP",
                average_execution_minutes=30,
            ),
        ],
        actor=0,
    )
    with system.uow_factory() as uow:  # the office's municipality (ROT-04)
        locality = uow.localities.get(place.locality)
        uow.localities.update(
            attrs.evolve(locality, municipality_id=1, version=locality.version + 1)
        )
        uow.commit()
    team = given.team("EQUIPE A", work_minutes=300)
    other = given.team("EQUIPE B", work_minutes=300, members=[place.attendant])
    return Dispatch(system, given, place, clock, team, other)
