"""The outbox port: reading and acknowledging committed events.

Every unit of work writes its events to the outbox in its own transaction (the
SQL adapters in the ``outbox`` table, the memory adapter in its store). Entry ids
are gap-free and follow commit order, so a consumer may page by id; entries are
marked published when a consumer acknowledges them (at-least-once delivery).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from gsan_core.model.outbox import OutboxEntry

__all__ = ["Outbox"]


class Outbox(Protocol):
    """The committed events of a store, in commit order."""

    def pending(self, limit: int) -> Sequence[OutboxEntry]:
        """The oldest ``limit`` entries not yet acknowledged, by id."""
        ...

    def after(self, position: int, limit: int) -> Sequence[OutboxEntry]:
        """The first ``limit`` entries whose id is greater than ``position``,
        published or not, by id."""
        ...

    def mark_published(self, ids: Collection[int], at: datetime) -> int:
        """Acknowledge entries (those already acknowledged keep their instant);
        how many were newly marked."""
        ...
