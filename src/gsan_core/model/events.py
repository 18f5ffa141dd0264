"""Domain events: what happened, when, and who did it.

Every event records the ``actor`` (the user id of the command) and ``occurred_at``
(an aware datetime). Each concrete event class carries a stable string ``tag``
used when it is serialised (outbox rows, message queues); renaming a class never
changes its tag.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

__all__ = ["DomainEvent", "all_event_types"]


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Base class of every event."""

    tag: ClassVar[str] = ""
    occurred_at: datetime
    actor: int


def all_event_types() -> dict[str, type[DomainEvent]]:
    """Every concrete event class known so far, by tag.

    Event classes register themselves by subclassing :class:`DomainEvent` with a
    ``tag``; a tag used twice is a programming error.
    """
    found: dict[str, type[DomainEvent]] = {}
    pending: list[type[DomainEvent]] = list(DomainEvent.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # ``attrs.frozen`` replaces a class by a new slotted one; the undecorated
        # original stays in ``__subclasses__()`` until the garbage collector frees
        # it, and must not count as a second class with the same tag.
        if not cls.tag or "__attrs_attrs__" not in vars(cls):
            continue
        if found.get(cls.tag, cls) is not cls:
            msg = f"event tag {cls.tag!r} is used by two classes"
            raise TypeError(msg)
        found[cls.tag] = cls
    return found
