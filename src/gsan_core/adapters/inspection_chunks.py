"""One chunk of the inspection batch of closed orders (UC1176) by rows: the
memory store's way and the SQL adapter's where it cannot reserve ids inside
its statement (SQLite, an id port of the host's)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from gsan_core.model.inspections import ClosedOrderScope, InspectedChunk
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.ports.repositories import InspectionBatchQueries

__all__ = ["inspect_by_rows"]


def inspect_by_rows(
    batches: InspectionBatchQueries,
    next_ids: Callable[[str, int], Sequence[int]],
    scope: ClosedOrderScope,
    *,
    after_id: int,
    limit: int,
    skipped_reason_ids: Collection[int],
    sample_ids: Collection[int],
    template: ServiceOrder,
    opened_by: int,
) -> InspectedChunk:
    """:meth:`~InspectionBatchQueries.chunk_to_inspect`, ids from
    ``next_ids``, then :meth:`~InspectionBatchQueries.add_inspections`."""
    chosen, scanned, last = batches.chunk_to_inspect(
        scope,
        after_id=after_id,
        limit=limit,
        skipped_reason_ids=skipped_reason_ids,
        sample_ids=sample_ids,
    )
    if not chosen:
        return InspectedChunk(scanned=scanned, last_id=last)
    ids = next_ids("service_order", len(chosen))
    batches.add_inspections(
        referenced=chosen,
        first_id=ids[0],
        template=template,
        trail_first_id=next_ids("order_unit", len(chosen))[0],
        opened_by=opened_by,
    )
    return InspectedChunk(
        scanned=scanned,
        last_id=last,
        order_ids=tuple(ids),
        referenced_ids=tuple(r.order_id for r in chosen),
    )
