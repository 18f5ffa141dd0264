"""Forwarding an RA to another unit inside a caller's unit of work
(:func:`forward_in`)."""

from __future__ import annotations

from datetime import datetime

from gsan_core.errors import Message
from gsan_core.model.service_requests import ServiceRequestForwarded, UrgentRequestAlert
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext, holds_permission
from gsan_core.services.service_requests.common import (
    _specification,
    move_request,
)
from gsan_core.services.service_requests.results import ForwardResult
from gsan_core.services.units import load_units

#: The user named responsible for a routing step must be registered and active.
RESPONSIBLE_UNKNOWN = Message(
    "service_request.forward.responsible_unknown",
    en="The responsible user {responsible_id} does not exist or is inactive.",
    pt="Usuário responsável {responsible_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
)


# ---------------------------------------------------------------- forwarding
def forward_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    destination_unit_id: int,
    actor: int,
    now: datetime,
    at: datetime | None = None,
    responsible_id: int | None = None,
    remark: str | None = None,
    expected_version: int | None = None,
    joint: bool = False,
) -> ForwardResult:
    """Forward a request (TRM-01..TRM-15, first failure only) and move it and all
    its orders to the destination. The request is locked before it and its
    orders are read (``docs/concurrency.md``)."""
    request = uow.service_requests.lock(request_id)
    when = now if at is None else at
    orders = tuple(uow.service_orders.find_by(request_id=request_id))
    user = uow.users.find(actor)
    spec, request_type, group = _specification(uow, request.specification_id)
    by_group: dict[int, list[int]] = {}
    if request.locality_id is not None:
        for row in uow.locality_group_units.find_by(locality_id=request.locality_id):
            by_group.setdefault(row.group_id, []).append(row.unit_id)
    units = load_units(
        uow,
        [
            request.current_unit_id,
            destination_unit_id,
            None if user is None else user.unit_id,
            *(u for ids in by_group.values() for u in ids),
        ],
    )
    steps = uow.routing_steps.find_by(request_id=request_id)
    last = max(steps, key=lambda s: (s.at, s.id)) if steps else None
    type_ids = {o.service_type_id for o in orders}
    # the rules read the codes of the origin's and the destination's types
    codes = {
        item.id: item.text("code") or ""
        for type_id in sorted({u.unit_type_id for u in units.values()})
        if (item := uow.catalog.find("unit_type", type_id)) is not None
    }
    del spec
    facts = rules.ForwardFacts(
        request=request,
        destination_id=destination_unit_id,
        destination=units.get(destination_unit_id),
        origin=units.get(request.current_unit_id),
        unit_type_codes=codes,
        units=units,
        user=user,
        orders=orders,
        service_types=uow.service_types.get_many(type_ids) if type_ids else {},
        request_type=request_type,
        group_id=None if group is None else group.id,
        locality_group_units={k: tuple(v) for k, v in by_group.items()},
        last_step=last,
        at=when,
        now=now,
        zone=ctx.zone,
        params=ctx.profile.service_requests,
        may_forward_anywhere=holds_permission(
            ctx.profile, uow, actor, "forward_request_to_any_unit"
        ),
        expected_version=expected_version,
        joint=joint,
    )
    ensure(rules.check_forward(facts))
    if responsible_id is not None:
        responsible = uow.users.find(responsible_id)
        if responsible is None or not responsible.active:
            ensure([RESPONSIBLE_UNKNOWN(responsible_id=responsible_id)])
    ensure(
        rules.check_text(
            remark,
            field="Remark",
            campo="Parecer",
            max_length=rules.ROUTING_REMARK_MAX,
        )
    )
    origin = units.get(request.current_unit_id)
    destination = units[destination_unit_id]
    moved, step, count = move_request(
        uow,
        request,
        to_unit_id=destination_unit_id,
        at=when,
        actor=actor,
        responsible_id=responsible_id,
        remark=remark,
    )
    events: list[object] = [
        ServiceRequestForwarded(
            occurred_at=now,
            actor=actor,
            request_id=request_id,
            step_id=step.id,
            from_unit_id=step.from_unit_id,
            to_unit_id=destination_unit_id,
            to_contractor=codes.get(destination.unit_type_id) == "T"
            and origin is not None
            and codes.get(origin.unit_type_id) == "C",
        )
    ]
    if request.urgent:
        events.append(
            UrgentRequestAlert(
                occurred_at=now,
                actor=actor,
                request_id=request_id,
                unit_id=destination_unit_id,
            )
        )
    uow.record(*events)  # type: ignore[arg-type]
    return ForwardResult(request=moved, step=step, orders_moved=count)
