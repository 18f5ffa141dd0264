"""``gsan.inspections``: the façade over inspection returns (UC0488), the
inspection orders of closed orders (UC1176), contractor acceptance (FIS-14..16)
and infraction notices (AUT)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

import attrs

from gsan_core.errors import ConcurrencyConflict, ConfigurationError
from gsan_core.model.inspections import (
    ClosedOrderFilter,
    ClosedOrderScope,
    InfractionNotice,
    InfractionNoticesExpired,
    InspectionFinding,
    InspectionOrdersGenerated,
    OrderAcceptance,
    OrderAcceptanceRecorded,
    SituationFound,
)
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    ServiceOrder,
)
from gsan_core.model.service_requests import Requester
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import inspections as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress
from gsan_core.services.connections.seams import MeterSeam
from gsan_core.services.context import ServiceContext
from gsan_core.services.inspections.bulletins import Bulletins
from gsan_core.services.inspections.notices import expire_chunk
from gsan_core.services.inspections.results import InspectionReturn, NoticeInput
from gsan_core.services.inspections.returns import inform_in


class InspectionService(Bulletins):
    """``gsan.inspections``: inspection returns and infraction notices."""

    def __init__(self, context: ServiceContext, *, meters: MeterSeam) -> None:
        super().__init__(context)
        self._meters = meters

    # ------------------------------------------------------------ queries
    def findings(self, order_id: int) -> Sequence[InspectionFinding]:
        """The situations found on an inspection order, in situation order."""
        with self._read() as uow:
            found = uow.inspection_findings.find_by(order_id=order_id)
        return sorted(found, key=lambda f: f.situation_id)

    def notice(self, notice_id: int) -> InfractionNotice:
        """One infraction notice (``NotFound`` when absent)."""
        with self._read() as uow:
            return uow.infraction_notices.get(notice_id)

    def notices(self, *, property_id: int) -> Sequence[InfractionNotice]:
        """A property's infraction notices, oldest first."""
        with self._read() as uow:
            found = uow.infraction_notices.find_by(property_id=property_id)
        return sorted(found, key=lambda n: (n.issued_on, n.id))

    # ------------------------------------------------------------ the return
    def inform_return(
        self,
        *,
        order_id: int,
        found: Sequence[SituationFound],
        actor: int,
        connection_data: object | None = None,
        notice: NoticeInput | None = None,
        requester: Requester | None = None,
        delivered_document: int | None = None,
    ) -> InspectionReturn:
        """Informar Retorno da Ordem de Fiscalização (UC0488).

        ``found`` is the whole list of situations found (a stored one left out
        is removed unless it already changed the connection or was charged,
        FIS-12). Each new situation's effects run in this unit of work: the
        connection operation its water/sewer matrix row names (through the
        connection operations, with ``connection_data`` as that operation's
        input), the collection situation it adds to the property, its debts
        when ``charge`` is set (once per order and situation, FIS-13; the
        reincidence times when the property had a reincidence-checking finding
        before), the infraction notice (``notice``) when it controls them, and
        the request (RA) its matrix row's specification asks for, opened
        through the requests' opening rules (``requester``, else the acting
        user for its unit). ``delivered_document`` is the screen's "documento
        entregue" (1 solicitação de comparecimento, 2 auto de infração, 3
        infração de esgoto, 4 nenhum), kept on the new findings.
        The order stays open: it is closed afterwards by the usual closing,
        which refuses it before this return (ENC-04)."""
        at = self._now()
        today = self._today(at)
        # the findings, the notice and the outbox rows go as one statement
        # on PostgreSQL (a later read of an effect sends what came before it)
        with self._work(defer=True) as uow:
            result = inform_in(
                uow,
                self._ctx,
                order_id=order_id,
                found=found,
                actor=actor,
                at=at,
                today=today,
                connection_data=connection_data,
                notice=notice,
                meters=self._meters,
                requester=requester,
                delivered_document=delivered_document,
            )
            uow.commit()
        return result

    # ------------------------------------------------------------ UC1176
    def generate_for_closed(
        self,
        *,
        company_id: int,
        days: int,
        sample_percentage: int,
        actor: int,
        seed: int = 0,
        progress: Progress | None = None,
        chunk_size: int = 5_000,
        service_type_ids: Collection[int] | None = None,
        locality_from: int | None = None,
        locality_until: int | None = None,
        collection_group_id: int | None = None,
        regional_management_id: int | None = None,
        business_unit_id: int | None = None,
    ) -> BatchSummary:
        """Gerar Ordem de Fiscalização para OS encerradas (UC1176): among the
        orders closed in the last ``days`` days by the units of contractor
        ``company_id``, with a property and no open inspection referring to
        them, every one closed with a reason other than the service's
        conclusion and the overdue closing gets an inspection order (type of
        role ``service_type.inspection_of_closed``, GSAN 705), and a sample of
        ``sample_percentage`` % (rounded half down; deterministic for ``seed``)
        of those closed with the conclusion does. The new orders are pending,
        emitted, of the same property and unit, referring to the inspected one,
        each with its unit-trail record (opened by that unit and ``actor``).

        Set-based and chunked: the sample is drawn in the database (one
        select numbering the candidates by a seeded rank, the same on every
        backend; the contractor's units a semi-join in it), then per chunk the
        rows to inspect are read and the orders and their trail written (one
        statement on PostgreSQL); each chunk commits. A re-run skips the
        orders already under inspection.

        ``service_type_ids`` keeps only the closed orders of those types;
        ``locality_from`` / ``locality_until`` only those whose property is
        in that locality range (both bounds included); ``collection_group_id``
        only those whose property's route is of that collection group
        (``cbgr_id``); ``regional_management_id`` / ``business_unit_id`` only
        those whose property's locality is of that gerência regional
        (``greg_id``) / unidade de negócio (``uneg_id``)."""
        filters = _closed_filter(
            days=days,
            sample_percentage=sample_percentage,
            service_type_ids=service_type_ids,
            locality_from=locality_from,
            locality_until=locality_until,
            collection_group_id=collection_group_id,
            regional_management_id=regional_management_id,
            business_unit_id=business_unit_id,
        )
        at = self._now()
        # the contractor's units are the store's semi-join in the sample's
        # and each chunk's statement (issue 20, ninth round: a read of them
        # before)
        scope = ClosedOrderScope(
            unit_ids=(),
            closed_since=at - timedelta(days=days),
            inspection_type_ids=self.profile.ids("service_type.inspection_of_closed"),
            filters=filters,
            company_id=company_id,
        )
        return self._inspect_closed(
            scope,
            percentage=sample_percentage,
            seed=seed,
            size=chunk_size,
            actor=actor,
            at=at,
            progress=progress,
        )

    def _inspect_closed(
        self,
        scope: ClosedOrderScope,
        *,
        percentage: int,
        seed: int,
        size: int,
        actor: int,
        at: datetime,
        progress: Progress | None,
    ) -> BatchSummary:
        """UC1176's run over ``scope`` (:meth:`generate_for_closed`): the
        contractor's batch held, the sample drawn in the holding transaction
        (the hold taken by its statement on PostgreSQL), the chunks."""
        profile = self.profile
        type_ids = scope.inspection_type_ids
        concluded = profile.ids("closing_reason.service_concluded")
        with self._exclusive(
            "inspection of closed orders", f"company {scope.company_id}"
        ) as frame:
            with frame.read() as uow:
                if not type_ids or uow.service_types.find(min(type_ids)) is None:
                    raise ConfigurationError(
                        "the role service_type.inspection_of_closed names no service type"
                    )
                sample, total = _sample(
                    uow,
                    scope,
                    concluded=concluded,
                    percentage=percentage,
                    seed=seed,
                )
            chunks = _ClosedOrderChunks(
                scope=scope,
                sample=sample,
                skipped=concluded | profile.ids("closing_reason.overdue"),
                size=size,
                actor=actor,
                at=at,
            )
            summary = frame.run(
                job="inspect_closed_orders",
                units=range(math.ceil(total / size)),
                chunk=chunks,
                progress=progress,
            )
        # only a table that grew a lot (at least doubled: a new one) is
        # analysed; PostgreSQL scales a stale estimate by the table's pages
        self._refresh_statistics(
            {"service_order": summary.changed, "order_unit": summary.changed},
            share=1.0,
        )
        return summary

    def inspect_order(
        self,
        *,
        order_id: int,
        accepted: bool,
        actor: int,
        reason_id: int | None = None,
        observation: str | None = None,
    ) -> OrderAcceptance:
        """Fiscalizar OS Acompanhamento de Serviço (FIS-14, FIS-15): the
        utility inspects an order a contractor executed: "concluir"
        (``accepted``), "ressalva" (``accepted`` with a non-acceptance reason
        and observation) or not accepted (a reason is required; the refusal is
        recorded against the contractor's order, once, for its bulletin)."""
        at = self._now()
        with self._work(defer=True) as uow:
            order = uow.service_orders.lock(order_id)
            reason = (
                None
                if reason_id is None
                else uow.catalog.find("non_acceptance_reason", reason_id)
            )
            closing = (
                None
                if order.closing_reason_id is None
                else uow.catalog.find("closing_reason", order.closing_reason_id)
            )
            ensure(
                rules.check_acceptance(
                    order_id=order.id,
                    executed=order.situation is OrderSituation.CLOSED
                    and closing is not None
                    and closing.flag("executed"),
                    already=bool(uow.order_acceptances.find_by(order_id=order.id)),
                    accepted=accepted,
                    reason=reason,
                    reason_id=reason_id,
                    observation=observation,
                )
            )
            record = OrderAcceptance(
                id=uow.next_id("order_acceptance"),
                order_id=order.id,
                accepted=accepted,
                reason_id=reason_id,
                observation=observation,
                actor=actor,
                at=at,
            )
            uow.order_acceptances.add(record)
            uow.record(
                OrderAcceptanceRecorded(
                    occurred_at=at,
                    actor=actor,
                    order_id=order.id,
                    accepted=accepted,
                    reason_id=reason_id,
                )
            )
            uow.commit()
        return record

    def order_acceptance(self, order_id: int) -> OrderAcceptance | None:
        """The inspection of an executed order, if it was inspected."""
        with self._read() as uow:
            found = uow.order_acceptances.find_by(order_id=order_id)
        return found[0] if found else None

    # ------------------------------------------------------------ notices
    def update_notice(
        self,
        notice: InfractionNotice,
        *,
        actor: int,
    ) -> InfractionNotice:
        """Manter Autos de Infração: store a changed notice (``attrs.evolve``
        of one read): AUT-02's dates; refused once its fine was charged
        (AUT-03)."""
        today = self._today()
        with self._work() as uow:
            stored = uow.infraction_notices.lock(notice.id)
            ensure(
                (
                    *rules.check_notice(
                        employee_id=notice.employee_id,
                        issued_on=notice.issued_on,
                        appeal_from=notice.appeal_from,
                        appeal_until=notice.appeal_until,
                        today=today,
                    ),
                    *rules.check_notice_change(stored),
                )
            )
            if notice.version != stored.version:
                raise ConcurrencyConflict(
                    "infraction_notice", notice.id, expected_version=notice.version
                )
            changed = attrs.evolve(
                notice,
                version=stored.version + 1,
                actor=actor,
                charge_id=stored.charge_id,
                order_id=stored.order_id,
                property_id=stored.property_id,
            )
            uow.infraction_notices.update(changed)
            uow.commit()
        return changed

    def expire_notices(
        self,
        *,
        actor: int,
        chunk_size: int = 1_000,
        progress: Progress | None = None,
    ) -> tuple[InfractionNotice, ...]:
        """Atualizar Autos de Infração com Prazo de Recurso Vencido (AUT-05):
        the notices in their appeal period whose deadline passed more than the
        profile's ``notice_appeal_grace_days`` get their fine charged (the
        debit type's suggested value, once per notice) and move to "appeal
        expired". Chunked by notice id, set-based per chunk (one read of the
        chunk, one of its properties, orders and types, one write of its
        charges, one compare-and-set update of the notices), each chunk
        committed: a re-run resumes and charges nothing twice."""
        at = self._now()
        today = self._today(at)
        grace = self.profile.service_orders.notice_appeal_grace_days
        before = today - timedelta(days=grace)
        changed: list[InfractionNotice] = []
        with self._exclusive("notice expiry", "all") as frame:
            with frame.read() as uow:
                # the first chunk read first: a run of less than a chunk
                # needs no count of its notices (one round trip less)
                first = uow.infraction_notices.expired_chunk(
                    appeal_before=before, after_id=0, limit=chunk_size
                )
                total = (
                    len(first)
                    if len(first) < chunk_size
                    else uow.infraction_notices.count_expired(appeal_before=before)
                )
            read = [first]
            last = [0]

            def chunk(uow: UnitOfWork, _: int) -> ChunkOutcome:
                notices = (
                    read.pop()
                    if read
                    else uow.infraction_notices.expired_chunk(
                        appeal_before=before, after_id=last[0], limit=chunk_size
                    )
                )
                if not notices:
                    return ChunkOutcome()
                last[0] = notices[-1].id
                done = expire_chunk(
                    uow, self._ctx, notices, actor=actor, at=at, today=today
                )
                charged = sum(1 for n in done if n.charge_id is not None)
                uow.record(
                    InfractionNoticesExpired(
                        occurred_at=at,
                        actor=actor,
                        notice_ids=tuple(n.id for n in done),
                        charged=charged,
                    )
                )
                uow.commit()
                changed.extend(done)
                return ChunkOutcome(processed=len(done), changed=len(done))

            if total:
                frame.run(
                    job="expire_notices",
                    units=range(math.ceil(total / chunk_size)),
                    chunk=chunk,
                    progress=progress,
                )
        return tuple(changed)


def _closed_filter(
    *,
    days: int,
    sample_percentage: int,
    service_type_ids: Collection[int] | None,
    locality_from: int | None,
    locality_until: int | None,
    collection_group_id: int | None,
    regional_management_id: int | None,
    business_unit_id: int | None,
) -> ClosedOrderFilter:
    """UC1176's arguments checked (``check_batch``) and its optional filters."""
    ensure(
        rules.check_batch(
            days=days,
            percentage=sample_percentage,
            locality_from=locality_from,
            locality_until=locality_until,
        )
    )
    return ClosedOrderFilter(
        service_type_ids=(
            None if service_type_ids is None else frozenset[int](service_type_ids)
        ),
        locality_from=locality_from,
        locality_until=locality_until,
        collection_group_id=collection_group_id,
        regional_management_id=regional_management_id,
        business_unit_id=business_unit_id,
    )


class _ClosedOrderChunks:
    """One chunk of UC1176 at a time, each after the last id of the one
    before: the candidates of ``scope`` read and their inspection orders
    written (``inspect_chunk``), the event recorded, the chunk committed."""

    def __init__(
        self,
        *,
        scope: ClosedOrderScope,
        sample: frozenset[int],
        skipped: frozenset[int],
        size: int,
        actor: int,
        at: datetime,
    ) -> None:
        self._scope = scope
        self._sample = sample
        self._skipped = skipped
        self._size = size
        self._actor = actor
        self._at = at
        self._type_id = min(scope.inspection_type_ids)
        self._template = ServiceOrder(
            id=0,
            service_type_id=self._type_id,
            origin=OrderOrigin.INSPECTION,
            generated_at=at,
            emitted_at=at,
        )
        self._last = 0

    def __call__(self, uow: UnitOfWork, _: int) -> ChunkOutcome:
        done = uow.inspection_batches.inspect_chunk(
            self._scope,
            after_id=self._last,
            limit=self._size,
            skipped_reason_ids=self._skipped,
            sample_ids=self._sample,
            template=self._template,
            opened_by=self._actor,
        )
        if not done.scanned:
            return ChunkOutcome()
        self._last = done.last_id
        if done.order_ids:
            uow.record(
                InspectionOrdersGenerated(
                    occurred_at=self._at,
                    actor=self._actor,
                    service_type_id=self._type_id,
                    order_ids=done.order_ids,
                    referenced_ids=done.referenced_ids,
                )
            )
        uow.commit()
        skipped = done.scanned - len(done.order_ids)
        return ChunkOutcome(
            processed=done.scanned,
            changed=len(done.order_ids),
            skipped={"not sampled": skipped} if skipped else {},
        )


def _sample(
    uow: UnitOfWork,
    scope: ClosedOrderScope,
    *,
    concluded: frozenset[int],
    percentage: int,
    seed: int,
) -> tuple[frozenset[int], int]:
    """The concluded candidates to inspect: ``percentage`` % of them (rounded
    half down), the lowest by :func:`~gsan_core.rules.inspections.sample_rank`
    for ``seed``, drawn in the store (no candidate row is read); and how many
    candidates there are."""
    if not scope.unit_ids and scope.company_id is None:
        return frozenset(), 0
    ids, total = uow.inspection_batches.concluded_sample(
        scope, reason_ids=concluded, percentage=percentage, seed=seed
    )
    return frozenset(ids), total
