"""Informing the return of an infraction-inspection order (UC0488): the
situations found, checked against the order and the connections, and their
effects run in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
    InspectionReturnInformed,
    SituationFound,
)
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.model.service_requests import Requester, ServiceRequest
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import inspections as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.connections.apply import apply_in
from gsan_core.services.connections.seams import MeterSeam
from gsan_core.services.context import ServiceContext
from gsan_core.services.inspections.debts import charge_findings
from gsan_core.services.inspections.notices import issue_notice
from gsan_core.services.inspections.requests import (
    open_requests,
    requested_specifications,
)
from gsan_core.services.inspections.results import InspectionReturn, NoticeInput

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


_SITUATION = "inspection_situation"


@attrs.frozen(kw_only=True)
class _Facts:
    """What a return's rules read, under the order's and the property's locks."""

    order: ServiceOrder
    service_type: ServiceType
    prop: Property | None
    situations: dict[int, CatalogItem]
    water_rows: Sequence[CatalogItem]
    sewer_rows: Sequence[CatalogItem]
    previous: Sequence[InspectionFinding]


def inform_in(
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
    requester: Requester | None = None,
    delivered_document: int | None = None,
) -> InspectionReturn:
    """UC0488 in the caller's unit of work (see ``InspectionService.inform_return``);
    ``delivered_document``: the "documento entregue" code the new findings keep."""
    facts = _read(uow, order_id, found)
    order, service_type, situations = facts.order, facts.service_type, facts.situations
    plan = _checked(
        ctx,
        facts,
        found=found,
        connection_data=connection_data,
        notice=notice,
        today=today,
    )
    new, operation, effect_owner = plan.new, plan.operation, plan.owner
    prop, requests = _property_effects(
        uow,
        ctx,
        facts,
        plan,
        connection_data=connection_data,
        meters=meters,
        requester=requester,
        actor=actor,
        at=at,
    )
    charges = charge_findings(
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
    findings = _record_findings(
        uow,
        facts,
        found=found,
        new=new,
        charged={situation_id for situation_id, _ in charges},
        operation=(operation, effect_owner),
        actor=actor,
        at=at,
        delivered_document=delivered_document,
    )
    issued = _notice_and_event(
        uow, ctx, order, plan, notice, found=found, charges=charges, actor=actor, at=at
    )
    return InspectionReturn(
        order=order,
        findings=findings,
        charges=tuple(c for _, c in charges),
        notice=issued,
        operation=operation,
        requests=requests,
    )


@attrs.frozen(kw_only=True)
class _ReturnPlan:
    """A checked return: the situations new to the order, the connection
    operation they imply (and whose effect it is) and those that control
    infraction notices."""

    new: list[SituationFound]
    operation: str | None
    owner: int | None
    controls: list[CatalogItem]


def _checked(
    ctx: ServiceContext,
    facts: _Facts,
    *,
    found: Sequence[SituationFound],
    connection_data: object | None,
    notice: NoticeInput | None,
    today: date,
) -> _ReturnPlan:
    """The return's checks, then its effects' (the connection operation's
    data, the notice)."""
    order, service_type, situations = facts.order, facts.service_type, facts.situations
    ensure(
        rules.check_return(
            order,
            service_type=service_type,
            found=found,
            situations=situations,
            water_rows=facts.water_rows,
            sewer_rows=facts.sewer_rows,
            water_status_id=None if facts.prop is None else facts.prop.water_status_id,
            sewer_status_id=None if facts.prop is None else facts.prop.sewer_status_id,
            previous=facts.previous,
            today=today,
        )
    )
    kept = {p.situation_id for p in facts.previous}
    new = [f for f in found if f.situation_id not in kept]
    operation, effect_owner = _operation_of(
        [situations[f.situation_id] for f in new],
        facts.prop,
        facts.water_rows,
        facts.sewer_rows,
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
    return _ReturnPlan(
        new=new, operation=operation, owner=effect_owner, controls=controls
    )


def _property_effects(
    uow: UnitOfWork,
    ctx: ServiceContext,
    facts: _Facts,
    plan: _ReturnPlan,
    *,
    connection_data: object | None,
    meters: MeterSeam,
    requester: Requester | None,
    actor: int,
    at: datetime,
) -> tuple[Property | None, tuple[ServiceRequest, ...]]:
    """On the order's property: the new collection situations, the connection
    operation and the requests the situations ask for."""
    prop = facts.prop
    requests: tuple[ServiceRequest, ...] = ()
    if prop is not None:
        chosen = [facts.situations[f.situation_id] for f in plan.new]
        prop = _add_collection_situations(uow, prop, chosen)
        if plan.operation is not None:
            apply_in(
                uow,
                ctx.profile,
                operation=plan.operation,
                property_id=prop.id,
                data=connection_data,
                actor=actor,
                at=at,
                meters=meters,
                order=facts.order,
                service_type=facts.service_type,
            )
        requests = open_requests(
            uow,
            ctx,
            specifications=requested_specifications(
                chosen, facts.prop, facts.water_rows, facts.sewer_rows
            ),
            order=facts.order,
            prop=prop,
            requester=requester,
            actor=actor,
            at=at,
        )
    return prop, requests


def _notice_and_event(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: ServiceOrder,
    plan: _ReturnPlan,
    notice: NoticeInput | None,
    *,
    found: Sequence[SituationFound],
    charges: Sequence[tuple[int, Charge]],
    actor: int,
    at: datetime,
) -> InfractionNotice | None:
    """The infraction notice of the first situation controlling notices, when
    the profile controls them; the return's event."""
    issued = None
    if (
        plan.controls
        and notice is not None
        and ctx.profile.service_orders.controls_infraction_notices
    ):
        issued = issue_notice(uow, order, plan.controls[0], notice, actor=actor, at=at)
    uow.record(
        InspectionReturnInformed(
            occurred_at=at,
            actor=actor,
            order_id=order.id,
            situation_ids=tuple(sorted({f.situation_id for f in found})),
            charge_ids=tuple(c.id for _, c in charges),
            notice_id=None if issued is None else issued.id,
        )
    )
    return issued


def _read(uow: UnitOfWork, order_id: int, found: Sequence[SituationFound]) -> _Facts:
    """The order and its property locked (ADR 0004), then the situations
    named, the effect matrices and the findings stored before."""
    order = uow.service_orders.lock(order_id)
    prop = None
    if order.property_id is not None:
        prop = uow.properties.lock_many([order.property_id]).get(order.property_id)
    ids = sorted({f.situation_id for f in found})
    return _Facts(
        order=order,
        service_type=uow.service_types.get(order.service_type_id),
        prop=prop,
        situations={
            item.id: item
            for item in uow.catalog.find_many([(_SITUATION, i) for i in ids]).values()
            if item.active
        },
        water_rows=uow.catalog.list("inspection_water_effect", active_only=True),
        sewer_rows=uow.catalog.list("inspection_sewer_effect", active_only=True),
        previous=uow.inspection_findings.find_by(order_id=order.id),
    )


def _record_findings(
    uow: UnitOfWork,
    facts: _Facts,
    *,
    found: Sequence[SituationFound],
    new: Sequence[SituationFound],
    charged: set[int],
    operation: tuple[str | None, int | None],
    actor: int,
    at: datetime,
    delivered_document: int | None = None,
) -> tuple[InspectionFinding, ...]:
    """Store the new situations' findings and remove the stored ones the
    return left out (FIS-12 already refused those that had effects); the
    order's findings after the return, in situation order."""
    name, owner = operation
    order = facts.order
    added = [
        InspectionFinding(
            id=uow.next_id("inspection_finding"),
            order_id=order.id,
            situation_id=f.situation_id,
            property_id=order.property_id,
            found_on=f.found_on,
            charged=f.situation_id in charged,
            operation=name if f.situation_id == owner else None,
            delivered_document=delivered_document,
            actor=actor,
            recorded_at=at,
        )
        for f in new
    ]
    wanted = {f.situation_id for f in found}
    for finding in facts.previous:
        if finding.situation_id not in wanted:
            uow.inspection_findings.remove(finding)
    uow.inspection_findings.add_many(added)
    kept = [p for p in facts.previous if p.situation_id in wanted]
    return tuple(sorted(kept + added, key=lambda f: f.situation_id))


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
