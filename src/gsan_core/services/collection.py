"""The collection action that generates cut orders for a collection group.

GSAN's GERAR_ATIVIDADE_ACAO_COBRANCA splits the group into routes and runs each
route on its own. Here a chunk of whole routes is one unit of work with a fixed
number of statements: routes packed up to ``properties_per_chunk`` properties
(:data:`PROPERTIES_PER_CHUNK` by default, so that the chunk's fixed cost is
spread over enough rows whatever the routes' sizes), or ``routes_per_chunk``
routes when given (1 is GSAN's split). On the SQL backends the store decides the chunk
(``CollectionQueries.select_cut_orders``: the routes' properties locked, then
CUT-1..CUT-5 in one statement, skips counted by reason); elsewhere the service
reads the chunk's facts and overdue bills and runs the pure rules of
:mod:`gsan_core.rules.collection`, which stay the specification. Then the new
orders, their unit trail and one event per route are written. A property that
already has an open cut order is skipped, so an interrupted run resumes by
running it again, with no duplicate. With a restriction window for the cut type
(GEN-18, CAGEPA's profile) a property whose last cut order closed within the
window is skipped (CUT-5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import OverdueBills
from gsan_core.model.collection import (
    CutCriteria,
    CutOrdersGenerated,
    CutOrderTemplate,
    CutSelection,
    WrittenCutOrder,
)
from gsan_core.model.profile import CollectionParameters
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules.collection import CutDecision, decide_cut, overdue_limit
from gsan_core.services.batches import (
    BatchSummary,
    ChunkOutcome,
    Progress,
    run_batch,
    sized_chunks,
)
from gsan_core.services.context import Service

__all__ = [
    "PROPERTIES_PER_CHUNK",
    "CollectionService",
    "CutOrderRun",
    "CutOrdersOfGroupsRun",
]

#: Properties per chunk of the cut-order batch by default (whole routes packed
#: up to it): thousands of rows, so that a chunk's fixed statements (the lock,
#: the outbox, the commit) are a small share of its time and its locks and
#: memory stay bounded. The trade-off: a chunk holds its properties' row locks
#: from its first statement to its commit, about 0.1 s per 10,000 properties
#: on PostgreSQL, so a bigger chunk makes a single command on one of them wait
#: longer (issue 20: 10,000 ran faster than 5,000; 25,000 faster than 10,000
#: at 1 million, ~0.15-0.3 s of hold; 50,000 slower again, its chunk's rows
#: past ``work_mem``; docs/scale.md).
PROPERTIES_PER_CHUNK = 25_000

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


@attrs.frozen(kw_only=True)
class CutOrdersOfGroupsRun:
    """What one cut-order batch over several collection groups did (their
    routes packed into chunks that may span groups)."""

    group_ids: tuple[int, ...]
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
        return short_repr(
            self, "group_ids", "service_type_id", "generated", "evaluated"
        )

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class _CutPlan:
    """What every chunk of one cut-order run needs, read once at its start."""

    #: The collection group of each route of the run (a chunk may span groups).
    groups: Mapping[int, int]
    actor: int
    at: datetime
    today: date
    zone: tzinfo
    service_type: ServiceType
    cut_types: frozenset[int]
    allowed: frozenset[int]
    criteria: CollectionParameters
    #: GEN-18's restriction window of the type, in days (0: none).
    window: int

    @property
    def type_id(self) -> int:
        return self.service_type.id

    def wanted(self) -> CutCriteria:
        """The rules as data, for an adapter that decides in its store."""
        since = (
            datetime.combine(
                self.today - timedelta(days=self.window - 1), time(), self.zone
            )
            if self.window > 0
            else None
        )
        return CutCriteria(
            cut_service_type_ids=self.cut_types,
            allowed_situations=self.allowed,
            due_before=overdue_limit(self.today, self.criteria),
            min_bills=self.criteria.min_overdue_bills,
            min_amount=self.criteria.min_overdue_amount,
            restricted_type_id=self.type_id if self.window > 0 else None,
            restricted_since=since,
        )

    def chunk(self, uow: UnitOfWork, route_ids: tuple[int, ...]) -> ChunkOutcome:
        """One chunk of routes: decide (in the store, or by the pure rules),
        write the orders, their trail and the events, commit."""
        written = uow.collection.write_cut_orders(
            route_ids, self.wanted(), self.template()
        )
        if written is not None:
            if written.orders:
                self.record(uow, written.orders)
                uow.commit()
            return ChunkOutcome(
                processed=written.processed,
                changed=len(written.orders),
                skipped=dict(written.skipped),
            )
        selection = uow.collection.select_cut_orders(route_ids, self.wanted())
        if selection is None:
            selection = self.decide(uow, route_ids)
        if selection.chosen:
            self.write(uow, selection)
            uow.commit()
        return ChunkOutcome(
            processed=selection.processed,
            changed=len(selection.chosen),
            skipped=dict(selection.skipped),
        )

    def decide(self, uow: UnitOfWork, route_ids: tuple[int, ...]) -> CutSelection:
        """The pure rules CUT-1..CUT-5 over the chunk's facts (the
        specification; an adapter may decide the same in its store)."""
        facts = uow.collection.route_cut_facts(route_ids, self.cut_types)
        candidates = [
            f.property_id
            for f in facts
            if f.active
            and f.water_status_id in self.allowed
            and not f.has_open_cut_order
        ]
        limit = overdue_limit(self.today, self.criteria)
        overdue = (
            uow.billing.overdue_bills(candidates, due_before=limit)
            if candidates
            else {}
        )
        # CUT-4: the active unit of each locality (the highest id, as the
        # database decides), read for the chunk's localities only
        localities = sorted({f.locality_id for f in facts})
        units = {
            unit.locality_id: unit.id
            for unit in (
                uow.units.find_by(active=True, locality_id=localities)
                if localities
                else ()
            )
            if unit.locality_id is not None
        }
        decisions = {
            f.property_id: decide_cut(
                f,
                overdue=overdue.get(f.property_id, NONE_OVERDUE),
                allowed_situations=self.allowed,
                criteria=self.criteria,
                unit_id=units.get(f.locality_id),
            )
            for f in facts
        }
        if self.window > 0:
            for fact in facts:
                if decisions[fact.property_id] is CutDecision.GENERATE and (
                    self.restricted(uow, fact.property_id)
                ):
                    decisions[fact.property_id] = CutDecision.RESTRICTED
        chosen = tuple(
            f for f in facts if decisions[f.property_id] is CutDecision.GENERATE
        )
        return CutSelection(
            processed=len(facts),
            chosen=chosen,
            units={f.locality_id: units[f.locality_id] for f in chosen},
            skipped=Counter(
                str(d.value)
                for d in decisions.values()
                if d is not CutDecision.GENERATE
            ),
        )

    def restricted(self, uow: UnitOfWork, property_id: int) -> bool:
        """CUT-5 (GEN-18): the property's last cut order closed too recently."""
        orders = uow.service_orders.find_by(
            property_id=property_id, service_type_id=self.type_id
        )
        return bool(
            order_rules.check_restriction_window(
                property_id=property_id,
                service_type_id=self.type_id,
                days=self.window,
                last_closed=order_rules.last_closing(
                    orders, service_type_id=self.type_id, zone=self.zone
                ),
                today=self.today,
            )
        )

    def template(self) -> CutOrderTemplate:
        """The order and trail row every order of the run shares (the store
        fills in the ids, the property and the unit)."""
        return CutOrderTemplate(
            order=self.order(0, property_id=0, unit_id=None),
            trail=self.trail(0, order_id=0, unit_id=None),
        )

    def order(
        self, ident: int, *, property_id: int, unit_id: int | None
    ) -> ServiceOrder:
        kind = self.service_type
        return ServiceOrder(
            id=ident,
            service_type_id=kind.id,
            origin=OrderOrigin.COLLECTION,
            property_id=property_id,
            generated_at=self.at,
            original_value=kind.value,
            current_unit_id=unit_id,
            original_priority_id=kind.priority_id,
            current_priority_id=kind.priority_id,
        )

    def trail(
        self, ident: int, *, order_id: int, unit_id: int | None
    ) -> OrderUnitRecord:
        return OrderUnitRecord(
            id=ident,
            order_id=order_id,
            unit_id=unit_id,
            user_id=self.actor,
            relation=OrderUnitRelation.OPENED,
            at=self.at,
        )

    def write(self, uow: UnitOfWork, selection: CutSelection) -> None:
        """The chunk's orders, their unit trail and one event per route."""
        chosen = selection.chosen
        order_ids = uow.next_ids("service_order", len(chosen))
        trail_ids = uow.next_ids("order_unit", len(chosen))
        orders = [
            self.order(
                order_id,
                property_id=fact.property_id,
                unit_id=selection.units[fact.locality_id],
            )
            for order_id, fact in zip(order_ids, chosen, strict=True)
        ]
        uow.service_orders.add_many(orders)
        uow.order_units.add_many(
            self.trail(trail_id, order_id=order.id, unit_id=order.current_unit_id)
            for trail_id, order in zip(trail_ids, orders, strict=True)
        )
        self.record(
            uow,
            [
                WrittenCutOrder(
                    order_id=order.id,
                    property_id=fact.property_id,
                    route_id=fact.route_id,
                )
                for fact, order in zip(chosen, orders, strict=True)
            ],
        )

    def record(self, uow: UnitOfWork, orders: Sequence[WrittenCutOrder]) -> None:
        """One event per route of the chunk's orders (in the orders' order)."""
        by_route: dict[int, list[WrittenCutOrder]] = {}
        for made in orders:
            by_route.setdefault(made.route_id, []).append(made)
        for route_id, made_here in by_route.items():
            uow.record(
                CutOrdersGenerated(
                    occurred_at=self.at,
                    actor=self.actor,
                    group_id=self.groups[route_id],
                    route_id=route_id,
                    service_type_id=self.type_id,
                    order_ids=[o.order_id for o in made_here],
                    property_ids=[o.property_id for o in made_here],
                )
            )


class CollectionService(Service):
    """``gsan.collection``: collection actions run in batch."""

    def generate_cut_orders(
        self,
        *,
        group_id: int,
        actor: int,
        service_type_id: int | None = None,
        progress: Progress | None = None,
        routes_per_chunk: int | None = None,
        properties_per_chunk: int = PROPERTIES_PER_CHUNK,
    ) -> CutOrderRun:
        """Generate a cut order for every property of the group that qualifies
        (CUT-1..CUT-5); returns what was generated and skipped.

        The group's whole routes (GSAN splits the action by route) are packed
        into chunks of at most ``properties_per_chunk`` properties (a bigger
        route is a chunk of its own; :data:`PROPERTIES_PER_CHUNK` by default:
        a bigger chunk pays its lock, its statements and its commit over more
        properties but holds its properties' locks longer), or taken
        ``routes_per_chunk`` at a time
        when it is given (1 gives GSAN's one route per transaction); each chunk
        is one unit of work. On the SQL backends the
        chunk is decided in the database (``select_cut_orders``); in memory the
        pure rules of :mod:`gsan_core.rules.collection` decide.
        """
        type_id, summary = self._generate(
            [group_id],
            actor=actor,
            service_type_id=service_type_id,
            progress=progress,
            routes_per_chunk=routes_per_chunk,
            properties_per_chunk=properties_per_chunk,
        )
        return CutOrderRun(group_id=group_id, service_type_id=type_id, summary=summary)

    def generate_cut_orders_of_groups(
        self,
        *,
        group_ids: Iterable[int],
        actor: int,
        service_type_id: int | None = None,
        progress: Progress | None = None,
        properties_per_chunk: int = PROPERTIES_PER_CHUNK,
    ) -> CutOrdersOfGroupsRun:
        """:meth:`generate_cut_orders` for several collection groups in one run
        (issue 20): the groups are held together, their whole routes packed
        into chunks of at most ``properties_per_chunk`` properties **across
        groups** (in group order), so that a chunk's fixed cost (its
        transaction, its statements) is paid per few thousand properties
        rather than per group, and the run's own costs (the hold, the read of
        the routes, the statistics check) once. The orders and the skips are
        those of one run per group (CUT-1..CUT-5 decide per property); the
        events stay one per route, with the route's group."""
        groups = sorted(set(group_ids))
        type_id, summary = self._generate(
            groups,
            actor=actor,
            service_type_id=service_type_id,
            progress=progress,
            routes_per_chunk=None,
            properties_per_chunk=properties_per_chunk,
        )
        return CutOrdersOfGroupsRun(
            group_ids=tuple(groups), service_type_id=type_id, summary=summary
        )

    def _generate(
        self,
        group_ids: Sequence[int],
        *,
        actor: int,
        service_type_id: int | None,
        progress: Progress | None,
        routes_per_chunk: int | None,
        properties_per_chunk: int,
    ) -> tuple[int, BatchSummary]:
        """The cut-order batch over the routes of ``group_ids``, held for
        each group; returns the order type and the summary."""
        if routes_per_chunk is not None and routes_per_chunk < 1:
            raise ValueError("routes_per_chunk must be at least 1")
        if properties_per_chunk < 1:
            raise ValueError("properties_per_chunk must be at least 1")
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
        keys = [f"group {group}" for group in group_ids]
        with self._exclusive("cut orders", *keys):
            at = self._now()
            with self._read() as uow:
                service_type = uow.service_types.get(type_id)
                groups, units = _units(
                    uow, group_ids, routes_per_chunk, properties_per_chunk
                )
            plan = _CutPlan(
                groups=groups,
                actor=actor,
                at=at,
                today=self._today(at),
                zone=self._ctx.zone,
                service_type=service_type,
                cut_types=profile.ids("service_type.cut") | {type_id},
                allowed=profile.allowed("water.cut"),
                criteria=profile.collection,
                window=profile.service_orders.restriction_days(type_id),
            )
            named = ", ".join(str(group) for group in group_ids)
            summary = run_batch(
                job=f"cut orders of group{'s' if len(group_ids) > 1 else ''} {named}",
                units=units,
                chunk=plan.chunk,
                work=self._work,
                progress=progress,
            )
            self._refresh_statistics(
                {"service_order": summary.changed, "order_unit": summary.changed}
            )
            return type_id, summary


def _units(
    uow: UnitOfWork,
    group_ids: Sequence[int],
    routes_per_chunk: int | None,
    properties_per_chunk: int,
) -> tuple[dict[int, int], list[tuple[int, ...]]]:
    """The group of every route of ``group_ids`` and the run's chunks: whole
    routes packed up to ``properties_per_chunk`` properties across the groups
    (in group order), or ``routes_per_chunk`` routes of one group at a time."""
    groups: dict[int, int] = {}
    sizes: list[tuple[int, int]] = []
    units: list[tuple[int, ...]] = []
    # one read of every group's route sizes (it was one per group: 44 reads
    # of the 100 thousand utility's groups, issue 20)
    sized = (
        uow.collection.route_sizes_of_groups(group_ids)
        if routes_per_chunk is None
        else {}
    )
    for group_id in group_ids:
        if routes_per_chunk is None:
            mine = list(sized.get(group_id, ()))
            sizes.extend(mine)
            routes = [route for route, _ in mine]
        else:
            routes = list(uow.collection.routes_of_group(group_id))
            units.extend(
                tuple(routes[n : n + routes_per_chunk])
                for n in range(0, len(routes), routes_per_chunk)
            )
        groups.update(dict.fromkeys(routes, group_id))
    if routes_per_chunk is None:
        units = sized_chunks(sizes, properties_per_chunk)
    return groups, units
