"""Deterministic clocks for tests and notebooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["DEFAULT_NOW", "FixedClock", "SteppingClock"]

#: The instant an in-memory system starts at: Monday 2025-01-06, 09:00 in Brasília.
DEFAULT_NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        msg = f"clocks need an aware datetime, got {at!r}"
        raise ValueError(msg)
    return at


class FixedClock:
    """Always the same instant, until moved with :meth:`set` or :meth:`advance`."""

    def __init__(self, at: datetime = DEFAULT_NOW) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        """The fixed instant."""
        return self._at

    def set(self, at: datetime) -> None:
        """Move to ``at``."""
        self._at = _aware(at)

    def advance(self, delta: timedelta = timedelta(days=1)) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        self._at += delta
        return self._at


class SteppingClock:
    """Moves forward by ``step`` every time it is read."""

    def __init__(
        self, start: datetime = DEFAULT_NOW, step: timedelta = timedelta(seconds=1)
    ) -> None:
        self._next = _aware(start)
        self._step = step

    def now(self) -> datetime:
        """The next instant."""
        at = self._next
        self._next += self._step
        return at
