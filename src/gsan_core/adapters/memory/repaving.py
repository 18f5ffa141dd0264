"""In-memory repaving works: the automatic acceptance done row by row (the
reference the SQL statement is compared with)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.adapters.inspection_chunks import inspect_by_rows
from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.adapters.memory.store import MemoryUnitOfWorkBase
from gsan_core.model.events import DomainEvent
from gsan_core.model.inspections import (
    ClosedOrderFilter,
    ClosedOrderRow,
    ClosedOrderScope,
    InfractionNotice,
    InspectedChunk,
    NoticeSituation,
)
from gsan_core.model.properties import Property
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.rules.inspections import sample_rank, sample_size
from gsan_core.rules.repaving import AUTOMATIC_ACCEPTANCE as AUTOMATIC
from gsan_core.rules.repaving import converges

__all__ = [
    "MemoryInfractionNotices",
    "MemoryInspectionBatches",
    "MemoryRepavingRepository",
    "automatic_remark",
]


def automatic_remark(remark: str | None) -> str:
    """The remark of an automatic acceptance, appended to an existing one."""
    return AUTOMATIC if not remark else f"{remark} {AUTOMATIC}"


class MemoryRepavingRepository(MemoryRepository[RepavingWork]):
    """Repaving works in memory."""

    def accept_convergent(
        self,
        *,
        percentage: Decimal,
        after_id: int,
        limit: int,
        user_id: int,
        event: Callable[[tuple[int, ...]], DomainEvent] | None = None,
    ) -> tuple[Sequence[int], Sequence[int]]:
        pending = [
            w
            for w in self._uow.rows(self._table)
            if w.id > after_id and w.returned_on is not None and w.acceptance is None
        ]
        pending.sort(key=lambda w: w.id)
        chunk = pending[:limit]
        accepted = []
        for work in chunk:
            if converges(work, percentage=percentage):
                self.update(
                    attrs.evolve(
                        work,
                        acceptance=RepavingAcceptance.ACCEPTED,
                        accepted_on=work.returned_on,
                        accepted_by=user_id,
                        acceptance_remark=automatic_remark(work.acceptance_remark),
                        version=work.version + 1,
                    )
                )
                accepted.append(work.id)
        if accepted and event is not None:
            self._uow.record(event(tuple(accepted)))
        return [w.id for w in chunk], accepted


class MemoryInfractionNotices(MemoryRepository[InfractionNotice]):
    """Infraction notices in memory, with the expiry batch's reads (AUT-05)."""

    def _expired(self, appeal_before: date) -> list[InfractionNotice]:
        return sorted(
            (
                n
                for n in self._uow.rows(self._table)
                if n.situation is NoticeSituation.APPEAL_OPEN
                and n.appeal_until is not None
                and n.appeal_until < appeal_before
            ),
            key=lambda n: n.id,
        )

    def count_expired(self, *, appeal_before: date) -> int:
        return len(self._expired(appeal_before))

    def expired_chunk(
        self, *, appeal_before: date, after_id: int, limit: int
    ) -> Sequence[InfractionNotice]:
        return [n for n in self._expired(appeal_before) if n.id > after_id][:limit]

    def mark_expired(
        self, notices: Sequence[InfractionNotice], *, charge_ids: Mapping[int, int]
    ) -> None:
        self.update_many(
            attrs.evolve(
                n,
                situation=NoticeSituation.APPEAL_EXPIRED,
                charge_id=charge_ids.get(n.id, n.charge_id),
                version=n.version + 1,
            )
            for n in notices
        )


class MemoryInspectionBatches:
    """The inspection batch's reads over the memory store's service orders."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def closed_candidates(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        reason_ids: Collection[int] | None = None,
    ) -> Sequence[ClosedOrderRow]:
        orders: list[ServiceOrder] = list(self._uow.rows("service_order"))
        units = scope.unit_ids
        if scope.company_id is not None:
            units = units | {
                u.id for u in self._uow.rows("unit") if u.company_id == scope.company_id
            }
        inspected = {
            o.reference_order_id
            for o in orders
            if o.service_type_id in scope.inspection_type_ids
            and o.situation is not OrderSituation.CLOSED
        }
        rows = [
            ClosedOrderRow(
                order_id=o.id,
                property_id=o.property_id,
                unit_id=o.current_unit_id,
                closing_reason_id=o.closing_reason_id,
            )
            for o in sorted(orders, key=lambda o: o.id)
            if o.id > after_id
            and o.situation is OrderSituation.CLOSED
            and o.property_id is not None
            and o.closed_at is not None
            and o.closed_at >= scope.closed_since
            and o.current_unit_id in units
            and o.id not in inspected
            and (reason_ids is None or o.closing_reason_id in reason_ids)
            and self._kept(o, scope.filters)
        ]
        return rows[:limit]

    def _kept(self, order: ServiceOrder, filters: ClosedOrderFilter | None) -> bool:
        if filters is None:
            return True
        types = filters.service_type_ids
        if types is not None and order.service_type_id not in types:
            return False
        if not filters.by_property:
            return True
        prop = self._uow.read("property", order.property_id)
        if prop is None:
            return False
        low, high = filters.locality_from, filters.locality_until
        if (low is not None and prop.locality_id < low) or (
            high is not None and prop.locality_id > high
        ):
            return False
        return self._kept_rows(prop, filters)

    def _kept_rows(self, prop: Property, filters: ClosedOrderFilter) -> bool:
        """UC1176's collection group (the property's route) and gerência
        regional / unidade de negócio (the property's locality)."""
        group = filters.collection_group_id
        if group is not None:
            route = (
                None
                if prop.route_id is None
                else self._uow.read("route", prop.route_id)
            )
            if route is None or route.group_id != group:
                return False
        if not filters.by_locality_row:
            return True
        locality = self._uow.read("locality", prop.locality_id)
        return locality is not None and all(
            wanted is None or getattr(locality, name) == wanted
            for name, wanted in (
                ("regional_management_id", filters.regional_management_id),
                ("business_unit_id", filters.business_unit_id),
            )
        )

    def chunk_to_inspect(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
    ) -> tuple[Sequence[ClosedOrderRow], int, int]:
        rows = self.closed_candidates(scope, after_id=after_id, limit=limit)
        chosen = [
            r
            for r in rows
            if r.closing_reason_id not in skipped_reason_ids or r.order_id in sample_ids
        ]
        return chosen, len(rows), rows[-1].order_id if rows else after_id

    def inspect_chunk(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
        template: ServiceOrder,
        opened_by: int,
    ) -> InspectedChunk:
        return inspect_by_rows(
            self,
            self._uow.next_ids,
            scope,
            after_id=after_id,
            limit=limit,
            skipped_reason_ids=skipped_reason_ids,
            sample_ids=sample_ids,
            template=template,
            opened_by=opened_by,
        )

    def concluded_sample(
        self,
        scope: ClosedOrderScope,
        *,
        reason_ids: Collection[int],
        percentage: int,
        seed: int,
    ) -> tuple[Sequence[int], int]:
        rows = self.closed_candidates(scope, after_id=0, limit=sys.maxsize)
        ids = [r.order_id for r in rows if r.closing_reason_id in reason_ids]
        ranked = sorted(ids, key=lambda i: (sample_rank(seed, i), i))
        return sorted(ranked[: sample_size(len(ids), percentage)]), len(rows)

    def add_inspections(
        self,
        *,
        referenced: Sequence[ClosedOrderRow],
        first_id: int,
        template: ServiceOrder,
        trail_first_id: int | None = None,
        opened_by: int = 0,
    ) -> None:
        MemoryRepository[ServiceOrder](self._uow, "service_order").add_many(
            attrs.evolve(
                template,
                id=first_id + n,
                property_id=row.property_id,
                reference_order_id=row.order_id,
                current_unit_id=row.unit_id,
            )
            for n, row in enumerate(referenced)
        )
        if trail_first_id is None:
            return
        MemoryRepository[OrderUnitRecord](self._uow, "order_unit").add_many(
            OrderUnitRecord(
                id=trail_first_id + n,
                order_id=first_id + n,
                unit_id=row.unit_id,
                user_id=opened_by,
                relation=OrderUnitRelation.OPENED,
                at=template.generated_at,
            )
            for n, row in enumerate(referenced)
        )
