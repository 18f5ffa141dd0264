"""The service-order service (``gsan.service_orders``): service types, their
tables and the OS lifecycle."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import attrs

from gsan_core.errors import (
    ConcurrencyConflict,
    NotFound,
    Violation,
)
from gsan_core.model.bulletins import BulletinInput
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.field_files import DEVICE_RETURNED
from gsan_core.model.service_orders import (
    CompletedOrderRow,
    ExecutedActivity,
    InspectionResult,
    OrderAction,
    OrderExecution,
    OrderOrigin,
    OrderUnitRecord,
    ServiceOrder,
    ServiceOrderSituationChanged,
    ServiceOrderUpdated,
    ServiceType,
    ServiceTypeSaved,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import charges as charge_rules
from gsan_core.rules import service_configuration as config
from gsan_core.rules import service_orders as rules
from gsan_core.rules.service_orders import ChargeRequest, RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.acceptances import refuse_referenced_in
from gsan_core.services.batches import BatchSummary, Progress
from gsan_core.services.bulletins import record_bulletin_in
from gsan_core.services.charges import price_facts
from gsan_core.services.service_orders.closing import close_in
from gsan_core.services.service_orders.commercial import apply_operation_in
from gsan_core.services.service_orders.common import (
    _catalog_map,
    _move,
    _reference_of,
    missing_references,
)
from gsan_core.services.service_orders.cut_orders import (
    check_new_cut_order,
    reemit_open_cut,
)
from gsan_core.services.service_orders.generation import (
    generate_from_collection_in,
    generate_in,
)
from gsan_core.services.service_orders.overdue import OverdueChunk, read_overdue
from gsan_core.services.service_orders.results import (
    CUT_ORDER_OBSERVATION,
    ChargeSimulation,
    ClosingResult,
    CutOrderResult,
)
from gsan_core.services.service_orders.service_types import _check_service_type
from gsan_core.services.service_setup import ServiceSetup

#: Overdue orders closed per unit of work by ``close_overdue`` (UC0734): the
#: chunk's statement costs ~20 µs an order on PostgreSQL, so at 1,000 the
#: chunk's fixed cost (its transaction, the outbox, the commit) was as much as
#: its orders (issue 20); 10,000 keeps a chunk well under a second and its
#: memory to the ids of the chunk.
OVERDUE_ORDERS_PER_CHUNK = 10_000


# ---------------------------------------------------------------- the service
class ServiceOrderService(ServiceSetup):
    """``gsan.service_orders``: service types, their tables and the OS lifecycle."""

    # ------------------------------------------------------------ types
    def _check_type(
        self,
        uow: UnitOfWork,
        service_type: ServiceType,
        active: Iterable[ServiceType] | None = None,
    ) -> list[Violation]:
        return _check_service_type(
            uow, service_type, operations=self._ctx.operations, active=active
        )

    def add_type(self, service_type: ServiceType, *, actor: int) -> ServiceType:
        """Insert a service type (CFG-05)."""
        return self.add_types([service_type], actor=actor)[0]

    def add_types(
        self, service_types: Sequence[ServiceType], *, actor: int
    ) -> list[ServiceType]:
        """Insert several service types in one transaction (CFG-05).

        A type with no activities takes GSAN's "atividade única" option."""
        new = [attrs.evolve(t, version=1) for t in service_types]
        with self._work() as uow:
            # the active types read once; each new one is checked against
            # them and the ones before it (set-based: issue 20)
            active = list(uow.service_types.find_by(active=True))
            found: list[Violation] = []
            for service_type in new:
                found += self._check_type(uow, service_type, active)
                if service_type.active:
                    active.append(service_type)
            uow.service_types.add_many(new)  # DuplicateEntity first, as before
            ensure(found)
            now = self._now()
            uow.record(
                *(
                    ServiceTypeSaved(
                        occurred_at=now, actor=actor, service_type_id=t.id, version=1
                    )
                    for t in new
                )
            )
            uow.commit()
        return new

    def update_type(self, service_type: ServiceType, *, actor: int) -> ServiceType:
        """Store a change of a type read at ``service_type.version``."""
        with self._work() as uow:
            stored = uow.service_types.get(service_type.id)
            if stored.version != service_type.version:
                raise ConcurrencyConflict(
                    "service_type", service_type.id, service_type.version
                )
            changed = attrs.evolve(service_type, version=stored.version + 1)
            ensure(self._check_type(uow, changed))
            uow.service_types.update(changed)
            uow.record(
                ServiceTypeSaved(
                    occurred_at=self._now(),
                    actor=actor,
                    service_type_id=changed.id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def get_type(self, id: int) -> ServiceType:
        """One service type."""
        with self._read() as uow:
            return uow.service_types.get(id)

    def types(self, *, active_only: bool = False) -> Sequence[ServiceType]:
        """Every service type, by id."""
        with self._read() as uow:
            if active_only:
                return uow.service_types.find_by(active=True)
            return uow.service_types.find_by()

    def closing_reasons(self, service_type_id: int) -> list[CatalogItem]:
        """The closing reasons offered for an OS of the type (ENC-06)."""
        with self._read() as uow:
            service_type = uow.service_types.get(service_type_id)
            return rules.allowed_closing_reasons(
                service_type, uow.catalog.list("closing_reason")
            )

    # ------------------------------------------------------------ orders
    def generate(
        self,
        *,
        service_type_id: int,
        property_id: int | None,
        actor: int,
        unit_id: int | None = None,
        priority_id: int | None = None,
        observation: str | None = None,
        reference_order_id: int | None = None,
        reference_service_type_id: int | None = None,
    ) -> ServiceOrder:
        """Generate a standalone OS for a property (no RA)."""
        at = self._now()
        with self._work(defer=True) as uow:
            prop = None
            if property_id is not None:
                uow.read_ahead("generate_order", property_id)
                prop = uow.properties.find(property_id)
                if prop is None:
                    raise NotFound("property", property_id)
            order = generate_in(
                uow,
                self._ctx,
                service_type_id=service_type_id,
                actor=actor,
                at=at,
                property_id=property_id,
                unit_id=unit_id,
                priority_id=priority_id,
                observation=observation,
                reference_order_id=reference_order_id,
                reference_service_type_id=reference_service_type_id,
                known_property=prop,
            )
            uow.commit()
        return order

    def get(self, id: int) -> ServiceOrder:
        """One OS."""
        with self._read() as uow:
            return uow.service_orders.get(id)

    def find_by(self, **criteria: object) -> Sequence[ServiceOrder]:
        """Orders whose fields equal the criteria (a collection means "in")."""
        with self._read() as uow:
            return uow.service_orders.find_by(**criteria)

    def unit_history(self, order_id: int) -> Sequence[OrderUnitRecord]:
        """Which units and users opened and closed the OS."""
        with self._read() as uow:
            return uow.order_units.find_by(order_id=order_id)

    def update(
        self,
        *,
        order_id: int,
        expected_version: int,
        actor: int,
        service_type_id: int | None = None,
        priority_id: int | None = None,
        observation: str | None = None,
        reference_order_id: int | None = None,
    ) -> ServiceOrder:
        """Change an open OS read at ``expected_version`` (UPD-01..UPD-04)."""
        at = self._now()
        with self._work(defer=True) as uow:
            uow.read_ahead("update_order", order_id)
            order = uow.service_orders.get(order_id)
            if order.version != expected_version:
                raise ConcurrencyConflict("service_order", order_id, expected_version)
            type_id = (
                service_type_id
                if service_type_id is not None
                else order.service_type_id
            )
            service_type = uow.service_types.find(type_id)
            reference = _reference_of(uow, service_type)
            ref_id = (
                reference_order_id
                if reference_order_id is not None
                else order.reference_order_id
            )
            reference_order = (
                None if ref_id is None else uow.service_orders.find(ref_id)
            )
            request = None
            if order.request_id is not None:
                request = RequestFacts(
                    id=order.request_id,
                    allows_orders=True,
                    pending=True,
                    user_authorised=True,
                )
            ensure(
                rules.check_update(
                    order,
                    observation=observation,
                    service_type=service_type,
                    service_type_id=type_id,
                    reference=reference,
                    request=request,
                    reference_order=reference_order,
                    reference_changed=type_id != order.service_type_id
                    or ref_id != order.reference_order_id,
                    transmitted_file_id=_transmitted_file(uow, order_id),
                )
            )
            ensure(missing_references(uow, priority_id=priority_id))
            changed = attrs.evolve(
                order,
                service_type_id=type_id,
                current_priority_id=priority_id
                if priority_id is not None
                else order.current_priority_id,
                observation=observation
                if observation is not None
                else order.observation,
                reference_order_id=ref_id,
                version=order.version + 1,
            )
            uow.service_orders.update(changed)
            uow.record(
                ServiceOrderUpdated(
                    occurred_at=at,
                    actor=actor,
                    order_id=order_id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def _situation(
        self,
        order_id: int,
        action: OrderAction,
        actor: int,
        reason_id: int | None = None,
        **changes: object,
    ) -> ServiceOrder:
        at = self._now()
        with self._work(defer=True) as uow:
            order = uow.service_orders.get(order_id)
            found = list(rules.check_transition(order, action))
            if reason_id is not None:
                item = uow.catalog.find("non_execution_reason", reason_id)
                if item is None or not item.active:
                    found.append(
                        config.REFERENCE_MISSING(
                            field="Non-execution reason",
                            campo="Motivo de Não Execução",
                            value=reason_id,
                        )
                    )
            ensure(found)
            moved = _move(uow, order, action, **changes)
            uow.record(
                ServiceOrderSituationChanged(
                    occurred_at=at,
                    actor=actor,
                    order_id=order_id,
                    before=order.situation,
                    after=moved.situation,
                    reason_id=reason_id,
                )
            )
            uow.commit()
        return moved

    def start_execution(self, *, order_id: int, actor: int) -> ServiceOrder:
        """The crew started the service (1 -> 3)."""
        return self._situation(order_id, OrderAction.START_EXECUTION, actor)

    def back_to_pending(
        self, *, order_id: int, actor: int, reason_id: int | None = None
    ) -> ServiceOrder:
        """Execution stopped; the OS waits again and leaves its schedule (3 -> 1).

        ``reason_id`` is the "motivo de não execução" (``non_execution_reason``)."""
        return self._situation(
            order_id,
            OrderAction.BACK_TO_PENDING,
            actor,
            reason_id=reason_id,
            scheduled=False,
        )

    def close_not_executed(
        self,
        *,
        order_id: int,
        reason_id: int,
        closed_on: date,
        actor: int,
        closing_time: time | None = None,
        remark: str | None = None,
        inspection_result: InspectionResult | None = None,
        route_on: date | None = None,
    ) -> ClosingResult:
        """Close without execution (how an OS is cancelled): the reason's
        ``executed`` flag must be off. An OS referring to another closes that one
        too with the same reason (REF-05). ``route_on``: closed from the follow-up
        of that date's roteiro (ENC-02, ENC-11)."""
        with self._work(defer=True) as uow:
            uow.read_ahead("close_order", order_id)
            result = close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=reason_id,
                closed_on=closed_on,
                actor=actor,
                at=self._now(),
                closing_time=closing_time,
                remark=remark,
                inspection_result=inspection_result,
                expect_executed=False,
                authorise=True,
                route_on=route_on,
            )
            uow.commit()
        return result

    def close_executed(
        self,
        *,
        order_id: int,
        reason_id: int,
        closed_on: date,
        actor: int,
        closing_time: time | None = None,
        remark: str | None = None,
        inspection_result: InspectionResult | None = None,
        commercial: object | None = None,
        charge: ChargeRequest | None = None,
        return_type_id: int | None = None,
        new_service_type_id: int | None = None,
        pavement_area: Decimal | None = None,
        activities_given: bool = False,
        execution: Sequence[ExecutedActivity] | None = None,
        route_on: date | None = None,
        bulletin: BulletinInput | None = None,
        service_accepted: bool = True,
    ) -> ClosingResult:
        """Close with execution; a type that updates the commercial system runs its
        operation (with ``commercial`` as input) in the same transaction, once.

        A type that asks the contractor's bulletin (a ``service_type_bulletin``
        row) records ``bulletin``'s quantities in the same transaction (ENC-19:
        empty or zero quantities need ``zero_confirmed``).

        ``service_accepted=False`` on an inspection order (one referring to
        another order) records the inspected order as not accepted against
        its contractor, once (service-orders §2.9.4).

        ``execution`` (activities with periods, teams, materials and kits) is
        checked (EXE-01..EXE-03), stored with the OS and satisfies ENC-12.
        ``route_on``: closed from the follow-up of that date's roteiro (ENC-02,
        ENC-11)."""
        with self._work(defer=True) as uow:
            uow.read_ahead("close_order", order_id)
            result = close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=reason_id,
                closed_on=closed_on,
                actor=actor,
                at=self._now(),
                closing_time=closing_time,
                remark=remark,
                inspection_result=inspection_result,
                commercial=commercial,
                charge=charge,
                return_type_id=return_type_id,
                new_service_type_id=new_service_type_id,
                pavement_area=pavement_area,
                activities_given=activities_given,
                execution=execution,
                expect_executed=True,
                authorise=True,
                route_on=route_on,
            )
            record_bulletin_in(
                uow,
                order=result.order,
                bulletin=bulletin,
                actor=actor,
                at=self._now(),
            )
            if not service_accepted:
                refuse_referenced_in(
                    uow, order=result.order, actor=actor, at=self._now()
                )
            uow.commit()
        return result

    def apply_operation(
        self,
        *,
        operation: str,
        order_id: int,
        actor: int,
        data: object | None = None,
        charge: ChargeRequest | None = None,
    ) -> ServiceOrder:
        """The "menu path": run an operation for an OS already closed as executed."""
        # its writes follow its reads: sent together at the commit (PostgreSQL)
        with self._work(defer=True) as uow:
            order, _ = apply_operation_in(
                uow,
                self._ctx,
                operation=operation,
                order_id=order_id,
                data=data,
                actor=actor,
                at=self._now(),
                charge=charge,
            )
            uow.commit()
        return order

    def simulate_charge(
        self,
        *,
        service_type_id: int,
        property_id: int,
        percentage: int = 100,
        installments: int = 1,
        value: Decimal | None = None,
        metered: bool | None = None,
        capacity_id: int | None = None,
    ) -> ChargeSimulation:
        """ "Simular Cobrança de Serviços" (SIM-01): the price lookup (CHG-5) and the
        charge it makes (CHG-1..CHG-4), as closing would compute it; nothing is
        written. ``metered``/``capacity_id`` give the property's meter (GSAN's
        "tipo de medição"); ``value`` replaces the price where the type allows it."""
        today = self._today()
        with self._read() as uow:
            service_type = uow.service_types.find(service_type_id)
            ensure(
                rules.check_generation(
                    service_type=service_type,
                    service_type_id=service_type_id,
                    reference=None,
                    request=None,
                )
            )
            assert service_type is not None
            prop = uow.properties.get(property_id)
            facts = price_facts(uow, prop)
            facts = attrs.evolve(
                facts,
                metered=facts.metered if metered is None else metered,
                capacity_id=facts.capacity_id if capacity_id is None else capacity_id,
            )
            row = charge_rules.select_price_row(
                uow.service_prices.find_by(service_type_id=service_type_id),
                service_type=service_type,
                on=today,
                facts=facts,
            )
        suggested = service_type.value if row is None else row.value
        ensure(
            rules.check_charge_request(
                ChargeRequest(
                    value=value, percentage=percentage, installments=installments
                ),
                service_type=service_type,
                suggested_value=suggested,
                max_installments=self.profile.system.max_installments,
                percentages=self.profile.system.charge_percentages,
                may_waive=True,
                permission_id=None,
                non_charge_reasons=(),
            )
        )
        amount = value if value is not None else (suggested or Decimal(0))
        computation = charge_rules.compute_charge(
            value=amount,
            percentage=percentage,
            installments=installments,
            interest_rate=self.profile.system.financing_interest_rate,
            charge_interest=service_type.charge_interest,
            categories=prop.categories,
        )
        return ChargeSimulation(
            service_type_id=service_type_id,
            property_id=property_id,
            on=today,
            metered=facts.metered,
            price_row_id=None if row is None or value is not None else row.id,
            suggested_value=suggested,
            computation=computation,
            charged=service_type.debit_type_id is not None and amount > 0,
        )

    def execution(self, order_id: int) -> OrderExecution | None:
        """The execution data stored when the OS closed with execution."""
        with self._read() as uow:
            uow.service_orders.get(order_id)
            return uow.order_executions.find(order_id)

    # ------------------------------------------------------------ other origins
    def generate_from_collection(
        self,
        *,
        service_type_id: int,
        property_id: int,
        collection_document_id: int,
        actor: int,
        observation: str | None = None,
    ) -> ServiceOrder:
        """An OS generated by a collection action (cut, inspection...) for the
        property of a collection document; its unit is the unit of the property's
        locality (GEN-10). GSAN checks no duplicate here."""
        at = self._now()
        with self._work() as uow:
            order = generate_from_collection_in(
                uow,
                self._ctx,
                service_type_id=service_type_id,
                property_id=property_id,
                collection_document_id=collection_document_id,
                actor=actor,
                at=at,
                observation=observation,
            )
            uow.commit()
        return order

    def generate_cut_order(
        self,
        *,
        property_id: int,
        actor: int,
        notice_document_id: int | None = None,
        reference_from: int | None = None,
        reference_to: int | None = None,
        due_from: date | None = None,
        due_to: date | None = None,
    ) -> CutOrderResult:
        """ "Gerar Ordem de Corte" for one property (GEN-12..GEN-16).

        When the property already has an open order of a cut type (roles
        ``service_type.cut_order`` and ``service_type.cut``), that order is
        emitted again instead (GEN-13). Otherwise the water connection must be
        connected or under inspection (GEN-12), the property must have unpaid
        bills in the reference months / due dates given (GEN-14, through the
        billing port), a cut notice when the profile asks for one (GEN-15), and
        the cut-order type must be configured (GEN-16). The order is created
        emitted, for the unit of the property's locality.
        """
        at = self._now()
        profile = self.profile
        # every read comes first: the writes go together at the commit
        with self._work(defer=True) as uow:
            # GEN-13 reads the property's open orders: lock it first
            prop = uow.properties.lock(property_id)
            emitted = reemit_open_cut(
                uow, profile, property_id=property_id, at=at, actor=actor
            )
            if emitted is not None:
                uow.commit()
                return CutOrderResult(order=emitted, generated=False)
            service_type, unit_id = check_new_cut_order(
                uow,
                profile,
                prop,
                notice_document_id=notice_document_id,
                reference_from=reference_from,
                reference_to=reference_to,
                due_from=due_from,
                due_to=due_to,
            )
            order = generate_in(
                uow,
                self._ctx,
                service_type_id=service_type.id,
                actor=actor,
                at=at,
                origin=OrderOrigin.CUT,
                property_id=property_id,
                collection_document_id=notice_document_id,
                unit_id=unit_id,
                observation=CUT_ORDER_OBSERVATION,
                emitted=True,
                known_property=prop,  # locked above: not read again
            )
            uow.commit()
        return CutOrderResult(order=order, generated=True)

    # ------------------------------------------------------------ overdue orders
    def close_overdue(
        self,
        *,
        service_type_id: int,
        days: int,
        actor: int,
        progress: Progress | None = None,
        chunk_size: int = OVERDUE_ORDERS_PER_CHUNK,
    ) -> BatchSummary:
        """ "Encerrar Ordem de Serviço Vencida" (UC0734, VEN-01..VEN-03).

        Closes, with the reason of role ``closing_reason.overdue`` (GSAN 32), every
        pending order of the type generated on or before ``today - (days +
        profile.service_orders.overdue_extra_days)``. Set-based and chunked
        (:data:`OVERDUE_ORDERS_PER_CHUNK` orders a unit of work): per
        chunk one statement selects pending ids, one closes them, one inserts
        their unit-trail rows with ids taken in the chunk's own transaction
        (on PostgreSQL the three and the ids' reservation are one statement),
        and the chunk commits. Re-running after an
        interruption closes the rest. The summary counts orders (not GSAN's
        order x unit rows). Nothing to close raises VEN-03.
        """
        now = self._now()
        today = self._today(now)
        profile = self.profile
        cutoff = rules.overdue_cutoff(
            today, days=days, extra_days=profile.service_orders.overdue_extra_days
        )
        before = datetime.combine(cutoff + timedelta(days=1), time(), self._ctx.zone)
        with self._exclusive(
            "overdue closing", f"service type {service_type_id}"
        ) as frame:
            with frame.read() as uow:  # the chunks take their own trail ids
                reads = read_overdue(
                    uow,
                    profile,
                    service_type_id=service_type_id,
                    days=days,
                    actor=actor,
                    before=before,
                    cutoff=cutoff,
                )
            chunk = OverdueChunk(
                service_type_id=service_type_id,
                before=before,
                chunk_size=chunk_size,
                reads=reads,
                now=now,
                actor=actor,
            )
            summary = frame.run(
                job="close_overdue",
                units=range(math.ceil(reads.total / chunk_size)),
                chunk=chunk,
                progress=progress,
            )
            self._refresh_statistics(
                {"service_order": summary.changed, "order_unit": summary.changed}
            )
            return summary

    # ------------------------------------------------------------ bulletin
    def completed_orders_bulletin(
        self,
        *,
        start: date,
        end: date,
        unit_id: int | None = None,
        service_type_id: int | None = None,
    ) -> list[CompletedOrderRow]:
        """ "Gerar Boletim de Ordens de Serviço Concluídas" (R0765): the orders closed
        from ``start`` to ``end`` (local days, inclusive), optionally of one type
        and closed by one unit, by closing instant."""
        zone = self._ctx.zone
        first = datetime.combine(start, time(), zone)
        after = datetime.combine(end + timedelta(days=1), time(), zone)
        with self._read() as uow:
            pairs = uow.service_orders.closed_between(
                start=first,
                end=after,
                service_type_id=service_type_id,
                unit_id=unit_id,
            )
            types = uow.service_types.get_many({o.service_type_id for o, _ in pairs})
            reasons = _catalog_map(uow, "closing_reason")
        rows: list[CompletedOrderRow] = []
        for order, record in pairs:
            assert order.closed_at is not None
            assert order.closing_reason_id is not None
            reason = reasons.get(order.closing_reason_id)
            rows.append(
                CompletedOrderRow(
                    order_id=order.id,
                    service_type_id=order.service_type_id,
                    service_type=types[order.service_type_id].description,
                    property_id=order.property_id,
                    request_id=order.request_id,
                    generated_at=order.generated_at,
                    closed_at=order.closed_at,
                    closing_reason_id=order.closing_reason_id,
                    closing_reason="" if reason is None else reason.description,
                    executed=reason is not None and reason.flag("executed"),
                    closing_unit_id=None if record is None else record.unit_id,
                    closing_user_id=None if record is None else record.user_id,
                    current_unit_id=order.current_unit_id,
                    charged_value=order.current_value,
                    charge_percentage=order.charge_percentage,
                    commercial_applied=order.commercial_applied,
                )
            )
        return rows


def _transmitted_file(uow: UnitOfWork, order_id: int) -> int | None:
    """UPD-05: the field-device file holding the order that the device
    already sent back (transmitted, or finished incomplete by the device)."""
    items = uow.field_file_items.find_by(order_id=order_id)
    if not items:
        return None
    files = [uow.field_files.get(item.file_id) for item in items]
    returned = [f.id for f in files if f.situation in DEVICE_RETURNED]
    return max(returned) if returned else None
