"""Outbox entries: committed events as a consumer reads them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import attrs

from gsan_core.model.events import DomainEvent

__all__ = ["OutboxEntry"]


@attrs.frozen(kw_only=True)
class OutboxEntry:
    """One committed event in the outbox.

    ``id`` is the event's position: ids are gap-free and given in commit order,
    so an entry with a greater id was committed after every entry with a smaller
    one, and a consumer that remembers the last id it handled misses nothing by
    asking for the entries after it. ``payload`` is the event as stored
    (:func:`gsan_core.serialization.to_dict`); ``event`` is it read back, or
    ``None`` when its tag is unknown to this version of the library.
    """

    id: int
    tag: str
    occurred_at: datetime
    actor: int
    payload: Mapping[str, object]
    event: DomainEvent | None
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        """Whether a consumer acknowledged it."""
        return self.published_at is not None
