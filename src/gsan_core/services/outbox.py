"""``gsan.outbox``: reading and acknowledging the committed events.

Every unit of work writes its events to the outbox in its own transaction; the
in-process sinks (``System.subscribe``) are a convenience on top, best-effort.
Reliable delivery to other systems reads the outbox:

* :meth:`OutboxService.pending` / :meth:`OutboxService.ack`: the oldest
  unacknowledged entries, acknowledged after they were handed on (at least
  once: an entry handed on and not acknowledged, because the process died, is
  handed on again);
* :meth:`OutboxService.relay`: that loop, with a handler, held by one relay at a
  time (on a store that claims, :class:`~gsan_core.ports.outbox.OutboxClaiming`,
  each batch is one transaction: the hold and the batch claimed in one
  statement, the handler, the commit);
* :meth:`OutboxService.after`: entries after a position the consumer keeps
  itself (ids are gap-free and follow commit order, so paging by id misses
  nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from gsan_core.errors import BatchAlreadyRunning
from gsan_core.model.outbox import OutboxEntry
from gsan_core.ports.outbox import OutboxClaiming
from gsan_core.services.context import Service

__all__ = ["RELAY_JOB", "OutboxService", "RelayRun"]

#: What a relay hands entries to: it raises to leave them pending.
Handler = Callable[[Sequence[OutboxEntry]], None]

#: The batch job and key a relay holds (one relay at a time).
RELAY_JOB = ("outbox relay", "outbox")


@attrs.frozen(kw_only=True)
class RelayRun:
    """What one :meth:`OutboxService.relay` call handed on."""

    batches: int
    entries: int
    #: The id of the last entry acknowledged (``None``: none).
    last_id: int | None


class OutboxService(Service):
    """``gsan.outbox``: the committed events, in commit order."""

    def pending(self, limit: int = 100) -> Sequence[OutboxEntry]:
        """The oldest ``limit`` entries not yet acknowledged, oldest first."""
        with self._read() as uow:
            return uow.outbox.pending(limit)

    def after(self, position: int = 0, *, limit: int = 100) -> Sequence[OutboxEntry]:
        """The first ``limit`` entries with an id greater than ``position``
        (acknowledged or not), by id. A consumer that keeps the last id it
        handled asks for the entries after it: none is ever skipped."""
        with self._read() as uow:
            return uow.outbox.after(position, limit)

    def ack(self, ids: Iterable[int]) -> int:
        """Acknowledge entries (they leave :meth:`pending`); how many were newly
        acknowledged (acknowledging twice is harmless)."""
        wanted = list(ids)
        if not wanted:
            return 0
        with self._work() as uow:
            marked = uow.outbox.mark_published(wanted, self._now())
            uow.commit()
        return marked

    def relay(
        self,
        handler: Handler,
        *,
        batch_size: int = 100,
        max_batches: int | None = None,
    ) -> RelayRun:
        """Hand the pending entries to ``handler``, ``batch_size`` at a time and
        in commit order, acknowledging each batch once ``handler`` returned;
        stop when none is pending (or after ``max_batches``).

        One relay runs at a time (``BatchAlreadyRunning`` for a second one). When
        ``handler`` raises, the batch stays pending and the exception propagates:
        the next relay hands that batch on again (at-least-once delivery).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        claimed = self._relay_claiming(handler, batch_size, max_batches)
        if claimed is not None:
            return claimed
        batches = entries = 0
        last: int | None = None
        with self._exclusive(*RELAY_JOB):
            while max_batches is None or batches < max_batches:
                batch = self.pending(batch_size)
                if not batch:
                    break
                handler(batch)
                self.ack(entry.id for entry in batch)
                batches += 1
                entries += len(batch)
                last = batch[-1].id
                if len(batch) < batch_size:
                    break
        return RelayRun(batches=batches, entries=entries, last_id=last)

    def _relay_claiming(
        self, handler: Handler, batch_size: int, max_batches: int | None
    ) -> RelayRun | None:
        """:meth:`relay` on a store that claims (``None`` on another): each
        batch one transaction, its relay's hold and its entries claimed in one
        statement, ``handler``, the commit (a handler that raises rolls the
        claim back: the batch stays pending). The hold ends with each
        transaction: a relay that finds it taken by another before a later
        batch stops there, and the other goes on from the entries left."""
        batches = entries = 0
        last: int | None = None
        while max_batches is None or batches < max_batches:
            with self._ctx.uow_factory() as uow:
                outbox = uow.outbox
                if not isinstance(outbox, OutboxClaiming):
                    return None
                try:
                    batch = outbox.claim(*RELAY_JOB, batch_size, self._now())
                except BatchAlreadyRunning:
                    if batches:
                        break
                    raise
                if not batch:
                    break
                handler(batch)
                uow.commit()
            batches += 1
            entries += len(batch)
            last = batch[-1].id
            if len(batch) < batch_size:
                break
        return RelayRun(batches=batches, entries=entries, last_id=last)
