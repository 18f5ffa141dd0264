"""The system clock."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["SystemClock"]


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(UTC)
