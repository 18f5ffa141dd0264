"""The steps of closing an RA: the plan, closing its orders, its charge, and
applying the closing (shared with the order-closed hook and the batches)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import (
    OrderAction,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceOrderClosed,
    ServiceType,
)
from gsan_core.model.service_requests import (
    RequestAction,
    RequestSituation,
    RequestSpecification,
    SatisfactionSurveyRequested,
    ServiceRequest,
    ServiceRequestClosed,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import create_charge
from gsan_core.services.context import ServiceContext, holds_permission
from gsan_core.services.service_orders import close_in
from gsan_core.services.service_requests.common import (
    _local_date,
    _user_unit,
    _zone,
)
from gsan_core.services.service_requests.results import RequestClosingResult
from gsan_core.services.units import may_maintain

#: ``parecer`` of the batch closing (CMD-07).
CLOSED_BY_COMMAND_REMARK = "RA encerrado por meio do comando de encerramento {id}"


# ---------------------------------------------------------------- closing
@attrs.frozen(kw_only=True)
class _ClosePlan:
    request: ServiceRequest
    spec: RequestSpecification | None
    reason: CatalogItem
    executed: bool
    closed_at: datetime
    remark: str | None
    duplicate_of_id: int | None
    open_orders: tuple[ServiceOrder, ...]


def prepare_close(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    request_id: int,
    reason_id: int | None,
    actor: int,
    now: datetime,
    closed_at: datetime | None = None,
    remark: str | None = None,
    duplicate_of_id: int | None = None,
    expected_version: int | None = None,
    authorise: bool = True,
    force_executed: bool = False,
    locked: ServiceRequest | None = None,
) -> tuple[_ClosePlan | None, tuple[Violation, ...]]:
    """Read and check a closing (ENC-01..ENC-08); nothing is written. The
    request is locked before it and its orders are read (``locked``: the
    request as the caller read it under its lock, in this unit of work and
    unchanged since: not locked and read again)."""
    request = (
        locked
        if locked is not None and locked.id == request_id
        else uow.service_requests.lock(request_id)
    )
    spec = uow.request_specifications.find(request.specification_id)
    reason = (
        None if reason_id is None else uow.catalog.find("closing_reason", reason_id)
    )
    orders = tuple(uow.service_orders.find_by(request_id=request_id))
    reference = (
        None if duplicate_of_id is None else uow.service_requests.find(duplicate_of_id)
    )
    authorised = not authorise or may_maintain(
        uow, profile, actor=actor, unit_id=request.current_unit_id
    )
    when = now if closed_at is None else closed_at
    checked_reason = reason
    if force_executed and reason is not None:
        checked_reason = attrs.evolve(
            reason, attributes={**reason.attributes, "executed": True}
        )
    violations = rules.check_close(
        rules.CloseFacts(
            request=request,
            specification=spec,
            reason_id=reason_id,
            reason=checked_reason,
            closed_at=when,
            remark=remark,
            duplicate_of_id=duplicate_of_id,
            reference=reference,
            orders=orders,
            authorised=authorised,
            now=now,
            zone=_zone(profile),
            params=profile.service_requests,
            expected_version=expected_version,
        )
    )
    if violations:
        return None, violations
    assert reason is not None
    return (
        _ClosePlan(
            request=request,
            spec=spec,
            reason=reason,
            executed=force_executed or reason.flag("executed"),
            closed_at=when,
            remark=remark,
            duplicate_of_id=duplicate_of_id,
            open_orders=tuple(o for o in orders if o.is_open),
        ),
        (),
    )


def close_orders_by_request(
    uow: UnitOfWork,
    orders: Sequence[ServiceOrder],
    *,
    reason_id: int,
    closed_at: datetime,
    remark: str | None,
    actor: int,
    unit_id: int | None,
    at: datetime,
) -> list[ServiceOrder]:
    """Close open orders because their request closed (``CLOSE_BY_REQUEST``),
    set-based: one update of the orders, one insert of their unit records."""
    closed = []
    for order in orders:
        ensure(order_rules.check_transition(order, OrderAction.CLOSE_BY_REQUEST))
        closed.append(
            attrs.evolve(
                order,
                situation=OrderSituation.CLOSED,
                closed_at=closed_at,
                closing_reason_id=reason_id,
                closing_remark=remark,
                version=order.version + 1,
            )
        )
    if not closed:
        return []
    uow.service_orders.update_many(closed)
    ids = uow.next_ids("order_unit", len(closed))
    uow.order_units.add_many(
        OrderUnitRecord(
            id=ident,
            order_id=order.id,
            unit_id=unit_id,
            user_id=actor,
            relation=OrderUnitRelation.CLOSED,
            at=at,
        )
        for ident, order in zip(ids, closed, strict=True)
    )
    uow.record(
        *(
            ServiceOrderClosed(
                occurred_at=at,
                actor=actor,
                order_id=order.id,
                closing_reason_id=reason_id,
                executed=False,
                closed_at=closed_at,
                request_id=order.request_id,
            )
            for order in closed
        )
    )
    return closed


def _request_charge(
    uow: UnitOfWork,
    ctx_profile: UtilityProfile,
    *,
    plan: _ClosePlan,
    charge: ChargeRequest | None,
    value: Decimal | None,
    actor: int,
    at: datetime,
) -> Charge | None:
    """ENC-14: the charge of the specification, for a service concluded."""
    spec = plan.spec
    request = plan.request
    concluded = ctx_profile.plays("closing_reason.service_concluded", plan.reason.id)
    if spec is None or spec.debit_type_id is None or not concluded:
        return None
    if request.property_id is None:
        return None
    prop = uow.properties.get(request.property_id)
    descriptor = ServiceType(
        id=spec.service_type_id or 0,
        description=spec.description,
        abbreviation=spec.description[:20],
        debit_type_id=spec.debit_type_id,
        value=spec.debit_value,
        value_editable=spec.value_editable or spec.debit_value is None,
        charge_interest=spec.charge_interest,
    )
    request_charge = charge or ChargeRequest()
    may_waive = holds_permission(ctx_profile, uow, actor, "inform_non_charge_reason")
    ensure(
        order_rules.check_charge_request(
            request_charge,
            service_type=descriptor,
            suggested_value=spec.debit_value,
            max_installments=ctx_profile.system.max_installments,
            percentages=ctx_profile.system.charge_percentages,
            may_waive=may_waive,
            permission_id=ctx_profile.id("permission.inform_non_charge_reason"),
            non_charge_reasons=[
                item.id
                for item in uow.catalog.list("non_charge_reason", active_only=True)
            ],
        )
    )
    amount = value if value is not None else spec.debit_value
    return create_charge(
        uow,
        profile=ctx_profile,
        service_type=descriptor,
        prop=prop,
        value=amount,
        request=request_charge,
        order=None,
        request_id=request.id,
        generated_on=_local_date(request.attended_at, _zone(ctx_profile)),
        at=at,
        actor=actor,
    )


def apply_close(
    uow: UnitOfWork,
    ctx: ServiceContext,
    plan: _ClosePlan,
    *,
    actor: int,
    now: datetime,
    charge: ChargeRequest | None = None,
    charge_value: Decimal | None = None,
    command_id: int | None = None,
    with_charge: bool = True,
) -> RequestClosingResult:
    """Write a checked closing (ENC-09, ENC-10, ENC-12, ENC-14)."""
    request = plan.request
    reason = plan.reason
    user_unit = _user_unit(uow, actor)
    closed_orders = (
        []
        if plan.executed
        else _close_open_orders(
            uow, ctx, plan, actor=actor, now=now, user_unit=user_unit
        )
    )
    made = None
    if plan.executed and with_charge:
        made = _request_charge(
            uow,
            ctx.profile,
            plan=plan,
            charge=charge,
            value=charge_value,
            actor=actor,
            at=now,
        )
    current = uow.service_requests.get(request.id)
    assert (
        rules.transition(current.situation, RequestAction.CLOSE)
        is RequestSituation.CLOSED
    )
    closed = attrs.evolve(
        current,
        situation=RequestSituation.CLOSED,
        closed_at=plan.closed_at,
        closing_reason_id=reason.id,
        closing_remark=None if plan.remark is None else plan.remark.upper(),
        closing_unit_id=user_unit,
        closed_by=actor,
        duplicate_of_id=plan.duplicate_of_id,
        non_charge_reason_id=None if charge is None else charge.non_charge_reason_id,
        version=current.version + 1,
    )
    uow.service_requests.update(closed)
    events: list[object] = [
        ServiceRequestClosed(
            occurred_at=now,
            actor=actor,
            request_id=request.id,
            closing_reason_id=reason.id,
            executed=plan.executed,
            closed_at=plan.closed_at,
            duplicate_of_id=plan.duplicate_of_id,
            command_id=command_id,
        )
    ]
    survey = _survey_event(uow, ctx.profile, plan, closed, actor=actor, now=now)
    if survey is not None:
        events.append(survey)
    uow.record(*events)  # type: ignore[arg-type]
    spec = plan.spec
    return RequestClosingResult(
        request=closed,
        executed=plan.executed,
        closed_orders=tuple(closed_orders),
        charge=made,
        new_request_offer=None if spec is None else spec.new_request_specification_id,
        survey_requested=survey is not None,
    )


def _close_open_orders(
    uow: UnitOfWork,
    ctx: ServiceContext,
    plan: _ClosePlan,
    *,
    actor: int,
    now: datetime,
    user_unit: int | None,
) -> list[ServiceOrder]:
    """A request closed without execution closes its open orders with its
    reason (ENC-09): one by one, and those awaiting release together."""
    reason = plan.reason
    closed_orders: list[ServiceOrder] = []
    local = plan.closed_at.astimezone(ctx.zone)
    awaiting: list[ServiceOrder] = []
    for listed in plan.open_orders:
        order = uow.service_orders.get(listed.id)
        if not order.is_open:
            continue
        if order.situation is OrderSituation.AWAITING_RELEASE:
            awaiting.append(order)
            continue
        result = close_in(
            uow,
            ctx,
            order_id=order.id,
            reason_id=reason.id,
            closed_on=local.date(),
            closing_time=local.time().replace(microsecond=0),
            actor=actor,
            at=now,
            remark=plan.remark,
            run_hooks=False,
        )
        closed_orders.append(result.order)
    fresh = [uow.service_orders.get(o.id) for o in awaiting]
    closed_orders += close_orders_by_request(
        uow,
        [o for o in fresh if o.is_open],
        reason_id=reason.id,
        closed_at=plan.closed_at,
        remark=plan.remark,
        actor=actor,
        unit_id=user_unit,
        at=now,
    )
    return closed_orders


def _survey_event(
    uow: UnitOfWork,
    profile: UtilityProfile,
    plan: _ClosePlan,
    closed: ServiceRequest,
    *,
    actor: int,
    now: datetime,
) -> SatisfactionSurveyRequested | None:
    """ENC-12 / SAT-02: a concluded service whose type sends the survey."""
    spec = plan.spec
    if (
        spec is None
        or spec.service_type_id is None
        or not profile.plays("closing_reason.service_concluded", plan.reason.id)
    ):
        return None
    service_type = uow.service_types.find(spec.service_type_id)
    if service_type is None or not service_type.send_survey:
        return None
    email = next(
        (r.email for r in closed.requesters if r.survey_opt_in and r.email),
        None,
    )
    if email is None:
        return None
    return SatisfactionSurveyRequested(
        occurred_at=now,
        actor=actor,
        request_id=closed.id,
        email=email,
        protocol=closed.protocol,
    )
