"""The service desk's pure rules: schedule coverage and overlaps, phones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import attrs
import pytest

from gsan_core.model.service_desk import (
    MaintenanceSituation,
    OperatingProcedure,
    OutboundMessage,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_requests import RequestChange, Requester, RequestLocation
from gsan_core.rules import service_desk as rules
from gsan_core.serialization import make_converter

LOCAL = timezone(timedelta(hours=-3))
WINDOW = SupplySchedule(
    id=1,
    kind=ScheduleKind.MAINTENANCE,
    reference=202501,
    municipality_id=1,
    area_id=3,
    starts_on=date(2025, 1, 5),
    ends_on=date(2025, 1, 7),
    start_time=time(8),
    end_time=time(17),
    description="REDE",
)


@pytest.mark.parametrize(
    ("at", "library", "gsan"),
    [
        (
            datetime(2025, 1, 6, 3, tzinfo=LOCAL),
            True,
            True,
        ),  # a day in between: any time
        (
            datetime(2025, 1, 5, 20, tzinfo=LOCAL),
            True,
            False,
        ),  # first day, after its hours
        (
            datetime(2025, 1, 7, 7, tzinfo=LOCAL),
            True,
            False,
        ),  # last day, before its hours
        (datetime(2025, 1, 5, 7, tzinfo=LOCAL), False, False),  # before the start
        (datetime(2025, 1, 7, 18, tzinfo=LOCAL), False, False),  # after the end
        (datetime(2025, 2, 6, 9, tzinfo=LOCAL), False, False),  # another month
    ],
)
def test_pam_06_coverage_and_the_gsan_hours(
    at: datetime, library: bool, gsan: bool
) -> None:
    """PAM-06: the library covers from the start instant to the end one; GSAN
    applies the hours to the first and last day alike ([QUIRK])."""
    assert rules.covers(WINDOW, at, hours_as_gsan=False) is library
    assert rules.covers(WINDOW, at, hours_as_gsan=True) is gsan


def test_pam_06_place_matches_any_of_area_neighbourhood_sector_locality() -> None:
    """PAM-06: the window's area or neighbourhood (or sector, locality)."""
    assert rules.matches_place(WINDOW, area_id=3)
    assert not rules.matches_place(WINDOW, area_id=4, neighbourhood_id=3)
    other = attrs.evolve(WINDOW, area_id=None, neighbourhood_id=9)
    assert rules.matches_place(other, area_id=3, neighbourhood_id=9)


def test_pam_03_overlap_as_gsan_and_as_the_library() -> None:
    """PAM-03: start or end inside; the library also catches containment."""
    inside = attrs.evolve(
        WINDOW, id=2, starts_on=date(2025, 1, 7), ends_on=date(2025, 1, 8)
    )
    around = attrs.evolve(
        WINDOW, id=3, starts_on=date(2025, 1, 4), ends_on=date(2025, 1, 8)
    )
    after = attrs.evolve(
        WINDOW, id=4, starts_on=date(2025, 1, 8), ends_on=date(2025, 1, 9)
    )
    assert rules.overlaps(inside, WINDOW, as_gsan=True)
    assert not rules.overlaps(around, WINDOW, as_gsan=True)
    assert rules.overlaps(around, WINDOW, as_gsan=False)
    assert not rules.overlaps(after, WINDOW, as_gsan=False)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("(91) 98888-7777", "91988887777"),
        ("+55 91 98888-7777", "91988887777"),
        ("091 3222-1111", "9132221111"),
        ("91 8888-7777", "9188887777"),
        ("1234", None),
        ("00 98888-7777", None),
        ("91 1888-7777", None),
        ("abc", None),
    ],
)
def test_sms_01_phones(typed: str, digits: str | None) -> None:
    """SMS-01: area code and 8 (landline) or 9 (mobile, starting with 9) digits."""
    found, violations = rules.normalized_phone(typed)
    assert found == digits
    assert bool(violations) is (digits is None)


def test_pam_02_a_long_description_and_the_records_show_themselves() -> None:
    """PAM-02: the description fits its column; the records have short reprs."""
    long = attrs.evolve(
        WINDOW, description="X" * 101, situation=MaintenanceSituation.OPEN
    )
    found = rules.check_schedule(long, (), overlap_as_gsan=False)
    assert [v.code for v in found] == ["service_desk.schedule.description_too_long"]
    assert "MAINTENANCE" in repr(WINDOW)
    assert "<" in WINDOW._repr_html_()


def test_sms_01_messages_and_procedures_show_themselves() -> None:
    """SMS-01 / POP-01 records: short reprs and notebook tables."""
    at = datetime(2025, 1, 6, 9, tzinfo=LOCAL)
    message = OutboundMessage(
        id=1, phone="91988887777", text="OI", reason="manual", created_at=at
    )
    procedure = OperatingProcedure(
        id=1, title="POP", document="pop.pdf", service_type_id=1, changed_at=at
    )
    for record in (message, procedure):
        assert type(record).__name__ in repr(record)
        assert "<" in record._repr_html_()


def test_the_manter_ra_command_round_trips_through_the_converter() -> None:
    """The "Manter RA" form is a serialisable command (offline devices,
    queues), like the opening one."""
    change = RequestChange(
        specification_id=679,
        requesters=[Requester(name="BIA", phone="91988887777")],
        location=RequestLocation(property_id=1, area_id=3),
        due_date=date(2025, 1, 20),
    )
    converter = make_converter()
    data = converter.unstructure(change)
    assert data["due_date"] == "2025-01-20"
    assert converter.structure(data, RequestChange) == change
