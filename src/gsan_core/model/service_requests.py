"""Service requests (RA, "registro de atendimento"), their routing and configuration.

A customer (or the utility itself) opens a *service request* of a *specification*
(``SolicitacaoTipoEspecificacao``) of a *request type* (``SolicitacaoTipo``). The
request is routed between organisational units by *routing steps* (``Tramite``):
the destination of the last step is its *current unit*, which its service orders
follow. It is closed with a closing reason (the ``closing_reason`` kind shared with
the service orders) and, once closed, changes only by *reactivation*, which opens a
new request linked to it.

The configuration (request types, groups, channels, the routing associations,
the property-situation profiles) lives in the catalog and in the small entities
below; the rules read them through the unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

import attrs

from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference
from gsan_core.model.events import DomainEvent

__all__ = [
    "OCCURRENCE_REASON",
    "OCCURRENCE_TYPE",
    "REACTIVATION_REASON",
    "REGULATOR_COMPLAINT_REASON",
    "REGULATOR_RETURN_REASON",
    "REQUEST_CHANNEL",
    "REQUEST_MESSAGE",
    "REQUEST_TYPE",
    "REQUEST_TYPE_GROUP",
    "SERVICE_REQUEST_KINDS",
    "SEWER_DIVISION",
    "SIDEWALK_PAVEMENT",
    "STREET_PAVEMENT",
    "ClosingCommand",
    "ClosingCommandExecuted",
    "ClosingCommandIssued",
    "CollectionSituationUnit",
    "LocalityGroupUnit",
    "LocalitySpecificationUnit",
    "ManualNumberBlock",
    "ManualNumbersGenerated",
    "OpenRequest",
    "OperationalOccurrence",
    "OperationalOccurrenceChanged",
    "OrderRef",
    "PropertySituationProfile",
    "RegulatorRecord",
    "RegulatorRecordChanged",
    "RegulatorSituation",
    "Reiteration",
    "RequestAction",
    "RequestConfigurationChanged",
    "RequestLocation",
    "RequestRef",
    "RequestSituation",
    "RequestSpecification",
    "Requester",
    "RoutingReason",
    "RoutingStep",
    "SatisfactionSurvey",
    "SatisfactionSurveyAnswered",
    "SatisfactionSurveyRequested",
    "ServiceRequest",
    "ServiceRequestClosed",
    "ServiceRequestForwarded",
    "ServiceRequestLocationChanged",
    "ServiceRequestOpened",
    "ServiceRequestReactivated",
    "ServiceRequestReiterated",
    "SimplifiedKind",
    "SituationCriterion",
    "SpecificationServiceType",
    "UrgentRequestAlert",
    "location_fields",
]


class RequestSituation(IntEnum):
    """``registro_atendimento.rgat_cdsituacao`` (same ids in every fork)."""

    PENDING = 1
    """``PENDENTE``: open, in its current unit."""
    CLOSED = 2
    """``ENCERRADO``: terminal; a reactivation opens a new request."""
    BLOCKED = 3
    """``BLOQUEADO``: opened with only a free-text address."""


class RequestAction(StrEnum):
    """What can happen to a request; :data:`~gsan_core.rules.service_requests.TRANSITIONS`
    maps ``(situation, action)`` to the situation after."""

    OPEN = "open"
    OPEN_WITHOUT_ADDRESS = "open_without_address"
    FORWARD = "forward"
    REITERATE = "reiterate"
    INFORM_ADDRESS = "inform_address"
    REMOVE_ADDRESS = "remove_address"
    CLOSE = "close"
    REACTIVATE = "reactivate"


class RoutingReason(StrEnum):
    """Why a destination unit was chosen (GSAN ``definirUnidadeDestino*``)."""

    LARGE_CONSUMER = "large_consumer"
    """FS0046: the property's profile is a large consumer."""
    COLLECTION_SITUATION = "collection_situation"
    """SB0037: specification x collection situation of the property."""
    LOCALITY_SPECIFICATION = "locality_specification"
    """SB0035: locality x specification (UC1091)."""
    SPECIFICATION = "specification"
    """SB0003: the specification's own unit."""
    LOCALITY_GROUP = "locality_group"
    """SB0005/SB0007: locality x request-type group."""
    SEWER_DIVISION = "sewer_division"
    """SB0007: the sewer division's unit (sewer request types)."""
    NONE = "none"
    """No suggestion: the request stays in the unit that opened it (INS-24)."""
    INFORMED = "informed"
    """The caller chose the destination."""


class SimplifiedKind(IntEnum):
    """``ConstantesSistema.ATENDIMENTO_*``: the kinds of simplified request (SIMP-02)."""

    OPERATIONAL = 1
    COMMERCIAL = 2
    REITERATION = 3
    INFORMATION = 4


class RegulatorSituation(IntEnum):
    """``ra_dados_agencia_reguladora.raar_cdsituacao``."""

    PENDING = 1
    CLOSED = 2


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{attribute.name} must be timezone-aware, got {value!r}"
        raise ValueError(msg)


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _codes(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _non_negative(
    _: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and value < 0:
        msg = f"{attribute.name} must not be negative, got {value}"
        raise ValueError(msg)


# ---------------------------------------------------------------- configuration
@attrs.frozen(kw_only=True)
class SpecificationServiceType:
    """A service type allowed for a specification, in execution order (CFG-04)."""

    service_type_id: int
    execution_order: int


def _allowed_types(
    value: Iterable[SpecificationServiceType],
) -> tuple[SpecificationServiceType, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RequestSpecification:
    """A request specification (``solicitacao_tipo_especificacao``): where almost
    every rule of the requests reads its flags."""

    id: int
    request_type_id: int
    description: str
    #: ``step_nndiaprazo``: the deadline in days (``None``: the attendance day).
    deadline_days: int | None = attrs.field(default=None, validator=_non_negative)
    #: ``step_icmatricula``: a property is required.
    requires_property: bool = False
    #: ``step_iccliente``: a customer is required as requester.
    requires_customer: bool = False
    #: ``step_icsolicitante``: requester data are required at all.
    requires_requester: bool = True
    #: ``step_icpavimentorua`` / ``step_icpavimentocalcada``.
    street_pavement: bool = False
    sidewalk_pavement: bool = False
    #: ``step_icligacaoagua``: refers to a water connection.
    water_connection: bool = False
    #: ``step_icparecerencerramento``: a closing remark is mandatory.
    closing_remark_required: bool = False
    #: ``dbtp_id`` / ``step_vldebito``: the charge proposed on closing (ENC-14).
    debit_type_id: int | None = None
    debit_value: Decimal | None = None
    #: ``step_icpermitealterarvalor``.
    value_editable: bool = False
    #: ``step_iccobrarjuros``.
    charge_interest: bool = False
    #: ``svtp_id``: an OS of this type is generated at opening (INS-20).
    service_type_id: int | None = None
    #: ``step_icgeracaoordemservico``: an OS may be generated by hand.
    optional_order: bool = False
    #: ``especificacao_servico_tipo``: the service types of the specification.
    service_types: tuple[SpecificationServiceType, ...] = attrs.field(
        factory=tuple, converter=_allowed_types
    )
    #: ``unid_id``: the first unit of the routing (§2.2 step 4).
    unit_id: int | None = None
    #: ``esim_id``: the property situations the specification accepts (INS-10).
    property_situation_id: int | None = None
    #: ``step_icverificardebito``: refuse a property with debts (INS-12).
    check_debts: bool = False
    #: ``step_icalterarvencimentoalternativo``: the due-date gate (INS-13).
    alternative_due_date: bool = False
    #: ``step_icinformarpagamentoduplicidade``: link duplicated payments (INS-14).
    duplicate_payment: bool = False
    #: ``step_icdocumentoobrigatorio`` / ``step_icvaldocresponsavel`` (INS-19).
    document_required: bool = False
    validate_responsible_document: bool = False
    #: ``sol_espec_doc_obrig_meio``: channels the document rule applies to
    #: (empty: every channel).
    document_channel_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_ids
    )
    #: ``step_icurgencia``: alerts for the users of the destination (INS-25).
    urgent: bool = False
    #: ``step_icencerramentoautomatico``: closed right after opening (INS-22).
    auto_close: bool = False
    #: ``step_idnovora``: a new request offered on closing (ENC-15).
    new_request_specification_id: int | None = None
    #: ``stem_id``: the automatic message copied into the observation.
    message_id: int | None = None
    #: ``EspecificacaoTipoValidacao``: what other modules may do with an open
    #: request of this specification ("I", "C", "V", "T").
    validation_codes: frozenset[str] = attrs.field(factory=frozenset, converter=_codes)
    active: bool = True
    version: int = 1

    @property
    def automatic_order(self) -> bool:
        """An OS is generated automatically at opening and reactivation."""
        return self.service_type_id is not None

    @property
    def allows_orders(self) -> bool:
        """Orders may be generated for its requests (GEN-01)."""
        return self.service_type_id is not None or self.optional_order


@attrs.frozen(kw_only=True)
class SituationCriterion:
    """One accepted combination of a property's situations (``None``: any)."""

    water_status_id: int | None = None
    sewer_status_id: int | None = None
    water_meter: bool | None = None
    well_meter: bool | None = None


def _criteria(value: Iterable[SituationCriterion]) -> tuple[SituationCriterion, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PropertySituationProfile:
    """``EspecificacaoImovelSituacao`` with its criteria (CFG-07, INS-10)."""

    id: int
    description: str
    criteria: tuple[SituationCriterion, ...] = attrs.field(
        factory=tuple, converter=_criteria
    )
    active: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class LocalitySpecificationUnit:
    """``local_espec_unidade`` (UC1091): the first unit for a locality and specification."""

    id: int
    locality_id: int
    specification_id: int
    unit_id: int
    version: int = 1


@attrs.frozen(kw_only=True)
class CollectionSituationUnit:
    """``espec_unid_cobr``: the unit for a specification and a collection situation."""

    id: int
    specification_id: int
    collection_situation_id: int
    unit_id: int
    version: int = 1


@attrs.frozen(kw_only=True)
class LocalityGroupUnit:
    """``localid_solic_tipo_grupo``: the unit for a locality and request-type group."""

    id: int
    locality_id: int
    group_id: int
    unit_id: int
    version: int = 1


# ---------------------------------------------------------------- the request
@attrs.frozen(kw_only=True)
class Requester:
    """Who asked (``registro_atendimento_solicitante``): a customer, a unit with
    its employee, or a free name."""

    customer_id: int | None = None
    unit_id: int | None = None
    #: The employee (a user of ``unit_id``).
    employee_id: int | None = None
    name: str | None = None
    #: CPF or CNPJ digits of the customer (INS-19).
    document: str | None = None
    #: A non-customer's address, as typed.
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    #: ``indicadorEnvioEmailPesquisa``: wants the satisfaction survey (SAT-01).
    survey_opt_in: bool = False
    principal: bool = True


@attrs.frozen(kw_only=True)
class RequestLocation:
    """Where the occurrence is: structured data, or only a free-text description."""

    property_id: int | None = None
    locality_id: int | None = None
    sector_id: int | None = None
    block_id: int | None = None
    sewer_division_id: int | None = None
    municipality_id: int | None = None
    neighbourhood_id: int | None = None
    #: ``brar_id``: the neighbourhood area (outage requests).
    area_id: int | None = None
    #: ``lgbr_id``: the street (logradouro-bairro).
    street_id: int | None = None
    number: str | None = None
    complement: str | None = None
    reference_point: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    #: ``rgat_dslocalocorrencia``: free text; alone, it blocks the request (INS-15).
    description: str | None = None

    @property
    def structured(self) -> bool:
        """Any structured datum was given (INS-07)."""
        return any(
            value is not None
            for value in (
                self.property_id,
                self.locality_id,
                self.sector_id,
                self.block_id,
                self.sewer_division_id,
                self.municipality_id,
                self.neighbourhood_id,
                self.area_id,
                self.street_id,
                self.street_pavement_id,
                self.sidewalk_pavement_id,
            )
        )


def _requesters(value: Iterable[Requester]) -> tuple[Requester, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ServiceRequest:
    """A service request (``registro_atendimento``).

    The place of the occurrence is stored flat (so batches select by locality);
    :attr:`location` gives it back as a :class:`RequestLocation`. The units that
    opened and closed it (GSAN's ``ra_unidade`` rows of relation 1 and 3) are kept
    on the request itself.
    """

    id: int
    specification_id: int
    situation: RequestSituation = RequestSituation.PENDING
    #: ``rgat_tmregistroatendimento``: the attendance instant.
    attended_at: datetime = attrs.field(validator=_aware)
    #: ``rgat_icatendimentoonline``: on-line (now) or typed from a paper form.
    online: bool = True
    #: ``rgat_idmanual``: the manual number with its check digit (NUM rules).
    manual_number: int | None = None
    wait_started_at: datetime | None = attrs.field(default=None, validator=_aware)
    wait_ended_at: datetime | None = attrs.field(default=None, validator=_aware)
    original_due_date: date
    current_due_date: date
    channel_id: int
    #: The attendance protocol (year + origin + sequence); kept on reactivation.
    protocol: str
    property_id: int | None = None
    locality_id: int | None = None
    sector_id: int | None = None
    block_id: int | None = None
    sewer_division_id: int | None = None
    municipality_id: int | None = None
    neighbourhood_id: int | None = None
    area_id: int | None = None
    street_id: int | None = None
    address_number: str | None = None
    address_complement: str | None = None
    reference_point: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    #: ``rgat_dslocalocorrencia``: the free-text place.
    location_description: str | None = None
    observation: str | None = None
    requesters: tuple[Requester, ...] = attrs.field(
        factory=tuple, converter=_requesters
    )
    #: The unit and user that opened it (``ra_unidade`` relation 1).
    opening_unit_id: int
    opened_by: int
    #: ``unid_idatual``: the destination of its last routing step.
    current_unit_id: int
    closed_at: datetime | None = attrs.field(default=None, validator=_aware)
    closing_reason_id: int | None = None
    closing_remark: str | None = None
    #: The unit and user that closed it (``ra_unidade`` relation 3).
    closing_unit_id: int | None = None
    closed_by: int | None = None
    #: ``rgat_idduplicidade``: the reference request of a duplicate.
    duplicate_of_id: int | None = None
    non_charge_reason_id: int | None = None
    #: ``rgat_idreativacao``: the closed request this one reactivates.
    reactivation_of_id: int | None = None
    reactivation_reason_id: int | None = None
    reiterations: int = 0
    last_reiterated_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: The operational occurrence of a simplified request (SIMP-03).
    occurrence_id: int | None = None
    urgent: bool = False
    #: The caller's idempotency key: a second opening with it is refused (INS-21).
    submission_key: str | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Not closed (pending or blocked)."""
        return self.situation is not RequestSituation.CLOSED

    @property
    def location(self) -> RequestLocation:
        """The place of the occurrence."""
        return RequestLocation(
            property_id=self.property_id,
            locality_id=self.locality_id,
            sector_id=self.sector_id,
            block_id=self.block_id,
            sewer_division_id=self.sewer_division_id,
            municipality_id=self.municipality_id,
            neighbourhood_id=self.neighbourhood_id,
            area_id=self.area_id,
            street_id=self.street_id,
            number=self.address_number,
            complement=self.address_complement,
            reference_point=self.reference_point,
            street_pavement_id=self.street_pavement_id,
            sidewalk_pavement_id=self.sidewalk_pavement_id,
            description=self.location_description,
        )


def _frozen_ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class OpenRequest:
    """The "Inserir RA" form (UC0366) as one serialisable command."""

    specification_id: int
    #: The attendance unit (``unidade de atendimento``).
    unit_id: int
    channel_id: int
    #: ``None``: an on-line attendance, now. A date and time typed from a paper
    #: form otherwise (may carry a manual number).
    attended_at: datetime | None = attrs.field(default=None, validator=_aware)
    location: RequestLocation = attrs.field(factory=RequestLocation)
    requesters: tuple[Requester, ...] = attrs.field(
        factory=tuple, converter=_requesters
    )
    observation: str | None = None
    #: The destination chosen by the user (overrides the suggestion, except a
    #: large consumer's unit).
    destination_unit_id: int | None = None
    #: The remark of the opening routing step.
    remark: str | None = None
    #: The manual number with its check digit, as typed (NUM-04..07).
    manual_number: str | None = None
    wait_started_at: datetime | None = attrs.field(default=None, validator=_aware)
    wait_ended_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: Reuse an attendance protocol (a simplified request redirected here).
    protocol: str | None = None
    #: An idempotency key: opening twice with it is refused (INS-21).
    submission_key: str | None = None
    #: Duplicated payments linked to the request (INS-14).
    duplicate_payment_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_frozen_ids
    )
    #: When the property's due date last changed (INS-13).
    last_due_date_change_on: date | None = None
    #: The property's responsible customer, when the specification validates
    #: its document (INS-19); ``None``: the property has none.
    responsible: Requester | None = None
    #: Meter facts of the property (INS-10); ``None``: unknown, matches any.
    water_meter: bool | None = None
    well_meter: bool | None = None


def location_fields(location: RequestLocation) -> dict[str, Any]:
    """The :class:`ServiceRequest` fields of a :class:`RequestLocation`."""
    return {
        "property_id": location.property_id,
        "locality_id": location.locality_id,
        "sector_id": location.sector_id,
        "block_id": location.block_id,
        "sewer_division_id": location.sewer_division_id,
        "municipality_id": location.municipality_id,
        "neighbourhood_id": location.neighbourhood_id,
        "area_id": location.area_id,
        "street_id": location.street_id,
        "address_number": location.number,
        "address_complement": location.complement,
        "reference_point": location.reference_point,
        "street_pavement_id": location.street_pavement_id,
        "sidewalk_pavement_id": location.sidewalk_pavement_id,
        "location_description": location.description,
    }


@attrs.frozen(kw_only=True)
class RequestRef:
    """What the batch closing reads of a request (a light row, not the aggregate)."""

    id: int
    version: int
    specification_id: int
    property_id: int | None
    attended_at: datetime


@attrs.frozen(kw_only=True)
class OrderRef:
    """What the batch closing reads of an open order of a request."""

    id: int
    version: int
    request_id: int
    situation: int


@attrs.frozen(kw_only=True)
class RoutingStep:
    """A routing step (``tramite``): append-only history of a request's units."""

    id: int
    request_id: int
    from_unit_id: int
    to_unit_id: int
    at: datetime = attrs.field(validator=_aware)
    #: ``usuarioRegistro``: who typed it.
    registered_by: int
    #: ``usuarioResponsavel``: who answers for it.
    responsible_id: int
    remark: str | None = None
    #: Generated by the system (opening, reactivation, contractor return).
    automatic: bool = False
    version: int = 1


@attrs.frozen(kw_only=True)
class Reiteration:
    """A customer repeating the complaint (``ra_reiteracao``)."""

    id: int
    request_id: int
    at: datetime = attrs.field(validator=_aware)
    actor: int
    requester_name: str | None = None
    phone: str | None = None
    remark: str | None = None
    version: int = 1


@attrs.frozen(kw_only=True)
class ClosingCommand:
    """A batch closing order (``ra_encerramento_comando``, UC0735/UC0736)."""

    id: int
    period_start: date
    period_end: date
    reason_id: int
    responsible_id: int
    attendance_unit_id: int | None = None
    current_unit_id: int | None = None
    superior_unit_id: int | None = None
    specification_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_ids)
    issued_at: datetime = attrs.field(validator=_aware)
    issued_by: int
    started_at: datetime | None = attrs.field(default=None, validator=_aware)
    finished_at: datetime | None = attrs.field(default=None, validator=_aware)
    closed_requests: int = 0
    closed_orders: int = 0
    version: int = 1

    @property
    def executed(self) -> bool:
        """The execution ran to its end."""
        return self.finished_at is not None

    @property
    def unit_filtered(self) -> bool:
        """Any unit filter is set (CMD-04, CMD-05)."""
        return any(
            u is not None
            for u in (
                self.attendance_unit_id,
                self.current_unit_id,
                self.superior_unit_id,
            )
        )


@attrs.frozen(kw_only=True)
class ManualNumberBlock:
    """Manual request numbers handed to a unit (UC0494, NUM-03)."""

    id: int
    unit_id: int
    first_number: int
    last_number: int
    generated_at: datetime = attrs.field(validator=_aware)
    generated_by: int
    version: int = 1


@attrs.frozen(kw_only=True)
class OperationalOccurrence:
    """A registered outage (``ocorrencia_operacional``, SIMP)."""

    id: int
    type_id: int
    reason_id: int
    municipality_id: int | None = None
    locality_id: int | None = None
    neighbourhood_id: int | None = None
    description: str
    affected_areas: str | None = None
    occurred_at: datetime = attrs.field(validator=_aware)
    forecast_at: datetime | None = attrs.field(default=None, validator=_aware)
    rescheduled_at: datetime | None = attrs.field(default=None, validator=_aware)
    concluded_at: datetime | None = attrs.field(default=None, validator=_aware)
    observation: str | None = None
    version: int = 1

    @property
    def open(self) -> bool:
        """Not concluded yet."""
        return self.concluded_at is None


@attrs.frozen(kw_only=True)
class SatisfactionSurvey:
    """The answers of a satisfaction survey (``questionario_satisfacao_cliente``)."""

    id: int
    request_id: int
    well_served: bool
    resolved: bool
    field_team_contact: bool
    grade: int
    well_served_comment: str | None = None
    resolved_comment: str | None = None
    field_team_comment: str | None = None
    comment: str | None = None
    answered_at: datetime = attrs.field(validator=_aware)
    version: int = 1


@attrs.frozen(kw_only=True)
class RegulatorRecord:
    """A regulator's complaint about a request and its return (``ra_dados_agencia_reguladora``)."""

    id: int
    request_id: int
    protocol_number: str
    situation: RegulatorSituation = RegulatorSituation.PENDING
    #: The request's situation when recorded (refreshed by the return).
    request_situation: RequestSituation
    complaint_reason_id: int
    complained_at: datetime = attrs.field(validator=_aware)
    complaint: str | None = None
    original_forecast: date
    current_forecast: date
    returned_at: datetime | None = attrs.field(default=None, validator=_aware)
    return_reason_id: int | None = None
    return_text: str | None = None
    closing_reason_id: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    version: int = 1


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class ServiceRequestOpened(DomainEvent):
    """A request was opened (also by reactivation and the simplified flow)."""

    tag: ClassVar[str] = "service_request.opened"
    request_id: int
    specification_id: int
    situation: RequestSituation
    unit_id: int
    routing_reason: RoutingReason
    property_id: int | None = None
    protocol: str = ""


@attrs.frozen(kw_only=True)
class ServiceRequestForwarded(DomainEvent):
    """A request moved to another unit (its orders followed)."""

    tag: ClassVar[str] = "service_request.forwarded"
    request_id: int
    step_id: int
    from_unit_id: int
    to_unit_id: int
    automatic: bool = False
    #: From a dispatch centre to a contractor: export its orders (§2.5 effect 4).
    to_contractor: bool = False


@attrs.frozen(kw_only=True)
class ServiceRequestReiterated(DomainEvent):
    """The customer repeated the complaint."""

    tag: ClassVar[str] = "service_request.reiterated"
    request_id: int
    reiterations: int


@attrs.frozen(kw_only=True)
class ServiceRequestLocationChanged(DomainEvent):
    """The place of the occurrence changed (and with it, maybe, the situation)."""

    tag: ClassVar[str] = "service_request.location_changed"
    request_id: int
    situation: RequestSituation


@attrs.frozen(kw_only=True)
class ServiceRequestClosed(DomainEvent):
    """A request was closed."""

    tag: ClassVar[str] = "service_request.closed"
    request_id: int
    closing_reason_id: int
    executed: bool
    closed_at: datetime
    duplicate_of_id: int | None = None
    command_id: int | None = None


@attrs.frozen(kw_only=True)
class ServiceRequestReactivated(DomainEvent):
    """A closed request was reactivated as a new one."""

    tag: ClassVar[str] = "service_request.reactivated"
    request_id: int
    previous_id: int


@attrs.frozen(kw_only=True)
class UrgentRequestAlert(DomainEvent):
    """An urgent request reached a unit: alert its users (INS-25)."""

    tag: ClassVar[str] = "service_request.urgent_alert"
    request_id: int
    unit_id: int


@attrs.frozen(kw_only=True)
class SatisfactionSurveyRequested(DomainEvent):
    """Send the satisfaction survey to the requester (SAT-02)."""

    tag: ClassVar[str] = "service_request.survey_requested"
    request_id: int
    email: str
    protocol: str


@attrs.frozen(kw_only=True)
class SatisfactionSurveyAnswered(DomainEvent):
    """A satisfaction survey was answered (SAT-03, SAT-04)."""

    tag: ClassVar[str] = "service_request.survey_answered"
    request_id: int
    survey_id: int
    grade: int


@attrs.frozen(kw_only=True)
class ClosingCommandIssued(DomainEvent):
    """A batch closing command was registered (CMD-01..05)."""

    tag: ClassVar[str] = "service_request.closing_command_issued"
    command_id: int


@attrs.frozen(kw_only=True)
class ClosingCommandExecuted(DomainEvent):
    """A batch closing command ran to its end (CMD-06, CMD-07)."""

    tag: ClassVar[str] = "service_request.closing_command_executed"
    command_id: int
    closed_requests: int
    closed_orders: int


@attrs.frozen(kw_only=True)
class ManualNumbersGenerated(DomainEvent):
    """Manual request numbers were handed out (NUM-03)."""

    tag: ClassVar[str] = "service_request.manual_numbers_generated"
    block_id: int
    unit_id: int
    first: int
    last: int


@attrs.frozen(kw_only=True)
class OperationalOccurrenceChanged(DomainEvent):
    """An operational occurrence was registered, changed or concluded."""

    tag: ClassVar[str] = "service_request.occurrence_changed"
    occurrence_id: int
    concluded: bool


@attrs.frozen(kw_only=True)
class RegulatorRecordChanged(DomainEvent):
    """A regulator's complaint was recorded, or its return given (ARG)."""

    tag: ClassVar[str] = "service_request.regulator_record_changed"
    record_id: int
    request_id: int
    situation: RegulatorSituation


@attrs.frozen(kw_only=True)
class RequestConfigurationChanged(DomainEvent):
    """A specification, a situation profile or a routing association changed."""

    tag: ClassVar[str] = "service_request.configuration_changed"
    what: str
    key: int


# ---------------------------------------------------------------- reference tables
_REQUEST = "service_request"

REQUEST_TYPE_GROUP = CatalogKind(
    name="request_type_group",
    title="Request type group",
    title_pt="Grupo do Tipo de Solicitação",
    gsan_table="atendimentopublico.solicitacao_tipo_grupo",
    attributes=(
        AttributeSpec(
            name="sewer",
            type="bool",
            required=True,
            default=False,
            doc="sotg_icesgoto: the group's types refer to the sewer area",
        ),
    ),
    referenced_by=(Reference("locality_group_unit", "group_id"),),
)
REQUEST_TYPE = CatalogKind(
    name="request_type",
    title="Request type",
    title_pt="Tipo de Solicitação",
    gsan_table="atendimentopublico.solicitacao_tipo",
    duplicate_gsan_key="atencao.tipo.solicitacao.ja.existe",
    attributes=(
        AttributeSpec(
            name="group_id",
            type="ref",
            ref="request_type_group",
            required=True,
            doc="sotg_id",
        ),
        AttributeSpec(
            name="outage",
            type="bool",
            required=True,
            default=False,
            doc="sotp_icfaltaagua: a water-outage type",
        ),
        AttributeSpec(
            name="social_tariff",
            type="bool",
            required=True,
            default=False,
            doc="sotp_ictarifasocial: a social-tariff type (TRM-04, TRM-07)",
        ),
        AttributeSpec(
            name="system_use",
            type="bool",
            required=True,
            default=False,
            doc="sotp_icusosistema: reserved for the system, not offered to users",
        ),
    ),
    referenced_by=(Reference("request_specification", "request_type_id"),),
)
REQUEST_CHANNEL = CatalogKind(
    name="request_channel",
    title="Request channel",
    title_pt="Meio de Solicitação",
    gsan_table="atendimentopublico.meio_solicitacao",
    referenced_by=(Reference(_REQUEST, "channel_id"),),
)
REACTIVATION_REASON = CatalogKind(
    name="reactivation_reason",
    title="Reactivation reason",
    title_pt="Motivo de Reativação",
    gsan_table="atendimentopublico.ra_motivo_reativacao",
    referenced_by=(Reference(_REQUEST, "reactivation_reason_id"),),
)
REQUEST_MESSAGE = CatalogKind(
    name="request_message",
    title="Automatic message of a specification",
    title_pt="Mensagem Tipo Solicitação Especificação",
    gsan_table="atendimentopublico.solicitacao_tipo_espec_msg",
    description_max_length=120,
    description_unique=False,
    referenced_by=(Reference("request_specification", "message_id"),),
)
SEWER_DIVISION = CatalogKind(
    name="sewer_division",
    title="Sewer division",
    title_pt="Divisão de Esgoto",
    gsan_table="operacional.divisao_esgoto",
    attributes=(
        AttributeSpec(
            name="unit_id",
            type="int",
            required=True,
            min_value=1,
            doc="unid_id: the unit that serves the division",
        ),
    ),
    referenced_by=(
        Reference("block", "sewer_division_id"),
        Reference(_REQUEST, "sewer_division_id"),
    ),
)
STREET_PAVEMENT = CatalogKind(
    name="street_pavement",
    title="Street pavement",
    title_pt="Pavimento de Rua",
    gsan_table="cadastro.pavimento_rua",
)
SIDEWALK_PAVEMENT = CatalogKind(
    name="sidewalk_pavement",
    title="Sidewalk pavement",
    title_pt="Pavimento de Calçada",
    gsan_table="cadastro.pavimento_calcada",
)
OCCURRENCE_TYPE = CatalogKind(
    name="occurrence_type",
    title="Operational occurrence type",
    title_pt="Tipo de Ocorrência Operacional",
    gsan_table="atendimentopublico.ocorrencia_operacional_tipo",
    referenced_by=(Reference("operational_occurrence", "type_id"),),
)
OCCURRENCE_REASON = CatalogKind(
    name="occurrence_reason",
    title="Operational occurrence reason",
    title_pt="Motivo da Ocorrência Operacional",
    gsan_table="atendimentopublico.ocorrencia_operacional_motivo",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="type_id",
            type="ref",
            ref="occurrence_type",
            required=True,
            doc="the occurrence type the reason belongs to",
        ),
    ),
    referenced_by=(Reference("operational_occurrence", "reason_id"),),
)
REGULATOR_COMPLAINT_REASON = CatalogKind(
    name="regulator_complaint_reason",
    title="Regulator complaint reason",
    title_pt="Motivo da Reclamação da Agência Reguladora",
    gsan_table="atendimentopublico.agencia_reguladora_mot_reclamacao",
    referenced_by=(Reference("regulator_record", "complaint_reason_id"),),
)
REGULATOR_RETURN_REASON = CatalogKind(
    name="regulator_return_reason",
    title="Regulator return reason",
    title_pt="Motivo do Retorno à Agência Reguladora",
    gsan_table="atendimentopublico.agencia_reguladora_mot_retorno",
    referenced_by=(Reference("regulator_record", "return_reason_id"),),
)

SERVICE_REQUEST_KINDS: tuple[CatalogKind, ...] = (
    REQUEST_TYPE_GROUP,
    REQUEST_TYPE,
    REQUEST_CHANNEL,
    REACTIVATION_REASON,
    REQUEST_MESSAGE,
    SEWER_DIVISION,
    STREET_PAVEMENT,
    SIDEWALK_PAVEMENT,
    OCCURRENCE_TYPE,
    OCCURRENCE_REASON,
    REGULATOR_COMPLAINT_REASON,
    REGULATOR_RETURN_REASON,
)
