"""Hydrometers (water meters): the stock, the installation history, the movements.

A :class:`Hydrometer` is an inventory item with a *situation* (a
``hydrometer_situation`` catalog row: INSTALADO, EM MANUTENCAO, DISPONIVEL,
ROUBADO... resolved through the profile's roles) and a *stock location*. Its
life at a property is a sequence of :class:`HydrometerInstallation` records, one
per period ``[installed_on, removed_on)`` at a :class:`MeasurementPoint` (the
water connection or the well). Stock moves between locations by a
:class:`HydrometerMovement` document and its lines.

The operations that change them (install, remove, replace, relocate, update the
installation) take the commands of this module as their input, whether run by
closing a service order or from the menu path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference
from gsan_core.model.events import DomainEvent

__all__ = [
    "ANOMALY_ACTION_MONTHS",
    "CONSUMPTION_ANOMALY",
    "HYDROMETER_BRAND",
    "HYDROMETER_CAPACITY",
    "HYDROMETER_DIAMETER",
    "HYDROMETER_INSTALLATION_PLACE",
    "HYDROMETER_KINDS",
    "HYDROMETER_METROLOGICAL_CLASS",
    "HYDROMETER_MOVEMENT_REASON",
    "HYDROMETER_PROTECTION",
    "HYDROMETER_REGISTER",
    "HYDROMETER_RETURN_CONTROL",
    "HYDROMETER_SITUATION",
    "HYDROMETER_STOCK_LOCATION",
    "HYDROMETER_TURBINE_TYPE",
    "HYDROMETER_TYPE",
    "HYDROMETER_WRITE_OFF_REASON",
    "MAX_NUMBER_LENGTH",
    "WELL_TYPE",
    "AnomalyActionStep",
    "ConsumptionAnomalyAction",
    "Hydrometer",
    "HydrometerAttributes",
    "HydrometerChanged",
    "HydrometerInstallation",
    "HydrometerInstalled",
    "HydrometerMovement",
    "HydrometerRelocated",
    "HydrometerRemoved",
    "HydrometerReplaced",
    "HydrometersBulkUpdated",
    "HydrometersInserted",
    "HydrometersMoved",
    "InstallHydrometer",
    "InstallationOrigin",
    "InstallationReadingsRecorded",
    "InstallationUpdated",
    "MeasurementPoint",
    "MeterPurpose",
    "MovedHydrometer",
    "RelocateHydrometer",
    "RemoveHydrometer",
    "ReplaceHydrometer",
    "StockEntry",
    "UpdateInstallation",
]

#: The longest meter number: CASAL's 5-character fixed part + 7-digit sequence.
MAX_NUMBER_LENGTH = 12
_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9\-/.]*")
#: The months of a consumption-anomaly escalation (``ConsumoAnormalidadeAcao``).
ANOMALY_ACTION_MONTHS = (1, 2, 3)


class MeasurementPoint(IntEnum):
    """Where a meter measures (GSAN ``MedicaoTipo``)."""

    WATER_CONNECTION = 1
    """``LIGACAO_AGUA``: the meter of the water connection."""
    WELL = 2
    """``POCO``: the meter at the well's outlet (the property's own water)."""


class MeterPurpose(IntEnum):
    """``hidr_icmacro``, shown as "Finalidade" on the insert screen."""

    OPERATIONAL = 1
    """``INDICADOR_OPERACIONAL``: macro-measurement of the network."""
    COMMERCIAL = 2
    """``INDICADOR_COMERCIAL``: micro-measurement of a customer."""


class InstallationOrigin(IntEnum):
    """``hidi_icinstalacaosubstituicao``: what created the installation record."""

    INSTALLATION = 1
    """Created by an installation."""
    REPLACEMENT = 2
    """Created by a replacement (the incoming meter)."""


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{attribute.name} must be timezone-aware, got {value!r}"
        raise ValueError(msg)


def _number(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if len(value) > MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(value):
        msg = (
            f"{attribute.name} must be 1 to {MAX_NUMBER_LENGTH} upper-case letters, "
            f"digits or '-', '/', '.', got {value!r}"
        )
        raise ValueError(msg)


def _not_negative(
    _: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and value < 0:
        msg = f"{attribute.name} must not be negative, got {value}"
        raise ValueError(msg)


# ---------------------------------------------------------------- the meter
@attrs.frozen(kw_only=True)
class Hydrometer:
    """A water meter (``micromedicao.hidrometro``)."""

    id: int
    #: ``hidr_nnhidrometro``: the number printed on the meter (unique).
    number: str = attrs.field(validator=_number)
    #: ``hidr_dtaquisicao``.
    acquired_on: date
    #: ``hidr_nnanofabricacao``.
    manufacture_year: int
    purpose: MeterPurpose = MeterPurpose.COMMERCIAL
    #: ``hidr_nndigitosleitura``: the digits of the register (within the capacity's).
    reading_digits: int = attrs.field(validator=_not_negative)
    #: ``hitp_id``, ``hist_id``, ``himc_id``, ``hicp_id``, ``hidm_id``, ``hicm_id``.
    type_id: int
    situation_id: int
    brand_id: int
    capacity_id: int
    diameter_id: int
    metrological_class_id: int
    #: ``hire_id``: the register (relojoaria); optional.
    register_id: int | None = None
    #: ``hila_id``: the stock location; ``None`` once lost or stolen.
    location_id: int | None = None
    #: CAGEPA ``HidrometroTipoTurbina``: its code is the 5th character of the
    #: 5-character fixed part of the number.
    turbine_type_id: int | None = None
    #: ``hidr_dtultimarevisao``.
    last_revision_on: date | None = None
    #: ``hidr_dtbaixa`` and ``himb_id``: the write-off.
    written_off_on: date | None = None
    write_off_reason_id: int | None = None
    #: ``hidr_nnleituraacumulada``: 0 at insert.
    accumulated_reading: int = attrs.field(default=0, validator=_not_negative)
    transition_flow: Decimal | None = None
    nominal_flow: Decimal | None = None
    minimum_flow: Decimal | None = None
    #: ``hidr_nnnotafiscal``.
    invoice_number: int | None = None
    #: ``hidr_tmgarantiaanos``.
    warranty_years: int | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "number", "situation_id", "location_id")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class StockEntry:
    """What a stock movement reads of a meter (a light row for batches)."""

    id: int
    number: str
    situation_id: int
    location_id: int | None
    version: int


@attrs.frozen(kw_only=True)
class HydrometerInstallation:
    """One period of a meter at a measurement point (``hidrometro_inst_hist``).

    The period is half-open, ``[installed_on, removed_on)``; the record is open
    while ``removed_on`` is ``None``. A point has at most one open record and a
    meter is open at most at one point.
    """

    id: int
    hydrometer_id: int
    property_id: int
    point: MeasurementPoint
    #: ``hidi_dtinstalacaohidrometro``: the OS's closing date.
    installed_on: date
    #: ``hidi_nnleitinstalacaohidmt``.
    installation_reading: int = attrs.field(validator=_not_negative)
    #: ``hidi_dtinstalacaohidmtsistema``: when the record was created.
    registered_at: datetime = attrs.field(validator=_aware)
    origin: InstallationOrigin = InstallationOrigin.INSTALLATION
    #: ``hili_id``, ``hipr_id``.
    place_id: int
    protection_id: int
    #: ``hidi_iccavalete``: a stand (cavalete) is present.
    stand: bool = False
    #: ``hidi_nnselo`` (12) and ``hidi_nnlacre`` (10).
    seal: str | None = None
    tamper_seal: str | None = None
    removed_on: date | None = None
    removal_reading: int | None = attrs.field(default=None, validator=_not_negative)
    #: ``hidi_nnleituracorte`` / ``hidi_nnleiturasupressao``: written by the
    #: connection operations (cut, suppression).
    cut_reading: int | None = attrs.field(default=None, validator=_not_negative)
    suppression_reading: int | None = attrs.field(default=None, validator=_not_negative)
    #: ``usur_idinstalacao`` / ``usur_idretirada``.
    installed_by: int
    removed_by: int | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        """The meter is still installed (no removal date)."""
        return self.removed_on is None

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls in ``[installed_on, removed_on)``."""
        return self.installed_on <= day and (
            self.removed_on is None or day < self.removed_on
        )

    def __repr__(self) -> str:
        return short_repr(
            self, "hydrometer_id", "property_id", "point", "installed_on", "removed_on"
        )

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class HydrometerMovement:
    """A stock-movement document (``hidrometro_movimentacao``); its lines are
    :class:`MovedHydrometer` records."""

    id: int
    #: ``himv_dtmovimentacao`` + ``himv_hrmovimentacao``.
    moved_at: datetime = attrs.field(validator=_aware)
    reason_id: int
    #: The location the meters left (``None`` for meters that had none).
    origin_id: int | None
    destination_id: int
    #: The situation the meters took (EM MANUTENCAO into a workshop, else DISPONIVEL).
    situation_id: int
    remark: str | None = None
    count: int
    actor: int
    registered_at: datetime = attrs.field(validator=_aware)
    version: int = 1


@attrs.frozen(kw_only=True)
class MovedHydrometer:
    """One line of a movement (``hidrometro_movimentado``)."""

    movement_id: int
    hydrometer_id: int


@attrs.frozen(kw_only=True)
class HydrometerAttributes:
    """What "Inserir Hidrômetro" asks besides the number and the stock location,
    and what "Atualizar Conjunto" copies onto every meter of a range.

    ``manufacture_year`` is read from the number's fixed part in the fixed
    layouts (a different value given here is refused); the free layout needs it.
    """

    acquired_on: date
    manufacture_year: int | None = None
    purpose: MeterPurpose = MeterPurpose.COMMERCIAL
    reading_digits: int
    type_id: int
    brand_id: int
    capacity_id: int
    diameter_id: int
    metrological_class_id: int
    register_id: int | None = None
    turbine_type_id: int | None = None
    transition_flow: Decimal | None = None
    nominal_flow: Decimal | None = None
    minimum_flow: Decimal | None = None
    invoice_number: int | None = None
    warranty_years: int | None = None

    @classmethod
    def of(cls, meter: Hydrometer) -> HydrometerAttributes:
        """The attributes of a stored meter (to change one and update it)."""
        return cls(
            **{field.name: getattr(meter, field.name) for field in attrs.fields(cls)}
        )


# ---------------------------------------------------------------- anomaly actions
@attrs.frozen(kw_only=True)
class AnomalyActionStep:
    """What a consumption anomaly does in the n-th consecutive month."""

    month: int
    #: The factor applied to the consumption (``None``: the rule's default).
    consumption_factor: Decimal | None = None
    generates_letter: bool = False
    #: The message printed on the bill (120).
    bill_message: str | None = None
    #: ``LeituraAnormalidadeConsumo``: the consumption rule to bill.
    reading_rule_id: int | None = None
    #: A service type whose OS is opened, and the RA specification to use.
    service_type_id: int | None = None
    request_specification_id: int | None = None


def _steps(value: Iterable[AnomalyActionStep]) -> tuple[AnomalyActionStep, ...]:
    return tuple(sorted(value, key=lambda step: step.month))


@attrs.frozen(kw_only=True)
class ConsumptionAnomalyAction:
    """The escalation of a consumption anomaly (``consumo_anorm_acao``), for every
    property or for a category and/or a property profile."""

    id: int
    anomaly_id: int
    category_id: int | None = None
    property_profile_id: int | None = None
    steps: tuple[AnomalyActionStep, ...] = attrs.field(factory=tuple, converter=_steps)
    active: bool = True
    version: int = 1

    def step(self, month: int) -> AnomalyActionStep | None:
        """The step of the ``month``-th consecutive month (1, 2 or 3)."""
        for step in self.steps:
            if step.month == month:
                return step
        return None


# ---------------------------------------------------------------- commands
@attrs.frozen(kw_only=True)
class InstallHydrometer:
    """The input of ``hydrometer.install`` (UC0362): which meter, where, reading.

    Give the meter by ``hydrometer_id`` or by ``number``. The installation date is
    the OS's closing date.
    """

    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION
    hydrometer_id: int | None = None
    number: str | None = None
    #: A blank reading is 0 in GSAN.
    reading: int = 0
    place_id: int
    protection_id: int
    stand: bool = False
    seal: str | None = None
    tamper_seal: str | None = None
    #: A well meter only: the type of the well (a ``well_type`` row offered for
    #: meters), stored on the property (GSAN ``imovel.poco_id``); optional.
    well_type_id: int | None = None


@attrs.frozen(kw_only=True)
class RemoveHydrometer:
    """The input of ``hydrometer.remove`` (UC0363).

    ``location_id`` is required unless the situation is a lost/stolen one (R-9).
    """

    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION
    reading: int | None = None
    situation_id: int
    location_id: int | None = None


@attrs.frozen(kw_only=True)
class ReplaceHydrometer:
    """The input of ``hydrometer.replace`` (UC0364): the outgoing meter's removal
    reading, situation and location, and the incoming meter."""

    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION
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
class RelocateHydrometer:
    """The input of ``hydrometer.relocate``: the new place, protection and stand."""

    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION
    place_id: int
    protection_id: int
    stand: bool = False


@attrs.frozen(kw_only=True)
class UpdateInstallation:
    """The input of ``hydrometer.update_installation`` (UC0368).

    Every field but ``point`` is optional: ``None`` keeps the stored value.
    """

    point: MeasurementPoint = MeasurementPoint.WATER_CONNECTION
    installed_on: date | None = None
    reading: int | None = None
    place_id: int | None = None
    protection_id: int | None = None
    stand: bool | None = None
    seal: str | None = None
    tamper_seal: str | None = None
    #: A-7: only a removed record has a removal reading; the record corrected is
    #: the current one, so a value here is refused.
    removal_reading: int | None = None
    cut_reading: int | None = None
    suppression_reading: int | None = None
    #: A well meter only: a new type for the property's well (``None`` keeps it).
    well_type_id: int | None = None


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class HydrometersInserted(DomainEvent):
    """Meters were added to the stock (one event for a whole range)."""

    tag: ClassVar[str] = "hydrometer.inserted"
    count: int
    first_id: int
    last_id: int
    first_number: str
    last_number: str
    location_id: int


@attrs.frozen(kw_only=True)
class HydrometerChanged(DomainEvent):
    """A meter's data changed ("Manter Hidrômetro")."""

    tag: ClassVar[str] = "hydrometer.changed"
    hydrometer_id: int
    version: int


@attrs.frozen(kw_only=True)
class HydrometerDeleted(DomainEvent):
    """A meter registered by mistake left the register ("Manter Hidrômetro",
    remover)."""

    tag: ClassVar[str] = "hydrometer.deleted"
    hydrometer_id: int
    number: str


@attrs.frozen(kw_only=True)
class HydrometersBulkUpdated(DomainEvent):
    """The meters of a number range took the same data ("Atualizar Conjunto")."""

    tag: ClassVar[str] = "hydrometer.bulk_updated"
    count: int
    first_number: str
    last_number: str


@attrs.frozen(kw_only=True)
class HydrometerInstalled(DomainEvent):
    """A meter was installed at a measurement point."""

    tag: ClassVar[str] = "hydrometer.installed"
    installation_id: int
    hydrometer_id: int
    property_id: int
    point: MeasurementPoint
    installed_on: date
    reading: int
    #: A well meter: the well type recorded on the property.
    well_type_id: int | None = None


@attrs.frozen(kw_only=True)
class HydrometerRemoved(DomainEvent):
    """A meter left a measurement point (its installation record closed)."""

    tag: ClassVar[str] = "hydrometer.removed"
    installation_id: int
    hydrometer_id: int
    property_id: int
    point: MeasurementPoint
    removed_on: date
    reading: int | None
    situation_id: int
    location_id: int | None


@attrs.frozen(kw_only=True)
class HydrometerReplaced(DomainEvent):
    """The meter of a point was replaced by another (the old record closed, a new
    one opened, on the same day)."""

    tag: ClassVar[str] = "hydrometer.replaced"
    property_id: int
    point: MeasurementPoint
    replaced_on: date
    outgoing_installation_id: int
    outgoing_hydrometer_id: int
    incoming_installation_id: int
    incoming_hydrometer_id: int


@attrs.frozen(kw_only=True)
class HydrometerRelocated(DomainEvent):
    """The current installation's place, protection or stand changed."""

    tag: ClassVar[str] = "hydrometer.relocated"
    installation_id: int
    property_id: int
    point: MeasurementPoint
    place_id: int
    protection_id: int
    stand: bool


@attrs.frozen(kw_only=True)
class InstallationUpdated(DomainEvent):
    """The data of the current installation were corrected (UC0368)."""

    tag: ClassVar[str] = "hydrometer.installation_updated"
    installation_id: int
    property_id: int
    point: MeasurementPoint
    version: int


@attrs.frozen(kw_only=True)
class InstallationReadingsRecorded(DomainEvent):
    """A cut or suppression reading was written on the current installation."""

    tag: ClassVar[str] = "hydrometer.readings_recorded"
    installation_id: int
    property_id: int
    point: MeasurementPoint
    cut_reading: int | None
    suppression_reading: int | None


@attrs.frozen(kw_only=True)
class HydrometersMoved(DomainEvent):
    """A stock movement moved meters to another location."""

    tag: ClassVar[str] = "hydrometer.moved"
    movement_id: int
    count: int
    origin_id: int | None
    destination_id: int
    situation_id: int


# ---------------------------------------------------------------- reference tables
_METER = "hydrometer"
_INSTALLATION = "hydrometer_installation"

HYDROMETER_BRAND = CatalogKind(
    name="hydrometer_brand",
    title="Hydrometer brand",
    title_pt="Marca do Hidrômetro",
    gsan_table="micromedicao.hidrometro_marca",
    description_max_length=30,
    abbreviation_max_length=3,
    abbreviation_required=True,
    duplicate_gsan_key="atencao.hidrometro_marca.existente",
    attributes=(
        AttributeSpec(
            name="code",
            type="str",
            required=True,
            unique=True,
            max_length=1,
            doc="himc_cdhidrometromarca: the brand letter, 4th character of a number",
        ),
        AttributeSpec(
            name="revision_days",
            type="int",
            required=True,
            min_value=0,
            doc="himc_nndiarevisao: the revision interval in days",
        ),
    ),
    referenced_by=(Reference(_METER, "brand_id"),),
)
HYDROMETER_CAPACITY = CatalogKind(
    name="hydrometer_capacity",
    title="Hydrometer capacity",
    title_pt="Capacidade do Hidrômetro",
    gsan_table="micromedicao.hidrometro_capacidade",
    description_max_length=20,
    abbreviation_max_length=6,
    attributes=(
        AttributeSpec(
            name="code",
            type="str",
            required=True,
            unique=True,
            max_length=1,
            duplicate_gsan_key="atencao.pesquisa_capacidade_do_hidrometro_ja_cadastrada",
            doc="hicp_cdhidrometrocapacidade: the capacity letter, 1st character",
        ),
        AttributeSpec(
            name="min_digits",
            type="int",
            required=True,
            min_value=1,
            doc="hicp_nndigitosleituraminimo: fewest reading digits",
        ),
        AttributeSpec(
            name="max_digits",
            type="int",
            required=True,
            min_value=1,
            not_below="min_digits",
            not_below_gsan_key="atencao.numero_minimo_nao_pode_ser_maior_que_numero_maximo",
            doc="hicp_nndigitosleituramaximo: most reading digits",
        ),
        AttributeSpec(
            name="order",
            type="int",
            required=True,
            unique=True,
            min_value=0,
            duplicate_gsan_key="atencao.pesquisa_numero_de_ordem_da_capacidade_do_hidrometro_ja_cadastrada",
            doc="hicp_nnordem: sort order",
        ),
    ),
    referenced_by=(Reference(_METER, "capacity_id"),),
)
HYDROMETER_DIAMETER = CatalogKind(
    name="hydrometer_diameter",
    title="Hydrometer diameter",
    title_pt="Diâmetro do Hidrômetro",
    gsan_table="micromedicao.hidrometro_diametro",
    description_max_length=20,
    abbreviation_max_length=5,
    abbreviation_required=True,
    duplicate_gsan_key="atencao.diametrohidrometro_ja_cadastrada",
    attributes=(
        AttributeSpec(
            name="order", type="int", required=True, min_value=0, doc="hidm_nnordem"
        ),
    ),
    referenced_by=(Reference(_METER, "diameter_id"),),
)
HYDROMETER_TYPE = CatalogKind(
    name="hydrometer_type",
    title="Hydrometer type",
    title_pt="Tipo do Hidrômetro",
    gsan_table="micromedicao.hidrometro_tipo",
    description_max_length=20,
    abbreviation_max_length=5,
    abbreviation_required=True,
    referenced_by=(Reference(_METER, "type_id"),),
)
HYDROMETER_METROLOGICAL_CLASS = CatalogKind(
    name="hydrometer_metrological_class",
    title="Hydrometer metrological class",
    title_pt="Classe Metrológica do Hidrômetro",
    gsan_table="micromedicao.hidrometro_classe_metrlg",
    description_max_length=20,
    abbreviation_max_length=5,
    referenced_by=(Reference(_METER, "metrological_class_id"),),
)
HYDROMETER_REGISTER = CatalogKind(
    name="hydrometer_register",
    title="Hydrometer register (dial)",
    title_pt="Relojoaria do Hidrômetro",
    gsan_table="micromedicao.hidrometro_relojoaria",
    description_max_length=20,
    referenced_by=(Reference(_METER, "register_id"),),
)
HYDROMETER_STOCK_LOCATION = CatalogKind(
    name="hydrometer_stock_location",
    title="Hydrometer stock location",
    title_pt="Local de Armazenagem do Hidrômetro",
    gsan_table="micromedicao.hidrometro_local_armaz",
    description_max_length=45,
    abbreviation_max_length=5,
    abbreviation_required=True,
    duplicate_gsan_key="atencao.hidrometro_ja_existente",
    attributes=(
        AttributeSpec(
            name="workshop",
            type="bool",
            required=True,
            default=False,
            doc="hila_icoficina: a workshop; meters moved in go to maintenance",
        ),
        AttributeSpec(
            name="agent_id",
            type="int",
            doc="the field agent responsible for the location: its available "
            "meters travel in his micrometering files (VIS-01)",
        ),
    ),
    referenced_by=(
        Reference(_METER, "location_id"),
        Reference("locality", "stock_location_id"),
        Reference("hydrometer_movement", "destination_id"),
    ),
)
HYDROMETER_SITUATION = CatalogKind(
    name="hydrometer_situation",
    title="Hydrometer situation",
    title_pt="Situação do Hidrômetro",
    gsan_table="micromedicao.hidrometro_situacao",
    description_max_length=20,
    attributes=(
        AttributeSpec(
            name="lost",
            type="bool",
            required=True,
            default=False,
            doc="hist_ichidrometroextraviado: lost or stolen; no stock location",
        ),
    ),
    referenced_by=(
        Reference(_METER, "situation_id"),
        Reference("hydrometer_movement", "situation_id"),
    ),
)
HYDROMETER_MOVEMENT_REASON = CatalogKind(
    name="hydrometer_movement_reason",
    title="Hydrometer movement reason",
    title_pt="Motivo de Movimentação do Hidrômetro",
    gsan_table="micromedicao.hidrometro_motivo_movim",
    description_max_length=20,
    referenced_by=(Reference("hydrometer_movement", "reason_id"),),
)
HYDROMETER_WRITE_OFF_REASON = CatalogKind(
    name="hydrometer_write_off_reason",
    title="Hydrometer write-off reason",
    title_pt="Motivo de Baixa do Hidrômetro",
    gsan_table="micromedicao.hidrometro_motivo_baixa",
    description_max_length=20,
    referenced_by=(Reference(_METER, "write_off_reason_id"),),
)
HYDROMETER_INSTALLATION_PLACE = CatalogKind(
    name="hydrometer_installation_place",
    title="Hydrometer installation place",
    title_pt="Local de Instalação do Hidrômetro",
    gsan_table="micromedicao.hidrometro_local_inst",
    description_max_length=20,
    abbreviation_max_length=5,
    abbreviation_required=True,
    referenced_by=(Reference(_INSTALLATION, "place_id"),),
)
HYDROMETER_PROTECTION = CatalogKind(
    name="hydrometer_protection",
    title="Hydrometer protection",
    title_pt="Proteção do Hidrômetro",
    gsan_table="micromedicao.hidrometro_protecao",
    description_max_length=50,
    abbreviation_max_length=6,
    abbreviation_required=True,
    referenced_by=(Reference(_INSTALLATION, "protection_id"),),
)
HYDROMETER_RETURN_CONTROL = CatalogKind(
    name="hydrometer_return_control",
    title="Hydrometer return control",
    title_pt="Retorno Controle Hidrômetro",
    gsan_table="micromedicao.retorno_controle_hidr",
    description_max_length=50,
    attributes=(
        AttributeSpec(
            name="generates_order",
            type="bool",
            required=True,
            default=False,
            doc="rchi_icgeraros: the return opens a service order",
        ),
    ),
)
HYDROMETER_TURBINE_TYPE = CatalogKind(
    name="hydrometer_turbine_type",
    title="Hydrometer turbine installation type",
    title_pt="Tipo de Instalação da Turbina",
    gsan_table="micromedicao.hidrometro_tipo_turbina",
    description_max_length=30,
    attributes=(
        AttributeSpec(
            name="code",
            type="str",
            required=True,
            unique=True,
            max_length=1,
            doc="CAGEPA: the 5th character of a 5-character fixed part",
        ),
    ),
    referenced_by=(Reference(_METER, "turbine_type_id"),),
)
WELL_TYPE = CatalogKind(
    name="well_type",
    title="Well type",
    title_pt="Tipo de Poço",
    gsan_table="cadastro.poco_tipo",
    attributes=(
        AttributeSpec(
            name="meter_well",
            type="bool",
            default=True,
            doc="indicadorHidrometroTipoPoco: offered when a meter is installed on "
            "a well (only such types are)",
        ),
    ),
    referenced_by=(Reference("property", "well_type_id"),),
)
CONSUMPTION_ANOMALY = CatalogKind(
    name="consumption_anomaly",
    title="Consumption anomaly",
    title_pt="Anormalidade de Consumo",
    gsan_table="micromedicao.consumo_anormalidade",
    description_max_length=25,
    abbreviation_max_length=5,
    duplicate_gsan_key="atencao.consumo_anormalidade_ja_cadastrada",
    attributes=(
        AttributeSpec(
            name="bill_message",
            type="str",
            max_length=100,
            doc="csan_dsmensagemconta: printed on the bill",
        ),
        AttributeSpec(
            name="special_permission_review",
            type="bool",
            default=False,
            doc="csan_icrevisaopermissaoespecial: leaving revision needs permission",
        ),
        AttributeSpec(
            name="average_calculation",
            type="bool",
            default=False,
            doc="csan_iccalcularmedia: the month enters the average",
        ),
    ),
    referenced_by=(Reference("consumption_anomaly_action", "anomaly_id"),),
)

HYDROMETER_KINDS: tuple[CatalogKind, ...] = (
    HYDROMETER_BRAND,
    HYDROMETER_CAPACITY,
    HYDROMETER_DIAMETER,
    HYDROMETER_TYPE,
    HYDROMETER_METROLOGICAL_CLASS,
    HYDROMETER_REGISTER,
    HYDROMETER_STOCK_LOCATION,
    HYDROMETER_SITUATION,
    HYDROMETER_MOVEMENT_REASON,
    HYDROMETER_WRITE_OFF_REASON,
    HYDROMETER_INSTALLATION_PLACE,
    HYDROMETER_PROTECTION,
    HYDROMETER_RETURN_CONTROL,
    HYDROMETER_TURBINE_TYPE,
    WELL_TYPE,
    CONSUMPTION_ANOMALY,
)
