"""Edges of the foundation the service-order area relies on: event serialisation
(every service-order event round-trips), clocks and the business calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import cattrs
import pytest

from gsan_core import serialization
from gsan_core.adapters.calendar import HolidaysCalendar
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import ChargeCreated
from gsan_core.model.events import DomainEvent
from gsan_core.model.service_orders import (
    MaterialKitSaved,
    OrderSituation,
    OverdueOrdersClosed,
    ServiceOrderClosed,
    ServiceOrderSituationChanged,
    ServicePriceRemoved,
    ServicePriceSaved,
    ServiceTypeSaved,
    TeamSaved,
)
from gsan_core.testing import FixedClock, SteppingClock

AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
EVENTS: list[DomainEvent] = [
    OverdueOrdersClosed(
        occurred_at=AT,
        actor=1,
        service_type_id=304,
        closing_reason_id=32,
        order_ids=(1, 2),
    ),
    ServiceTypeSaved(occurred_at=AT, actor=1, service_type_id=620, version=2),
    ServicePriceSaved(
        occurred_at=AT, actor=1, price_id=1, service_type_id=620, version=1
    ),
    ServicePriceRemoved(occurred_at=AT, actor=1, price_id=1, service_type_id=620),
    TeamSaved(occurred_at=AT, actor=1, team_id=3, version=1),
    MaterialKitSaved(occurred_at=AT, actor=1, kit_id=4, version=1),
    ServiceOrderSituationChanged(
        occurred_at=AT,
        actor=1,
        order_id=5,
        before=OrderSituation.IN_EXECUTION,
        after=OrderSituation.PENDING,
        reason_id=7,
    ),
    ServiceOrderClosed(
        occurred_at=AT,
        actor=1,
        order_id=5,
        closing_reason_id=2,
        executed=True,
        closed_at=AT,
    ),
    ChargeCreated(
        occurred_at=AT, actor=1, charge_id=9, property_id=10, total=Decimal("1.50")
    ),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).tag)
def test_service_order_events_round_trip(event: DomainEvent) -> None:
    assert serialization.loads(serialization.dumps(event)) == event
    assert serialization.to_dict(event)["type"] == type(event).tag


def test_unknown_tags_and_naive_datetimes_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        serialization.from_dict({"type": "no.such.event"})
    payload = serialization.to_dict(EVENTS[1])
    payload["occurred_at"] = "2025-01-06T12:00:00"
    with pytest.raises(cattrs.BaseValidationError) as error:
        serialization.from_dict(payload)
    assert "aware" in str(error.value.exceptions[0])


def test_clocks() -> None:
    clock = FixedClock(AT)
    assert clock.advance() == AT + timedelta(days=1)
    clock.set(AT)
    assert clock.now() == AT
    stepping = SteppingClock(AT, timedelta(minutes=1))
    assert [stepping.now(), stepping.now()] == [AT, AT + timedelta(minutes=1)]
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2025, 1, 1))  # noqa: DTZ001 - the point of the test


def test_business_calendar_scopes() -> None:
    calendar = HolidaysCalendar(
        state="PA",
        municipal={100: [date(2025, 1, 3)]},
        utility_days=[date(2025, 1, 2)],
    )
    assert calendar.is_holiday(date(2025, 1, 1))
    assert not calendar.is_business_day(date(2025, 1, 4))
    state_day = date(2025, 8, 15)  # Adesão do Pará
    assert not calendar.is_holiday(state_day)
    assert calendar.is_holiday(state_day, scope="state")
    assert not calendar.is_holiday(date(2025, 1, 2), scope="state")
    assert calendar.is_holiday(date(2025, 1, 2), scope="municipal")
    assert calendar.is_holiday(date(2025, 1, 3), scope="municipal", municipality_id=100)
    assert not calendar.is_holiday(date(2025, 1, 3), scope="municipal")
    assert calendar.is_business_day(date(2025, 1, 6), scope="municipal")
    assert HolidaysCalendar().is_holiday(date(2025, 4, 21), scope="state")
