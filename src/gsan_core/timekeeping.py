"""``gsan.clock``: the time a :class:`~gsan_core.System` runs at.

Every system reads its time from one clock (the :class:`~gsan_core.ports.clock.Clock`
port). :class:`Timekeeper` is what ``gsan.clock`` is: it tells the time
(``now()``, ``today()`` in the utility's timezone) and, when the system runs on a
settable clock (an in-memory system, or any system given
``clock=FixedClock(...)``), moves it::

    >>> from datetime import date, timedelta
    >>> import gsan_core
    >>> gsan = gsan_core.in_memory(seed=False)
    >>> gsan.today()
    datetime.date(2025, 1, 6)
    >>> gsan.clock.advance(days=2).date()
    datetime.date(2025, 1, 8)
    >>> gsan.clock.set(date(2025, 3, 3)).isoformat()
    '2025-03-03T09:00:00-03:00'

On the machine's real clock (the default of :func:`~gsan_core.connect`)
``set`` and ``advance`` raise :class:`~gsan_core.ConfigurationError`: real time
is not something a library moves.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from gsan_core.errors import ConfigurationError
from gsan_core.ports.clock import Clock

__all__ = ["SettableClock", "Timekeeper"]

#: The local time of day a bare date is set to.
DAY_STARTS_AT = time(9, 0)


@runtime_checkable
class SettableClock(Protocol):
    """A clock a test or a notebook moves (``FixedClock`` is one)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...

    def set(self, at: datetime) -> None:
        """Move to ``at`` (aware)."""
        ...

    def advance(self, delta: timedelta = ...) -> datetime:
        """Move forward by ``delta``; the new instant."""
        ...


class Timekeeper:
    """The clock of one system: reads it, and moves it when it can be moved.

    It is itself a :class:`~gsan_core.ports.clock.Clock`, so the services read
    the moved time at once.
    """

    def __init__(self, source: Clock, *, timezone: str) -> None:
        #: The clock read (a ``FixedClock``, the machine's ``SystemClock``...).
        self.source: Clock = source.source if isinstance(source, Timekeeper) else source
        #: The utility's timezone (``profile.timezone``): what ``today()`` uses.
        self.zone = ZoneInfo(timezone)

    @property
    def settable(self) -> bool:
        """Whether :meth:`set` and :meth:`advance` can move this clock."""
        return isinstance(self.source, SettableClock)

    def now(self) -> datetime:
        """The current instant (aware)."""
        return self.source.now()

    def today(self) -> date:
        """The current date in the utility's timezone."""
        return self.now().astimezone(self.zone).date()

    def set(self, at: datetime | date) -> datetime:
        """Move the clock to ``at`` and return the new instant.

        A ``date`` means 09:00 of that day in the utility's timezone; a naive
        ``datetime`` is read in the utility's timezone.
        """
        clock = self._settable("set")
        if not isinstance(at, datetime):
            at = datetime.combine(at, DAY_STARTS_AT)
        if at.tzinfo is None or at.utcoffset() is None:
            at = at.replace(tzinfo=self.zone)
        clock.set(at)
        return self.now()

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> datetime:
        """Move the clock forward (``delta`` and/or the keyword amounts; one day
        when nothing is given) and return the new instant."""
        clock = self._settable("advance")
        step = (delta or timedelta()) + timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        if delta is None and not step:
            step = timedelta(days=1)
        if step < timedelta():
            msg = f"the clock only moves forward; got {step}"
            raise ValueError(msg)
        clock.set(clock.now() + step)
        return self.now()

    def _settable(self, what: str) -> SettableClock:
        if not isinstance(self.source, SettableClock):
            msg = (
                f"clock.{what}() needs a settable clock; this system reads "
                f"{type(self.source).__name__}: pass clock=FixedClock(...) "
                "(gsan_core.testing) to connect() or System()"
            )
            raise ConfigurationError(msg)
        return self.source

    def __repr__(self) -> str:
        kind = "settable" if self.settable else "real"
        return f"<Timekeeper {self.now().astimezone(self.zone).isoformat()} ({kind})>"
