"""Events <-> JSON-ready dicts (``gsan_core.serialization``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core import serialization
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import ChargeCreated, DebtKind
from gsan_core.model.catalog import (
    CatalogItemAdded,
    CatalogItemChanged,
    CatalogItemRemoved,
)
from gsan_core.model.events import DomainEvent, all_event_types
from gsan_core.model.properties import (
    PropertiesLoaded,
    PropertyChanged,
    PropertyRegistered,
)
from gsan_core.model.units import (
    PermissionGranted,
    PermissionRevoked,
    UnitChanged,
    UnitRegistered,
    UserChanged,
    UserRegistered,
)
from gsan_core.testing.strategies import events

RECIFE = timezone(timedelta(hours=-3))
AT = datetime(2025, 1, 6, 9, 30, 15, 250, tzinfo=RECIFE)

SAMPLES: list[DomainEvent] = [
    CatalogItemAdded(occurred_at=AT, actor=1, kind="cut_reason", item_id=4),
    CatalogItemChanged(
        occurred_at=AT, actor=2, kind="water_status", item_id=3, version=2, active=False
    ),
    CatalogItemRemoved(occurred_at=AT, actor=3, kind="cut_reason", item_id=4),
    PropertyRegistered(occurred_at=AT, actor=4, property_id=1000011),
    PropertiesLoaded(occurred_at=AT, actor=5, count=3, first_id=1, last_id=3),
    PropertyChanged(occurred_at=AT, actor=6, property_id=1, version=4),
    UnitRegistered(occurred_at=AT, actor=7, unit_id=101),
    UnitChanged(occurred_at=AT, actor=8, unit_id=101, version=2),
    UserRegistered(occurred_at=AT, actor=9, user_id=5, unit_id=101),
    UserChanged(occurred_at=AT, actor=0, user_id=5, active=False),
    PermissionGranted(occurred_at=AT, actor=0, user_id=5, permission_id=30),
    PermissionRevoked(occurred_at=AT, actor=0, user_id=5, permission_id=30),
    ChargeCreated(
        occurred_at=AT,
        actor=10,
        charge_id=7,
        property_id=1,
        total=Decimal("306.0194016"),
        service_order_id=11,
    ),
]


FOUNDATION_MODULES = {
    "gsan_core.model.catalog",
    "gsan_core.model.properties",
    "gsan_core.model.units",
    "gsan_core.model.billing",
}


def test_the_samples_cover_every_foundation_event_type() -> None:
    """Hand-written samples for the foundation's events; every other area's
    events round-trip through the Hypothesis test below."""
    foundation = {
        tag
        for tag, cls in all_event_types().items()
        if cls.__module__ in FOUNDATION_MODULES
    }
    assert {type(e).tag for e in SAMPLES} == foundation


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).tag)
def test_every_event_type_round_trips(event: DomainEvent) -> None:
    data = serialization.to_dict(event)
    assert data["type"] == type(event).tag
    assert data["actor"] == event.actor
    assert data["occurred_at"] == "2025-01-06T09:30:15.000250-03:00"
    json.dumps(data)  # JSON-ready as is
    back = serialization.from_dict(data)
    assert back == event
    assert type(back) is type(event)
    assert back.occurred_at.utcoffset() == timedelta(hours=-3)
    assert serialization.loads(serialization.dumps(event)) == event


def test_decimals_travel_as_exact_strings() -> None:
    charge = SAMPLES[-1]
    data = serialization.to_dict(charge)
    assert data["total"] == "306.0194016"
    assert data["service_request_id"] is None
    back = serialization.from_dict({**data, "total": 306.5})
    assert isinstance(back, ChargeCreated)
    assert back.total == Decimal("306.5")


def test_dumps_is_stable_json() -> None:
    text = serialization.dumps(SAMPLES[0])
    assert text == (
        '{"actor": 1, "item_id": 4, "kind": "cut_reason", '
        '"occurred_at": "2025-01-06T09:30:15.000250-03:00", "type": "catalog.item_added"}'
    )


def test_the_input_dict_is_not_changed() -> None:
    data = serialization.to_dict(SAMPLES[0])
    serialization.from_dict(data)
    assert data["type"] == "catalog.item_added"


@pytest.mark.parametrize("tag", ["nothing.happened", None])
def test_an_unknown_tag_is_a_configuration_error(tag: str | None) -> None:
    data = serialization.to_dict(SAMPLES[0])
    data["type"] = tag
    with pytest.raises(ConfigurationError, match=f"unknown event type {tag!r}"):
        serialization.from_dict(data)
    del data["type"]
    with pytest.raises(ConfigurationError, match="unknown event type None"):
        serialization.from_dict(data)


@pytest.mark.parametrize(
    "value",
    ["2025-01-06T09:30:00", datetime(2025, 1, 6, 9, 30), 1736155800],  # noqa: DTZ001
)
def test_naive_or_non_datetime_instants_are_refused(value: object) -> None:
    data = {**serialization.to_dict(SAMPLES[0]), "occurred_at": value}
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs groups the error
        serialization.from_dict(data)
    assert "expected an aware ISO-8601 datetime" in repr(caught.value.exceptions)  # type: ignore[attr-defined]


def test_an_aware_datetime_object_is_accepted() -> None:
    data = {**serialization.to_dict(SAMPLES[0]), "occurred_at": AT}
    assert serialization.from_dict(data) == SAMPLES[0]


def test_converter_forms_of_dates_enums_and_sets() -> None:
    conv = serialization.make_converter()
    assert conv.unstructure(date(2025, 1, 6)) == "2025-01-06"
    assert conv.structure("2025-01-06", date) == date(2025, 1, 6)
    assert conv.unstructure(DebtKind.PAYMENT_SLIP) == "payment_slip"
    assert conv.unstructure(frozenset({3, 1, 2})) == [1, 2, 3]
    assert (
        conv.unstructure(datetime(2025, 1, 6, tzinfo=UTC))
        == "2025-01-06T00:00:00+00:00"
    )
    assert serialization.converter.unstructure(Decimal("1.10")) == "1.10"


@given(events())
def test_any_event_round_trips(event: DomainEvent) -> None:
    assert serialization.loads(serialization.dumps(event)) == event
    assert serialization.from_dict(serialization.to_dict(event)) == event


@pytest.mark.parametrize("tag", sorted(all_event_types()))
@given(data=st.data())
def test_the_events_strategy_reaches_every_tag(tag: str, data: st.DataObject) -> None:
    cls = all_event_types()[tag]
    event = data.draw(events(types=[cls]))
    assert type(event) is cls
    assert event.occurred_at.utcoffset() is not None
    assert serialization.from_dict(serialization.to_dict(event)) == event


# ---------------------------------------------------------------- to_dicts
@given(st.lists(events(), max_size=25))
def test_to_dicts_writes_what_to_dict_writes(batch: list[DomainEvent]) -> None:
    """A batch's payloads (the outbox of a chunk) written field by field are
    the converter's, key for key and in the same order."""
    fast = serialization.to_dicts(batch)
    slow = [serialization.to_dict(e) for e in batch]
    assert fast == slow
    assert [list(d) for d in fast] == [list(d) for d in slow]


def test_to_dicts_shares_an_instant_and_leaves_other_values_to_the_converter() -> None:
    """Events of plain fields sharing one instant, beside an event whose
    value is not of its declared type and one with a decimal: the same dicts
    as one by one."""
    from gsan_core.model.service_requests import ServiceRequestClosed  # noqa: PLC0415

    class Reason(int):
        pass

    batch: list[DomainEvent] = [
        ServiceRequestClosed(
            occurred_at=AT,
            actor=1,
            request_id=n,
            closing_reason_id=32,
            executed=False,
            closed_at=AT,
            command_id=None if n % 2 else 7,
        )
        for n in range(3)
    ]
    batch.append(
        ServiceRequestClosed(
            occurred_at=AT.astimezone(UTC),  # the same instant, another offset
            actor=1,
            request_id=9,
            closing_reason_id=Reason(32),
            executed=True,
            closed_at=AT,
        )
    )
    batch.extend(SAMPLES)
    assert serialization.to_dicts(batch) == [serialization.to_dict(e) for e in batch]
    assert (
        serialization.to_dicts(batch)[3]["occurred_at"]
        == AT.astimezone(UTC).isoformat()
    )
