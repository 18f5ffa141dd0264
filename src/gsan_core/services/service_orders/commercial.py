"""The commercial operation an OS runs at most once, and its charge, inside a
caller's unit of work (:func:`apply_operation_in`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import attrs

from gsan_core.errors import ConfigurationError, Message
from gsan_core.model.billing import Charge
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    ServiceOrder,
    ServiceType,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import charges as charge_rules
from gsan_core.rules import service_orders as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.rules.validation import ensure
from gsan_core.services.charges import create_charge, price_of
from gsan_core.services.context import ServiceContext
from gsan_core.services.operations import (
    CommercialOperation,
    OperationCall,
    PricedOperation,
)
from gsan_core.services.service_orders.common import _permission, order_property

COMMERCIAL_DATA_REQUIRED = Message(
    "service_order.commercial.data_required",
    en="Closing order {order_id} runs {operation}: give its data ({input_type}).",
    pt="O encerramento da ordem {order_id} executa {operacao}: informe os dados ({input_type!r}).",
    rule="COM-05",
)


def _check_charge(
    ctx: ServiceContext,
    uow: UnitOfWork,
    *,
    actor: int,
    service_type: ServiceType,
    charge: ChargeRequest,
    suggested: Decimal | None,
) -> None:
    special = (
        charge.non_charge_reason_id is not None
        or charge.percentage != 100
        or charge.installments > 1
    )
    may_waive = special and _permission(ctx, uow, actor, "inform_non_charge_reason")
    reasons: list[int] = []
    if charge.non_charge_reason_id is not None:
        item = uow.catalog.find("non_charge_reason", charge.non_charge_reason_id)
        if item is not None and item.active:
            reasons.append(item.id)
    ensure(
        rules.check_charge_request(
            charge,
            service_type=service_type,
            suggested_value=suggested,
            max_installments=ctx.profile.system.max_installments,
            percentages=ctx.profile.system.charge_percentages,
            may_waive=may_waive,
            permission_id=ctx.profile.id("permission.inform_non_charge_reason"),
            non_charge_reasons=reasons,
            reject_below_one=ctx.profile.system.reject_charges_below_one,
        )
    )


def _priced_by(
    operation: object,
    uow: UnitOfWork,
    prop: Property | None,
    data: object | None,
) -> charge_rules.PriceFacts | None:
    """What an operation prices from its input (§4.1 "with a given hidrômetro"),
    or ``None``: the property as it is."""
    if prop is None or not isinstance(operation, PricedOperation):
        return None
    return operation.price_facts(uow, prop=prop, data=data)


def _run_operation(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    order: ServiceOrder,
    service_type: ServiceType,
    prop: Property | None,
    data: object | None,
    actor: int,
    at: datetime,
    effective_on: date,
    via_closing: bool,
    key: str | None = None,
) -> None:
    """Run ``key`` (by default the type's own operation) for the order."""
    key = key if key is not None else service_type.operation
    assert key is not None
    operation = ctx.operations.get(key)
    if operation is None:
        raise ConfigurationError(
            f"service type {service_type.id} runs operation {key!r}, which this system "
            f"does not register (known: {sorted(ctx.operations)})"
        )
    ensure(rules.check_has_property(order, None if prop is None else prop.id))
    assert prop is not None
    if operation.input_type is not None and not isinstance(data, operation.input_type):
        ensure(
            [
                COMMERCIAL_DATA_REQUIRED(
                    order_id=order.id,
                    operation=operation.title,
                    operacao=operation.title_pt,
                    input_type=operation.input_type.__name__,
                )
            ]
        )
    operation.run(
        OperationCall(
            uow=uow,
            profile=ctx.profile,
            calendar=ctx.calendar,
            at=at,
            today=at.astimezone(ctx.zone).date(),
            actor=actor,
            order=order,
            service_type=service_type,
            property_id=prop.id,
            via_closing=via_closing,
            effective_on=effective_on,
            data=data,
            property=prop,
        )
    )


def apply_operation_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    operation: str,
    order_id: int,
    data: object | None,
    actor: int,
    at: datetime,
    charge: ChargeRequest | None = None,
) -> tuple[ServiceOrder, Charge | None]:
    """Run ``operation`` from the menu for an OS already closed as executed
    (COM-01..COM-05), mark the OS as applied and create its charge."""
    registered = ctx.operations.get(operation)
    if registered is None:
        raise ConfigurationError(f"no commercial operation {operation!r} is registered")
    order = uow.service_orders.get(order_id)
    service_type = uow.service_types.get(order.service_type_id)
    today = at.astimezone(ctx.zone).date()
    prop = _checked_menu_path(
        uow,
        ctx,
        registered,
        operation=operation,
        order=order,
        service_type=service_type,
        today=today,
    )
    charge_request = charge or ChargeRequest()
    suggested = price_of(
        uow,
        service_type=service_type,
        prop=prop,
        on=today,
        facts=_priced_by(registered, uow, prop, data),
    )
    if registered.charges:
        _check_charge(
            ctx,
            uow,
            actor=actor,
            service_type=service_type,
            charge=charge_request,
            suggested=suggested,
        )
    effective_on = (
        order.closed_at.astimezone(ctx.zone).date() if order.closed_at else today
    )
    _run_operation(
        uow,
        ctx,
        order=order,
        service_type=service_type,
        prop=prop,
        data=data,
        actor=actor,
        at=at,
        effective_on=effective_on,
        via_closing=False,
        key=operation,
    )
    current, made = _mark_applied(
        uow,
        ctx,
        registered,
        operation=operation,
        order_id=order.id,
        service_type=service_type,
        prop=prop,
        request=charge_request,
        suggested=suggested,
        actor=actor,
        at=at,
    )
    return current, made


def _checked_menu_path(
    uow: UnitOfWork,
    ctx: ServiceContext,
    registered: CommercialOperation,
    *,
    operation: str,
    order: ServiceOrder,
    service_type: ServiceType,
    today: date,
) -> Property:
    """COM-01..COM-03: the order's type is the operation's, the order closed
    executed by the menu's path, and it has a property (returned)."""
    reason = (
        None
        if order.closing_reason_id is None
        else uow.catalog.find("closing_reason", order.closing_reason_id)
    )
    prop = order_property(uow, order)
    ensure(
        [
            *rules.check_type_matches(
                order,
                service_type=service_type,
                operation=operation,
                operation_title=registered.title,
                operation_title_pt=registered.title_pt,
                profile=ctx.profile,
                message=getattr(registered, "wrong_type_message", None),
            ),
            *rules.check_menu_path(
                order, reason=reason, today=today, variant=registered.menu_variant
            ),
            *rules.check_has_property(order, None if prop is None else prop.id),
        ]
    )
    assert prop is not None
    return prop


def _mark_applied(
    uow: UnitOfWork,
    ctx: ServiceContext,
    registered: CommercialOperation,
    *,
    operation: str,
    order_id: int,
    service_type: ServiceType,
    prop: Property,
    request: ChargeRequest,
    suggested: Decimal | None,
    actor: int,
    at: datetime,
) -> tuple[ServiceOrder, Charge | None]:
    """The order marked applied with its value (not by the "update" variant),
    and its charge when the operation charges (COM-04, COM-05); the
    operation's event."""
    made = None
    current = uow.service_orders.get(order_id)
    if registered.menu_variant != "update":
        value = request.value if request.value is not None else suggested
        current = attrs.evolve(
            current,
            commercial_applied=True,
            current_value=value,
            charge_percentage=request.percentage,
            non_charge_reason_id=request.non_charge_reason_id,
            version=current.version + 1,
        )
        uow.service_orders.update(current)
        if registered.charges:
            made = create_charge(
                uow,
                profile=ctx.profile,
                service_type=service_type,
                prop=prop,
                value=value,
                request=request,
                order=current,
                request_id=current.request_id,
                generated_on=current.generated_at.astimezone(ctx.zone).date(),
                at=at,
                actor=actor,
            )
    uow.record(
        CommercialOperationApplied(
            occurred_at=at,
            actor=actor,
            order_id=order_id,
            operation=operation,
            property_id=prop.id,
            via_closing=False,
        )
    )
    return current, made
