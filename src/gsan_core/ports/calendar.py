"""The business calendar port: which days are business days."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from gsan_core.model.profile import HolidayScope

__all__ = ["BusinessCalendar"]


class BusinessCalendar(Protocol):
    """Knows the holidays that apply to a utility."""

    def is_holiday(
        self,
        day: date,
        *,
        scope: HolidayScope = "national",
        municipality_id: int | None = None,
    ) -> bool:
        """Whether ``day`` is a holiday within ``scope``.

        ``"national"`` counts national holidays; ``"state"`` adds the utility's
        state holidays; ``"municipal"`` adds the municipality's own days and the
        utility-specific days given as data.
        """
        ...

    def is_business_day(
        self,
        day: date,
        *,
        scope: HolidayScope = "national",
        municipality_id: int | None = None,
    ) -> bool:
        """Monday to Friday and not a holiday within ``scope``."""
        ...
