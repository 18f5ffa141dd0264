"""The inspection façade (``gsan.inspections``): informing the return of an
infraction-inspection order (UC0488) with its effects on the connections and
the debts in one unit of work, and the infraction notices it issues (AUT)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs

from gsan_core.errors import ConcurrencyConflict, ConfigurationError, Message, Violation
from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InfractionNoticeIssued,
    InfractionNoticesExpired,
    InspectionFinding,
    InspectionOrdersGenerated,
    InspectionReturnInformed,
    NoticeSituation,
    OrderAcceptance,
    OrderAcceptanceRecorded,
    SituationFound,
)
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import inspections as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress, run_batch
from gsan_core.services.charges import create_charge, price_of
from gsan_core.services.connections.apply import apply_in
from gsan_core.services.connections.seams import MeterSeam
from gsan_core.services.context import Service, ServiceContext

__all__ = ["InspectionReturn", "InspectionService", "NoticeInput"]

CONNECTION_DATA_REQUIRED = Message(
    "inspection.connection_data_required",
    en="Situation {situation_id} runs the connection operation {operation}: give its data.",
    pt="A situação {situation_id} altera a ligação: informe os dados da operação.",
    gsan_key="atencao.required",
    rule="FIS-03",
)
NOTICE_REQUIRED = Message(
    "inspection.notice_data_required",
    en="Situation {situation_id} controls infraction notices: give the notice's data.",
    pt="A situação {situation_id} controla autos de infração: informe os dados do auto.",
    gsan_key="atencao.required",
    rule="FIS-11",
)
_NOTICE_KINDS = "inspection_charge"
_SITUATION = "inspection_situation"


@attrs.frozen(kw_only=True)
class NoticeInput:
    """The infraction notice part of a return (FIS-11)."""

    employee_id: int | None
    issued_on: date | None
    appeal_from: date | None = None
    appeal_until: date | None = None
    debit_type_id: int | None = None
    installments: int = 1
    observation: str | None = None


@attrs.frozen(kw_only=True)
class InspectionReturn:
    """What informing a return did."""

    order: ServiceOrder
    findings: tuple[InspectionFinding, ...]
    charges: tuple[Charge, ...] = ()
    notice: InfractionNotice | None = None
    #: The connection operation the return ran, if any.
    operation: str | None = None


class InspectionService(Service):
    """``gsan.inspections``: inspection returns and infraction notices."""

    def __init__(self, context: ServiceContext, *, meters: MeterSeam) -> None:
        super().__init__(context)
        self._meters = meters

    # ------------------------------------------------------------ queries
    def findings(self, order_id: int) -> Sequence[InspectionFinding]:
        """The situations found on an inspection order, in situation order."""
        with self._work() as uow:
            found = uow.inspection_findings.find_by(order_id=order_id)
        return sorted(found, key=lambda f: f.situation_id)

    def notice(self, notice_id: int) -> InfractionNotice:
        """One infraction notice (``NotFound`` when absent)."""
        with self._work() as uow:
            return uow.infraction_notices.get(notice_id)

    def notices(self, *, property_id: int) -> Sequence[InfractionNotice]:
        """A property's infraction notices, oldest first."""
        with self._work() as uow:
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
        before) and the infraction notice (``notice``) when it controls them.
        The order stays open: it is closed afterwards by the usual closing,
        which refuses it before this return (ENC-04)."""
        at = self._now()
        today = self._today(at)
        with self._work() as uow:
            result = _inform_in(
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

        Set-based and chunked: the sample is drawn in the database (one count
        and one select of the sampled ids ordered by a seeded rank, the same
        on every backend), then per chunk one statement reads the rows to
        inspect and two ``INSERT ... SELECT`` write the orders and their trail; each chunk commits. A re-run
        skips the orders already under inspection."""
        ensure(rules.check_batch(days=days, percentage=sample_percentage))
        at = self._now()
        since = at - timedelta(days=days)
        profile = self.profile
        type_ids = profile.ids("service_type.inspection_of_closed")
        concluded = profile.ids("closing_reason.service_concluded")
        excluded = concluded | profile.ids("closing_reason.overdue")
        with self._exclusive("inspection of closed orders", f"company {company_id}"):
            with self._work() as uow:
                if not type_ids or uow.service_types.find(min(type_ids)) is None:
                    raise ConfigurationError(
                        "the role service_type.inspection_of_closed names no service type"
                    )
                units = frozenset(
                    u.id for u in uow.units.find_by(company_id=company_id)
                )
                sample, total = _sample(
                    uow,
                    units=units,
                    since=since,
                    type_ids=type_ids,
                    concluded=concluded,
                    percentage=sample_percentage,
                    seed=seed,
                )
            type_id = min(type_ids)
            template = ServiceOrder(
                id=0,
                service_type_id=type_id,
                origin=OrderOrigin.INSPECTION,
                generated_at=at,
                emitted_at=at,
            )
            last = [0]

            def chunk(uow: UnitOfWork, _: int) -> ChunkOutcome:
                chosen, scanned, last[0] = uow.inspection_batches.chunk_to_inspect(
                    unit_ids=units,
                    closed_since=since,
                    inspection_type_ids=type_ids,
                    after_id=last[0],
                    limit=chunk_size,
                    skipped_reason_ids=excluded,
                    sample_ids=sample,
                )
                if not scanned:
                    return ChunkOutcome()
                ids = uow.next_ids("service_order", len(chosen))
                if chosen:
                    uow.inspection_batches.add_inspections(
                        referenced=chosen,
                        first_id=ids[0],
                        template=template,
                        trail_first_id=uow.next_ids("order_unit", len(chosen))[0],
                        opened_by=actor,
                    )
                if chosen:
                    uow.record(
                        InspectionOrdersGenerated(
                            occurred_at=at,
                            actor=actor,
                            service_type_id=type_id,
                            order_ids=tuple(ids),
                            referenced_ids=tuple(r.order_id for r in chosen),
                        )
                    )
                uow.commit()
                skipped = scanned - len(chosen)
                return ChunkOutcome(
                    processed=scanned,
                    changed=len(chosen),
                    skipped={"not sampled": skipped} if skipped else {},
                )

            summary = run_batch(
                job="inspect_closed_orders",
                units=range(math.ceil(total / chunk_size)),
                chunk=chunk,
                work=self._work,
                progress=progress,
            )
        self._refresh_statistics(
            {"service_order": summary.changed, "order_unit": summary.changed}
        )
        return summary

    # ------------------------------------------------------------ contractor
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
        with self._work() as uow:
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
        with self._work() as uow:
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

    def expire_notices(self, *, actor: int) -> tuple[InfractionNotice, ...]:
        """Atualizar Autos de Infração com Prazo de Recurso Vencido (AUT-05):
        the notices in their appeal period whose deadline passed more than the
        profile's ``notice_appeal_grace_days`` get their fine charged (the
        debit type's suggested value, once per notice) and move to
        "appeal expired"."""
        at = self._now()
        today = self._today(at)
        grace = self.profile.service_orders.notice_appeal_grace_days
        with self._work() as uow:
            candidates = uow.infraction_notices.find_by(
                situation=NoticeSituation.APPEAL_OPEN
            )
            expired = rules.expired_notices(candidates, today=today, grace_days=grace)
            changed = [
                _expire(uow, self._ctx, n, actor=actor, at=at, today=today)
                for n in sorted(expired, key=lambda n: n.id)
            ]
            if changed:
                uow.record(
                    InfractionNoticesExpired(
                        occurred_at=at,
                        actor=actor,
                        notice_ids=tuple(n.id for n in changed),
                        charged=sum(1 for n in changed if n.charge_id is not None),
                    )
                )
            uow.commit()
        return tuple(changed)


# ---------------------------------------------------------------- helpers
def _sample(
    uow: UnitOfWork,
    *,
    units: frozenset[int],
    since: datetime,
    type_ids: frozenset[int],
    concluded: frozenset[int],
    percentage: int,
    seed: int,
) -> tuple[frozenset[int], int]:
    """The concluded candidates to inspect: ``percentage`` % of them (rounded
    half down), the lowest by :func:`~gsan_core.rules.inspections.sample_rank`
    for ``seed``, drawn in the store (no candidate row is read); and how many
    candidates there are."""
    if not units:
        return frozenset(), 0
    ids, total = uow.inspection_batches.concluded_sample(
        unit_ids=units,
        closed_since=since,
        inspection_type_ids=type_ids,
        reason_ids=concluded,
        percentage=percentage,
        seed=seed,
    )
    return frozenset(ids), total


def _inform_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    order_id: int,
    found: Sequence[SituationFound],
    actor: int,
    at: datetime,
    today: date,
    connection_data: object | None,
    notice: NoticeInput | None,
    meters: MeterSeam,
) -> InspectionReturn:
    order = uow.service_orders.lock(order_id)
    service_type = uow.service_types.get(order.service_type_id)
    prop = None
    if order.property_id is not None:
        prop = uow.properties.lock_many([order.property_id]).get(order.property_id)
    ids = sorted({f.situation_id for f in found})
    situations = {
        item.id: item
        for item in uow.catalog.find_many([(_SITUATION, i) for i in ids]).values()
        if item.active
    }
    water_rows = uow.catalog.list("inspection_water_effect", active_only=True)
    sewer_rows = uow.catalog.list("inspection_sewer_effect", active_only=True)
    previous = uow.inspection_findings.find_by(order_id=order.id)
    ensure(
        rules.check_return(
            order,
            service_type=service_type,
            found=found,
            situations=situations,
            water_rows=water_rows,
            sewer_rows=sewer_rows,
            water_status_id=None if prop is None else prop.water_status_id,
            sewer_status_id=None if prop is None else prop.sewer_status_id,
            previous=previous,
            today=today,
        )
    )
    kept = {p.situation_id: p for p in previous}
    new = [f for f in found if f.situation_id not in kept]
    operation, effect_owner = _operation_of(
        [situations[f.situation_id] for f in new], prop, water_rows, sewer_rows
    )
    controls = [
        situations[f.situation_id]
        for f in new
        if situations[f.situation_id].flag("controls_notices")
    ]
    ensure(
        _effect_violations(
            ctx,
            operation=operation,
            owner=effect_owner,
            connection_data=connection_data,
            controls=controls,
            notice=notice,
            today=today,
        )
    )
    if prop is not None:
        prop = _add_collection_situations(
            uow, prop, [situations[f.situation_id] for f in new]
        )
    if operation is not None and prop is not None:
        apply_in(
            uow,
            ctx.profile,
            operation=operation,
            property_id=prop.id,
            data=connection_data,
            actor=actor,
            at=at,
            meters=meters,
            order=order,
            service_type=service_type,
        )
    charges = _charge(
        uow,
        ctx,
        order=order,
        service_type=service_type,
        prop=prop,
        new=new,
        situations=situations,
        actor=actor,
        at=at,
        today=today,
    )
    charged = {situation_id for situation_id, _ in charges}
    findings = [
        InspectionFinding(
            id=uow.next_id("inspection_finding"),
            order_id=order.id,
            situation_id=f.situation_id,
            property_id=order.property_id,
            found_on=f.found_on,
            charged=f.situation_id in charged,
            operation=operation if f.situation_id == effect_owner else None,
            actor=actor,
            recorded_at=at,
        )
        for f in new
    ]
    wanted = {f.situation_id for f in found}
    dropped = [p for p in previous if p.situation_id not in wanted]
    for finding in dropped:
        uow.inspection_findings.remove(finding)
    uow.inspection_findings.add_many(findings)
    issued = None
    if (
        controls
        and notice is not None
        and ctx.profile.service_orders.controls_infraction_notices
    ):
        issued = _issue(uow, order, controls[0], notice, actor=actor, at=at)
    uow.record(
        InspectionReturnInformed(
            occurred_at=at,
            actor=actor,
            order_id=order.id,
            situation_ids=tuple(sorted(wanted)),
            charge_ids=tuple(c.id for _, c in charges),
            notice_id=None if issued is None else issued.id,
        )
    )
    all_findings = [p for p in previous if p.situation_id in wanted] + findings
    return InspectionReturn(
        order=order,
        findings=tuple(sorted(all_findings, key=lambda f: f.situation_id)),
        charges=tuple(c for _, c in charges),
        notice=issued,
        operation=operation,
    )


def _operation_of(
    chosen: Sequence[CatalogItem],
    prop: Property | None,
    water_rows: Sequence[CatalogItem],
    sewer_rows: Sequence[CatalogItem],
) -> tuple[str | None, int | None]:
    """The connection operation the new situations run (at most one water and
    one sewer validating situation exist, FIS-05/06; water first)."""
    if prop is None:
        return None, None
    for flag, rows, status in (
        ("validates_water", water_rows, prop.water_status_id),
        ("validates_sewer", sewer_rows, prop.sewer_status_id),
    ):
        for item in chosen:
            if not item.flag(flag):
                continue
            row = rules.matching_effect(rows, situation_id=item.id, status_id=status)
            if row is not None and row.text("operation"):
                return row.text("operation"), item.id
    return None, None


def _effect_violations(
    ctx: ServiceContext,
    *,
    operation: str | None,
    owner: int | None,
    connection_data: object | None,
    controls: Sequence[CatalogItem],
    notice: NoticeInput | None,
    today: date,
) -> list[Violation]:
    found: list[Violation] = []
    if operation is not None and connection_data is None:
        found.append(CONNECTION_DATA_REQUIRED(situation_id=owner, operation=operation))
    if controls and ctx.profile.service_orders.controls_infraction_notices:
        if notice is None:
            found.append(NOTICE_REQUIRED(situation_id=controls[0].id))
        else:
            found += rules.check_notice(
                employee_id=notice.employee_id,
                issued_on=notice.issued_on,
                appeal_from=notice.appeal_from,
                appeal_until=notice.appeal_until,
                today=today,
            )
    return found


def _add_collection_situations(
    uow: UnitOfWork, prop: Property, chosen: Sequence[CatalogItem]
) -> Property:
    added = {
        i
        for item in chosen
        if (i := item.integer("collection_situation_id")) is not None
    } - set(prop.collection_situation_ids)
    if not added:
        return prop
    changed = attrs.evolve(
        prop,
        collection_situation_ids=prop.collection_situation_ids | added,
        version=prop.version + 1,
    )
    uow.properties.update(changed)
    return changed


def _charge(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    order: ServiceOrder,
    service_type: ServiceType,
    prop: Property | None,
    new: Sequence[SituationFound],
    situations: dict[int, CatalogItem],
    actor: int,
    at: datetime,
    today: date,
) -> list[tuple[int, Charge]]:
    wanted = [f.situation_id for f in new if f.charge]
    if prop is None or not wanted:
        return []
    rows = [
        row
        for row in uow.catalog.list(_NOTICE_KINDS, active_only=True)
        if row.integer("situation_id") in wanted and not row.flag("notice_fine")
    ]
    if not rows:
        return []
    reincident = _reincident(uow, prop, order, situations)
    price = price_of(uow, service_type=service_type, prop=prop, on=today)
    created: list[tuple[int, Charge]] = []
    for row in sorted(rows, key=lambda r: r.id):
        situation_id = row.integer("situation_id")
        assert situation_id is not None
        charge = _charge_row(
            uow,
            ctx,
            row,
            order=order,
            service_type=service_type,
            prop=prop,
            price=price,
            reincident=reincident
            and situations[situation_id].flag("checks_reincidence"),
            actor=actor,
            at=at,
        )
        if charge is not None:
            created.append((situation_id, charge))
    return created


def _charge_row(
    uow: UnitOfWork,
    ctx: ServiceContext,
    row: CatalogItem,
    *,
    order: ServiceOrder,
    service_type: ServiceType,
    prop: Property,
    price: Decimal | None,
    reincident: bool,
    actor: int,
    at: datetime,
) -> Charge | None:
    debit_type_id = row.integer("debit_type_id")
    debit_type = (
        None if debit_type_id is None else uow.catalog.find("debit_type", debit_type_id)
    )
    unit = rules.charge_value(
        row,
        order_price=price,
        suggested=None if debit_type is None else debit_type.decimal("suggested_value"),
    )
    if unit is None:
        return None
    times = rules.charge_times(row, reincident=reincident, months_since_cut=None)
    return create_charge(
        uow,
        profile=ctx.profile,
        service_type=attrs.evolve(service_type, debit_type_id=debit_type_id),
        prop=prop,
        value=unit * times,
        request=ChargeRequest(),
        order=order,
        request_id=order.request_id,
        generated_on=order.generated_at.astimezone(ctx.zone).date(),
        at=at,
        actor=actor,
    )


def _reincident(
    uow: UnitOfWork,
    prop: Property,
    order: ServiceOrder,
    situations: dict[int, CatalogItem],
) -> bool:
    """The property had a finding of a reincidence-checking situation on
    another order before."""
    before = uow.inspection_findings.find_by(property_id=prop.id)
    others = [f for f in before if f.order_id != order.id]
    if not others:
        return False
    checked = uow.catalog.find_many(
        [(_SITUATION, i) for i in sorted({f.situation_id for f in others})]
    )
    return any(item.flag("checks_reincidence") for item in checked.values())


def _issue(
    uow: UnitOfWork,
    order: ServiceOrder,
    situation: CatalogItem,
    data: NoticeInput,
    *,
    actor: int,
    at: datetime,
) -> InfractionNotice:
    assert data.employee_id is not None
    assert data.issued_on is not None
    notice = InfractionNotice(
        id=uow.next_id("infraction_notice"),
        property_id=order.property_id,
        order_id=order.id,
        situation_id=situation.id,
        employee_id=data.employee_id,
        issued_on=data.issued_on,
        appeal_from=data.appeal_from,
        appeal_until=data.appeal_until,
        debit_type_id=data.debit_type_id,
        installments=data.installments,
        observation=data.observation,
        actor=actor,
    )
    uow.infraction_notices.add(notice)
    uow.record(
        InfractionNoticeIssued(
            occurred_at=at,
            actor=actor,
            notice_id=notice.id,
            property_id=order.property_id,
        )
    )
    return notice


def _expire(
    uow: UnitOfWork,
    ctx: ServiceContext,
    notice: InfractionNotice,
    *,
    actor: int,
    at: datetime,
    today: date,
) -> InfractionNotice:
    charge = None
    prop = (
        None if notice.property_id is None else uow.properties.find(notice.property_id)
    )
    if (
        notice.debit_type_id is not None
        and prop is not None
        and notice.charge_id is None
    ):
        debit_type = uow.catalog.find("debit_type", notice.debit_type_id)
        value = None if debit_type is None else debit_type.decimal("suggested_value")
        order = (
            None
            if notice.order_id is None
            else uow.service_orders.find(notice.order_id)
        )
        if value is not None and order is not None:
            service_type = uow.service_types.get(order.service_type_id)
            charge = create_charge(
                uow,
                profile=ctx.profile,
                service_type=attrs.evolve(
                    service_type, debit_type_id=notice.debit_type_id
                ),
                prop=prop,
                value=value,
                request=ChargeRequest(installments=max(1, notice.installments)),
                order=order,
                request_id=order.request_id,
                generated_on=today,
                at=at,
                actor=actor,
            )
    changed = attrs.evolve(
        notice,
        situation=NoticeSituation.APPEAL_EXPIRED,
        charge_id=None if charge is None else charge.id,
        version=notice.version + 1,
    )
    uow.infraction_notices.update(changed)
    return changed
