"""Use cases of scheduling: roteiros and programmings (UC0456, UC0470), the
follow-up, special days and team followers, and the clean-up of a closed order's
programmings (§2.6.7) that the OS closing runs in its own unit of work."""

from __future__ import annotations

from gsan_core.services.scheduling.results import (
    AutomaticScheduling,
    DayClosing,
    RouteStop,
    ScheduleDay,
    TeamDay,
)
from gsan_core.services.scheduling.service import SchedulingService
from gsan_core.services.service_orders.programmings import release_on_close_in

__all__ = [
    "AutomaticScheduling",
    "DayClosing",
    "RouteStop",
    "ScheduleDay",
    "SchedulingService",
    "TeamDay",
    "release_on_close_in",
]
