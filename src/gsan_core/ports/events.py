"""The event sink port: where committed events go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gsan_core.model.events import DomainEvent

__all__ = ["EventSink"]


class EventSink(Protocol):
    """Receives the events of a unit of work after it committed."""

    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Handle committed events. Called once per committed unit of work."""
        ...
