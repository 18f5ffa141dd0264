"""Closing an OS (ENC-03..17), its charge (COM-06..08) and its execution data (EXE)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.service_orders import (
    ExecutedActivity,
    MaterialKit,
    OrderAction,
    ServiceOrder,
    ServiceType,
    Team,
)
from gsan_core.rules.service_configuration import (
    QUANTITY_NOT_POSITIVE,
    REFERENCE_MISSING,
)
from gsan_core.rules.service_orders.lifecycle import (
    CHARGE_PERCENTAGES,
    MAX_REMARK,
    ChargeRequest,
    CloseRequest,
    check_transition,
)
from gsan_core.rules.service_orders.messages import (
    ACTIVITIES_REQUIRED,
    AUTOMATIC_CLOSING_ONLY,
    CLOSING_DATE_IN_FUTURE,
    CLOSING_DATE_TOO_EARLY,
    CLOSING_REASON_NOT_ALLOWED,
    CLOSING_UNIT_NOT_AUTHORISED,
    CLOSING_USER_NOT_AUTHORISED,
    DATE_REQUIRED,
    DIAGNOSIS_REMARK_REQUIRED,
    EXECUTION_ACTIVITY_REPEATED,
    EXECUTION_DATE_OUT_OF_RANGE,
    EXECUTION_END_BEFORE_START,
    EXECUTION_TEAM_REQUIRED,
    EXECUTION_UNKNOWN_ACTIVITY,
    EXECUTION_UNKNOWN_TEAM,
    INSPECTION_RESULT_REQUIRED,
    INVALID_INSTALLMENTS,
    INVALID_PERCENTAGE,
    INVALID_VALUE,
    NEW_SERVICE_TYPE_HAS_REFERENCE,
    NEW_SERVICE_TYPE_OPEN,
    NEW_SERVICE_TYPE_REQUIRED,
    PAVEMENT_NOT_POSITIVE,
    PAVEMENT_REQUIRED,
    PERMISSION_REQUIRED_FOR_CHARGE,
    PROPERTY_IN_FIELD,
    REASON_REQUIRED,
    REMARK_TOO_LONG,
    RETURN_TYPE_REQUIRED,
    SELECTIVE_CLOSING_DATE_TOO_EARLY,
    TOO_MANY_INSTALLMENTS,
    UNKNOWN_NON_CHARGE_REASON,
    VALUE_NOT_EDITABLE,
)


# ---------------------------------------------------------------- closing
def allowed_closing_reasons(
    service_type: ServiceType, reasons: Iterable[CatalogItem]
) -> list[CatalogItem]:
    """Reasons offered for an OS of the type: the type's own list, or every active
    non-duplicate reason (a duplicate reason is never offered for an OS)."""
    usable = [r for r in reasons if r.active and not r.flag("duplicate")]
    if service_type.closing_reason_ids:
        return [r for r in usable if r.id in service_type.closing_reason_ids]
    return usable


def check_closing_user(
    order: ServiceOrder,
    *,
    request_unit_id: int | None,
    may_maintain_request: bool,
    validate_location: bool,
    user_in_order_unit_or_above: bool,
) -> tuple[Violation, ...]:
    """ENC-01: who may close an OS. With an RA (``request_unit_id``, its current
    unit), a user who may maintain the RA there (AUTH-01). Without one, when the profile validates the
    location (``indicadorValidarLocalizacaoEncerramentoOS``), a user of the
    order's current unit or of one of its superiors."""
    if request_unit_id is not None:
        if may_maintain_request:
            return ()
        return (
            CLOSING_USER_NOT_AUTHORISED(order_id=order.id, unit_id=request_unit_id),
        )
    if not validate_location or user_in_order_unit_or_above:
        return ()
    return (
        CLOSING_UNIT_NOT_AUTHORISED(order_id=order.id, unit_id=order.current_unit_id),
    )


def check_close(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    request: CloseRequest,
    offered_reasons: Iterable[CatalogItem],
    reference: CatalogItem | None,
    today: date,
    generated_on: date,
    profile: UtilityProfile,
    has_permission: Mapping[str, bool],
    locked_reference: int | None,
    open_orders_of_request: Iterable[ServiceOrder] = (),
    new_type_reference: CatalogItem | None = None,
) -> tuple[Violation, ...]:
    """Every violation of closing ``order`` with ``request`` (ENC, REF).

    ``has_permission`` answers for the roles ``"close_order_before_today"`` (57)
    and ``"close_order_without_activities"`` (106).
    """
    reason = request.reason
    executed = reason is not None and reason.flag("executed")
    action = OrderAction.CLOSE_EXECUTED if executed else OrderAction.CLOSE_NOT_EXECUTED
    found = list(check_transition(order, action))
    if order.automatic_closing:
        found.append(AUTOMATIC_CLOSING_ONLY(order_id=order.id))
    if reason is None and request.reason_id is not None:
        found.append(
            CLOSING_REASON_NOT_ALLOWED(
                reason_id=request.reason_id, service_type_id=service_type.id
            )
        )
    elif reason is None:
        found.append(
            REASON_REQUIRED(field="Closing reason", campo="Motivo de Encerramento")
        )
    elif reason.id not in {r.id for r in offered_reasons}:
        found.append(
            CLOSING_REASON_NOT_ALLOWED(
                reason_id=reason.id, service_type_id=service_type.id
            )
        )
    found += _closing_date(
        order=order,
        request=request,
        today=today,
        generated_on=generated_on,
        profile=profile,
        has_permission=has_permission,
    )
    if (
        executed
        and service_type.requires_activities
        and not request.activities_given
        and not has_permission.get("close_order_without_activities", False)
    ):
        found.append(ACTIVITIES_REQUIRED(service_type_id=service_type.id))
    if service_type.inspection and request.inspection_result is None:
        found.append(INSPECTION_RESULT_REQUIRED(service_type_id=service_type.id))
    if (
        reference is not None
        and reference.flag("diagnosis")
        and not (request.remark or "").strip()
    ):
        found.append(DIAGNOSIS_REMARK_REQUIRED())
    if request.remark is not None and len(request.remark) > MAX_REMARK:
        found.append(REMARK_TOO_LONG(length=len(request.remark)))
    if request.pavement_area is not None and request.pavement_area <= 0:
        found.append(PAVEMENT_NOT_POSITIVE(area=request.pavement_area))
    if not service_type.allows_property_in_field and locked_reference is not None:
        found.append(
            PROPERTY_IN_FIELD(
                property_id=order.property_id, reference=_month(locked_reference)
            )
        )
    if executed and order.reference_order_id is not None and _is_referring(reference):
        found += _return_violations(
            order, service_type, request, open_orders_of_request, new_type_reference
        )
    return tuple(found)


def _is_referring(reference: CatalogItem | None) -> bool:
    return reference is not None and (
        reference.flag("diagnosis") or reference.flag("inspection")
    )


def _month(reference: int) -> str:
    return f"{reference % 100:02d}/{reference // 100}"


def _closing_date(
    *,
    order: ServiceOrder,
    request: CloseRequest,
    today: date,
    generated_on: date,
    profile: UtilityProfile,
    has_permission: Mapping[str, bool],
) -> list[Violation]:
    closed_on = request.closed_on
    if closed_on is None:
        return [DATE_REQUIRED(field="Closing date", campo="Data de Encerramento")]
    found: list[Violation] = []
    if closed_on > today:
        found.append(CLOSING_DATE_IN_FUTURE(closed_on=closed_on, today=today))
    days = profile.service_orders.closing_days_back
    earliest = max(generated_on, today - timedelta(days=days))
    if closed_on < earliest:
        found.append(
            CLOSING_DATE_TOO_EARLY(
                closed_on=closed_on,
                earliest=earliest,
                generated_on=generated_on,
                days=days,
            )
        )
    selective = order.request_id is None and order.collection_document_id is None
    limit = today - timedelta(days=profile.service_orders.selective_closing_days_back)
    if (
        selective
        and closed_on < limit
        and not has_permission.get("close_order_before_today", False)
    ):
        found.append(
            SELECTIVE_CLOSING_DATE_TOO_EARLY(closed_on=closed_on, earliest=limit)
        )
    return found


def _return_violations(
    order: ServiceOrder,
    service_type: ServiceType,
    request: CloseRequest,
    open_orders_of_request: Iterable[ServiceOrder],
    new_type_reference: CatalogItem | None,
) -> list[Violation]:
    returned = request.return_type
    if returned is None:
        return [RETURN_TYPE_REQUIRED()]
    if not returned.flag("approval"):
        return []
    found: list[Violation] = []
    if service_type.pavement and request.pavement_area is None:
        found.append(PAVEMENT_REQUIRED(service_type_id=service_type.id))
    if returned.flag("changes_service"):
        new_type = request.new_service_type
        if new_type is None:
            found.append(NEW_SERVICE_TYPE_REQUIRED())
        else:
            for other in open_orders_of_request:
                if (
                    other.is_open
                    and other.service_type_id == new_type.id
                    and other.id != order.id
                ):
                    found.append(
                        NEW_SERVICE_TYPE_OPEN(
                            other_id=other.id,
                            service_type_id=new_type.id,
                            request_id=order.request_id,
                        )
                    )
                    break
            if new_type.reference_id is not None and new_type_reference is not None:
                found.append(
                    NEW_SERVICE_TYPE_HAS_REFERENCE(service_type_id=new_type.id)
                )
    return found


# ---------------------------------------------------------------- charges (COM-06..08)
def check_charge_request(
    charge: ChargeRequest,
    *,
    service_type: ServiceType,
    suggested_value: Decimal | None,
    max_installments: int,
    may_waive: bool,
    permission_id: int | None,
    non_charge_reasons: Iterable[int],
    reject_below_one: bool = False,
    percentages: Collection[int] = CHARGE_PERCENTAGES,
) -> tuple[Violation, ...]:
    """COM-06..COM-08 and DEB-05 for what the operator filled in (and, with
    ``reject_below_one``, GSAN's refusal of a value between 0 and 1).

    The percentage is one of ``percentages`` (the profile's
    ``system.charge_percentages``, GSAN's 100, 70, 50): GSAN's screen offers
    only those and its server bills any other value as 100 %; the library
    refuses it rather than bill the full value silently."""
    found: list[Violation] = []
    if charge.percentage not in percentages:
        found.append(
            INVALID_PERCENTAGE(
                percentage=charge.percentage,
                allowed=", ".join(str(p) for p in percentages),
            )
        )
    if charge.installments < 1:
        found.append(INVALID_INSTALLMENTS(installments=charge.installments))
    elif charge.installments > max_installments:
        found.append(
            TOO_MANY_INSTALLMENTS(
                installments=charge.installments, maximum=max_installments
            )
        )
    special = (
        charge.non_charge_reason_id is not None
        or charge.percentage != 100
        or charge.installments > 1
    )
    if special and not may_waive:
        found.append(PERMISSION_REQUIRED_FOR_CHARGE(permission_id=permission_id))
    if (
        charge.non_charge_reason_id is not None
        and charge.non_charge_reason_id not in set(non_charge_reasons)
    ):
        found.append(UNKNOWN_NON_CHARGE_REASON(reason_id=charge.non_charge_reason_id))
    if charge.value is not None:
        if charge.value <= 0:
            found.append(INVALID_VALUE(value=charge.value))
        elif not service_type.value_editable and charge.value != suggested_value:
            found.append(VALUE_NOT_EDITABLE(service_type_id=service_type.id))
    amount = charge.value if charge.value is not None else suggested_value
    if reject_below_one and amount is not None and 0 < amount < 1:
        found.append(INVALID_VALUE(value=amount))
    return tuple(found)


# ---------------------------------------------------------------- execution data
def check_execution(
    activities: Sequence[ExecutedActivity],
    *,
    service_type: ServiceType,
    generated_on: date,
    closed_on: date | None,
    known_activities: Mapping[int, CatalogItem],
    teams: Mapping[int, Team],
    materials: Mapping[int, CatalogItem],
    kits: Mapping[int, MaterialKit],
) -> tuple[Violation, ...]:
    """EXE-01..EXE-03 for the execution data of an OS being closed: periods dated
    between generation and closing, ending after they start, by existing active
    teams; activities of the type (when it lists them), materials and kits that
    exist, with positive quantities."""
    found: list[Violation] = []
    seen: set[int] = set()
    for activity in activities:
        ident = activity.activity_id
        item = known_activities.get(ident)
        if (
            item is None
            or not item.active
            or (service_type.activity_ids and ident not in service_type.activity_ids)
        ):
            found.append(
                EXECUTION_UNKNOWN_ACTIVITY(
                    activity_id=ident, service_type_id=service_type.id
                )
            )
        if ident in seen:
            found.append(EXECUTION_ACTIVITY_REPEATED(activity_id=ident))
        seen.add(ident)
        found += _periods(
            activity, generated_on=generated_on, closed_on=closed_on, teams=teams
        )
        found += _materials_and_kits(activity, materials=materials, kits=kits)
    return tuple(found)


def _periods(
    activity: ExecutedActivity,
    *,
    generated_on: date,
    closed_on: date | None,
    teams: Mapping[int, Team],
) -> list[Violation]:
    """EXE-01..EXE-03: an activity's periods are dated between generation and
    closing, end after they start, by existing active teams."""
    found: list[Violation] = []
    ident = activity.activity_id
    for period in activity.periods:
        last = closed_on if closed_on is not None else period.on
        if not generated_on <= period.on <= last:
            found.append(
                EXECUTION_DATE_OUT_OF_RANGE(
                    activity_id=ident,
                    on=period.on,
                    generated_on=generated_on,
                    closed_on=closed_on,
                )
            )
        if period.end < period.start:
            found.append(
                EXECUTION_END_BEFORE_START(
                    activity_id=ident,
                    on=period.on,
                    start=period.start,
                    end=period.end,
                )
            )
        if not period.team_ids:
            found.append(EXECUTION_TEAM_REQUIRED(activity_id=ident, on=period.on))
        for team_id in period.team_ids:
            team = teams.get(team_id)
            if team is None or not team.active:
                found.append(EXECUTION_UNKNOWN_TEAM(team_id=team_id))
    return found


def _materials_and_kits(
    activity: ExecutedActivity,
    *,
    materials: Mapping[int, CatalogItem],
    kits: Mapping[int, MaterialKit],
) -> list[Violation]:
    """An activity's materials and kits exist, active, in positive
    quantities."""
    found: list[Violation] = []
    for used in activity.materials:
        material = materials.get(used.material_id)
        if material is None or not material.active:
            found.append(
                REFERENCE_MISSING(
                    field="Material", campo="Material", value=used.material_id
                )
            )
        if used.quantity <= 0:
            found.append(
                QUANTITY_NOT_POSITIVE(
                    what="material",
                    oque="material",
                    item_id=used.material_id,
                    quantity=used.quantity,
                )
            )
    for kit_used in activity.kits:
        kit = kits.get(kit_used.kit_id)
        if kit is None or not kit.active:
            found.append(
                REFERENCE_MISSING(
                    field="Material kit",
                    campo="Kit de Material",
                    value=kit_used.kit_id,
                )
            )
        if kit_used.quantity <= 0:
            found.append(
                QUANTITY_NOT_POSITIVE(
                    what="kit",
                    oque="kit",
                    item_id=kit_used.kit_id,
                    quantity=kit_used.quantity,
                )
            )
    return found
