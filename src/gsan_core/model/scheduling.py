"""Scheduling service orders on teams' routes ("programação / roteiro").

A :class:`Schedule` (``programacao_roteiro``) is one organisational unit's plan
for one date; a :class:`ScheduledOrder` (``ordem_servico_programacao``) places one
service order on one team of it with a sequence number. A :class:`SpecialDay`
(caema ``progr_dias_especiais``) allows programming a team on a weekend or
holiday; a :class:`TeamFollower` (caema ``usuario_nat_acomp_equipe``) says which
teams a user follows. Team natures and vehicles are reference tables (VEI-01,
VEI-02).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference
from gsan_core.model.events import DomainEvent

__all__ = [
    "CALIBRATION",
    "SCHEDULING_KINDS",
    "TEAM_NATURE",
    "VEHICLE",
    "OrderProgrammed",
    "OrderSituationInformed",
    "OrdersScheduledAutomatically",
    "PrioritizationKind",
    "ProgrammingMoved",
    "ProgrammingRemoved",
    "ProgrammingReordered",
    "SchedulableOrder",
    "Schedule",
    "ScheduleDayClosed",
    "ScheduleOutcome",
    "ScheduledOrder",
    "SpecialDay",
    "SpecialDayAdded",
    "TeamFollower",
    "TeamFollowerSaved",
]


class PrioritizationKind(IntEnum):
    """``os_priorizacao_tipo``: what a calibration row weighs (UC1190)."""

    LOCATION = 1
    """Localização (GSAN: the street's grau; here the property's locality)."""
    NETWORK_DIAMETER = 2
    """Diâmetro de rede."""
    REITERATION = 3
    """Reiterations of the order's RA."""
    RECURRENCE = 4
    """Reincidência: the RA reactivates a closed one."""
    DAYS_OPEN = 5
    """Days since the order was generated."""
    SERVICE_TYPE = 6
    """The service type's importance (CAL-02)."""


class ScheduleOutcome(StrEnum):
    """Why a programação stopped being active (GSAN ``situacaoFechamento`` and
    ``indicadorAcompanhamentoServico``, named)."""

    IN_EXECUTION = "in_execution"
    """Informed "em execução": the OS left the day's plan in execution (3)."""
    NOT_CLOSED = "not_closed"
    """Informed "pendente" (not finished), with the reason: back to the pool."""
    CLOSED = "closed"
    """The OS was closed on the roteiro's date (§2.6.7)."""
    RELOCATED = "relocated"
    """Moved to another team (``INDICADOR_ACOMP_SERV_REALOCADA``)."""
    REMOVED = "removed"
    """Taken off the roteiro by the dispatcher (reprogramming)."""
    DAY_CLOSED = "day_closed"
    """Still open when the roteiro's day was closed: back to the pool."""
    CANCELLED = "cancelled"
    """The OS closed before the roteiro's date: the later programação lapses
    (GSAN deletes it; the library keeps the row, inactive, for the audit)."""


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{attribute.name} must be timezone-aware, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Schedule:
    """A roteiro (``programacao_roteiro``): one unit's plan for one date."""

    id: int
    unit_id: int
    #: ``pgrt_dtroteiro``.
    on: date
    #: The day was closed (the orders left open went back to the pool).
    closed: bool = False
    closed_at: datetime | None = attrs.field(default=None, validator=_aware)
    closed_by: int | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "unit_id", "on", "closed")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class ScheduledOrder:
    """A programação (``ordem_servico_programacao``): an OS on a team of a roteiro."""

    id: int
    schedule_id: int
    order_id: int
    team_id: int
    #: The roteiro's unit and date, kept on the row for the calendar queries.
    unit_id: int
    on: date
    #: ``nnSequencialProgramacao``: 1..n per team and date among active rows.
    sequence: int
    #: ``indicadorEquipePrincipal``.
    principal: bool = True
    #: ``indicadorAtivo``.
    active: bool = True
    #: ``usur_idprogramacao``.
    scheduled_by: int
    scheduled_at: datetime = attrs.field(validator=_aware)
    #: Why the row stopped being active (``None`` while active).
    outcome: ScheduleOutcome | None = None
    #: ``osProgramNaoEncerMotivo``: a ``non_execution_reason``.
    reason_id: int | None = None
    #: ``equipamentoEspecialFaltante``.
    missing_equipment_id: int | None = None
    #: ``usur_idfechamento``: who informed the outcome.
    closed_by: int | None = None
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "order_id", "team_id", "on", "sequence", "active")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class SchedulableOrder:
    """What automatic scheduling reads of a candidate order (UC1190): an open
    order of a unit, of a type that takes automatic scheduling, not programmed."""

    id: int
    service_type_id: int
    generated_at: datetime
    version: int
    property_id: int | None = None
    request_id: int | None = None


@attrs.frozen(kw_only=True)
class SpecialDay:
    """A programming of a team on a weekend or holiday (caema UC1394)."""

    id: int
    team_id: int
    on: date
    created_by: int
    version: int = 1


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class TeamFollower:
    """The teams a user may follow (caema UC1398), keyed by the user's id.

    A user follows the active teams of the natures named and the teams named.
    """

    #: The user's id.
    id: int
    nature_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_ids)
    team_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_ids)
    version: int = 1

    @property
    def user_id(self) -> int:
        """The follower."""
        return self.id


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class OrderProgrammed(DomainEvent):
    """An OS was placed on a team's route for a date."""

    tag: ClassVar[str] = "schedule.order_programmed"
    order_id: int
    team_id: int
    on: date
    sequence: int
    principal: bool
    programming_id: int


@attrs.frozen(kw_only=True)
class ProgrammingMoved(DomainEvent):
    """A programação went to another team (remanejar)."""

    tag: ClassVar[str] = "schedule.programming_moved"
    order_id: int
    on: date
    from_team_id: int
    to_team_id: int
    programming_id: int


@attrs.frozen(kw_only=True)
class ProgrammingReordered(DomainEvent):
    """A programação got another sequence number."""

    tag: ClassVar[str] = "schedule.programming_reordered"
    order_id: int
    team_id: int
    on: date
    sequence: int


@attrs.frozen(kw_only=True)
class ProgrammingRemoved(DomainEvent):
    """An OS was taken off a roteiro (its programação deactivated)."""

    tag: ClassVar[str] = "schedule.programming_removed"
    order_id: int
    on: date
    outcome: ScheduleOutcome


@attrs.frozen(kw_only=True)
class OrderSituationInformed(DomainEvent):
    """The follow-up informed a programmed OS's situation (UC0470)."""

    tag: ClassVar[str] = "schedule.situation_informed"
    order_id: int
    on: date
    outcome: ScheduleOutcome
    reason_id: int | None = None


@attrs.frozen(kw_only=True)
class ScheduleDayClosed(DomainEvent):
    """A roteiro's day was closed; ``returned`` orders went back to the pool."""

    tag: ClassVar[str] = "schedule.day_closed"
    schedule_id: int
    unit_id: int
    on: date
    returned: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class OrdersScheduledAutomatically(DomainEvent):
    """UC1190 placed orders on a unit's teams for a date."""

    tag: ClassVar[str] = "schedule.automatic"
    unit_id: int
    on: date
    order_ids: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class SpecialDayAdded(DomainEvent):
    """A team may be programmed on a weekend or holiday."""

    tag: ClassVar[str] = "schedule.special_day_added"
    special_day_id: int
    team_id: int
    on: date


@attrs.frozen(kw_only=True)
class TeamFollowerSaved(DomainEvent):
    """The teams a user follows were replaced (ROT-12)."""

    tag: ClassVar[str] = "schedule.team_follower_saved"
    user_id: int
    version: int


# ---------------------------------------------------------------- reference tables
TEAM_NATURE = CatalogKind(
    name="team_nature",
    title="Team nature",
    title_pt="Natureza de Equipe",
    gsan_table="atendimentopublico.equipe_natureza",
    abbreviation_max_length=10,
    referenced_by=(
        Reference("team", "nature_id"),
        Reference("team_follower", "nature_ids"),
    ),
)
VEHICLE = CatalogKind(
    name="vehicle",
    title="Vehicle",
    title_pt="Veículo",
    gsan_table="(none: a library catalogue, VEI-02)",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="plate",
            type="str",
            required=True,
            unique=True,
            max_length=10,
            doc="the vehicle's plate, unique among active vehicles",
        ),
    ),
    referenced_by=(Reference("team", "vehicle_id"),),
)

CALIBRATION = CatalogKind(
    name="calibration",
    title="Scheduling calibration",
    title_pt="Calibragem da Programação",
    gsan_table="atendimentopublico.os_programa_calibragem",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="kind",
            type="int",
            required=True,
            min_value=1,
            max_value=6,
            doc="pztp_id: the prioritisation kind (PrioritizationKind)",
        ),
        AttributeSpec(
            name="importance", type="int", min_value=0, doc="ospc_nngrauimportancia"
        ),
        AttributeSpec(
            name="range_from", type="int", doc="ospc_nnfaixainicio (kinds 2 to 5)"
        ),
        AttributeSpec(
            name="range_to", type="int", doc="ospc_nnfaixafim (kinds 2 to 5)"
        ),
        AttributeSpec(
            name="weight",
            type="int",
            required=True,
            default=1,
            min_value=0,
            doc="ospc_nnpeso",
        ),
        AttributeSpec(
            name="factor",
            type="int",
            required=True,
            default=1,
            min_value=0,
            doc="ospc_nnfator",
        ),
        AttributeSpec(
            name="locality_id",
            type="int",
            doc="kind 1: the locality whose properties' orders the row weighs",
        ),
    ),
    referenced_by=(Reference("service_type", "calibration_id"),),
)

SCHEDULING_KINDS: tuple[CatalogKind, ...] = (TEAM_NATURE, VEHICLE, CALIBRATION)
