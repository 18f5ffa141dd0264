"""The clock port. Only services read it, once per use case."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """Tells the current time as an aware datetime."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...
