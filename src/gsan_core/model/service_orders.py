"""Service orders (OS) and service types, their situations and events.

An OS is generated for a property (standalone), from a service request (RA), from
a collection action, or by a batch. It is closed *with execution* (the closing
reason's ``executed`` flag is on) or *without* (that is how an OS is cancelled);
closing with execution of a type that updates the commercial system runs the
linked commercial operation (cut, reconnection, meter installation...) at most
once per OS.
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
    "CLOSING_REASON",
    "DEBIT_TYPE",
    "NON_CHARGE_REASON",
    "REFERENCED_RETURN_TYPE",
    "SERVICE_ORDER_KINDS",
    "SERVICE_PRIORITY",
    "SERVICE_PROFILE",
    "SERVICE_TYPE_REFERENCE",
    "CommercialOperationApplied",
    "InspectionResult",
    "OrderAction",
    "OrderOrigin",
    "OrderSituation",
    "OrderUnitRecord",
    "OrderUnitRelation",
    "ServiceChargeValue",
    "ServiceOrder",
    "ServiceOrderClosed",
    "ServiceOrderGenerated",
    "ServiceOrderReleased",
    "ServiceOrderSituationChanged",
    "ServiceOrderUpdated",
    "ServiceType",
]


class OrderSituation(IntEnum):
    """``ordem_servico.orse_cdsituacao`` (same ids in every fork)."""

    PENDING = 1
    """``PENDENTE``: open, waiting to be executed."""
    CLOSED = 2
    """``ENCERRADO``: closed, executed or not (the closing reason says)."""
    IN_EXECUTION = 3
    """``EXECUCAO_EM_ANDAMENTO``: the field crew started."""
    AWAITING_RELEASE = 4
    """``AGUARDANDO_LIBERACAO``: an OS referring to it (diagnosis, inspection) is open."""


class OrderAction(StrEnum):
    """What can happen to an OS; the transition table maps (situation, action)."""

    GENERATE = "generate"
    UPDATE = "update"
    START_EXECUTION = "start_execution"
    BACK_TO_PENDING = "back_to_pending"
    CLOSE_EXECUTED = "close_executed"
    CLOSE_NOT_EXECUTED = "close_not_executed"
    HOLD_FOR_REFERENCE = "hold_for_reference"
    RELEASE = "release"
    RELEASE_CLOSING = "release_closing"
    CLOSE_WITH_REFERRING = "close_with_referring"
    CLOSE_OVERDUE = "close_overdue"
    CLOSE_BY_REQUEST = "close_by_request"


class OrderOrigin(StrEnum):
    """Where an OS came from (GSAN ``gerarOrdemServico*`` paths)."""

    STANDALONE = "standalone"
    REQUEST = "request"
    COLLECTION = "collection"
    SELECTIVE = "selective"
    CUT = "cut"
    FOLLOW_UP = "follow_up"
    INSPECTION = "inspection"


class InspectionResult(IntEnum):
    """``orse_cdretornovistoria``."""

    APPROVED = 1
    """Deferido."""
    REJECTED = 2
    """Indeferido."""


class OrderUnitRelation(IntEnum):
    """``atendimento_relacao_tipo``: the unit that opened or closed an OS."""

    OPENED = 1
    CLOSED = 3


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _ordered(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ServiceType:
    """A service type (``servico_tipo``) with every flag the rules read."""

    id: int
    description: str
    abbreviation: str
    #: ``svtp_cdservicotipo``: "C" commercial, "O" operational.
    code: str | None = None
    #: ``svtp_vlservico``: the default price (and the price lookup's fallback).
    value: Decimal | None = None
    #: ``svtp_icpermitealterarvalor``: the charged value may be edited (COM-07).
    value_editable: bool = False
    #: ``dbtp_id``: the debit type of the charge.
    debit_type_id: int | None = None
    #: ``svtp_icincluirdebito``: a type that does not update the commercial system
    #: still charges on closing with execution (DEB-01).
    include_debit: bool = False
    #: ``svtp_iccobrarjuros``: installments carry financing interest.
    charge_interest: bool = False
    #: ``svtp_icconsideraeconomias``: the price lookup considers economies.
    consider_economies: bool = False
    #: ``svtp_icatualizacomercial``: closing with execution runs ``operation``.
    updates_commercial: bool = False
    #: ``servico_tipo_operacao``: the commercial operation key (``"water.cut"``...).
    operation: str | None = None
    priority_id: int | None = None
    #: ``sptp_id``: the team profile the service needs.
    profile_id: int | None = None
    #: ``strf_id``: the reference behaviour (diagnosis / inspection of another OS).
    reference_id: int | None = None
    #: ``svtp_icatividade``: closing with execution requires activities (ENC-12).
    requires_activities: bool = False
    #: ``servico_tipo_atividade``: activity ids in execution order.
    activity_ids: tuple[int, ...] = attrs.field(factory=tuple, converter=_ordered)
    #: ``servico_tipo_motivo_encerramento``: allowed closing reasons (empty: all).
    closing_reason_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_ids)
    #: ``svtp_icvistoria``: the inspection result is mandatory at close (ENC-13).
    inspection: bool = False
    #: ``svtp_icfiscalizacaoinfracao``: an infraction-inspection OS (ENC-04).
    infraction_inspection: bool = False
    #: ``svtp_icpavimento``: pavement area required on an approved return (REF-02).
    pavement: bool = False
    street_pavement: bool = False
    sidewalk_pavement: bool = False
    #: ``svtp_icterceirizado``: executed by a contractor.
    contractor: bool = False
    #: ``svtp_icpermitealteracaoimovelemcampo``: False blocks closing while the
    #: property is "in field" (ENC-17).
    allows_property_in_field: bool = True
    #: ``svtp_icservicoordemseletiva``.
    selective_emission: bool = False
    #: ``svtp_icprogramacaoautomatica``.
    automatic_scheduling: bool = False
    #: ``svtp_icencautomaticoraqdoencos``: closing the OS closes its RA (True) or
    #: only proposes it (False).
    auto_close_request: bool = False
    #: ``svtp_icenvioemailpesquisa``: a satisfaction survey when the RA closes.
    send_survey: bool = False
    #: ``svtp_nntempomedioexecucao`` (minutes).
    average_execution_minutes: int | None = None
    active: bool = True
    version: int = 1


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{attribute.name} must be timezone-aware, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class ServiceOrder:
    """A service order (``ordem_servico``)."""

    id: int
    service_type_id: int
    situation: OrderSituation = OrderSituation.PENDING
    origin: OrderOrigin = OrderOrigin.STANDALONE
    property_id: int | None = None
    #: The RA the OS belongs to (``rgat_id``).
    request_id: int | None = None
    #: The collection document that generated it (``cbdo_id``).
    collection_document_id: int | None = None
    #: The OS this one refers to (diagnosis or inspection of it).
    reference_order_id: int | None = None
    #: A type to generate next, or the type a "troca de serviço" return set.
    reference_service_type_id: int | None = None
    generated_at: datetime = attrs.field(validator=_aware)
    emitted_at: datetime | None = attrs.field(default=None, validator=_aware)
    closed_at: datetime | None = attrs.field(default=None, validator=_aware)
    closing_reason_id: int | None = None
    closing_remark: str | None = None
    observation: str | None = None
    #: ``orse_vlservicooriginal``: the type's value at generation.
    original_value: Decimal | None = None
    #: ``orse_vlservicoatual``: the value charged.
    current_value: Decimal | None = None
    #: ``orse_pcvalorcobranca``: 100, 70 or 50.
    charge_percentage: int | None = None
    non_charge_reason_id: int | None = None
    #: ``orse_iccomercialatualizado``: the commercial operation already ran.
    commercial_applied: bool = False
    #: ``orse_icdiagnostico``.
    diagnosed: bool = False
    #: ``orse_icprogramada``: in an active schedule.
    scheduled: bool = False
    #: ``orse_icencerramentoautomatico``: closed by the system only (ENC-03).
    automatic_closing: bool = False
    current_unit_id: int | None = None
    original_priority_id: int | None = None
    current_priority_id: int | None = None
    #: ``orrt_id``: the return recorded when an OS referring to another closes.
    return_type_id: int | None = None
    inspection_result: InspectionResult | None = None
    pavement_area: Decimal | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Not closed (pending, in execution or awaiting release)."""
        return self.situation is not OrderSituation.CLOSED


@attrs.frozen(kw_only=True)
class OrderUnitRecord:
    """``ordem_servico_unidade``: which unit and user opened or closed an OS."""

    id: int
    order_id: int
    unit_id: int | None
    user_id: int
    relation: OrderUnitRelation
    at: datetime = attrs.field(validator=_aware)
    version: int = 1


@attrs.frozen(kw_only=True)
class ServiceChargeValue:
    """A row of the service price table (``servico_cobranca_valor``).

    A ``None`` segment field is a wildcard; the lookup prefers the most specific
    row (profile, then capacity, then category, then subcategory).
    """

    id: int
    service_type_id: int
    value: Decimal
    #: ``indicadorMedido``: the row applies to metered (True) or unmetered properties.
    metered: bool
    valid_from: date
    valid_until: date
    property_profile_id: int | None = None
    capacity_id: int | None = None
    category_id: int | None = None
    subcategory_id: int | None = None
    economies_from: int | None = None
    economies_to: int | None = None
    #: ``indicadorGeracaoDebito``.
    generates_debit: bool = True
    version: int = 1


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class ServiceOrderGenerated(DomainEvent):
    """An OS was generated."""

    tag: ClassVar[str] = "service_order.generated"
    order_id: int
    service_type_id: int
    origin: OrderOrigin
    property_id: int | None = None
    request_id: int | None = None


@attrs.frozen(kw_only=True)
class ServiceOrderUpdated(DomainEvent):
    """An OS's data changed (type, priority, observation, references)."""

    tag: ClassVar[str] = "service_order.updated"
    order_id: int
    version: int


@attrs.frozen(kw_only=True)
class ServiceOrderSituationChanged(DomainEvent):
    """An OS moved between pending, in execution and awaiting release."""

    tag: ClassVar[str] = "service_order.situation_changed"
    order_id: int
    before: OrderSituation
    after: OrderSituation


@attrs.frozen(kw_only=True)
class ServiceOrderClosed(DomainEvent):
    """An OS was closed, executed or not."""

    tag: ClassVar[str] = "service_order.closed"
    order_id: int
    closing_reason_id: int
    executed: bool
    closed_at: datetime
    request_id: int | None = None


@attrs.frozen(kw_only=True)
class ServiceOrderReleased(DomainEvent):
    """An OS awaiting release was released (or closed) by the OS referring to it."""

    tag: ClassVar[str] = "service_order.released"
    order_id: int
    by_order_id: int
    situation: OrderSituation


@attrs.frozen(kw_only=True)
class CommercialOperationApplied(DomainEvent):
    """The commercial operation of an OS ran (at most once per OS)."""

    tag: ClassVar[str] = "service_order.commercial_applied"
    order_id: int
    operation: str
    property_id: int | None
    via_closing: bool


# ---------------------------------------------------------------- reference tables
_ORDER = "service_order"

CLOSING_REASON = CatalogKind(
    name="closing_reason",
    title="Closing reason",
    title_pt="Motivo de Encerramento",
    gsan_table="atendimentopublico.atend_motivo_encmt",
    abbreviation_max_length=10,
    attributes=(
        AttributeSpec(
            name="executed",
            type="bool",
            required=True,
            default=False,
            doc="amen_icexecucao: the service was executed",
        ),
        AttributeSpec(
            name="duplicate",
            type="bool",
            default=False,
            doc="amen_icduplicidade: closes a duplicate (never offered for OS)",
        ),
        AttributeSpec(
            name="grace_days",
            type="int",
            min_value=0,
            doc="amen_qtdiasaditivoprazo: days a not-executed OS may still be "
            "applied to the commercial system",
        ),
    ),
    referenced_by=(
        Reference(_ORDER, "closing_reason_id"),
        Reference("service_request", "closing_reason_id"),
    ),
)
SERVICE_PRIORITY = CatalogKind(
    name="service_priority",
    title="Service type priority",
    title_pt="Prioridade do Tipo de Serviço",
    gsan_table="atendimentopublico.servico_tipo_prioridade",
    abbreviation_required=True,
    attributes=(
        AttributeSpec(name="start_hours", type="int", min_value=0),
        AttributeSpec(name="finish_hours", type="int", min_value=0),
    ),
    referenced_by=(Reference("service_type", "priority_id"),),
)
SERVICE_PROFILE = CatalogKind(
    name="service_profile",
    title="Service profile",
    title_pt="Perfil do Serviço",
    gsan_table="atendimentopublico.servico_perfil_tipo",
    abbreviation_required=True,
    duplicate_gsan_key="atencao.descricao_ja_existente_tipo_perfil_servico",
    attributes=(
        AttributeSpec(name="team_size", type="int", min_value=1),
        AttributeSpec(name="own_vehicle", type="bool", default=False),
    ),
    referenced_by=(Reference("service_type", "profile_id"),),
)
SERVICE_TYPE_REFERENCE = CatalogKind(
    name="service_type_reference",
    title="Service type reference",
    title_pt="Tipo de Serviço de Referência",
    gsan_table="atendimentopublico.servico_tipo_referencia",
    abbreviation_required=True,
    abbreviation_unique=True,
    duplicate_gsan_key="atencao.descricao_ja_existente_servico_referencia",
    attributes=(
        AttributeSpec(
            name="requires_reference_order",
            type="bool",
            required=True,
            default=False,
            doc="indicadorExistenciaOsReferencia",
        ),
        AttributeSpec(name="situation_before", type="int", min_value=1, max_value=4),
        AttributeSpec(name="situation_after", type="int", min_value=1, max_value=4),
        AttributeSpec(name="diagnosis", type="bool", default=False),
        AttributeSpec(name="inspection", type="bool", default=False),
        AttributeSpec(
            name="service_type_id",
            type="int",
            doc="the only type the referenced OS may have",
        ),
    ),
    referenced_by=(Reference("service_type", "reference_id"),),
)
REFERENCED_RETURN_TYPE = CatalogKind(
    name="referenced_return_type",
    title="Referenced-order return type",
    title_pt="Tipo de Retorno da OS Referida",
    gsan_table="atendimentopublico.os_referida_retorno_tipo",
    abbreviation_required=True,
    attributes=(
        AttributeSpec(
            name="approval",
            type="bool",
            required=True,
            default=False,
            doc="indicadorDeferimento",
        ),
        AttributeSpec(
            name="referenced_situation",
            type="int",
            required=True,
            default=1,
            min_value=1,
            max_value=2,
            doc="situacaoOsReferencia: the situation the referenced OS takes",
        ),
        AttributeSpec(
            name="changes_service",
            type="bool",
            default=False,
            doc="indicadorTrocaServico",
        ),
        AttributeSpec(
            name="closing_reason_id",
            type="ref",
            ref="closing_reason",
            doc="the reason recorded on the referenced OS",
        ),
    ),
    referenced_by=(Reference(_ORDER, "return_type_id"),),
)
NON_CHARGE_REASON = CatalogKind(
    name="non_charge_reason",
    title="Non-charge reason",
    title_pt="Motivo de Não Cobrança",
    gsan_table="atendimentopublico.servico_nao_cobranca_motivo",
    referenced_by=(Reference(_ORDER, "non_charge_reason_id"),),
)
DEBIT_TYPE = CatalogKind(
    name="debit_type",
    title="Debit type",
    title_pt="Tipo de Débito",
    gsan_table="faturamento.debito_tipo",
    attributes=(AttributeSpec(name="suggested_value", type="decimal", min_value=0),),
    referenced_by=(Reference("service_type", "debit_type_id"),),
)

SERVICE_ORDER_KINDS: tuple[CatalogKind, ...] = (
    CLOSING_REASON,
    SERVICE_PRIORITY,
    SERVICE_PROFILE,
    SERVICE_TYPE_REFERENCE,
    REFERENCED_RETURN_TYPE,
    NON_CHARGE_REASON,
    DEBIT_TYPE,
)
