"""Closing overdue orders (UC0734, VEN-01..VEN-03): the checks and reads
made once before the chunks (:func:`read_overdue`), and one chunk's work
(:class:`OverdueChunk`). The service's ``close_overdue`` runs them in its
exclusive batch frame."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.scheduling import ScheduleOutcome
from gsan_core.model.service_orders import OverdueOrdersClosed
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import ChunkOutcome
from gsan_core.services.service_orders.common import _user_unit
from gsan_core.services.service_orders.programmings import deactivate


@attrs.frozen(kw_only=True)
class OverdueReads:
    """What the chunks of an overdue closing share, read once before them."""

    reason_id: int
    total: int
    unit_id: int | None


def read_overdue(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    service_type_id: int,
    days: int,
    actor: int,
    before: datetime,
    cutoff: date,
) -> OverdueReads:
    """VEN-01 (the type must be closable), the closing reason of role
    ``closing_reason.overdue``, the count of pending orders generated before
    ``before`` (none raises VEN-03) and the actor's unit."""
    ensure(
        rules.check_overdue_request(
            service_type=uow.service_types.find(service_type_id),
            service_type_id=service_type_id,
            days=days,
            closable=profile.ids("service_type.overdue_closable"),
        )
    )
    reason_ids = profile.ids("closing_reason.overdue")
    reason = uow.catalog.find("closing_reason", min(reason_ids)) if reason_ids else None
    if reason is None:
        raise ConfigurationError(
            "the role closing_reason.overdue names no closing reason"
        )
    total = uow.service_orders.count_pending(
        service_type_id=service_type_id, generated_before=before
    )
    if total == 0:
        ensure([rules.OVERDUE_NOTHING(service_type_id=service_type_id, cutoff=cutoff)])
    return OverdueReads(
        reason_id=reason.id, total=total, unit_id=_user_unit(uow, actor)
    )


@attrs.define(kw_only=True)
class OverdueChunk:
    """One chunk of an overdue closing: one statement selects the next
    pending ids (keyset paging after :attr:`last`), closes them and inserts
    their unit-trail rows; a closed order leaves its routes (§2.6.7); the
    chunk commits."""

    service_type_id: int
    before: datetime
    chunk_size: int
    reads: OverdueReads
    now: datetime
    actor: int
    last: int = 0  # keyset paging: the next chunk starts after this id

    def __call__(self, uow: UnitOfWork, _: int) -> ChunkOutcome:
        ids, closed = uow.service_orders.close_next_pending(
            service_type_id=self.service_type_id,
            generated_before=self.before,
            after_id=self.last,
            limit=self.chunk_size,
            reason_id=self.reads.reason_id,
            closed_at=self.now,
            unit_id=self.reads.unit_id,
            user_id=self.actor,
        )
        if ids:
            self.last = ids[-1]
        if closed:
            self._leave_routes(uow, closed)
        uow.commit()
        missed = len(ids) - len(closed)
        return ChunkOutcome(
            processed=len(ids),
            changed=len(closed),
            skipped={"no longer pending": missed} if missed else {},
        )

    def _leave_routes(self, uow: UnitOfWork, closed: Sequence[int]) -> None:
        # §2.6.7: a closed order leaves its routes (one read per chunk)
        programmed = uow.programmings.find_by(order_id=list(closed), active=True)
        if programmed:
            uow.programmings.update_many(
                deactivate(programmed, ScheduleOutcome.CANCELLED, actor=self.actor)
            )
        uow.record(
            OverdueOrdersClosed(
                occurred_at=self.now,
                actor=self.actor,
                service_type_id=self.service_type_id,
                closing_reason_id=self.reads.reason_id,
                order_ids=tuple(closed),
            )
        )
