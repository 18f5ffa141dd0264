"""Field work II: selective commands and the selective emission of orders (SEL).

A selective command (GSAN ``ComandoOrdemSeletiva``, ``coss_id``) records the
criteria a supervisor chose to select properties, the service type of the
orders to emit for them and how many it may emit. Emitting it generates one
order per matching property, already emitted, without RA and without
collection document (SEL-01), each tied to the command by a
:class:`SelectiveOrder` row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "CommandSituation",
    "SelectiveCommand",
    "SelectiveCommandClosed",
    "SelectiveCriteria",
    "SelectiveDecision",
    "SelectiveFact",
    "SelectiveOrder",
    "SelectiveOrdersEmitted",
    "SelectiveSelection",
    "SelectiveWanted",
]


def _frozen_ids(
    value: frozenset[int] | set[int] | tuple[int, ...] | list[int],
) -> frozenset[int]:
    return frozenset(value)


def _ids(value: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return tuple(value)


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        msg = f"{attribute.name} must be an aware datetime"
        raise ValueError(msg)


def _range(
    instance: SelectiveCriteria, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    first = getattr(instance, attribute.name.replace("_last", "_first"))
    if value is not None and first is not None and value < first:
        msg = f"{attribute.name} ({value}) is before its first bound ({first})"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class SelectiveCriteria:
    """What selects the properties of a command (``coss_*`` filter columns).

    Location bounds (localities, sectors, routes, one property) decide which
    properties are *looked at*; the other criteria decide, property by
    property, which of those get an order, and a property that fails one is
    counted as skipped with the reason. Empty sets and ``None`` mean "any".
    """

    locality_first: int | None = None
    locality_last: int | None = attrs.field(default=None, validator=_range)
    sector_first: int | None = None
    sector_last: int | None = attrs.field(default=None, validator=_range)
    route_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_frozen_ids)
    property_id: int | None = None
    water_status_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_frozen_ids
    )
    sewer_status_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_frozen_ids
    )
    #: Property profiles (``iper_id``).
    profile_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_frozen_ids)
    #: Debts: at least this many open bills (0: debts are not a criterion).
    min_open_bills: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    #: Blocks (``qdra_idinicial/final``), by id: a location bound.
    block_first: int | None = None
    block_last: int | None = attrs.field(default=None, validator=_range)
    #: Debts: the property's open debts (bills and charges) add up to at
    #: least this amount (``None``: not a criterion).
    min_debt_amount: Decimal | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(Decimal),
        validator=attrs.validators.optional(attrs.validators.ge(Decimal(0))),
    )
    #: Consumption (``coss_nnconsumoeconomiainicial/final``, ``coss_nnmediaconsumo``):
    #: the average billed water volume (m³) of the property's consumption
    #: history in the last ``consumption_months`` reference months lies in
    #: this range; a property without history in the window fails it.
    consumption_first: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )
    consumption_last: int | None = attrs.field(default=None, validator=_range)
    consumption_months: int = attrs.field(default=6, validator=attrs.validators.ge(1))
    #: Anomalies (``coss_qtconsecutivaanormalidade``, ``csan_id``): the
    #: property's latest ``consecutive_anomalies`` water consumptions all carry
    #: a consumption anomaly (one of ``anomaly_ids``, or any when empty);
    #: 0: anomalies are not a criterion.
    consecutive_anomalies: int = attrs.field(
        default=0, validator=attrs.validators.ge(0)
    )
    anomaly_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_frozen_ids)
    #: The meter (``coss_amhidrometroinstinicial/final``): the property's
    #: installed water meter was installed in this period (inclusive); a
    #: property without an installed meter fails it.
    meter_installed_first: date | None = None
    meter_installed_last: date | None = attrs.field(default=None, validator=_range)

    @property
    def uses_consumption(self) -> bool:
        """The average consumption is a criterion."""
        return self.consumption_first is not None or self.consumption_last is not None

    @property
    def uses_meter(self) -> bool:
        """The meter's installation date is a criterion."""
        return (
            self.meter_installed_first is not None
            or self.meter_installed_last is not None
        )


class CommandSituation(IntEnum):
    """``coss_cdsituacao``: 1 open, 2 closed."""

    OPEN = 1
    CLOSED = 2


@attrs.frozen(kw_only=True)
class SelectiveCommand:
    """A selective command (``comando_ordem_seletiva``)."""

    id: int
    description: str
    service_type_id: int
    criteria: SelectiveCriteria = attrs.field(factory=SelectiveCriteria)
    #: ``coss_qtmaximaordemservico``: at most this many orders (``None``: no cap).
    max_orders: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )
    #: ``coss_qtordemservico``: orders emitted so far.
    emitted: int = 0
    situation: CommandSituation = CommandSituation.OPEN
    created_at: datetime = attrs.field(validator=_aware)
    created_by: int
    #: ``coss_tmrealizacao``: when the last emission run finished.
    emitted_at: datetime | None = attrs.field(default=None, validator=_aware)
    closed_at: datetime | None = attrs.field(default=None, validator=_aware)
    closed_by: int | None = None
    #: ``coss_icgeracaotxt``: its orders go to a field-device file.
    to_text_file: bool = False
    version: int = 1

    @property
    def remaining(self) -> int | None:
        """Orders the command may still emit (``None``: no cap)."""
        return (
            None if self.max_orders is None else max(0, self.max_orders - self.emitted)
        )

    def __repr__(self) -> str:
        return short_repr(
            self, "description", "service_type_id", "situation", "emitted"
        )


@attrs.frozen(kw_only=True)
class SelectiveOrder:
    """An order a command emitted (``ordem_servico.coss_id``): one per
    property and command, which makes the emission idempotent."""

    id: int
    command_id: int
    order_id: int
    property_id: int
    version: int = 1


class SelectiveDecision(StrEnum):
    """What the selective emission decided for one property (the skip reasons)."""

    GENERATE = "generate"
    EMITTED = "already emitted by this command"
    INACTIVE = "inactive property"
    WATER_SITUATION = "water situation not selected"
    SEWER_SITUATION = "sewer situation not selected"
    PROFILE = "profile not selected"
    DEBTS = "not enough open bills"
    DEBT_AMOUNT = "open debts below the amount"
    CONSUMPTION = "average consumption out of range"
    ANOMALY = "no consecutive consumption anomalies"
    METER = "meter installation not in the period"
    OPEN_ORDER = "open selective order (GEN-11)"
    NO_UNIT = "no active unit serves the locality"
    CAP = "command cap reached"


@attrs.frozen(kw_only=True)
class SelectiveFact:
    """What the emission knows of one property looked at."""

    property_id: int
    locality_id: int
    water_status_id: int
    sewer_status_id: int
    profile_id: int
    active: bool
    open_bills: int
    #: The command already emitted an order for it.
    emitted: bool
    #: It has an open order GEN-11 counts.
    has_open_order: bool
    #: The active unit serving its locality (highest id), if any.
    unit_id: int | None
    #: The sum of its open debts (read when the criteria use it).
    debt_total: Decimal = Decimal(0)
    #: Its average billed water volume in the consumption window (``None``:
    #: no history there; read when the criteria use it).
    average_consumption: Decimal | None = None
    #: How many of its latest water consumptions in a row carry a selected
    #: anomaly (read when the criteria use it).
    anomaly_streak: int = 0
    #: When its installed water meter was installed (``None``: none).
    meter_installed_on: date | None = None


@attrs.frozen(kw_only=True)
class SelectiveWanted:
    """The rules of one emission chunk as data, for the store to decide."""

    command_id: int
    criteria: SelectiveCriteria
    #: GEN-11: open orders of these types without RA and without collection
    #: document, generated at or after ``open_since``, block a new order.
    blocking_type_ids: frozenset[int] = attrs.field(converter=_frozen_ids)
    open_since: datetime = attrs.field(validator=_aware)
    #: The first reference month (``yyyymm``) of the consumption window.
    consumption_since: int = 0
    #: ``command_id`` is a sewer command's (ESG-01): a property is
    #: ``emitted`` when the command generated an order for it (its
    #: ``SewerCommandOrder`` links) rather than a selective command's.
    sewer: bool = False


@attrs.frozen(kw_only=True)
class SelectiveSelection:
    """What the store decided for one chunk: the properties that get an order
    (by id, with their unit) and the others counted by reason."""

    processed: int
    chosen: tuple[SelectiveFact, ...]
    skipped: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class SelectiveOrdersEmitted(DomainEvent):
    """A chunk of a selective command's emission generated its orders."""

    tag: ClassVar[str] = "field_work.selective_orders_emitted"
    command_id: int
    service_type_id: int
    order_ids: tuple[int, ...] = attrs.field(converter=_ids)
    property_ids: tuple[int, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class SelectiveCommandClosed(DomainEvent):
    """SEL-02: a command was closed with its pending orders."""

    tag: ClassVar[str] = "field_work.selective_command_closed"
    command_id: int
    reason_id: int
    closed_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
