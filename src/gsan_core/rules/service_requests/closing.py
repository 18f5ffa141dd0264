"""Closing (ENC-01..15), reactivating (REA-01..06) and reiterating
(REI-01..04) an RA."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.model.service_requests import (
    RequestSituation,
    RequestSpecification,
    ServiceRequest,
)
from gsan_core.rules.service_requests.lifecycle import (
    CLOSING_REMARK_MAX,
    REACTIVATION_TEXT_MAX,
    B,
    C,
    P,
    _local,
    _text,
)
from gsan_core.rules.service_requests.messages import (
    CLOSE_ALREADY_CLOSED,
    CLOSE_CONCURRENT,
    CLOSE_DATE_BEFORE_ATTENDANCE,
    CLOSE_DATE_BEFORE_ORDERS,
    CLOSE_DATE_IN_FUTURE,
    CLOSE_EXECUTED_WITH_OPEN_ORDERS,
    CLOSE_FIELD_REQUIRED,
    CLOSE_NOT_AUTHORISED,
    CLOSE_ORDER_SCHEDULED,
    CLOSE_REFERENCE_CLOSED,
    CLOSE_REFERENCE_ITSELF,
    CLOSE_REFERENCE_NOT_ALLOWED,
    CLOSE_REFERENCE_REQUIRED,
    CLOSE_REFERENCE_UNKNOWN,
    CLOSE_TIME_BEFORE_ATTENDANCE,
    CLOSE_TIME_BEFORE_ORDERS,
    CLOSE_TIME_IN_FUTURE,
    CLOSE_UNKNOWN_REASON,
    REACTIVATE_ALREADY,
    REACTIVATE_DUPLICATE,
    REACTIVATE_FIELD_REQUIRED,
    REACTIVATE_NOT_AUTHORISED,
    REACTIVATE_NOT_CLOSED,
    REACTIVATE_REMARK_REQUIRED,
    REITERATE_CLOSED_OR_BLOCKED,
    REITERATE_CONCURRENT,
    REITERATE_NOT_AUTHORISED,
    REITERATE_NOT_DUE,
    TEXT_TOO_LONG,
)


# ================================================================= closing, ENC
@attrs.frozen(kw_only=True)
class CloseFacts:
    """What closing one request reads, loaded by the service."""

    request: ServiceRequest
    specification: RequestSpecification | None
    reason_id: int | None
    reason: CatalogItem | None
    closed_at: datetime
    remark: str | None
    duplicate_of_id: int | None
    reference: ServiceRequest | None
    orders: tuple[ServiceOrder, ...]
    authorised: bool
    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    expected_version: int | None = None


def _closing_when(facts: CloseFacts) -> list[Violation]:
    request = facts.request
    at = _local(facts.closed_at, facts.zone)
    now = _local(facts.now, facts.zone)
    found: list[Violation] = []
    if at.date() > now.date():
        found.append(CLOSE_DATE_IN_FUTURE(on=at.date(), today=now.date()))
    elif at > now:
        found.append(
            CLOSE_TIME_IN_FUTURE(
                at=at.time().isoformat("minutes"), now=now.time().isoformat("minutes")
            )
        )
    attended = _local(request.attended_at, facts.zone)
    if at.date() < attended.date():
        found.append(
            CLOSE_DATE_BEFORE_ATTENDANCE(on=at.date(), attended_on=attended.date())
        )
    elif at < attended:
        found.append(
            CLOSE_TIME_BEFORE_ATTENDANCE(
                at=at.time().isoformat("minutes"),
                attended_at=attended.time().isoformat("minutes"),
            )
        )
    closings = [o.closed_at for o in facts.orders if o.closed_at is not None]
    if closings:
        last = _local(max(closings), facts.zone)
        if at.date() < last.date():
            found.append(CLOSE_DATE_BEFORE_ORDERS(on=at.date(), last_on=last.date()))
        elif at < last:
            found.append(
                CLOSE_TIME_BEFORE_ORDERS(
                    at=at.time().isoformat("minutes"),
                    last_at=last.time().isoformat("minutes"),
                )
            )
    return found


def _closing_reference(facts: CloseFacts, reason: CatalogItem) -> list[Violation]:
    request = facts.request
    if not reason.flag("duplicate"):
        if facts.duplicate_of_id is not None:
            return [CLOSE_REFERENCE_NOT_ALLOWED(reason_id=reason.id)]
        return []
    if facts.duplicate_of_id is None:
        return [CLOSE_REFERENCE_REQUIRED()]
    if facts.duplicate_of_id == request.id:
        return [CLOSE_REFERENCE_ITSELF()]
    if facts.reference is None:
        return [CLOSE_REFERENCE_UNKNOWN(reference_id=facts.duplicate_of_id)]
    if facts.reference.situation is RequestSituation.CLOSED:
        return [CLOSE_REFERENCE_CLOSED(reference_id=facts.duplicate_of_id)]
    return []


def check_close(facts: CloseFacts) -> tuple[Violation, ...]:
    """ENC-01..ENC-08 (and ENC-11's decision) for closing one request."""
    request = facts.request
    rid = request.id
    found: list[Violation] = []
    if not facts.authorised:
        found.append(
            CLOSE_NOT_AUTHORISED(request_id=rid, unit_id=request.current_unit_id)
        )
    if request.situation is RequestSituation.CLOSED:
        return (*found, CLOSE_ALREADY_CLOSED(request_id=rid))
    open_orders = [o for o in facts.orders if o.is_open]
    for order in open_orders:
        if order.scheduled:
            found.append(CLOSE_ORDER_SCHEDULED(request_id=rid, order_id=order.id))
            break
    reason = facts.reason
    if facts.reason_id is None:
        found.append(
            CLOSE_FIELD_REQUIRED(field="Closing reason", campo="Motivo de Encerramento")
        )
    elif reason is None or not reason.active:
        found.append(CLOSE_UNKNOWN_REASON(reason_id=facts.reason_id))
        reason = None
    spec = facts.specification
    if (
        spec is not None
        and spec.closing_remark_required
        and not (facts.remark or "").strip()
    ):
        found.append(CLOSE_FIELD_REQUIRED(field="Closing remark", campo="Parecer"))
    found += _text(
        facts.remark,
        field="Closing remark",
        campo="Parecer",
        max_length=CLOSING_REMARK_MAX,
        message=TEXT_TOO_LONG,
    )
    if reason is not None:
        found += _closing_reference(facts, reason)
    found += _closing_when(facts)
    if facts.expected_version is not None and facts.expected_version != request.version:
        found.append(
            CLOSE_CONCURRENT(
                request_id=rid, expected=facts.expected_version, actual=request.version
            )
        )
    if reason is not None and reason.flag("executed"):
        blocking = (
            [o for o in open_orders if o.situation is OrderSituation.PENDING]
            if facts.params.executed_closing_checks_pending_only
            else open_orders
        )
        if blocking:
            found.append(
                CLOSE_EXECUTED_WITH_OPEN_ORDERS(
                    request_id=rid, orders=", ".join(str(o.id) for o in blocking)
                )
            )
    return tuple(found)


# ================================================================= reactivation, REA
def check_reactivate(
    request: ServiceRequest,
    *,
    authorised: bool,
    authorised_new_unit: bool,
    new_unit_id: int,
    successor: ServiceRequest | None,
    destination_informed: bool,
    remark: str | None,
    reason_id: int | None,
    reason: CatalogItem | None,
    observation: str | None,
) -> tuple[Violation, ...]:
    """REA-01..REA-05 (the opening checks of REA-05 are added by the service)."""
    found: list[Violation] = []
    if not authorised:
        found.append(REACTIVATE_NOT_AUTHORISED(unit_id=request.current_unit_id))
    if not authorised_new_unit:
        found.append(REACTIVATE_NOT_AUTHORISED(unit_id=new_unit_id))
    if request.situation is not RequestSituation.CLOSED:
        found.append(
            REACTIVATE_NOT_CLOSED(
                request_id=request.id,
                situation=request.situation.name.lower(),
                situacao=_SITUATION_PT[request.situation],
            )
        )
    elif request.duplicate_of_id is not None:
        found.append(
            REACTIVATE_DUPLICATE(
                request_id=request.id, reference_id=request.duplicate_of_id
            )
        )
    elif successor is not None:
        found.append(REACTIVATE_ALREADY(request_id=request.id, current_id=successor.id))
    if reason_id is None or reason is None or not reason.active:
        found.append(
            REACTIVATE_FIELD_REQUIRED(
                field="Reactivation reason", campo="Motivo da Reativação"
            )
        )
    if destination_informed and not (remark or "").strip():
        found.append(REACTIVATE_REMARK_REQUIRED())
    for value, field, campo in (
        (remark, "Remark", "Parecer"),
        (observation, "Observation", "Observação"),
    ):
        found += _text(
            value,
            field=field,
            campo=campo,
            max_length=REACTIVATION_TEXT_MAX,
            message=TEXT_TOO_LONG,
        )
    return tuple(found)


_SITUATION_PT = {P: "pendente", C: "encerrado", B: "bloqueado"}


# ================================================================= reiteration, REI
def check_reiterate(
    request: ServiceRequest,
    *,
    today: date,
    authorised: bool,
    expected_version: int | None,
) -> tuple[Violation, ...]:
    """REI-01..REI-04."""
    found: list[Violation] = []
    if request.situation is not RequestSituation.PENDING:
        found.append(REITERATE_CLOSED_OR_BLOCKED(request_id=request.id))
    elif request.current_due_date > today:
        found.append(
            REITERATE_NOT_DUE(request_id=request.id, due_on=request.current_due_date)
        )
    if not authorised:
        found.append(
            REITERATE_NOT_AUTHORISED(
                request_id=request.id, unit_id=request.current_unit_id
            )
        )
    if expected_version is not None and expected_version != request.version:
        found.append(
            REITERATE_CONCURRENT(
                request_id=request.id, expected=expected_version, actual=request.version
            )
        )
    return tuple(found)
