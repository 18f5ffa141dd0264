"""The outbox port: reading and acknowledging committed events.

Every unit of work writes its events to the outbox in its own transaction (the
SQL adapters in the ``outbox`` table, the memory adapter in its store). Entry ids
are gap-free and follow commit order, so a consumer may page by id; entries are
marked published when a consumer acknowledges them (at-least-once delivery).
A store may also let a relay claim a batch in one statement
(:class:`OutboxClaiming`, the SQL adapter on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from gsan_core.model.outbox import OutboxEntry

__all__ = ["Outbox", "OutboxClaiming"]


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


@runtime_checkable
class OutboxClaiming(Protocol):
    """An outbox whose relay holds its batch job and claims its next entries
    in one statement, inside the unit of work's transaction (the SQL adapter
    on PostgreSQL, issue 20). Without it a relay holds the job in a unit of
    work of its own and reads and acknowledges each batch in two more."""

    def claim(
        self, job: str, key: str, limit: int, at: datetime
    ) -> Sequence[OutboxEntry]:
        """Hold batch ``job`` for ``key`` until the transaction ends
        (:class:`~gsan_core.errors.BatchAlreadyRunning` when another holds
        it) and mark the oldest ``limit`` pending entries published at ``at``;
        those entries, by id. The marks are the transaction's: a rollback
        leaves the entries pending (the caller commits once it handed them
        on)."""
        ...
