"""The default business calendar (``gsan_core.adapters.calendar``)."""

from __future__ import annotations

from datetime import date

import pytest

from gsan_core.adapters.calendar import HolidaysCalendar

NEW_YEAR = date(2025, 1, 1)  # national, a Wednesday
GRAO_PARA = date(2025, 8, 15)  # Pará state holiday, a Friday
BELEM_ANNIVERSARY = date(2025, 1, 13)  # municipal (as data), a Monday
UTILITY_DAY = date(2025, 3, 28)  # the utility's own day off, a Friday
PLAIN_MONDAY = date(2025, 1, 6)
SATURDAY = date(2025, 1, 4)

CALENDAR = HolidaysCalendar(
    state="PA",
    municipal={7: [BELEM_ANNIVERSARY]},
    utility_days=[UTILITY_DAY],
)


def test_national_holidays_in_every_scope() -> None:
    for scope in ("national", "state", "municipal"):
        assert CALENDAR.is_holiday(NEW_YEAR, scope=scope)  # type: ignore[arg-type]
        assert not CALENDAR.is_business_day(NEW_YEAR, scope=scope)  # type: ignore[arg-type]
    assert CALENDAR.is_holiday(date(2025, 12, 25))
    assert CALENDAR.is_holiday(date(2026, 4, 21))  # another year, Tiradentes


def test_state_holidays_only_from_the_state_scope() -> None:
    assert not CALENDAR.is_holiday(GRAO_PARA)
    assert CALENDAR.is_business_day(GRAO_PARA)
    assert CALENDAR.is_holiday(GRAO_PARA, scope="state")
    assert CALENDAR.is_holiday(GRAO_PARA, scope="municipal")
    assert not CALENDAR.is_business_day(GRAO_PARA, scope="state")


def test_state_holidays_of_another_state_do_not_count() -> None:
    sao_paulo = HolidaysCalendar(state="SP")
    assert not sao_paulo.is_holiday(GRAO_PARA, scope="state")
    assert sao_paulo.is_holiday(date(2025, 7, 9), scope="state")  # SP revolution


def test_municipal_days_need_the_municipal_scope_and_municipality() -> None:
    assert not CALENDAR.is_holiday(BELEM_ANNIVERSARY, scope="state")
    assert not CALENDAR.is_holiday(BELEM_ANNIVERSARY, scope="municipal")
    assert not CALENDAR.is_holiday(
        BELEM_ANNIVERSARY, scope="municipal", municipality_id=8
    )
    assert CALENDAR.is_holiday(BELEM_ANNIVERSARY, scope="municipal", municipality_id=7)
    assert not CALENDAR.is_business_day(
        BELEM_ANNIVERSARY, scope="municipal", municipality_id=7
    )


def test_utility_days_count_in_the_municipal_scope() -> None:
    assert not CALENDAR.is_holiday(UTILITY_DAY, scope="state")
    assert CALENDAR.is_holiday(UTILITY_DAY, scope="municipal")
    assert CALENDAR.is_holiday(UTILITY_DAY, scope="municipal", municipality_id=8)


@pytest.mark.parametrize("scope", ["national", "state", "municipal"])
def test_weekends_are_never_business_days(scope: str) -> None:
    assert not CALENDAR.is_holiday(SATURDAY, scope=scope)  # type: ignore[arg-type]
    assert not CALENDAR.is_business_day(SATURDAY, scope=scope)  # type: ignore[arg-type]
    assert not CALENDAR.is_business_day(date(2025, 1, 5), scope=scope)  # type: ignore[arg-type]
    assert CALENDAR.is_business_day(PLAIN_MONDAY, scope=scope, municipality_id=7)  # type: ignore[arg-type]


def test_a_calendar_without_state_has_national_holidays_only() -> None:
    plain = HolidaysCalendar()
    assert plain.state is None
    assert plain.is_holiday(NEW_YEAR)
    assert not plain.is_holiday(GRAO_PARA, scope="state")
    assert not plain.is_holiday(GRAO_PARA, scope="municipal")
    assert plain.municipal == {}
    assert plain.utility_days == frozenset()
