"""Opening an RA (INS-01..25) and changing the place of its occurrence
(UPD-01..07)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    OpenRequest,
    PropertySituationProfile,
    Requester,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    ServiceRequest,
    SituationCriterion,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.service_requests.lifecycle import OBSERVATION_MAX, _local, _text
from gsan_core.rules.service_requests.messages import (
    ATTENDANCE_DATE_IN_FUTURE,
    ATTENDANCE_TIME_IN_FUTURE,
    CUSTOMER_WITHOUT_DOCUMENT,
    DESTINATION_INACTIVE,
    DESTINATION_NOT_ROUTABLE,
    DIVISION_INCOMPATIBLE,
    DUE_DATE_CHANGED_RECENTLY,
    DUPLICATE_PAYMENT_REQUIRED,
    DUPLICATE_PENDING,
    GENERAL_OUTAGE_OPEN,
    LOCATION_FIELD_REQUIRED,
    LOCATION_REQUIRED,
    OBSERVATION_REQUIRED,
    OTHER_PENDING_ON_PROPERTY,
    PENDING_INDIVIDUAL_OUTAGES,
    PROPERTY_WITH_DEBTS,
    PROPERTY_WITHOUT_RESPONSIBLE,
    RECENTLY_CLOSED,
    REQUESTER_FIELD_REQUIRED,
    REQUESTER_MISSING,
    RESPONSIBLE_WITHOUT_DOCUMENT,
    SAME_SPECIFICATION_AT_ADDRESS,
    SITUATION_MISMATCH,
    SUBMITTED_TWICE,
    SURVEY_EMAIL_REQUIRED,
    TEXT_TOO_LONG,
    UNIT_CANNOT_OPEN,
    UNKNOWN_ATTENDANCE_UNIT,
    UNKNOWN_CHANNEL,
    UNKNOWN_DESTINATION,
    UNKNOWN_PLACE,
    UNKNOWN_REQUESTER_UNIT,
    UNKNOWN_SPECIFICATION,
    UPDATE_CLOSED,
    UPDATE_CONCURRENT,
    UPDATE_DUE_BEFORE_ATTENDANCE,
    UPDATE_DUPLICATE,
    UPDATE_NOT_AUTHORISED,
    UPDATE_ORDER_SCHEDULED,
    WAIT_END_BEFORE_START,
    WAIT_IN_FUTURE,
)
from gsan_core.rules.service_requests.numbering import (
    check_manual_number,
    parse_manual_number,
)


# ================================================================= opening, INS
def situation_on_open(location: RequestLocation) -> RequestSituation:
    """INS-15: only a free-text place blocks the request."""
    if not location.structured and (location.description or "").strip():
        return RequestSituation.BLOCKED
    return RequestSituation.PENDING


def property_matches(
    profile: PropertySituationProfile,
    *,
    water_status_id: int,
    sewer_status_id: int,
    water_meter: bool | None,
    well_meter: bool | None,
    per_row: bool,
) -> bool:
    """INS-10: whether the property's situations satisfy the profile.

    ``per_row`` (the default profile): one criterion must match as a whole.
    Otherwise GSAN's evaluation: each of the four conditions may be satisfied by a
    different row. A criterion's ``None`` matches anything, and so does an unknown
    meter fact.
    """

    def water(c: SituationCriterion) -> bool:
        return c.water_status_id is None or c.water_status_id == water_status_id

    def sewer(c: SituationCriterion) -> bool:
        return c.sewer_status_id is None or c.sewer_status_id == sewer_status_id

    def meter(c: SituationCriterion) -> bool:
        return (
            c.water_meter is None or water_meter is None or c.water_meter == water_meter
        )

    def well(c: SituationCriterion) -> bool:
        return c.well_meter is None or well_meter is None or c.well_meter == well_meter

    tests: tuple[Callable[[SituationCriterion], bool], ...] = (
        water,
        sewer,
        meter,
        well,
    )
    criteria = profile.criteria
    if not criteria:
        return True
    if per_row:
        return any(water(c) and sewer(c) and meter(c) and well(c) for c in criteria)
    return all(any(test(c) for c in criteria) for test in tests)


def _all_digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def valid_cpf(value: str) -> bool:
    """Whether ``value`` is a valid CPF (11 digits, both check digits right)."""
    digits = _all_digits(value)
    if len(digits) != 11 or digits == digits[0] * 11:
        return False
    numbers = [int(d) for d in digits]
    for size in (9, 10):
        total = sum(
            n * w for n, w in zip(numbers[:size], range(size + 1, 1, -1), strict=True)
        )
        expected = total * 10 % 11 % 10
        if numbers[size] != expected:
            return False
    return True


@attrs.frozen(kw_only=True)
class OpeningFacts:
    """What opening a request reads, loaded by the service."""

    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    specification: RequestSpecification | None
    request_type: CatalogItem | None
    group: CatalogItem | None
    channel: CatalogItem | None
    unit: OrganizationalUnit | None
    #: The property of the place, when given and found.
    prop: Property | None = None
    #: Place ids that were given but do not exist (``(field, campo, value)``).
    unknown_places: tuple[tuple[str, str, int], ...] = ()
    #: The sewer division serves the block / sector / locality given (INS-11).
    division_compatible: bool = True
    #: Pending requests of the same property and specification (INS-09).
    pending_same: tuple[ServiceRequest, ...] = ()
    situation_profile: PropertySituationProfile | None = None
    #: INS-10: a meter is installed on the property's water connection / on its
    #: well, read from the library's meter area (``None``: unknown, matches any).
    water_meter: bool | None = None
    well_meter: bool | None = None
    has_debts: bool = False
    #: Requester units and users by id (INS-18).
    units: Mapping[int, OrganizationalUnit] = attrs.field(factory=dict)
    users: Mapping[int, User] = attrs.field(factory=dict)
    #: The request already opened with the command's submission key (INS-21).
    submitted: ServiceRequest | None = None
    #: Manual numbering: the last number issued and who uses the number (NUM).
    last_manual_number: int | None = None
    manual_used_by: int | None = None
    #: The user may change the due date anytime (INS-13).
    may_change_due_date: bool = False
    #: The opening of a reactivation: only INS-01..04, INS-09 and INS-10 apply
    #: (REA-05); the place and the requesters are the closed request's.
    reactivation: bool = False


def _check_attendance(command: OpenRequest, facts: OpeningFacts) -> list[Violation]:
    found: list[Violation] = []
    now = _local(facts.now, facts.zone)
    if command.attended_at is not None:
        at = _local(command.attended_at, facts.zone)
        if at.date() > now.date():
            found.append(
                ATTENDANCE_DATE_IN_FUTURE(attended_on=at.date(), today=now.date())
            )
        elif at > now:
            found.append(
                ATTENDANCE_TIME_IN_FUTURE(
                    attended_at=at.time().isoformat("minutes"),
                    now=now.time().isoformat("minutes"),
                )
            )
    start, end = command.wait_started_at, command.wait_ended_at
    if (start is not None and start > facts.now) or (
        end is not None and end > facts.now
    ):
        found.append(WAIT_IN_FUTURE())
    if start is not None and end is not None and end < start:
        found.append(WAIT_END_BEFORE_START())
    return found


def _check_specification(
    command: OpenRequest, facts: OpeningFacts
) -> tuple[list[Violation], bool]:
    spec = facts.specification
    kind = facts.request_type
    if (
        spec is None
        or not spec.active
        or kind is None
        or not kind.active
        or kind.flag("system_use")
    ):
        return [UNKNOWN_SPECIFICATION(specification_id=command.specification_id)], False
    return [], True


def _check_location(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    location = command.location
    found: list[Violation] = [
        UNKNOWN_PLACE(field=field, campo=campo, value=value)
        for field, campo, value in facts.unknown_places
    ]
    if not location.structured and not (location.description or "").strip():
        return [*found, LOCATION_REQUIRED()]
    if not location.structured:
        if spec.requires_property:
            found.append(LOCATION_FIELD_REQUIRED(field="Property", campo="Imóvel"))
        return found
    outage = facts.request_type is not None and facts.request_type.flag("outage")
    sewer = facts.group is not None and facts.group.flag("sewer")

    def need(value: object, field: str, campo: str) -> None:
        if value is None:
            found.append(LOCATION_FIELD_REQUIRED(field=field, campo=campo))

    if spec.requires_property:
        need(location.property_id, "Property", "Imóvel")
    if outage and location.property_id is None:
        need(location.municipality_id, "Municipality", "Município")
        need(location.neighbourhood_id, "Neighbourhood", "Bairro")
        need(location.area_id, "Neighbourhood area", "Área de Bairro")
    if location.property_id is None:
        if not outage:
            need(location.street_id, "Address", "Endereço")
        need(location.locality_id, "Locality", "Localidade")
        if location.block_id is not None:
            need(location.sector_id, "Commercial sector", "Setor Comercial")
        if sewer:
            need(location.sewer_division_id, "Sewer division", "Divisão de Esgoto")
    if spec.street_pavement:
        need(location.street_pavement_id, "Street pavement", "Pavimento Rua")
    if spec.sidewalk_pavement:
        need(location.sidewalk_pavement_id, "Sidewalk pavement", "Pavimento Calçada")
    if location.sewer_division_id is not None and not facts.division_compatible:
        found.append(DIVISION_INCOMPATIBLE(division_id=location.sewer_division_id))
    return found


def _check_property(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    prop = facts.prop
    if prop is None:
        return []
    found: list[Violation] = [
        DUPLICATE_PENDING(
            other_id=other.id,
            specification=spec.description,
            property_id=prop.id,
        )
        for other in facts.pending_same[:1]
    ]
    profile = facts.situation_profile
    if profile is not None and not property_matches(
        profile,
        water_status_id=prop.water_status_id,
        sewer_status_id=prop.sewer_status_id,
        water_meter=facts.water_meter,
        well_meter=facts.well_meter,
        per_row=facts.params.situation_criteria_per_row,
    ):
        found.append(
            SITUATION_MISMATCH(
                property_id=prop.id,
                water_status_id=prop.water_status_id,
                sewer_status_id=prop.sewer_status_id,
                specification=spec.description,
            )
        )
    if facts.reactivation:
        return found
    if spec.check_debts and facts.has_debts:
        found.append(PROPERTY_WITH_DEBTS(property_id=prop.id))
    changed = command.last_due_date_change_on
    if (
        spec.alternative_due_date
        and changed is not None
        and not facts.may_change_due_date
    ):
        months = facts.params.due_date_change_min_months
        today = _local(facts.now, facts.zone).date()
        if _add_months(changed, months) > today:
            found.append(
                DUE_DATE_CHANGED_RECENTLY(
                    property_id=prop.id, changed_on=changed, months=months
                )
            )
    return found


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover - day 1 always exists


def _check_requesters(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    found: list[Violation] = []
    requesters = command.requesters
    identified = [
        r
        for r in requesters
        if r.customer_id is not None
        or r.unit_id is not None
        or r.employee_id is not None
        or (r.name or "").strip()
    ]
    if not identified:
        if spec.requires_requester or spec.requires_customer:
            found.append(REQUESTER_MISSING())
        return found
    if spec.requires_customer and not any(
        r.customer_id is not None for r in requesters
    ):
        found.append(REQUESTER_FIELD_REQUIRED(field="Customer", campo="Cliente"))
    for requester in identified:
        found += _check_requester(requester, facts)
    return found


def _check_requester(requester: Requester, facts: OpeningFacts) -> list[Violation]:
    found: list[Violation] = []
    if requester.employee_id is not None and requester.unit_id is None:
        found.append(
            REQUESTER_FIELD_REQUIRED(
                field="Requesting unit", campo="Unidade Solicitante"
            )
        )
    if requester.employee_id is None and requester.unit_id is not None:
        found.append(
            REQUESTER_FIELD_REQUIRED(
                field="Responsible employee", campo="Funcionário Responsável"
            )
        )
    if requester.customer_id is None and not (requester.address or "").strip():
        found.append(REQUESTER_FIELD_REQUIRED(field="Address", campo="Endereço"))
    if requester.unit_id is not None:
        unit = facts.units.get(requester.unit_id)
        if unit is None or not unit.active:
            found.append(
                UNKNOWN_REQUESTER_UNIT(
                    field="Requesting unit",
                    campo="Unidade Solicitante",
                    value=requester.unit_id,
                )
            )
    if requester.employee_id is not None:
        user = facts.users.get(requester.employee_id)
        if user is None or user.unit_id != requester.unit_id:
            found.append(
                UNKNOWN_REQUESTER_UNIT(
                    field="Responsible employee",
                    campo="Funcionário Responsável",
                    value=requester.employee_id,
                )
            )
    if requester.survey_opt_in and not (requester.email or "").strip():
        found.append(SURVEY_EMAIL_REQUIRED())
    return found


def _check_documents(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    if not spec.document_required:
        return []
    channels = spec.document_channel_ids
    if channels and command.channel_id not in channels:
        return []
    property_id = command.location.property_id
    if spec.validate_responsible_document and property_id is not None:
        responsible = command.responsible
        if responsible is None:
            return [PROPERTY_WITHOUT_RESPONSIBLE(property_id=property_id)]
        if not _all_digits(responsible.document):
            return [RESPONSIBLE_WITHOUT_DOCUMENT(property_id=property_id)]
        return []
    return [
        CUSTOMER_WITHOUT_DOCUMENT(customer_id=r.customer_id)
        for r in command.requesters
        if r.customer_id is not None and not _all_digits(r.document)
    ]


def check_text(
    value: str | None, *, field: str, campo: str, max_length: int
) -> tuple[Violation, ...]:
    """A free text longer than allowed."""
    return tuple(
        _text(
            value,
            field=field,
            campo=campo,
            max_length=max_length,
            message=TEXT_TOO_LONG,
        )
    )


def check_destination(
    unit_id: int, unit: OrganizationalUnit | None
) -> tuple[Violation, ...]:
    """FS0021: the destination exists, receives requests and is active."""
    if unit is None:
        return (UNKNOWN_DESTINATION(unit_id=unit_id),)
    found: list[Violation] = []
    if not unit.accepts_routing:
        found.append(DESTINATION_NOT_ROUTABLE(unit_id=unit_id))
    if not unit.active:
        found.append(DESTINATION_INACTIVE(unit_id=unit_id))
    return tuple(found)


def check_open(command: OpenRequest, facts: OpeningFacts) -> tuple[Violation, ...]:
    """Every violation of opening the request (INS-01..INS-21, NUM-04..07, SAT-01)."""
    found: list[Violation] = []
    if facts.submitted is not None:
        return (SUBMITTED_TWICE(other_id=facts.submitted.id),)
    found += _check_attendance(command, facts)
    spec_found, spec_ok = _check_specification(command, facts)
    found += spec_found
    if facts.channel is None or not facts.channel.active:
        found.append(UNKNOWN_CHANNEL(channel_id=command.channel_id))
    if facts.unit is None or not facts.unit.active:
        found.append(UNKNOWN_ATTENDANCE_UNIT(unit_id=command.unit_id))
    elif not facts.unit.may_open_requests:
        found.append(UNIT_CANNOT_OPEN(unit_id=command.unit_id))
    if command.manual_number is not None:
        manual, invalid = parse_manual_number(command.manual_number)
        found += invalid
        if manual is not None:
            found += check_manual_number(
                manual,
                last_issued=facts.last_manual_number,
                used_by=facts.manual_used_by,
            )
    found += _text(
        command.observation,
        field="Observation",
        campo="Observação",
        max_length=OBSERVATION_MAX,
        message=TEXT_TOO_LONG,
    )
    if not spec_ok:
        return tuple(found)
    spec = facts.specification
    assert spec is not None
    if facts.reactivation:
        return (*found, *_check_property(command, facts, spec))
    if spec.auto_close and not (command.observation or "").strip():
        found.append(OBSERVATION_REQUIRED())
    found += _check_location(command, facts, spec)
    found += _check_property(command, facts, spec)
    if spec.duplicate_payment and not command.duplicate_payment_ids:
        found.append(DUPLICATE_PAYMENT_REQUIRED())
    found += _check_requesters(command, facts, spec)
    found += _check_documents(command, facts, spec)
    return tuple(found)


def opening_warnings(
    *,
    property_id: int | None,
    area_id: int | None,
    specification: RequestSpecification,
    outage: bool,
    pending_on_property: Sequence[ServiceRequest],
    pending_same_address: Sequence[ServiceRequest],
    recently_closed: Sequence[ServiceRequest],
    general_outage: bool,
    pending_outages_in_area: Sequence[ServiceRequest],
    warning_days: int,
) -> tuple[Violation, ...]:
    """INS-09b and INS-23: the soft warnings the caller may show; opening goes on.

    ``pending_outages_in_area`` are the open outage requests of the area (other
    than general ones for a general outage, general ones for an individual one).
    """
    found: list[Violation] = []
    others = [r for r in pending_on_property if r.specification_id != specification.id]
    if property_id is not None and others:
        found.append(
            OTHER_PENDING_ON_PROPERTY(
                property_id=property_id, others=", ".join(str(r.id) for r in others)
            )
        )
    if pending_same_address:
        found.append(
            SAME_SPECIFICATION_AT_ADDRESS(
                others=", ".join(str(r.id) for r in pending_same_address)
            )
        )
    if recently_closed:
        found.append(
            RECENTLY_CLOSED(
                days=warning_days, others=", ".join(str(r.id) for r in recently_closed)
            )
        )
    if outage and area_id is not None and pending_outages_in_area:
        message = PENDING_INDIVIDUAL_OUTAGES if general_outage else GENERAL_OUTAGE_OPEN
        found.append(
            message(
                area_id=area_id,
                others=", ".join(str(r.id) for r in pending_outages_in_area),
            )
        )
    return tuple(found)


# ================================================================= place, UPD
def check_location_change(
    request: ServiceRequest,
    *,
    expected_version: int | None,
    authorised: bool,
    orders: Iterable[ServiceOrder],
) -> tuple[Violation, ...]:
    """UPD-01..UPD-05 before the place of a request changes (UPD-06/07 reuse the
    opening checks and INS-15)."""
    found: list[Violation] = []
    if not authorised:
        found.append(
            UPDATE_NOT_AUTHORISED(
                request_id=request.id, unit_id=request.current_unit_id
            )
        )
    if request.duplicate_of_id is not None:
        found.append(
            UPDATE_DUPLICATE(
                request_id=request.id, reference_id=request.duplicate_of_id
            )
        )
    if request.situation is RequestSituation.CLOSED:
        found.append(UPDATE_CLOSED(request_id=request.id))
    for order in orders:
        if order.is_open and order.scheduled:
            found.append(
                UPDATE_ORDER_SCHEDULED(request_id=request.id, order_id=order.id)
            )
            break
    if expected_version is not None and expected_version != request.version:
        found.append(
            UPDATE_CONCURRENT(
                request_id=request.id, expected=expected_version, actual=request.version
            )
        )
    return tuple(found)


def check_due_date_change(
    *, due_date: date, attended_on: date
) -> tuple[Violation, ...]:
    """UPD-09: the deadline typed on the form overwrites both deadlines; it
    cannot fall before the attendance day (a library rule: GSAN's form
    recomputes it and never offers an earlier one)."""
    if due_date < attended_on:
        return (UPDATE_DUE_BEFORE_ATTENDANCE(due_on=due_date, attended_on=attended_on),)
    return ()
