"""Water and sewer connections (``ligacao_agua`` / ``ligacao_esgoto``), the history
of their situations, the inputs of the connection operations and their events.

A connection's id is its property's id (GSAN ``lagu_id = lesg_id = imov_id``). The
*situations* live on the property (:class:`~gsan_core.model.properties.Property`
``water_status_id`` / ``sewer_status_id``); the connection rows keep the data of
the last connection, cut, suppression, reconnection and restoration, and survive
cuts and suppressions (only "alterar situação da ligação" deletes them).

Every situation change is kept in :class:`SituationChange` rows (append-only), with
the date it took effect, the operation, the service order and the actor: the
history utilities report on (GSAN R0906, "supressões, religações e
restabelecimentos").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "AdministrativeCutInput",
    "BatchCandidate",
    "ChangeCutTypeInput",
    "ChangeSituationInput",
    "ConnectWithMeterInput",
    "ConnectWithReplacementInput",
    "ConnectionKind",
    "ConnectionOperationApplied",
    "ConnectionTarget",
    "ConnectionsChangedInBatch",
    "CutInput",
    "MeterInstallation",
    "MeterReplacement",
    "MinimumConsumptionInput",
    "MinimumVolumeInput",
    "ReconnectWithMeterInput",
    "ReconnectWithReplacementInput",
    "ReconnectionInput",
    "RestorationInput",
    "RestoreWithMeterInput",
    "RestoreWithReplacementInput",
    "SewerBillingInput",
    "SewerConnection",
    "SewerConnectionInput",
    "SewerUpdateInput",
    "SituationChange",
    "SuppressionInput",
    "WaterBatch",
    "WaterBatchWritten",
    "WaterConnection",
    "WaterConnectionInput",
    "WaterUpdateInput",
]

HUNDRED = Decimal(100)


class ConnectionKind(StrEnum):
    """Which connection a situation belongs to."""

    WATER = "water"
    SEWER = "sewer"


class ConnectionTarget(IntEnum):
    """UC0555 "tipo de ligação": the connection(s) "alterar situação" undoes."""

    WATER = 1
    SEWER = 2
    BOTH = 3

    @property
    def kinds(self) -> tuple[ConnectionKind, ...]:
        """The connection kinds this target covers."""
        if self is ConnectionTarget.WATER:
            return (ConnectionKind.WATER,)
        if self is ConnectionTarget.SEWER:
            return (ConnectionKind.SEWER,)
        return (ConnectionKind.WATER, ConnectionKind.SEWER)


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{attribute.name} must be timezone-aware, got {value!r}"
        raise ValueError(msg)


def _kinds(value: Iterable[ConnectionKind]) -> tuple[ConnectionKind, ...]:
    return tuple(value)


# ---------------------------------------------------------------- aggregates
@attrs.frozen(kw_only=True)
class WaterConnection:
    """A water connection (``atendimentopublico.ligacao_agua``); id = property id."""

    id: int
    #: ``lagu_dtligacaoagua``: the informed connection date.
    connected_on: date
    #: ``lagu_dtimplantacao``: the day the connection was recorded.
    implanted_on: date
    diameter_id: int
    material_id: int
    #: ``lapf_id``: the connection profile (perfil da ligação).
    profile_id: int
    #: ``rlin_id``: where the branch line was installed.
    branch_location_id: int | None = None
    #: ``lgor_id``.
    origin_id: int | None = None
    #: ``lagu_nnlacre``: the seal (lacre) number, up to 10 characters.
    seal_number: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    #: ``lagu_profundidade_ramal`` / ``lagu_dist_inst_ramal`` (metres).
    branch_depth: Decimal | None = None
    branch_distance: Decimal | None = None
    #: ``lagu_nnconsumominimoagua``: a fixed minimum consumption (m³), if any.
    minimum_consumption: int | None = None
    #: Cut data (``lagu_dtcorte``, ``lagu_nnselocorte``, ``cotp_id``, ``mtco_id``).
    cut_on: date | None = None
    cut_seal: int | None = None
    cut_type_id: int | None = None
    cut_reason_id: int | None = None
    #: ``lagu_dtcorteadministrativo``.
    administrative_cut_on: date | None = None
    #: ``lagu_dtreligacaoagua``.
    reconnected_on: date | None = None
    #: Suppression data (``lagu_dtsupressaoagua``, ``lagu_nnselosupressao``,
    #: ``stip_id``, ``spmt_id``).
    suppressed_on: date | None = None
    suppression_seal: int | None = None
    suppression_type_id: int | None = None
    suppression_reason_id: int | None = None
    #: ``lagu_dtrestabelecimentoagua``.
    restored_on: date | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "connected_on", "cut_on", "suppressed_on")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class SewerConnection:
    """A sewer connection (``atendimentopublico.ligacao_esgoto``); id = property id."""

    id: int
    #: ``lesg_dtligacao``.
    connected_on: date
    diameter_id: int
    material_id: int
    #: ``lepf_id``.
    profile_id: int
    #: ``lesg_pccoleta``: % of the consumed water that is collected (at most 100).
    collection_percentage: Decimal = HUNDRED
    #: ``lesg_pcesgoto``: % of the water bill charged as sewer.
    sewer_percentage: Decimal = HUNDRED
    #: ``lesg_iccaixagordura``: the connection has a grease trap.
    grease_trap: bool = False
    #: ``lesg_icligacaoesgoto``: GSAN's connection flag (meaning not documented).
    connection_indicator: bool = True
    #: ``lesg_nnconsumominimoesgoto``: a fixed minimum volume (m³), if any.
    minimum_volume: int | None = None
    drainage_id: int | None = None
    waste_destination_id: int | None = None
    inspection_box_id: int | None = None
    rainwater_destination_id: int | None = None
    origin_id: int | None = None
    #: CAEMA "factível faturável": the sewer situation before it was informed.
    previous_status_id: int | None = None
    #: The service request (RA) the connection was recorded under, if any.
    request_id: int | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "connected_on")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class SituationChange:
    """One water or sewer situation change of a property (append-only history)."""

    id: int
    property_id: int
    kind: ConnectionKind
    before_id: int
    after_id: int
    #: The date the change took effect (cut date, reconnection date...).
    effective_on: date
    #: When it was recorded.
    at: datetime = attrs.field(validator=_aware)
    #: The operation key (``"water.cut"``...).
    operation: str
    order_id: int | None = None
    actor: int
    #: A meter reading taken with the change (cut, suppression), if any.
    reading: int | None = None

    # ---------------------------------------------------------------- inputs

    def __repr__(self) -> str:
        return short_repr(
            self,
            "property_id",
            "kind",
            "before_id",
            "after_id",
            "effective_on",
            "operation",
        )

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class WaterConnectionInput:
    """Efetuar Ligação de Água (UC0354): the connection data filled in."""

    connected_on: date | None = None
    diameter_id: int | None = None
    material_id: int | None = None
    profile_id: int | None = None
    branch_location_id: int | None = None
    origin_id: int | None = None
    seal_number: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    branch_depth: Decimal | None = None
    branch_distance: Decimal | None = None
    minimum_consumption: int | None = None


@attrs.frozen(kw_only=True)
class CutInput:
    """Efetuar Corte de Ligação de Água (UC0355). ``cut_on`` defaults to the OS's
    closing date; the reading is kept in the situation history."""

    cut_type_id: int | None = None
    cut_reason_id: int | None = None
    cut_on: date | None = None
    seal_number: int | None = None
    reading: int | None = None


@attrs.frozen(kw_only=True)
class AdministrativeCutInput:
    """Efetuar Corte Administrativo (UC0369): an administrative cut type."""

    cut_type_id: int | None = None
    cut_on: date | None = None


@attrs.frozen(kw_only=True)
class SuppressionInput:
    """Efetuar Supressão (UC0360): ``total`` chooses SUPRIMIDO, otherwise the
    partial suppression "a pedido" (SUP. PARC. PEDIDO)."""

    suppression_type_id: int | None = None
    suppression_reason_id: int | None = None
    total: bool = True
    suppressed_on: date | None = None
    seal_number: int | None = None
    reading: int | None = None


@attrs.frozen(kw_only=True)
class ReconnectionInput:
    """Efetuar Religação de Água (UC0357); the date defaults to the OS's closing date."""

    reconnected_on: date | None = None


@attrs.frozen(kw_only=True)
class RestorationInput:
    """Efetuar Restabelecimento (UC0359); the date defaults to the OS's closing date."""

    restored_on: date | None = None


@attrs.frozen(kw_only=True)
class SewerConnectionInput:
    """Efetuar Ligação de Esgoto (UC0353). The collection percentage defaults to
    100 (changing it needs special permission 76); the sewer percentage defaults
    to the connection profile's."""

    connected_on: date | None = None
    diameter_id: int | None = None
    material_id: int | None = None
    profile_id: int | None = None
    grease_trap: bool | None = None
    connection_indicator: bool = True
    collection_percentage: Decimal | None = None
    sewer_percentage: Decimal | None = None
    minimum_volume: int | None = None
    drainage_id: int | None = None
    waste_destination_id: int | None = None
    inspection_box_id: int | None = None
    rainwater_destination_id: int | None = None
    origin_id: int | None = None


@attrs.frozen(kw_only=True)
class SewerBillingInput:
    """Mudança de Situação de Faturamento do Esgoto (UC0356); the date defaults to
    the OS's closing date. The service type says which change it is."""

    changed_on: date | None = None


@attrs.frozen(kw_only=True)
class MinimumConsumptionInput:
    """Atualizar Consumo Mínimo (UC0463): ``None`` clears the fixed minimum."""

    minimum_consumption: int | None = None


@attrs.frozen(kw_only=True)
class MinimumVolumeInput:
    """Atualizar Volume Mínimo de Esgoto (UC0464)."""

    minimum_volume: int | None = None


@attrs.frozen(kw_only=True)
class ChangeSituationInput:
    """Alterar Situação da Ligação (UC0555): which connection(s) go back to
    POTENCIAL or FACTÍVEL, and the new situation of each."""

    target: ConnectionTarget | None = None
    water_status_id: int | None = None
    sewer_status_id: int | None = None


@attrs.frozen(kw_only=True)
class ChangeCutTypeInput:
    """Alterar Tipo de Corte (operation 1503)."""

    cut_type_id: int | None = None


@attrs.frozen(kw_only=True)
class WaterUpdateInput:
    """Atualizar Ligação de Água (UC0367): the editable data, all of it (start from
    :meth:`from_connection` and change what differs)."""

    connected_on: date | None = None
    diameter_id: int | None = None
    material_id: int | None = None
    profile_id: int | None = None
    branch_location_id: int | None = None
    origin_id: int | None = None
    seal_number: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    branch_depth: Decimal | None = None
    branch_distance: Decimal | None = None
    cut_type_id: int | None = None
    cut_reason_id: int | None = None
    cut_seal: int | None = None
    suppression_type_id: int | None = None
    suppression_reason_id: int | None = None
    suppression_seal: int | None = None

    @classmethod
    def from_connection(cls, connection: WaterConnection) -> WaterUpdateInput:
        """The input that leaves ``connection`` as it is."""
        return cls(**{f.name: getattr(connection, f.name) for f in attrs.fields(cls)})


@attrs.frozen(kw_only=True)
class SewerUpdateInput:
    """Atualizar Ligação de Esgoto: the editable data (start from
    :meth:`from_connection`)."""

    connected_on: date | None = None
    diameter_id: int | None = None
    material_id: int | None = None
    profile_id: int | None = None
    grease_trap: bool | None = None
    collection_percentage: Decimal | None = None
    sewer_percentage: Decimal | None = None
    drainage_id: int | None = None
    waste_destination_id: int | None = None
    inspection_box_id: int | None = None
    rainwater_destination_id: int | None = None
    origin_id: int | None = None

    @classmethod
    def from_connection(cls, connection: SewerConnection) -> SewerUpdateInput:
        """The input that leaves ``connection`` as it is."""
        return cls(**{f.name: getattr(connection, f.name) for f in attrs.fields(cls)})


# ---------------------------------------------------------------- with a meter
@attrs.frozen(kw_only=True)
class MeterInstallation:
    """The meter a "com instalação de hidrômetro" operation installs on the water
    connection (the data of UC0362): the meter by ``hydrometer_id`` or by
    ``number``, its installation reading (blank is 0 in GSAN), place,
    protection, stand, seal and tamper seal. It is installed on the order's
    closing date (today without an order)."""

    hydrometer_id: int | None = None
    number: str | None = None
    reading: int = 0
    place_id: int
    protection_id: int
    stand: bool = False
    seal: str | None = None
    tamper_seal: str | None = None


@attrs.frozen(kw_only=True)
class MeterReplacement:
    """The meter substitution (UC0364) of a "com substituição de hidrômetro"
    operation: the outgoing meter's removal reading, the situation and stock
    location it takes (none for a lost or stolen situation), and the incoming
    meter as in :class:`MeterInstallation`. It happens on the order's closing
    date."""

    removal_reading: int
    outgoing_situation_id: int
    outgoing_location_id: int | None = None
    hydrometer_id: int | None = None
    number: str | None = None
    reading: int = 0
    place_id: int
    protection_id: int
    stand: bool = False
    seal: str | None = None
    tamper_seal: str | None = None


@attrs.frozen(kw_only=True)
class ConnectWithMeterInput:
    """Efetuar Ligação de Água com Instalação de Hidrômetro (operation 706), and
    the "sem RA" screen UC0579 (where the meter is optional)."""

    connection: WaterConnectionInput
    meter: MeterInstallation | None = None


@attrs.frozen(kw_only=True)
class ReconnectWithMeterInput:
    """Efetuar Religação de Água com Instalação de Hidrômetro (operation 16044)."""

    reconnection: ReconnectionInput = attrs.field(factory=ReconnectionInput)
    meter: MeterInstallation | None = None


@attrs.frozen(kw_only=True)
class RestoreWithMeterInput:
    """Efetuar Restabelecimento da Ligação de Água com Instalação de Hidrômetro
    (UC0540, operation 879)."""

    restoration: RestorationInput = attrs.field(factory=RestorationInput)
    meter: MeterInstallation | None = None


@attrs.frozen(kw_only=True)
class ConnectWithReplacementInput:
    """Ligação de água com substituição de hidrômetro (operation 16045): the
    connection, then the meter substitution."""

    connection: WaterConnectionInput
    replacement: MeterReplacement | None = None


@attrs.frozen(kw_only=True)
class ReconnectWithReplacementInput:
    """Religação de água com substituição de hidrômetro (operation 16046)."""

    reconnection: ReconnectionInput = attrs.field(factory=ReconnectionInput)
    replacement: MeterReplacement | None = None


@attrs.frozen(kw_only=True)
class RestoreWithReplacementInput:
    """Restabelecimento com substituição de hidrômetro (operation 16047)."""

    restoration: RestorationInput = attrs.field(factory=RestorationInput)
    replacement: MeterReplacement | None = None


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class ConnectionOperationApplied(DomainEvent):
    """A connection operation ran (GSAN registers a transaction with its
    ``Operacao`` id): the situations before and after, the order and the actor."""

    tag: ClassVar[str] = "connection.operation_applied"
    property_id: int
    operation: str
    #: GSAN's ``Operacao`` id (48 for a cut...), when GSAN has one.
    gsan_operation: int | None
    order_id: int | None
    effective_on: date
    water_before: int
    water_after: int
    sewer_before: int
    sewer_after: int
    #: Connection rows deleted by the operation (alterar situação).
    removed: tuple[ConnectionKind, ...] = attrs.field(factory=tuple, converter=_kinds)


@attrs.frozen(kw_only=True)
class ConnectionsChangedInBatch(DomainEvent):
    """A batch changed the situation of many properties of a locality (one event
    per unit; each change is in the situation history)."""

    tag: ClassVar[str] = "connection.batch_applied"
    operation: str
    locality_id: int
    count: int
    #: The billing reference (``yyyymm``) the batch read, if any.
    reference: int | None = None


@attrs.frozen(kw_only=True)
class WaterBatch:
    """What a connection batch selects and does, per locality, as data (for a
    store that writes the batch set-based: UC1073, UC0823)."""

    #: The operation key (``"water.reconnect_by_consumption"``...).
    operation: str
    #: The water situations selected (the operation's sources).
    water_status_ids: frozenset[int]
    #: Only connections cut on or before this day (UC1073).
    cut_on_or_before: date | None = None
    #: Property profiles never selected (UC1073: the social tariff).
    excluded_profile_ids: frozenset[int] = frozenset()
    #: Only properties whose water consumption of this month is real and
    #: billed (UC1073); the connection's reconnection date is set.
    reference: int | None = None
    real_type_ids: frozenset[int] = frozenset()
    #: The water situation the chosen go to, and the sewer coupling.
    to_id: int
    sewer_from_ids: frozenset[int] = frozenset()


@attrs.frozen(kw_only=True)
class WaterBatchWritten:
    """What a store wrote for one locality of a :class:`WaterBatch`."""

    #: Candidates selected.
    processed: int
    #: Properties changed (the others had no real consumption).
    changed: int


@attrs.frozen(kw_only=True)
class BatchCandidate:
    """A property a connection batch selected, with its situations at selection."""

    property_id: int
    water_status_id: int
    sewer_status_id: int
