"""The selective emission as a chunked, resumable, idempotent batch (SEL-01,
GEN-11) and the closing of a command (SEL-02).

The command's location bounds are cut into chunks of ``chunk_size``
properties by id (the bounds computed in the store, so the caller never holds
every id). Each chunk is one unit of work: the command row is locked (which
serialises two runs and gives the cap still free), the store decides every
property of the chunk in one statement (``SelectiveQueries.select_selective``;
the pure rules of :mod:`gsan_core.rules.field_work` in memory), then the
orders, their unit trail, their link to the command and one event are written
with one statement each, and the command's count moves. A property the command
already emitted for is skipped ("already emitted by this command"), so an
interrupted run resumes by running it again, with no duplicate; the store also
refuses a second order per property and command (a unique index).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.field_work import (
    SelectiveCommand,
    SelectiveDecision,
    SelectiveFact,
    SelectiveOrder,
    SelectiveOrdersEmitted,
    SelectiveSelection,
    SelectiveWanted,
)
from gsan_core.model.scheduling import ScheduleOutcome
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.services.batches import BatchSummary, ChunkOutcome
from gsan_core.services.service_orders.programmings import deactivate

__all__ = ["EmissionPlan", "SelectiveRun", "close_pending_chunk"]


@attrs.frozen(kw_only=True)
class SelectiveRun:
    """What one emission run of a selective command did."""

    command_id: int
    service_type_id: int
    summary: BatchSummary

    @property
    def generated(self) -> int:
        """Orders emitted by this run."""
        return self.summary.changed

    @property
    def evaluated(self) -> int:
        """Properties looked at."""
        return self.summary.processed

    @property
    def skipped(self) -> dict[str, int]:
        """Properties skipped, by reason."""
        return dict(self.summary.skipped)

    def __repr__(self) -> str:
        return short_repr(
            self, "command_id", "service_type_id", "generated", "evaluated"
        )

    def _repr_html_(self) -> str:
        return html_of(self)


#: The tables an emission's chunk writes a row of per order.
WRITTEN = ("service_order", "order_unit", "selective_order")


@attrs.frozen(kw_only=True)
class EmissionPlan:
    """What every chunk of one emission run needs, read once at its start."""

    command_id: int
    actor: int
    at: datetime
    service_type: ServiceType
    wanted: SelectiveWanted

    def chunk(self, uow: UnitOfWork, bounds: tuple[int, int]) -> ChunkOutcome:
        """One chunk: lock the command, decide, write, commit."""
        command = uow.selective_commands.lock(self.command_id)
        selection = uow.selective.select_selective(bounds[0], bounds[1], self.wanted)
        chosen, skipped = _capped(selection, command.remaining)
        if chosen:
            # a run fills these tables: while a chunk is a large share of one
            # (empty or small when last analysed), the store refreshes its
            # statistics (before the chunk's writes, which stay together),
            # so the next chunks' probes are planned on the real sizes, not
            # on an empty table's defaults (issue 16)
            uow.refresh_statistics(dict.fromkeys(WRITTEN, len(chosen)))
            self.write(uow, command, chosen)
        uow.commit()
        return ChunkOutcome(
            processed=selection.processed, changed=len(chosen), skipped=skipped
        )

    def write(
        self,
        uow: UnitOfWork,
        command: SelectiveCommand,
        chosen: Sequence[SelectiveFact],
    ) -> None:
        """SEL-01: the orders (already emitted, no RA, no document), their
        unit trail, their link to the command, the command's count, one event."""
        kind, at = self.service_type, self.at
        facts = list(chosen)
        order_ids = uow.next_ids("service_order", len(facts))
        trail_ids = uow.next_ids("order_unit", len(facts))
        link_ids = uow.next_ids("selective_order", len(facts))
        orders = [
            ServiceOrder(
                id=order_id,
                service_type_id=kind.id,
                origin=OrderOrigin.SELECTIVE,
                property_id=fact.property_id,
                generated_at=at,
                emitted_at=at,
                original_value=kind.value,
                current_unit_id=fact.unit_id,
                original_priority_id=kind.priority_id,
                current_priority_id=kind.priority_id,
            )
            for order_id, fact in zip(order_ids, facts, strict=True)
        ]
        uow.service_orders.add_many(orders)
        uow.order_units.add_many(
            OrderUnitRecord(
                id=trail_id,
                order_id=order.id,
                unit_id=order.current_unit_id,
                user_id=self.actor,
                relation=OrderUnitRelation.OPENED,
                at=at,
            )
            for trail_id, order in zip(trail_ids, orders, strict=True)
        )
        uow.selective_orders.add_many(
            SelectiveOrder(
                id=link_id,
                command_id=command.id,
                order_id=order.id,
                property_id=order.property_id or 0,
            )
            for link_id, order in zip(link_ids, orders, strict=True)
        )
        uow.selective_commands.update(
            attrs.evolve(
                command,
                emitted=command.emitted + len(orders),
                emitted_at=at,
                version=command.version + 1,
            )
        )
        uow.record(
            SelectiveOrdersEmitted(
                occurred_at=at,
                actor=self.actor,
                command_id=command.id,
                service_type_id=kind.id,
                order_ids=[o.id for o in orders],
                property_ids=[o.property_id or 0 for o in orders],
            )
        )


def _capped(
    selection: SelectiveSelection, remaining: int | None
) -> tuple[tuple[SelectiveFact, ...], dict[str, int]]:
    """The chosen properties within the command's cap (by property id); the
    rest counted as "command cap reached"."""
    skipped = dict(selection.skipped)
    chosen = selection.chosen
    if remaining is not None and len(chosen) > remaining:
        over = len(chosen) - remaining
        chosen = chosen[:remaining]
        skipped[SelectiveDecision.CAP.value] = (
            skipped.get(SelectiveDecision.CAP.value, 0) + over
        )
    return chosen, dict(sorted(skipped.items()))


def close_pending_chunk(
    uow: UnitOfWork,
    *,
    command_id: int,
    after_order_id: int,
    limit: int,
    reason_id: int,
    at: datetime,
    actor: int,
    unit_id: int | None,
) -> list[int]:
    """SEL-02 for one page: the command's orders still pending after
    ``after_order_id`` are closed without execution with ``reason_id`` (their
    unit trail written, their programmings cancelled); orders in execution or
    awaiting release are left as they are. Returns the ids closed."""
    ids = uow.selective.pending_orders_of_command(
        command_id, after_order_id=after_order_id, limit=limit
    )
    if not ids:
        return []
    locked = uow.service_orders.lock_many(ids)
    pending = [
        locked[i]
        for i in ids
        if i in locked and locked[i].situation is OrderSituation.PENDING
    ]
    uow.service_orders.update_many(
        attrs.evolve(
            order,
            situation=OrderSituation.CLOSED,
            closed_at=at,
            closing_reason_id=reason_id,
            version=order.version + 1,
        )
        for order in pending
    )
    trail_ids = uow.next_ids("order_unit", len(pending))
    uow.order_units.add_many(
        OrderUnitRecord(
            id=trail_id,
            order_id=order.id,
            unit_id=unit_id if unit_id is not None else order.current_unit_id,
            user_id=actor,
            relation=OrderUnitRelation.CLOSED,
            at=at,
        )
        for trail_id, order in zip(trail_ids, pending, strict=True)
    )
    closed = [o.id for o in pending]
    programmed = uow.programmings.find_by(order_id=closed, active=True)
    if programmed:
        uow.programmings.update_many(
            deactivate(programmed, ScheduleOutcome.CANCELLED, actor=actor)
        )
    return closed
