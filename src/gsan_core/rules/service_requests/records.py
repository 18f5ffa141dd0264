"""Simplified requests and operational occurrences (SIMP-01..07),
satisfaction surveys (SAT-01..04) and regulatory agency records (ARG-01..07)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.service_requests import (
    OperationalOccurrence,
    RequestSituation,
    ServiceRequest,
    SimplifiedKind,
)
from gsan_core.rules.service_requests.opening import valid_cpf
from gsan_core.rules.service_requests.record_messages import (
    OCCURRENCE_EXISTS,
    OCCURRENCE_FIELD_REQUIRED,
    OCCURRENCE_REASON_OF_OTHER_TYPE,
    REGULATOR_DUPLICATE,
    REGULATOR_FIELD_REQUIRED,
    REGULATOR_NOT_PENDING,
    REGULATOR_UNKNOWN_REASON,
    REGULATOR_UNKNOWN_REQUEST,
    SIMPLIFIED_FIELD_REQUIRED,
    SIMPLIFIED_IDENTITY_INCOMPLETE,
    SIMPLIFIED_INVALID_CPF,
    SIMPLIFIED_REFERENCE_REQUIRED,
    SIMPLIFIED_UNKNOWN_OCCURRENCE,
    SURVEY_ALREADY_ANSWERED,
    SURVEY_ANSWER_REQUIRED,
    SURVEY_GRADE_INVALID,
    SURVEY_NOT_CLOSED,
)


# ================================================================= simplified, SIMP
def check_simplified(
    *,
    kind: SimplifiedKind,
    name: str | None,
    cpf: str | None,
    identity: tuple[str | None, str | None, str | None],
    params: ServiceRequestParameters,
    occurrence: OperationalOccurrence | None,
    occurrence_id: int | None,
    reference: str | None,
    observation: str | None,
    text: str | None,
) -> tuple[Violation, ...]:
    """SIMP-01..SIMP-06 for the quick form of area-wide outages and calls."""
    found: list[Violation] = []
    if not (name or "").strip():
        found.append(
            SIMPLIFIED_FIELD_REQUIRED(
                field="Requester name", campo="Nome do Solicitante"
            )
        )
    if (cpf or "").strip():
        assert cpf is not None
        if not valid_cpf(cpf):
            found.append(SIMPLIFIED_INVALID_CPF(cpf=cpf))
    else:
        required = {
            SimplifiedKind.OPERATIONAL: params.simplified_document_operational,
            SimplifiedKind.COMMERCIAL: params.simplified_document_commercial,
            SimplifiedKind.REITERATION: params.simplified_document_reiteration,
        }.get(kind, False)
        if required:
            found.append(SIMPLIFIED_FIELD_REQUIRED(field="CPF", campo="CPF"))
    given = [bool((part or "").strip()) for part in identity]
    if any(given) and not all(given):
        found.append(SIMPLIFIED_IDENTITY_INCOMPLETE())
    if (
        kind is SimplifiedKind.OPERATIONAL
        and occurrence_id is not None
        and (occurrence is None or not occurrence.open)
    ):
        found.append(SIMPLIFIED_UNKNOWN_OCCURRENCE(occurrence_id=occurrence_id))
    if kind is SimplifiedKind.REITERATION:
        if not (reference or "").strip():
            found.append(SIMPLIFIED_REFERENCE_REQUIRED())
        if not (observation or "").strip():
            found.append(
                SIMPLIFIED_FIELD_REQUIRED(field="Observation", campo="Observação")
            )
    if kind is SimplifiedKind.INFORMATION and not (text or "").strip():
        found.append(SIMPLIFIED_FIELD_REQUIRED(field="Information", campo="Informação"))
    return tuple(found)


def check_occurrence(
    occurrence: OperationalOccurrence,
    *,
    occurrence_type: CatalogItem | None,
    reason: CatalogItem | None,
    open_same: Iterable[OperationalOccurrence],
) -> tuple[Violation, ...]:
    """The occurrence registry: required data, the reason of the type, and one open
    occurrence per (municipality, locality, neighbourhood, type, reason)."""
    found: list[Violation] = []
    if not occurrence.description.strip():
        found.append(OCCURRENCE_FIELD_REQUIRED(field="Description", campo="Descrição"))
    if occurrence_type is None or not occurrence_type.active:
        found.append(
            OCCURRENCE_FIELD_REQUIRED(
                field="Occurrence type", campo="Tipo de Ocorrência"
            )
        )
    if reason is None or not reason.active:
        found.append(
            OCCURRENCE_FIELD_REQUIRED(field="Occurrence reason", campo="Motivo")
        )
    elif reason.integer("type_id") != occurrence.type_id:
        found.append(
            OCCURRENCE_REASON_OF_OTHER_TYPE(
                reason_id=reason.id, type_id=occurrence.type_id
            )
        )
    if occurrence.open:
        for other in open_same:
            if (
                other.id != occurrence.id
                and other.open
                and (
                    other.municipality_id,
                    other.locality_id,
                    other.neighbourhood_id,
                    other.type_id,
                    other.reason_id,
                )
                == (
                    occurrence.municipality_id,
                    occurrence.locality_id,
                    occurrence.neighbourhood_id,
                    occurrence.type_id,
                    occurrence.reason_id,
                )
            ):
                found.append(OCCURRENCE_EXISTS(other_id=other.id))
                break
    return tuple(found)


# ================================================================= survey, SAT
def check_survey(
    request: ServiceRequest | None,
    request_id: int,
    *,
    already_answered: bool,
    well_served: bool | None,
    resolved: bool | None,
    field_team_contact: bool | None,
    grade: int | None,
) -> tuple[Violation, ...]:
    """SAT-03 and SAT-04: one survey per closed request, every answer given."""
    found: list[Violation] = []
    if request is None or request.situation is not RequestSituation.CLOSED:
        found.append(SURVEY_NOT_CLOSED(request_id=request_id))
    elif already_answered:
        found.append(SURVEY_ALREADY_ANSWERED(request_id=request_id))
    for value, field, campo in (
        (well_served, "Were you well served", "Pergunta você foi bem atendido"),
        (
            resolved,
            "Was your request resolved",
            "Pergunta sua solicitação foi resolvida",
        ),
        (
            field_team_contact,
            "Contact with the field team",
            "Pergunta sobre contato com a equipe de campo",
        ),
        (grade, "Grade", "Nota sobre atendimento"),
    ):
        if value is None:
            found.append(SURVEY_ANSWER_REQUIRED(field=field, campo=campo))
    if grade is not None and not 0 <= grade <= 10:
        found.append(SURVEY_GRADE_INVALID(grade=grade))
    return tuple(found)


# ================================================================= regulator, ARG
def check_regulator_record(
    *,
    request_id: int,
    request: ServiceRequest | None,
    protocol_number: str | None,
    complaint_reason_id: int | None,
    complaint_reason: CatalogItem | None,
    current_forecast: date | None,
    existing_protocols: Iterable[str],
) -> tuple[Violation, ...]:
    """ARG-01, ARG-02 and ARG-04."""
    if request is None:
        return (REGULATOR_UNKNOWN_REQUEST(request_id=request_id),)
    found: list[Violation] = []
    if complaint_reason_id is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Complaint reason", campo="Motivo da Reclamação"
            )
        )
    elif complaint_reason is None or not complaint_reason.active:
        found.append(
            REGULATOR_UNKNOWN_REASON(
                field="Complaint reason",
                campo="Motivo da Reclamação",
                reason_id=complaint_reason_id,
            )
        )
    if not (protocol_number or "").strip():
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Regulator protocol number", campo="Número na Agência Reguladora"
            )
        )
    elif protocol_number in set(existing_protocols):
        found.append(
            REGULATOR_DUPLICATE(request_id=request_id, protocol_number=protocol_number)
        )
    if current_forecast is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Current forecast", campo="Data de Previsão Atual"
            )
        )
    return tuple(found)


def check_regulator_return(
    *,
    record_id: int,
    pending: bool,
    return_reason_id: int | None,
    return_reason: CatalogItem | None,
) -> tuple[Violation, ...]:
    """ARG-07: the return of a pending record, with an active reason."""
    found: list[Violation] = []
    if not pending:
        found.append(REGULATOR_NOT_PENDING(record_id=record_id))
    if return_reason_id is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(field="Return reason", campo="Motivo do Retorno")
        )
    elif return_reason is None or not return_reason.active:
        found.append(
            REGULATOR_UNKNOWN_REASON(
                field="Return reason",
                campo="Motivo do Retorno",
                reason_id=return_reason_id,
            )
        )
    return tuple(found)
