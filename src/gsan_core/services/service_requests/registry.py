"""Manual numbering, operational occurrences and simplified requests, the
satisfaction survey and the regulatory agency (NUM, SIMP, SAT, ARG).

Functions working inside a caller's unit of work; the
:class:`~gsan_core.services.service_requests.ServiceRequestService` façade
opens the units of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import attrs

from gsan_core.errors import RuleViolation
from gsan_core.model.service_requests import (
    ManualNumberBlock,
    ManualNumbersGenerated,
    OperationalOccurrence,
    OperationalOccurrenceChanged,
    RegulatorRecord,
    RegulatorRecordChanged,
    RegulatorSituation,
    RequestAction,
    Requester,
    RequestSituation,
    RoutingReason,
    RoutingStep,
    SatisfactionSurvey,
    SatisfactionSurveyAnswered,
    ServiceRequest,
    ServiceRequestClosed,
    ServiceRequestOpened,
    SimplifiedKind,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_requests as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext
from gsan_core.services.service_requests.common import protocol_number
from gsan_core.services.service_requests.updates import reiterate_in

__all__ = [
    "SimplifiedResult",
    "answer_survey_in",
    "conclude_occurrence_in",
    "generate_manual_numbers_in",
    "open_simplified_in",
    "record_regulator_complaint_in",
    "record_regulator_return_in",
    "register_occurrence_in",
    "remove_occurrence_in",
    "update_occurrence_in",
]


# ---------------------------------------------------------------- numbering
def generate_manual_numbers_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    unit_id: int,
    quantity: int,
    actor: int,
    at: datetime,
) -> tuple[ManualNumberBlock, tuple[str, ...]]:
    """UC0494 (NUM-01..NUM-03): hand ``quantity`` manual numbers to a unit.

    Numbers are global (the unit is only printed on the sheet) and contiguous,
    as GSAN issues them from ``ultimoRAManual``: they come from the counter
    ``manual_request_number`` in this unit of work's transaction, so two
    concurrent requesters get consecutive blocks and a refused or rolled-back
    generation gives its numbers back. Each is printed as 9 zero-padded
    digits, a dash and its modulo-11 check digit.
    """
    ensure(
        rules.check_manual_generation(
            quantity=quantity,
            unit=uow.units.find(unit_id),
            unit_id=unit_id,
            limit=ctx.profile.service_requests.manual_numbers_limit,
        )
    )
    issued = uow.manual_number_blocks.find_by()  # a floor for older data
    numbers = uow.take_numbers(
        "manual_request_number",
        quantity,
        after=max((b.last_number for b in issued), default=0),
    )
    block = ManualNumberBlock(
        id=uow.next_id("manual_number_block"),
        unit_id=unit_id,
        first_number=numbers[0],
        last_number=numbers[-1],
        generated_at=at,
        generated_by=actor,
    )
    uow.manual_number_blocks.add(block)
    uow.record(
        ManualNumbersGenerated(
            occurred_at=at,
            actor=actor,
            block_id=block.id,
            unit_id=unit_id,
            first=block.first_number,
            last=block.last_number,
        )
    )
    return block, tuple(rules.format_manual_number(n) for n in numbers)


# ---------------------------------------------------------------- occurrences
def register_occurrence_in(
    uow: UnitOfWork, occurrence: OperationalOccurrence, *, actor: int, at: datetime
) -> OperationalOccurrence:
    """Register an operational occurrence (an outage), one open per place,
    type and reason."""
    new = attrs.evolve(occurrence, id=uow.next_id("operational_occurrence"), version=1)
    _check_occurrence(uow, new)
    uow.occurrences.add(new)
    uow.record(
        OperationalOccurrenceChanged(
            occurred_at=at, actor=actor, occurrence_id=new.id, concluded=not new.open
        )
    )
    return new


def _check_occurrence(uow: UnitOfWork, occurrence: OperationalOccurrence) -> None:
    # the open occurrences of a type and reason are read to keep one per place:
    # the registry's key plays their root (docs/concurrency.md)
    uow.lock_key("operational occurrences")
    ensure(
        rules.check_occurrence(
            occurrence,
            occurrence_type=uow.catalog.find("occurrence_type", occurrence.type_id),
            reason=uow.catalog.find("occurrence_reason", occurrence.reason_id),
            open_same=uow.occurrences.find_by(
                type_id=occurrence.type_id,
                reason_id=occurrence.reason_id,
                concluded_at=None,
            ),
        )
    )


def conclude_occurrence_in(
    uow: UnitOfWork,
    *,
    occurrence_id: int,
    concluded_at: datetime,
    actor: int,
    at: datetime,
    observation: str | None = None,
) -> OperationalOccurrence:
    """The outage ended: its occurrence is no longer offered to simplified requests."""
    occurrence = uow.occurrences.get(occurrence_id)
    if not occurrence.open:
        ensure([rules.OCCURRENCE_CONCLUDED(occurrence_id=occurrence_id)])
    changed = attrs.evolve(
        occurrence,
        concluded_at=concluded_at,
        observation=observation if observation is not None else occurrence.observation,
        version=occurrence.version + 1,
    )
    uow.occurrences.update(changed)
    uow.record(
        OperationalOccurrenceChanged(
            occurred_at=at, actor=actor, occurrence_id=occurrence_id, concluded=True
        )
    )
    return changed


def update_occurrence_in(
    uow: UnitOfWork,
    occurrence: OperationalOccurrence,
    *,
    actor: int,
    at: datetime,
    expected_version: int | None = None,
) -> OperationalOccurrence:
    """Manter Ocorrência Operacional: store a changed occurrence (an
    ``attrs.evolve`` of one read). A concluded one does not change; the stored
    version must be the one read; the registry's rules run again, the
    occurrence not counting as its own duplicate."""
    current = uow.occurrences.get(occurrence.id)
    wanted = expected_version if expected_version is not None else occurrence.version
    if not current.open:
        ensure([rules.OCCURRENCE_CONCLUDED(occurrence_id=occurrence.id)])
    if wanted != current.version:
        ensure(
            [rules.OCCURRENCE_CONCURRENT(occurrence_id=occurrence.id, expected=wanted)]
        )
    changed = attrs.evolve(occurrence, version=current.version + 1)
    _check_occurrence(uow, changed)
    uow.occurrences.update(changed)
    uow.record(
        OperationalOccurrenceChanged(
            occurred_at=at,
            actor=actor,
            occurrence_id=changed.id,
            concluded=not changed.open,
        )
    )
    return changed


def remove_occurrence_in(
    uow: UnitOfWork,
    *,
    occurrence_id: int,
    actor: int,
    at: datetime,
    expected_version: int | None = None,
) -> OperationalOccurrence:
    """Remove an occurrence registered by mistake: refused while a request
    refers to it (GSAN's removal fails on the reference,
    ``atencao.dependencias.existentes``) or when it changed since read."""
    uow.lock_key("operational occurrences")
    current = uow.occurrences.get(occurrence_id)
    found = []
    if expected_version is not None and expected_version != current.version:
        found.append(
            rules.OCCURRENCE_CONCURRENT(
                occurrence_id=occurrence_id, expected=expected_version
            )
        )
    users = uow.service_requests.count_by(occurrence_id=occurrence_id)
    if users:
        found.append(rules.OCCURRENCE_IN_USE(occurrence_id=occurrence_id, count=users))
    ensure(found)
    uow.occurrences.remove(current)
    uow.record(
        OperationalOccurrenceChanged(
            occurred_at=at,
            actor=actor,
            occurrence_id=occurrence_id,
            concluded=not current.open,
            removed=True,
        )
    )
    return current


# ---------------------------------------------------------------- simplified
@attrs.frozen(kw_only=True)
class SimplifiedResult:
    """What the simplified form did: a closed request, or the redirection to the
    normal opening with the same protocol (SIMP-04)."""

    protocol: str
    request: ServiceRequest | None = None
    redirect: bool = False
    #: SIMP-05: the reiterated request, or why it could not be reiterated.
    reiterated_id: int | None = None
    reiteration_failure: str | None = None


def _find_reference(uow: UnitOfWork, reference: str) -> ServiceRequest | None:
    text = reference.strip()
    if text.isdigit():
        found = uow.service_requests.find(int(text))
        if found is not None:
            return found
    by_protocol = uow.service_requests.find_by(protocol=text)
    return by_protocol[-1] if by_protocol else None


def open_simplified_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    kind: SimplifiedKind,
    name: str | None,
    actor: int,
    now: datetime,
    cpf: str | None = None,
    identity: tuple[str | None, str | None, str | None] = (None, None, None),
    phone: str | None = None,
    occurrence_id: int | None = None,
    reference: str | None = None,
    observation: str | None = None,
    text: str | None = None,
    protocol: str | None = None,
) -> SimplifiedResult:
    """UC1530 (SIMP-01..SIMP-07): register a call about a known outage (closed at
    once against its occurrence), a reiteration or an information; commercial
    calls and unknown outages go to the normal opening with the same protocol."""
    occurrence = None if occurrence_id is None else uow.occurrences.find(occurrence_id)
    ensure(
        rules.check_simplified(
            kind=kind,
            name=name,
            cpf=cpf,
            identity=identity,
            params=ctx.profile.service_requests,
            occurrence=occurrence,
            occurrence_id=occurrence_id,
            reference=reference,
            observation=observation,
            text=text,
        )
    )
    zone = ctx.zone
    number = protocol or protocol_number(
        uow.next_id("request_protocol"), now, zone, origin=2
    )
    if kind is SimplifiedKind.COMMERCIAL or (
        kind is SimplifiedKind.OPERATIONAL and occurrence is None
    ):
        return SimplifiedResult(protocol=number, redirect=True)
    requester = Requester(
        name=name, document=cpf, phone=phone, address=None, principal=True
    )
    if kind in (SimplifiedKind.OPERATIONAL, SimplifiedKind.INFORMATION):
        # SIMP-03 (a known outage, closed against its occurrence), SIMP-06
        known = occurrence if kind is SimplifiedKind.OPERATIONAL else None
        request = _closed_request(
            uow,
            ctx,
            role="simplified_information"
            if known is None
            else "simplified_operational",
            requester=requester,
            protocol=number,
            observation=text if known is None else observation or known.description,
            actor=actor,
            now=now,
            occurrence=known,
        )
        return SimplifiedResult(protocol=number, request=request)
    assert reference is not None
    return _reiteration(
        uow,
        ctx,
        reference=reference,
        requester=requester,
        name=name,
        phone=phone,
        protocol=number,
        observation=observation,
        actor=actor,
        now=now,
    )


def _reiteration(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    reference: str,
    requester: Requester,
    name: str | None,
    phone: str | None,
    protocol: str,
    observation: str | None,
    actor: int,
    now: datetime,
) -> SimplifiedResult:
    """SIMP-05: reiterate the request referred to (by id or protocol) and
    register the call as a request born closed, with the reason a refused
    reiteration gave in its observation."""
    target = _find_reference(uow, reference)
    if target is None:
        ensure([rules.SIMPLIFIED_UNKNOWN_REFERENCE(reference=reference)])
    assert target is not None
    failure = None
    try:
        reiterate_in(
            uow,
            ctx,
            request_id=target.id,
            actor=actor,
            now=now,
            requester_name=name,
            phone=phone,
            remark=observation,
        )
    except RuleViolation as refused:
        failure = "; ".join(refused.messages("pt"))
    note = observation if failure is None else f"{observation} [{failure}]"
    request = _closed_request(
        uow,
        ctx,
        role="simplified_reiteration",
        requester=requester,
        protocol=protocol,
        observation=note[: rules.OBSERVATION_MAX] if note else note,
        actor=actor,
        now=now,
    )
    return SimplifiedResult(
        protocol=protocol,
        request=request,
        reiterated_id=target.id,
        reiteration_failure=failure,
    )


def _closed_request(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    role: str,
    requester: Requester,
    protocol: str,
    observation: str | None,
    actor: int,
    now: datetime,
    occurrence: OperationalOccurrence | None = None,
) -> ServiceRequest:
    """A request born closed (SIMP-03, SIMP-05, SIMP-06): concluded at attendance,
    in the user's unit. Unlike GSAN it gets an opening step and its closing unit
    (SIMP-07), so its history is like every other request's."""
    profile = ctx.profile
    spec_id = profile.id(f"request_specification.{role}")
    channel_id = profile.id("request_channel.internal")
    reason_id = profile.id("closing_reason.service_concluded")
    user = uow.users.get(actor)
    spec = None if spec_id is None else uow.request_specifications.find(spec_id)
    if spec is None or channel_id is None or reason_id is None:
        ensure([rules.UNKNOWN_SPECIFICATION(specification_id=spec_id)])
    assert spec_id is not None
    assert channel_id is not None
    assert reason_id is not None
    assert rules.transition(None, RequestAction.OPEN) is RequestSituation.PENDING
    request = ServiceRequest(
        id=uow.next_id("service_request"),
        specification_id=spec_id,
        situation=RequestSituation.CLOSED,
        attended_at=now,
        original_due_date=now.astimezone(ctx.zone).date(),
        current_due_date=now.astimezone(ctx.zone).date(),
        channel_id=channel_id,
        protocol=protocol,
        observation=observation,
        requesters=(requester,),
        opening_unit_id=user.unit_id,
        opened_by=actor,
        current_unit_id=user.unit_id,
        closed_at=now,
        closing_reason_id=reason_id,
        closing_unit_id=user.unit_id,
        closed_by=actor,
        municipality_id=None if occurrence is None else occurrence.municipality_id,
        locality_id=None if occurrence is None else occurrence.locality_id,
        neighbourhood_id=None if occurrence is None else occurrence.neighbourhood_id,
        location_description=None if occurrence is None else occurrence.description,
        occurrence_id=None if occurrence is None else occurrence.id,
    )
    uow.service_requests.add(request)
    _record_closed_opening(uow, request, actor=actor, now=now)
    return request


def _record_closed_opening(
    uow: UnitOfWork, request: ServiceRequest, *, actor: int, now: datetime
) -> None:
    """A request born closed gets its opening step (SIMP-07), and the events
    of its opening and its closing."""
    unit_id = request.opening_unit_id
    step = RoutingStep(
        id=uow.next_id("routing_step"),
        request_id=request.id,
        from_unit_id=unit_id,
        to_unit_id=unit_id,
        at=now,
        registered_by=actor,
        responsible_id=actor,
        remark=rules.DEFAULT_OPENING_REMARK,
        automatic=True,
    )
    uow.routing_steps.add(step)
    assert request.closing_reason_id is not None
    uow.record(
        ServiceRequestOpened(
            occurred_at=now,
            actor=actor,
            request_id=request.id,
            specification_id=request.specification_id,
            situation=RequestSituation.CLOSED,
            unit_id=unit_id,
            routing_reason=RoutingReason.NONE,
            protocol=request.protocol,
        ),
        ServiceRequestClosed(
            occurred_at=now,
            actor=actor,
            request_id=request.id,
            closing_reason_id=request.closing_reason_id,
            executed=True,
            closed_at=now,
        ),
    )


# ---------------------------------------------------------------- survey
def answer_survey_in(
    uow: UnitOfWork,
    *,
    request_id: int,
    well_served: bool | None,
    resolved: bool | None,
    field_team_contact: bool | None,
    grade: int | None,
    actor: int,
    at: datetime,
    well_served_comment: str | None = None,
    resolved_comment: str | None = None,
    field_team_comment: str | None = None,
    comment: str | None = None,
) -> SatisfactionSurvey:
    """UC1181 (SAT-03, SAT-04): the answers of the survey of a closed request."""
    request = uow.service_requests.find(request_id)
    ensure(
        rules.check_survey(
            request,
            request_id,
            already_answered=uow.surveys.count_by(request_id=request_id) > 0,
            well_served=well_served,
            resolved=resolved,
            field_team_contact=field_team_contact,
            grade=grade,
        )
    )
    assert well_served is not None
    assert resolved is not None
    assert field_team_contact is not None
    assert grade is not None
    survey = SatisfactionSurvey(
        id=uow.next_id("satisfaction_survey"),
        request_id=request_id,
        well_served=well_served,
        resolved=resolved,
        field_team_contact=field_team_contact,
        grade=grade,
        well_served_comment=well_served_comment,
        resolved_comment=resolved_comment,
        field_team_comment=field_team_comment,
        comment=comment,
        answered_at=at,
    )
    uow.surveys.add(survey)
    uow.record(
        SatisfactionSurveyAnswered(
            occurred_at=at,
            actor=actor,
            request_id=request_id,
            survey_id=survey.id,
            grade=grade,
        )
    )
    return survey


# ---------------------------------------------------------------- regulator
def record_regulator_complaint_in(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    request_id: int,
    protocol_number: str | None,
    complaint_reason_id: int | None,
    current_forecast: date | None,
    actor: int,
    at: datetime,
    complaint: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
) -> RegulatorRecord:
    """Informar Dados da Agência Reguladora (ARG-01..ARG-05)."""
    request = uow.service_requests.find(request_id)
    reason = (
        None
        if complaint_reason_id is None
        else uow.catalog.find("regulator_complaint_reason", complaint_reason_id)
    )
    ensure(
        rules.check_regulator_record(
            request_id=request_id,
            request=request,
            protocol_number=protocol_number,
            complaint_reason_id=complaint_reason_id,
            complaint_reason=reason,
            current_forecast=current_forecast,
            existing_protocols=[
                r.protocol_number
                for r in uow.regulator_records.find_by(request_id=request_id)
            ],
        )
    )
    assert request is not None
    assert protocol_number is not None
    assert complaint_reason_id is not None
    assert current_forecast is not None
    spec = uow.request_specifications.find(request.specification_id)
    days = 0 if spec is None or spec.deadline_days is None else spec.deadline_days
    today = at.astimezone(ctx.zone).date()
    record = RegulatorRecord(
        id=uow.next_id("regulator_record"),
        request_id=request_id,
        protocol_number=protocol_number,
        request_situation=request.situation,
        complaint_reason_id=complaint_reason_id,
        complained_at=at,
        complaint=complaint,
        original_forecast=today + timedelta(days=days),
        current_forecast=current_forecast,
        closing_reason_id=request.closing_reason_id,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    uow.regulator_records.add(record)
    uow.record(
        RegulatorRecordChanged(
            occurred_at=at,
            actor=actor,
            record_id=record.id,
            request_id=request_id,
            situation=record.situation,
        )
    )
    return record


def record_regulator_return_in(
    uow: UnitOfWork,
    *,
    record_id: int,
    return_reason_id: int | None,
    actor: int,
    at: datetime,
    return_text: str | None = None,
) -> RegulatorRecord:
    """Informar Retorno para Agência Reguladora (ARG-07)."""
    record = uow.regulator_records.get(record_id)
    reason = (
        None
        if return_reason_id is None
        else uow.catalog.find("regulator_return_reason", return_reason_id)
    )
    ensure(
        rules.check_regulator_return(
            record_id=record_id,
            pending=record.situation is RegulatorSituation.PENDING,
            return_reason_id=return_reason_id,
            return_reason=reason,
        )
    )
    request = uow.service_requests.get(record.request_id)
    changed = attrs.evolve(
        record,
        situation=RegulatorSituation.CLOSED,
        returned_at=at,
        return_reason_id=return_reason_id,
        return_text=return_text,
        request_situation=request.situation,
        closing_reason_id=request.closing_reason_id,
        version=record.version + 1,
    )
    uow.regulator_records.update(changed)
    uow.record(
        RegulatorRecordChanged(
            occurred_at=at,
            actor=actor,
            record_id=record_id,
            request_id=record.request_id,
            situation=changed.situation,
        )
    )
    return changed


def filter_regulator_records(
    records: Sequence[RegulatorRecord],
    *,
    complained_from: datetime | None = None,
    complained_until: datetime | None = None,
    returned_from: datetime | None = None,
    returned_until: datetime | None = None,
) -> list[RegulatorRecord]:
    """ARG-06's period filters over records already selected by equality."""
    found = []
    for record in records:
        if complained_from is not None and record.complained_at < complained_from:
            continue
        if complained_until is not None and record.complained_at >= complained_until:
            continue
        returned = record.returned_at
        if (
            returned_from is not None or returned_until is not None
        ) and returned is None:
            continue
        if (
            returned_from is not None
            and returned is not None
            and returned < returned_from
        ):
            continue
        if (
            returned_until is not None
            and returned is not None
            and returned >= returned_until
        ):
            continue
        found.append(record)
    return found
