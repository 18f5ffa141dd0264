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
from datetime import date, datetime, time
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference
from gsan_core.model.events import DomainEvent

__all__ = [
    "CLOSING_REASON",
    "DEBIT_TYPE",
    "MATERIAL",
    "MATERIAL_UNIT",
    "NON_CHARGE_REASON",
    "NON_EXECUTION_REASON",
    "REFERENCED_RETURN_TYPE",
    "SERVICE_ORDER_KINDS",
    "SERVICE_PRIORITY",
    "SERVICE_PROFILE",
    "SERVICE_TYPE_REFERENCE",
    "CommercialOperationApplied",
    "CompletedOrderRow",
    "ExecutedActivity",
    "ExecutionPeriod",
    "InspectionResult",
    "KitLine",
    "KitUsage",
    "MaterialKit",
    "MaterialKitSaved",
    "MaterialUsage",
    "OrderAction",
    "OrderExecution",
    "OrderOrigin",
    "OrderSituation",
    "OrderUnitRecord",
    "OrderUnitRelation",
    "OverdueOrdersClosed",
    "ServiceChargeValue",
    "ServiceOrder",
    "ServiceOrderClosed",
    "ServiceOrderGenerated",
    "ServiceOrderReleased",
    "ServiceOrderSituationChanged",
    "ServiceOrderUpdated",
    "ServicePriceListing",
    "ServicePriceRemoved",
    "ServicePriceSaved",
    "ServiceType",
    "ServiceTypeSaved",
    "Team",
    "TeamComponent",
    "TeamSaved",
    "TypeMaterial",
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
class TypeMaterial:
    """A material a service type uses by default (``servico_tipo_material``)."""

    material_id: int
    #: ``stmt_qtpadrao``: the default quantity, in the material's unit.
    quantity: Decimal


def _type_materials(value: Iterable[TypeMaterial]) -> tuple[TypeMaterial, ...]:
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
    #: ``servico_tipo_material``: default materials and quantities.
    materials: tuple[TypeMaterial, ...] = attrs.field(
        factory=tuple, converter=_type_materials
    )
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
    #: ``ospc_id``: the importance for automatic scheduling (CAL-02), a
    #: ``calibration`` row of the service-type kind.
    calibration_id: int | None = None
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

    def __repr__(self) -> str:
        return short_repr(
            self,
            "situation",
            "service_type_id",
            "property_id",
            "request_id",
            "current_unit_id",
        )

    def _repr_html_(self) -> str:
        return html_of(self)


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


def _kit_lines(value: Iterable[KitLine]) -> tuple[KitLine, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class KitLine:
    """One material of a kit and its quantity."""

    material_id: int
    quantity: Decimal


@attrs.frozen(kw_only=True)
class MaterialKit:
    """A material kit ("Kit de Material"): materials used together, with quantities.

    Recording a kit on an executed activity records its materials multiplied by
    the number of kits used.
    """

    id: int
    description: str
    abbreviation: str | None = None
    lines: tuple[KitLine, ...] = attrs.field(factory=tuple, converter=_kit_lines)
    active: bool = True
    version: int = 1


@attrs.frozen(kw_only=True)
class TeamComponent:
    """A member of a team (``equipe_componentes``): an employee or a free-text name."""

    #: ``func_id``: the employee (a user id), when the member is one.
    employee_id: int | None = None
    #: ``eqcm_nmcomponente``: the member's name when not an employee.
    name: str | None = None
    #: ``eqcm_icresponsavel``: the team's responsible member (exactly one).
    responsible: bool = False


def _components(value: Iterable[TeamComponent]) -> tuple[TeamComponent, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Team:
    """A field team (``equipe``) of an organisational unit."""

    id: int
    name: str
    unit_id: int
    #: ``eqpe_nncargatrabalho``: the daily work load, in minutes (at most 24 h).
    work_minutes: int
    #: ``eqpe_nnplacaveiculo``: the vehicle plate (3 letters and 4 digits).
    plate: str | None = None
    #: ``sptp_id``: the service profile (kind of team).
    profile_id: int | None = None
    phone_area_code: int | None = None
    phone_number: str | None = None
    #: ``eqpe_nnimei``: the field device, unique among active teams.
    imei: str | None = None
    #: ``usur_id``: the user responsible for the team's executions.
    responsible_user_id: int | None = None
    #: ``eqpe_icprogramacaoautomatica``.
    automatic_scheduling: bool = False
    #: ``eqna_id`` (caema): the team's nature (VEI-01), a ``team_nature`` row.
    nature_id: int | None = None
    #: The team's vehicle (VEI-02), a ``vehicle`` row; its plate is the team's.
    vehicle_id: int | None = None
    components: tuple[TeamComponent, ...] = attrs.field(
        factory=tuple, converter=_components
    )
    #: ``equipe_equipamentos_especiais``: special equipment the team carries.
    equipment_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_ids)
    active: bool = True
    version: int = 1


def _team_ids(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ExecutionPeriod:
    """A period an activity was executed (``os_ativ_periodo_execucao``) and by
    which teams (``os_execucao_equipe``)."""

    on: date
    start: time
    end: time
    team_ids: tuple[int, ...] = attrs.field(factory=tuple, converter=_team_ids)


@attrs.frozen(kw_only=True)
class MaterialUsage:
    """A material used by an activity (``os_ativ_material_execucao``)."""

    material_id: int
    quantity: Decimal


@attrs.frozen(kw_only=True)
class KitUsage:
    """Kits used by an activity: each counts as its materials times ``quantity``."""

    kit_id: int
    quantity: Decimal = Decimal(1)


def _periods(value: Iterable[ExecutionPeriod]) -> tuple[ExecutionPeriod, ...]:
    return tuple(value)


def _usages(value: Iterable[MaterialUsage]) -> tuple[MaterialUsage, ...]:
    return tuple(value)


def _kit_usages(value: Iterable[KitUsage]) -> tuple[KitUsage, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ExecutedActivity:
    """One activity of an executed OS (``ordem_servico_atividade``)."""

    activity_id: int
    periods: tuple[ExecutionPeriod, ...] = attrs.field(
        factory=tuple, converter=_periods
    )
    materials: tuple[MaterialUsage, ...] = attrs.field(factory=tuple, converter=_usages)
    kits: tuple[KitUsage, ...] = attrs.field(factory=tuple, converter=_kit_usages)


def _activities(value: Iterable[ExecutedActivity]) -> tuple[ExecutedActivity, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class OrderExecution:
    """The execution data of an OS closed with execution (UC0461).

    Its ``id`` is the order's id: an OS has at most one execution record.
    """

    id: int
    activities: tuple[ExecutedActivity, ...] = attrs.field(
        factory=tuple, converter=_activities
    )
    recorded_at: datetime = attrs.field(validator=_aware)
    actor: int
    version: int = 1

    @property
    def order_id(self) -> int:
        """The OS this execution belongs to."""
        return self.id


@attrs.frozen(kw_only=True)
class ServicePriceListing:
    """One line of the "Tabela de Valores de Serviços Comerciais": an active
    service type with a positive base value."""

    service_type_id: int
    description: str
    abbreviation: str
    value: Decimal


@attrs.frozen(kw_only=True)
class CompletedOrderRow:
    """One line of the completed-orders bulletin (R0765)."""

    order_id: int
    service_type_id: int
    service_type: str
    property_id: int | None
    request_id: int | None
    generated_at: datetime
    closed_at: datetime
    closing_reason_id: int
    closing_reason: str
    executed: bool
    #: The unit and user that closed it (``ordem_servico_unidade``, relation 3).
    closing_unit_id: int | None
    closing_user_id: int | None
    current_unit_id: int | None
    charged_value: Decimal | None
    charge_percentage: int | None
    commercial_applied: bool


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
    #: Why execution stopped (a ``non_execution_reason``), when told.
    reason_id: int | None = None


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


@attrs.frozen(kw_only=True)
class OverdueOrdersClosed(DomainEvent):
    """A chunk of overdue orders was closed by UC0734 (one event per chunk)."""

    tag: ClassVar[str] = "service_order.overdue_closed"
    service_type_id: int
    closing_reason_id: int
    order_ids: tuple[int, ...]


@attrs.frozen(kw_only=True)
class ServiceTypeSaved(DomainEvent):
    """A service type was inserted or changed."""

    tag: ClassVar[str] = "service_type.saved"
    service_type_id: int
    version: int


@attrs.frozen(kw_only=True)
class ServicePriceSaved(DomainEvent):
    """A row of the service price table was inserted or changed."""

    tag: ClassVar[str] = "service_price.saved"
    price_id: int
    service_type_id: int
    version: int


@attrs.frozen(kw_only=True)
class ServicePriceRemoved(DomainEvent):
    """A row of the service price table was removed."""

    tag: ClassVar[str] = "service_price.removed"
    price_id: int
    service_type_id: int


@attrs.frozen(kw_only=True)
class TeamSaved(DomainEvent):
    """A team was inserted or changed."""

    tag: ClassVar[str] = "team.saved"
    team_id: int
    version: int


@attrs.frozen(kw_only=True)
class MaterialKitSaved(DomainEvent):
    """A material kit was inserted or changed."""

    tag: ClassVar[str] = "material_kit.saved"
    kit_id: int
    version: int


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
    duplicate_rule="CFG-07",
    attributes=(
        AttributeSpec(name="team_size", type="int", min_value=1),
        AttributeSpec(name="own_vehicle", type="bool", default=False),
    ),
    referenced_by=(
        Reference("service_type", "profile_id"),
        Reference("team", "profile_id"),
    ),
)
SERVICE_TYPE_REFERENCE = CatalogKind(
    name="service_type_reference",
    title="Service type reference",
    title_pt="Tipo de Serviço de Referência",
    gsan_table="atendimentopublico.servico_tipo_referencia",
    abbreviation_required=True,
    abbreviation_unique=True,
    duplicate_gsan_key="atencao.descricao_ja_existente_servico_referencia",
    duplicate_abbreviation_gsan_key=(
        "atencao.descricao_abreviada_ja_existente_servico_referencia"
    ),
    duplicate_rule="REF-08",
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

MATERIAL_UNIT = CatalogKind(
    name="material_unit",
    title="Material unit",
    title_pt="Unidade de Material",
    gsan_table="atendimentopublico.material_unidade",
    abbreviation_required=True,
    abbreviation_max_length=5,
    description_max_length=30,
)
MATERIAL = CatalogKind(
    name="material",
    title="Material",
    title_pt="Material",
    gsan_table="atendimentopublico.material",
    abbreviation_max_length=20,
    attributes=(
        AttributeSpec(
            name="unit_id",
            type="ref",
            ref="material_unit",
            required=True,
            doc="mung_id: the unit the material is counted in",
        ),
        AttributeSpec(
            name="code",
            type="str",
            max_length=20,
            unique=True,
            doc="mate_cdmaterial: the utility's stock code",
        ),
    ),
)
NON_EXECUTION_REASON = CatalogKind(
    name="non_execution_reason",
    title="Reason a scheduled service was not executed",
    title_pt="Motivo de Não Execução do Serviço",
    gsan_table="atendimentopublico.os_program_nao_encer_motivo",
    attributes=(
        AttributeSpec(
            name="missing_equipment",
            type="bool",
            default=False,
            doc="the crew lacked (or broke) special equipment: the order goes to "
            "a team that has it (GSAN 5 EQUIPAMENTO_QUEBRADO, 7 FALTA_EQUIPAMENTO)",
        ),
    ),
)

SERVICE_ORDER_KINDS: tuple[CatalogKind, ...] = (
    CLOSING_REASON,
    SERVICE_PRIORITY,
    SERVICE_PROFILE,
    SERVICE_TYPE_REFERENCE,
    REFERENCED_RETURN_TYPE,
    NON_CHARGE_REASON,
    DEBIT_TYPE,
    MATERIAL_UNIT,
    MATERIAL,
    NON_EXECUTION_REASON,
)
