"""Closing an OS inside a caller's unit of work (:func:`close_in`): execution
data, the commercial operation, the charge and the referenced order's effects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.billing import Charge
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.properties import Property
from gsan_core.model.scheduling import ScheduledOrder
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    ExecutedActivity,
    InspectionResult,
    OrderAction,
    OrderExecution,
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
    ServiceOrderClosed,
    ServiceOrderReleased,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_orders as rules
from gsan_core.rules import units as unit_rules
from gsan_core.rules.inspections import check_close_inspection
from gsan_core.rules.scheduling import check_close_origin
from gsan_core.rules.service_orders import ChargeRequest, CloseRequest, RequestFacts
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import create_charge, price_of
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_orders.commercial import (
    _check_charge,
    _priced_by,
    _run_operation,
)
from gsan_core.services.service_orders.common import (
    _move,
    _Permissions,
    _reference_of,
    _unit_record,
    _zone_instant,
    order_property,
)
from gsan_core.services.service_orders.generation import generate_in
from gsan_core.services.service_orders.programmings import (
    lock_days,
    release_on_close_in,
)
from gsan_core.services.service_orders.results import ClosingResult
from gsan_core.services.units import load_units, may_maintain


# ---------------------------------------------------------------- closing
def _inspection_violations(
    uow: UnitOfWork, order: ServiceOrder, service_type: ServiceType, *, executed: bool
) -> list[Violation]:
    """ENC-04: an infraction inspection closes with execution only after its
    return was informed (its findings are read only for such a type)."""
    if not (executed and service_type.infraction_inspection):
        return []
    findings = uow.inspection_findings.find_by(order_id=order.id)
    return check_close_inspection(order, service_type=service_type, findings=findings)


def close_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    order_id: int,
    reason_id: int,
    closed_on: date,
    actor: int,
    at: datetime,
    closing_time: time | None = None,
    remark: str | None = None,
    inspection_result: InspectionResult | None = None,
    commercial: object | None = None,
    charge: ChargeRequest | None = None,
    return_type_id: int | None = None,
    new_service_type_id: int | None = None,
    pavement_area: Decimal | None = None,
    activities_given: bool = False,
    run_hooks: bool = True,
    execution: Sequence[ExecutedActivity] | None = None,
    expect_executed: bool | None = None,
    authorise: bool = False,
    route_on: date | None = None,
) -> ClosingResult:
    """Close an OS inside ``uow``, with or without execution as the reason says.

    ``execution`` is the execution data (activities with their periods, teams,
    materials and kits; EXE-01..EXE-03), stored with the OS when it closes with
    execution; ENC-12 is satisfied by it (``activities_given`` is the older way to
    say activities were recorded elsewhere). ``expect_executed`` refuses a reason
    of the other kind (the "close executed / not executed" commands).
    ``authorise`` checks who closes (ENC-01; the user's own closing, not the
    cascades of closing an RA or of changing a connection's situation); it also
    refuses an order programmed on a route of today or earlier unless
    ``route_on`` says the closing comes from that route's follow-up (ENC-02),
    whose date the closing date may not pass (ENC-11). The order's active
    programmings end (§2.6.7).
    """
    return _close(
        uow,
        ctx,
        _Closing(
            order_id=order_id,
            reason_id=reason_id,
            closed_on=closed_on,
            actor=actor,
            at=at,
            closing_time=closing_time,
            remark=remark,
            inspection_result=inspection_result,
            commercial=commercial,
            charge=charge,
            return_type_id=return_type_id,
            new_service_type_id=new_service_type_id,
            pavement_area=pavement_area,
            activities_given=activities_given,
            run_hooks=run_hooks,
            execution=execution,
            expect_executed=expect_executed,
            authorise=authorise,
            route_on=route_on,
        ),
    )


@attrs.frozen(kw_only=True)
class _Closing:
    """One closing as :func:`close_in` was asked for it."""

    order_id: int
    reason_id: int
    closed_on: date
    actor: int
    at: datetime
    closing_time: time | None
    remark: str | None
    inspection_result: InspectionResult | None
    commercial: object | None
    charge: ChargeRequest | None
    return_type_id: int | None
    new_service_type_id: int | None
    pavement_area: Decimal | None
    activities_given: bool
    run_hooks: bool
    execution: Sequence[ExecutedActivity] | None
    expect_executed: bool | None
    authorise: bool
    route_on: date | None


def _close(uow: UnitOfWork, ctx: ServiceContext, c: _Closing) -> ClosingResult:
    """:func:`close_in`'s steps: lock and read the order, read and check,
    the commercial effects, the order's move, the referenced order, the
    programmings and the hooks."""
    order, programmed = _lock_order(uow, ctx, c)
    facts = _read_and_check(uow, ctx, order, c)
    reason, service_type, executed = facts.reason, facts.service_type, facts.executed
    closed_at = _zone_instant(ctx, c.closed_on, c.at, c.closing_time)
    events: list[object] = []
    changes: dict[str, object] = {
        "closed_at": closed_at,
        "closing_reason_id": reason.id,
        "closing_remark": c.remark,
        "inspection_result": c.inspection_result,
        "pavement_area": c.pavement_area,
        "return_type_id": c.return_type_id,
    }
    applied, charge_made = _commercial_effects(
        uow, ctx, order, facts, c, changes=changes, events=events
    )
    if _approves_new_type(facts):
        assert facts.new_type is not None
        changes["reference_service_type_id"] = facts.new_type.id
    action = OrderAction.CLOSE_EXECUTED if executed else OrderAction.CLOSE_NOT_EXECUTED
    # the order as read above: nothing in between writes it (the commercial
    # operation writes the property's rows), and its compare-and-set update
    # refuses a version that moved meanwhile
    closed = _move(uow, order, action, **changes)
    recorded = _record_closed(uow, closed, facts, c, closed_at=closed_at, events=events)
    referenced, follow_up = _referenced_effects(
        uow,
        ctx,
        closed=closed,
        reference=facts.reference,
        executed=executed,
        reason=reason,
        return_type=facts.return_type,
        new_type=facts.new_type,
        actor=c.actor,
        at=c.at,
        events=events,
    )
    uow.record(*events)  # type: ignore[arg-type]
    release_on_close_in(
        uow, closed, closed_on=c.closed_on, actor=c.actor, at=c.at, active=programmed
    )
    effects: tuple[object, ...] = ()
    if c.run_hooks:
        effects = _run_close_hooks(
            uow,
            ctx,
            closed,
            service_type,
            executed=executed,
            at=closed_at,
            actor=c.actor,
        )
    return ClosingResult(
        order=closed,
        executed=executed,
        commercial_applied=applied,
        charge=charge_made,
        follow_up=follow_up,
        referenced=referenced,
        effects=effects,
        execution=recorded,
    )


def _approves_new_type(facts: _ClosingFacts) -> bool:
    """An executed closing with an approving return that changes the service
    names the new type as the order's reference service type."""
    return_type = facts.return_type
    return (
        facts.executed
        and return_type is not None
        and return_type.flag("approval")
        and return_type.flag("changes_service")
        and facts.new_type is not None
    )


def _record_closed(
    uow: UnitOfWork,
    closed: ServiceOrder,
    facts: _ClosingFacts,
    c: _Closing,
    *,
    closed_at: datetime,
    events: list[object],
) -> OrderExecution | None:
    """The closed order's unit record, its execution data (when given) and
    its closing event, first of ``events``."""
    _unit_record(uow, closed, OrderUnitRelation.CLOSED, c.actor, c.at)
    recorded = None
    if c.execution:
        recorded = OrderExecution(
            id=closed.id, activities=tuple(c.execution), recorded_at=c.at, actor=c.actor
        )
        uow.order_executions.add(recorded)
    events.insert(
        0,
        ServiceOrderClosed(
            occurred_at=c.at,
            actor=c.actor,
            order_id=closed.id,
            closing_reason_id=facts.reason.id,
            executed=facts.executed,
            closed_at=closed_at,
            request_id=closed.request_id,
        ),
    )
    return recorded


@attrs.frozen(kw_only=True)
class _ClosingFacts:
    """What the closing rules read, once, after the order's locks."""

    service_type: ServiceType
    reason: CatalogItem
    executed: bool
    reference: CatalogItem | None
    return_type: CatalogItem | None
    new_type: ServiceType | None
    prop: Property | None
    today: date


def _lock_order(
    uow: UnitOfWork, ctx: ServiceContext, c: _Closing
) -> tuple[ServiceOrder, Sequence[ScheduledOrder]]:
    """The order, read after its request's lock when it has one (ADR 0004),
    the closing user checked (ENC-01), and its active programmings read after
    their roteiros' locks and checked against the closing's origin (ENC-02,
    ENC-11)."""
    order = uow.service_orders.get(c.order_id)
    if order.request_id is not None:
        # the request's other orders (ENC) and the request itself (its closing
        # hook) are read below: lock the request first, then read the order again
        uow.service_requests.lock_many([order.request_id])
        order = uow.service_orders.get(c.order_id)
    if c.authorise:
        ensure(_closing_user(uow, ctx, order, c.actor))
    programmed = uow.programmings.find_by(order_id=order.id, active=True)
    if programmed:
        # the days' sequences are compacted below: lock their roteiros first
        for unit_id in sorted({r.unit_id for r in programmed}):
            lock_days(uow, unit_id, {r.on for r in programmed if r.unit_id == unit_id})
        programmed = uow.programmings.find_by(order_id=order.id, active=True)
    if c.authorise or c.route_on is not None:
        ensure(
            check_close_origin(
                order,
                active=programmed,
                today=c.at.astimezone(ctx.zone).date(),
                closed_on=c.closed_on,
                route_on=c.route_on,
            )
        )
    return order, programmed


def _read_and_check(
    uow: UnitOfWork, ctx: ServiceContext, order: ServiceOrder, c: _Closing
) -> _ClosingFacts:
    """Read what the closing rules need and run them (ENC, EXE, ENC-04)."""
    facts, request, locked = _closing_reads(uow, ctx, order, c)
    service_type, reason, executed = facts.service_type, facts.reason, facts.executed
    open_of_request: Sequence[ServiceOrder] = ()
    if order.request_id is not None:
        open_of_request = uow.service_orders.find_by(request_id=order.request_id)
    permissions = _Permissions(
        ctx,
        uow,
        c.actor,
        ("close_order_before_today", "close_order_without_activities"),
    )
    generated_on = order.generated_at.astimezone(ctx.zone).date()
    ensure(
        (
            *rules.check_close(
                order,
                service_type=service_type,
                request=request,
                offered_reasons=rules.allowed_closing_reasons(
                    service_type, [] if reason is None else [reason]
                ),
                reference=facts.reference,
                today=facts.today,
                generated_on=generated_on,
                profile=ctx.profile,
                has_permission=permissions,
                locked_reference=locked,
                open_orders_of_request=open_of_request,
                new_type_reference=_reference_of(uow, facts.new_type),
            ),
            *_execution_violations(
                uow,
                c.execution,
                executed=executed,
                service_type=service_type,
                generated_on=generated_on,
                closed_on=c.closed_on,
            ),
            *_inspection_violations(uow, order, service_type, executed=executed),
        )
    )
    assert reason is not None
    return _ClosingFacts(
        service_type=service_type,
        reason=reason,
        executed=executed,
        reference=facts.reference,
        return_type=facts.return_type,
        new_type=facts.new_type,
        prop=facts.prop,
        today=facts.today,
    )


@attrs.frozen(kw_only=True)
class _ReadFacts:
    """What the closing rules read, before they are run: the reason may
    still be unknown."""

    service_type: ServiceType
    reason: CatalogItem | None
    executed: bool
    reference: CatalogItem | None
    return_type: CatalogItem | None
    new_type: ServiceType | None
    prop: Property | None
    today: date


def _closing_reads(
    uow: UnitOfWork, ctx: ServiceContext, order: ServiceOrder, c: _Closing
) -> tuple[_ReadFacts, CloseRequest, int | None]:
    """The closing's reads, in the rules' order: the type, the reason (a
    reason of the other kind refused at once), the reference, the return
    type, the new type, the property and its field lock. The facts, the
    rules' request and the locked reference."""
    service_type = uow.service_types.get(order.service_type_id)
    reason = uow.catalog.find("closing_reason", c.reason_id)
    executed = reason is not None and reason.flag("executed")
    if (
        reason is not None
        and c.expect_executed is not None
        and executed != c.expect_executed
    ):
        ensure([_reason_mismatch(c.reason_id, executed=c.expect_executed)])
    reference = _reference_of(uow, service_type)
    return_type = None
    if c.return_type_id is not None:
        return_type = uow.catalog.find("referenced_return_type", c.return_type_id)
    new_type = (
        None
        if c.new_service_type_id is None
        else uow.service_types.find(c.new_service_type_id)
    )
    prop = order_property(uow, order)
    locked = None
    if prop is not None and not service_type.allows_property_in_field:
        locked = uow.field_lock.locked_reference(prop.id)
    request = CloseRequest(
        reason=reason,
        reason_id=c.reason_id,
        closed_on=c.closed_on,
        remark=c.remark,
        inspection_result=c.inspection_result,
        activities_given=c.activities_given or bool(c.execution),
        return_type=return_type,
        new_service_type=new_type,
        pavement_area=c.pavement_area,
    )
    facts = _ReadFacts(
        service_type=service_type,
        reason=reason,
        executed=executed,
        reference=reference,
        return_type=return_type,
        new_type=new_type,
        prop=prop,
        today=c.at.astimezone(ctx.zone).date(),
    )
    return facts, request, locked


def _commercial_effects(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: ServiceOrder,
    facts: _ClosingFacts,
    c: _Closing,
    *,
    changes: dict[str, object],
    events: list[object],
) -> tuple[bool, Charge | None]:
    """An executed order's commercial operation and its charge, or its
    service type's debit (ENC, §2.6.4); adds the order's changes to
    ``changes`` and the operation's event to ``events``. Whether the
    operation ran, and the charge made."""
    service_type, prop, today = facts.service_type, facts.prop, facts.today
    if not facts.executed:
        return False, None
    if service_type.updates_commercial and not order.commercial_applied:
        charge_request = c.charge or ChargeRequest()
        operation = ctx.operations.get(service_type.operation or "")
        suggested = price_of(
            uow,
            service_type=service_type,
            prop=prop,
            on=today,
            facts=_priced_by(operation, uow, prop, c.commercial),
        )
        _check_charge(
            ctx,
            uow,
            actor=c.actor,
            service_type=service_type,
            charge=charge_request,
            suggested=suggested,
        )
        if service_type.operation is not None:
            events.append(
                _operation_on_close(
                    uow,
                    ctx,
                    order,
                    facts,
                    data=c.commercial,
                    closed_on=c.closed_on,
                    actor=c.actor,
                    at=c.at,
                )
            )
        value = charge_request.value if charge_request.value is not None else suggested
        changes |= {
            "commercial_applied": True,
            "current_value": value,
            "charge_percentage": charge_request.percentage,
            "non_charge_reason_id": charge_request.non_charge_reason_id,
        }
        made = None
        if prop is not None and (operation is None or operation.charges):
            made = _charge(
                uow,
                ctx,
                order,
                service_type=service_type,
                prop=prop,
                value=value,
                request=charge_request,
                at=c.at,
                actor=c.actor,
            )
        return True, made
    return False, _type_debit(uow, ctx, order, facts, actor=c.actor, at=c.at)


def _operation_on_close(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: ServiceOrder,
    facts: _ClosingFacts,
    *,
    data: object | None,
    closed_on: date,
    actor: int,
    at: datetime,
) -> CommercialOperationApplied:
    """Run the type's commercial operation as the order closes; its event."""
    service_type, prop = facts.service_type, facts.prop
    assert service_type.operation is not None
    _run_operation(
        uow,
        ctx,
        order=order,
        service_type=service_type,
        prop=prop,
        data=data,
        actor=actor,
        at=at,
        effective_on=closed_on,
        via_closing=True,
    )
    return CommercialOperationApplied(
        occurred_at=at,
        actor=actor,
        order_id=order.id,
        operation=service_type.operation,
        property_id=order.property_id,
        via_closing=True,
    )


def _type_debit(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: ServiceOrder,
    facts: _ClosingFacts,
    *,
    actor: int,
    at: datetime,
) -> Charge | None:
    """An executed order of a type that includes a debit charges the type's
    value (else its price) to the property, when it is positive."""
    service_type, prop = facts.service_type, facts.prop
    if service_type.include_debit and service_type.debit_type_id is not None:
        value = service_type.value
        if not value:
            value = price_of(uow, service_type=service_type, prop=prop, on=facts.today)
        if value and value > 0:
            ensure(rules.check_charged_property(order, prop))
            assert prop is not None
            return _charge(
                uow,
                ctx,
                order,
                service_type=service_type,
                prop=prop,
                value=value,
                request=ChargeRequest(),
                at=at,
                actor=actor,
            )
    return None


def _charge(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    prop: Property,
    value: Decimal | None,
    request: ChargeRequest,
    at: datetime,
    actor: int,
) -> Charge | None:
    """The closing's charge of the service (DEB), dated by the order."""
    return create_charge(
        uow,
        profile=ctx.profile,
        service_type=service_type,
        prop=prop,
        value=value,
        request=request,
        order=order,
        request_id=order.request_id,
        generated_on=order.generated_at.astimezone(ctx.zone).date(),
        at=at,
        actor=actor,
    )


def _run_close_hooks(
    uow: UnitOfWork,
    ctx: ServiceContext,
    closed: ServiceOrder,
    service_type: ServiceType,
    *,
    executed: bool,
    at: datetime,
    actor: int,
) -> tuple[object, ...]:
    """The effects other areas hang on an order's closing (an RA's closing)."""
    return tuple(
        result
        for hook in ctx.order_closed_hooks
        if (
            result := hook(
                uow,
                order=closed,
                service_type=service_type,
                executed=executed,
                at=at,
                actor=actor,
                context=ctx,
            )
        )
        is not None
    )


EXECUTION_WITHOUT_EXECUTING = Message(
    "service_order.execution.not_executed",
    en="Execution data is recorded only when an order is closed with execution.",
    pt="Os dados de execução só são informados no encerramento com execução.",
    rule="ENC-12",
)


def _execution_violations(
    uow: UnitOfWork,
    execution: Sequence[ExecutedActivity] | None,
    *,
    executed: bool,
    service_type: ServiceType,
    generated_on: date,
    closed_on: date | None,
) -> tuple[Violation, ...]:
    """EXE-01..EXE-03 for the execution data given with a closing."""
    if not execution:
        return ()
    if not executed:
        return (EXECUTION_WITHOUT_EXECUTING(),)
    team_ids = {t for a in execution for p in a.periods for t in p.team_ids}
    material_ids = {m.material_id for a in execution for m in a.materials}
    kit_ids = {k.kit_id for a in execution for k in a.kits}
    activity_ids = {a.activity_id for a in execution}
    return rules.check_execution(
        execution,
        service_type=service_type,
        generated_on=generated_on,
        closed_on=closed_on,
        known_activities={
            i: item
            for i in activity_ids
            if (item := uow.catalog.find("activity", i)) is not None
        },
        teams=uow.teams.get_many(team_ids),
        materials={
            i: item
            for i in material_ids
            if (item := uow.catalog.find("material", i)) is not None
        },
        kits=uow.material_kits.get_many(kit_ids),
    )


def _referenced_effects(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    closed: ServiceOrder,
    reference: CatalogItem | None,
    executed: bool,
    reason: CatalogItem,
    return_type: CatalogItem | None,
    new_type: ServiceType | None,
    actor: int,
    at: datetime,
    events: list[object],
) -> tuple[ServiceOrder | None, ServiceOrder | None]:
    """REF-05..REF-07: what closing an OS does to the OS it refers to."""
    if closed.reference_order_id is None:
        return None, None
    referenced = uow.service_orders.find(closed.reference_order_id)
    if referenced is None or not referenced.is_open:
        return referenced, None
    follow_up = None
    if not executed:
        updated = _move(
            uow,
            referenced,
            OrderAction.CLOSE_WITH_REFERRING,
            closed_at=closed.closed_at,
            closing_reason_id=reason.id,
        )
    elif return_type is not None and (
        reference is not None
        and (reference.flag("diagnosis") or reference.flag("inspection"))
    ):
        target = return_type.integer("referenced_situation") or 1
        action = OrderAction.RELEASE if target == 1 else OrderAction.RELEASE_CLOSING
        if referenced.situation is not OrderSituation.AWAITING_RELEASE:
            action = (
                OrderAction.CLOSE_WITH_REFERRING if target != 1 else OrderAction.UPDATE
            )
        changes: dict[str, object] = {"commercial_applied": False}
        if return_type.integer("closing_reason_id") is not None:
            changes["closed_at"] = closed.closed_at
            changes["return_type_id"] = return_type.id
            if target != 1:
                changes["closing_reason_id"] = return_type.integer("closing_reason_id")
        if return_type.flag("changes_service") and new_type is not None:
            changes["service_type_id"] = new_type.id
        if reference.flag("diagnosis"):
            changes["diagnosed"] = True
        updated = _move(uow, referenced, action, **changes)
        if (
            return_type.flag("approval")
            and closed.reference_service_type_id is not None
        ):
            follow_up = _follow_up(uow, ctx, closed, actor=actor, at=at)
    else:
        return referenced, None
    events.append(
        ServiceOrderReleased(
            occurred_at=at,
            actor=actor,
            order_id=updated.id,
            by_order_id=closed.id,
            situation=updated.situation,
        )
    )
    return updated, follow_up


def _follow_up(
    uow: UnitOfWork,
    ctx: ServiceContext,
    closed: ServiceOrder,
    *,
    actor: int,
    at: datetime,
) -> ServiceOrder:
    """An approving return generates the follow-up order of the
    closed order's reference type, in its unit, under its request."""
    assert closed.reference_service_type_id is not None
    request = None
    if closed.request_id is not None:
        request = RequestFacts(
            id=closed.request_id,
            allows_orders=True,
            pending=True,
            user_authorised=True,
            current_unit_id=closed.current_unit_id,
            property_id=closed.property_id,
        )
    return generate_in(
        uow,
        ctx,
        service_type_id=closed.reference_service_type_id,
        actor=actor,
        at=at,
        origin=OrderOrigin.FOLLOW_UP,
        property_id=closed.property_id,
        request=request,
        unit_id=closed.current_unit_id,
    )


REASON_MISMATCH = Message(
    "service_order.close.reason_mismatch",
    en="Closing reason {reason_id} is for orders {expected}.",
    pt="O motivo de encerramento {reason_id} é para ordens {esperado}.",
    gsan_key="atencao.motivo_encerramento_invalido",
    rule="ENC-06",
)


def _closing_user(
    uow: UnitOfWork, ctx: ServiceContext, order: ServiceOrder, actor: int
) -> tuple[Violation, ...]:
    """ENC-01 for the acting user: AUTH-01 on the order's RA, or the order's
    unit (or a superior) when the profile validates the location (an RA kept
    outside this store counts as none)."""
    request_unit = None
    may = in_unit = True
    request = (
        None
        if order.request_id is None
        else uow.service_requests.find(order.request_id)
    )
    if request is not None:
        request_unit = request.current_unit_id
        may = may_maintain(uow, ctx.profile, actor=actor, unit_id=request_unit)
    elif (
        ctx.profile.service_orders.validate_location_on_close
        and order.current_unit_id is not None
    ):
        user = uow.users.find(actor)
        home = None if user is None else user.unit_id
        tree = load_units(uow, [order.current_unit_id])
        above = {u.id for u in unit_rules.ancestors(order.current_unit_id, tree)}
        in_unit = home is not None and (home == order.current_unit_id or home in above)
    return rules.check_closing_user(
        order,
        request_unit_id=request_unit,
        may_maintain_request=may,
        validate_location=ctx.profile.service_orders.validate_location_on_close,
        user_in_order_unit_or_above=in_unit,
    )


def _reason_mismatch(reason_id: int, *, executed: bool) -> Violation:
    return REASON_MISMATCH(
        reason_id=reason_id,
        expected="not executed" if executed else "executed",
        esperado="não executadas" if executed else "executadas",
    )
