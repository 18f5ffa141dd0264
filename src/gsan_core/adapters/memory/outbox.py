"""The outbox of a memory store: committed events, ids in commit order."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import attrs

from gsan_core import serialization
from gsan_core.adapters.memory.store import UNCHECKED, MemoryUnitOfWorkBase, OutboxRow
from gsan_core.model.outbox import OutboxEntry

__all__ = ["MemoryOutbox"]


def _entry(row: OutboxRow) -> OutboxEntry:
    event = row.event
    return OutboxEntry(
        id=row.id,
        tag=type(event).tag,
        occurred_at=event.occurred_at,
        actor=event.actor,
        payload=serialization.to_dict(event),
        event=event,
        published_at=row.published_at,
    )


class MemoryOutbox:
    """Reads and acknowledges the store's outbox."""

    _table = "outbox"

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def pending(self, limit: int) -> Sequence[OutboxEntry]:
        rows = sorted(
            self._uow.rows_where(self._table, "published", value=False),
            key=lambda r: r.id,
        )
        return [_entry(row) for row in rows[: max(limit, 0)]]

    def after(self, position: int, limit: int) -> Sequence[OutboxEntry]:
        found = []
        for ident in range(max(position, 0) + 1, max(position, 0) + 1 + max(limit, 0)):
            row = self._uow.read(self._table, ident)
            if row is None:
                break
            found.append(_entry(row))
        return found

    def mark_published(self, ids: Collection[int], at: datetime) -> int:
        marked = 0
        for ident in sorted(set(ids)):
            row = self._uow.read(self._table, ident)
            if row is None or row.published_at is not None:
                continue
            self._uow.write(
                self._table, ident, attrs.evolve(row, published_at=at), expect=UNCHECKED
            )
            marked += 1
        return marked
