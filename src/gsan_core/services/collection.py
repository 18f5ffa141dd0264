"""The collection action that generates cut orders for a collection group.

GSAN's GERAR_ATIVIDADE_ACAO_COBRANCA splits the group into routes and runs each
route on its own. Here a chunk of whole routes (``routes_per_chunk``, 8 by
default; 1 is GSAN's split) is one unit of work with a fixed number of
statements: the routes' properties with their situation and whether an open cut
order exists, their overdue bills counted and added up (one call to the billing
port), and the inserts of the new orders, their unit trail and the events. A
property that already has an open cut order is skipped, so an interrupted run
resumes by running it again, with no duplicate. With a restriction window for
the cut type (GEN-18, CAGEPA's profile) the properties chosen are also read for
their last cut order, and one closed within the window is skipped (CUT-5).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import OverdueBills
from gsan_core.model.collection import CutCriteria, CutOrdersGenerated, CutSelection
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules.collection import CutDecision, decide_cut, overdue_limit
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress, run_batch
from gsan_core.services.context import Service

__all__ = ["CollectionService", "CutOrderRun"]

NONE_OVERDUE = OverdueBills()


@attrs.frozen(kw_only=True)
class CutOrderRun:
    """What a cut-order batch did."""

    group_id: int
    service_type_id: int
    summary: BatchSummary

    @property
    def generated(self) -> int:
        """Cut orders generated."""
        return self.summary.changed

    @property
    def evaluated(self) -> int:
        """Properties looked at."""
        return self.summary.processed

    def __repr__(self) -> str:
        return short_repr(self, "group_id", "service_type_id", "generated", "evaluated")

    def _repr_html_(self) -> str:
        return html_of(self)


class CollectionService(Service):
    """``gsan.collection``: collection actions run in batch."""

    def generate_cut_orders(
        self,
        *,
        group_id: int,
        actor: int,
        service_type_id: int | None = None,
        progress: Progress | None = None,
        routes_per_chunk: int = 8,
    ) -> CutOrderRun:
        """Generate a cut order for every property of the group that qualifies
        (CUT-1..CUT-4); returns what was generated and skipped.

        The group's routes are taken ``routes_per_chunk`` at a time (whole routes,
        as GSAN splits the action by route; 1 gives GSAN's one route per
        transaction), each chunk in one unit of work.
        """
        if routes_per_chunk < 1:
            raise ValueError("routes_per_chunk must be at least 1")
        profile = self.profile
        type_id = (
            service_type_id
            if service_type_id is not None
            else profile.id("service_type.cut_order")
        )
        if type_id is None:
            raise ConfigurationError(
                "no cut service type: give service_type_id or map the profile role "
                "'service_type.cut_order'"
            )
        with self._exclusive("cut orders", f"group {group_id}"):
            at = self._now()
            today = self._today(at)
            with self._read() as uow:
                service_type = uow.service_types.get(type_id)
                routes = uow.collection.routes_of_group(group_id)
                units = {
                    unit.locality_id: unit.id
                    for unit in uow.units.find_by(active=True)
                    if unit.locality_id is not None
                }
            cut_types = profile.ids("service_type.cut") | {type_id}
            allowed = profile.allowed("water.cut")
            criteria = profile.collection
            limit = overdue_limit(today, criteria)
            window = profile.service_orders.restriction_days(type_id)

            since = (
                datetime.combine(
                    today - timedelta(days=window - 1), time(), self._ctx.zone
                )
                if window > 0
                else None
            )
            wanted = CutCriteria(
                cut_service_type_ids=cut_types,
                allowed_situations=allowed,
                due_before=limit,
                min_bills=criteria.min_overdue_bills,
                min_amount=criteria.min_overdue_amount,
                restricted_type_id=type_id if window > 0 else None,
                restricted_since=since,
            )

            def _restricted(uow: UnitOfWork, property_id: int) -> bool:
                """CUT-5 (GEN-18): the property's last cut order closed too
                recently."""
                orders = uow.service_orders.find_by(
                    property_id=property_id, service_type_id=type_id
                )
                return bool(
                    order_rules.check_restriction_window(
                        property_id=property_id,
                        service_type_id=type_id,
                        days=window,
                        last_closed=order_rules.last_closing(
                            orders, service_type_id=type_id, zone=self._ctx.zone
                        ),
                        today=today,
                    )
                )

            def decide(uow: UnitOfWork, route_ids: tuple[int, ...]) -> CutSelection:
                """The pure rules CUT-1..CUT-5 over the chunk's facts (the
                specification; an adapter may decide the same in its store)."""
                facts = uow.collection.route_cut_facts(route_ids, cut_types)
                candidates = [
                    f.property_id
                    for f in facts
                    if f.active
                    and f.water_status_id in allowed
                    and not f.has_open_cut_order
                ]
                overdue = (
                    uow.billing.overdue_bills(candidates, due_before=limit)
                    if candidates
                    else {}
                )
                decisions = {
                    f.property_id: decide_cut(
                        f,
                        overdue=overdue.get(f.property_id, NONE_OVERDUE),
                        allowed_situations=allowed,
                        criteria=criteria,
                        unit_id=units.get(f.locality_id),
                    )
                    for f in facts
                }
                if window > 0:
                    for fact in facts:
                        if decisions[fact.property_id] is CutDecision.GENERATE and (
                            _restricted(uow, fact.property_id)
                        ):
                            decisions[fact.property_id] = CutDecision.RESTRICTED
                return CutSelection(
                    processed=len(facts),
                    chosen=tuple(
                        f
                        for f in facts
                        if decisions[f.property_id] is CutDecision.GENERATE
                    ),
                    skipped=Counter(
                        str(d.value)
                        for d in decisions.values()
                        if d is not CutDecision.GENERATE
                    ),
                )

            def chunk(uow: UnitOfWork, route_ids: tuple[int, ...]) -> ChunkOutcome:
                selection = uow.collection.select_cut_orders(route_ids, wanted)
                if selection is None:
                    selection = decide(uow, route_ids)
                chosen = selection.chosen
                if chosen:
                    order_ids = uow.next_ids("service_order", len(chosen))
                    trail_ids = uow.next_ids("order_unit", len(chosen))
                    orders = [
                        ServiceOrder(
                            id=order_id,
                            service_type_id=type_id,
                            origin=OrderOrigin.COLLECTION,
                            property_id=fact.property_id,
                            generated_at=at,
                            original_value=service_type.value,
                            current_unit_id=units[fact.locality_id],
                            original_priority_id=service_type.priority_id,
                            current_priority_id=service_type.priority_id,
                        )
                        for order_id, fact in zip(order_ids, chosen, strict=True)
                    ]
                    uow.service_orders.add_many(orders)
                    uow.order_units.add_many(
                        OrderUnitRecord(
                            id=trail_id,
                            order_id=order.id,
                            unit_id=order.current_unit_id,
                            user_id=actor,
                            relation=OrderUnitRelation.OPENED,
                            at=at,
                        )
                        for trail_id, order in zip(trail_ids, orders, strict=True)
                    )
                    by_route: dict[int, list[ServiceOrder]] = {}
                    for fact, order in zip(chosen, orders, strict=True):
                        by_route.setdefault(fact.route_id, []).append(order)
                    for route_id, made in by_route.items():
                        uow.record(
                            CutOrdersGenerated(
                                occurred_at=at,
                                actor=actor,
                                group_id=group_id,
                                route_id=route_id,
                                service_type_id=type_id,
                                order_ids=[o.id for o in made],
                                property_ids=[o.property_id or 0 for o in made],
                            )
                        )
                    uow.commit()
                return ChunkOutcome(
                    processed=selection.processed,
                    changed=len(chosen),
                    skipped=dict(selection.skipped),
                )

            summary = run_batch(
                job=f"cut orders of group {group_id}",
                units=[
                    tuple(routes[n : n + routes_per_chunk])
                    for n in range(0, len(routes), routes_per_chunk)
                ],
                chunk=chunk,
                work=self._work,
                progress=progress,
            )
            self._refresh_statistics(
                {"service_order": summary.changed, "order_unit": summary.changed}
            )
            return CutOrderRun(
                group_id=group_id, service_type_id=type_id, summary=summary
            )
