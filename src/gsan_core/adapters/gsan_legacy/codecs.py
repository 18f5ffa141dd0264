"""Codecs between GSAN's column conventions and the library's field types.

* 1/2 flags (``1`` = yes, ``2`` = no; ``NULL`` read as no);
* ``char(n)`` padding (stripped on read, left to the column on write);
* naive local timestamps in the profile's time zone <-> aware datetimes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["flag", "local_time", "padded"]

Codec = tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]


def flag(true: int = 1, false: int = 2) -> Codec:
    """``bool`` <-> GSAN's 1/2 flag."""

    def encode(value: bool | None) -> int | None:
        if value is None:
            return None
        return true if value else false

    def decode(value: int | None) -> bool:
        return value == true

    return encode, decode


def padded() -> Codec:
    """``str`` <-> a ``char(n)`` column (trailing blanks are padding)."""
    return None, (lambda v: None if v is None else str(v).rstrip())


def local_time(zone: str) -> Codec:
    """Aware ``datetime`` <-> GSAN's naive local timestamp in ``zone``."""
    tz = ZoneInfo(zone)

    def encode(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(tz).replace(tzinfo=None)

    def decode(value: datetime | None) -> datetime | None:
        return None if value is None else value.replace(tzinfo=tz)

    return encode, decode
