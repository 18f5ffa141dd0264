"""The default business calendar: Brazil's holidays from the ``holidays`` package.

National and state holidays come from ``holidays``; municipal holidays and the
utility's own days off are data given to the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

import holidays

from gsan_core.model.profile import HolidayScope

__all__ = ["HolidaysCalendar"]


@lru_cache(maxsize=256)
def _official(year: int, state: str | None) -> frozenset[date]:
    if state is None:
        return frozenset(holidays.country_holidays("BR", years=year))
    return frozenset(holidays.country_holidays("BR", subdiv=state, years=year))


class HolidaysCalendar:
    """Business days of a Brazilian utility.

    ``scope="national"`` skips national holidays (GSAN's behaviour);
    ``"state"`` also skips the holidays of ``state``; ``"municipal"`` also skips
    ``municipal[municipality_id]`` and ``utility_days`` (days off of the utility).
    """

    def __init__(
        self,
        *,
        state: str | None = None,
        municipal: Mapping[int, Iterable[date]] | None = None,
        utility_days: Iterable[date] = (),
    ) -> None:
        self.state = state
        self.municipal = {k: frozenset(v) for k, v in (municipal or {}).items()}
        self.utility_days = frozenset(utility_days)

    def is_holiday(
        self,
        day: date,
        *,
        scope: HolidayScope = "national",
        municipality_id: int | None = None,
    ) -> bool:
        """Whether ``day`` is a holiday within ``scope``."""
        if day in _official(day.year, None):
            return True
        if scope == "national":
            return False
        if self.state and day in _official(day.year, self.state):
            return True
        if scope == "state":
            return False
        if day in self.utility_days:
            return True
        return municipality_id is not None and day in self.municipal.get(
            municipality_id, frozenset()
        )

    def is_business_day(
        self,
        day: date,
        *,
        scope: HolidayScope = "national",
        municipality_id: int | None = None,
    ) -> bool:
        """Monday to Friday and not a holiday within ``scope``."""
        return day.weekday() < 5 and not self.is_holiday(
            day, scope=scope, municipality_id=municipality_id
        )
