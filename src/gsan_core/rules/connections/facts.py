"""What the connection rules read and return: the facts and context of an
operation, its decision, and the enums they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Protocol

import attrs

from gsan_core.errors import Violation
from gsan_core.model.billing import OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import ConnectionKind, SewerConnection, WaterConnection
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import NetworkIndicator, Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType


class CatalogLookup(Protocol):
    """What the rules read from the reference tables (a ``CatalogRepository``)."""

    def find(self, kind: str, id: int) -> CatalogItem | None:
        """The row, or ``None``."""
        ...


class SewerBillingChange(StrEnum):
    """What a "mudança de situação de faturamento do esgoto" order does (UC0356)."""

    PLUG = "plug"
    """743 ``TIPO_TAMPONAMENTO_LIGACAO_ESGOTO``."""
    DEACTIVATE = "deactivate"
    """752 ``TIPO_DESATIVACAO_LIGACAO_ESGOTO``."""
    RESTORE = "restore"
    """753 ``TIPO_RESTABELECIMENTO_LIGACAO_ESGOTO``."""
    REACTIVATE = "reactivate"
    """754 ``TIPO_REATIVACAO_LIGACAO_ESGOTO``."""


# ---------------------------------------------------------------- facts and results
@attrs.frozen(kw_only=True)
class ConnectionFacts:
    """What the rules know about the property of an operation."""

    property: Property
    water: WaterConnection | None = None
    sewer: SewerConnection | None = None
    water_network: NetworkIndicator = NetworkIndicator.NETWORK
    sewer_network: NetworkIndicator = NetworkIndicator.NONE
    #: The reference month (``yyyymm``) that locks the property in the field.
    locked_reference: int | None = None
    #: CAEMA: the property's locality is under a PPP sewer contract.
    ppp_contract: bool = False
    #: A meter is installed on the water connection / on the well (phase 2 of the
    #: hydrometer area answers these; without it there is no meter).
    water_meter: bool = False
    well_meter: bool = False
    #: V-LA7: the consumption tariffs bound to each water connection profile (a
    #: profile no tariff is bound to is absent; read by the connections only).
    profile_tariffs: Mapping[int, frozenset[int]] = attrs.field(factory=dict)


def _permissions(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _debts(value: Iterable[OpenDebt]) -> tuple[OpenDebt, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ConnectionContext:
    """Everything else an operation's rules read."""

    profile: UtilityProfile
    catalog: CatalogLookup
    #: The local date of the command.
    today: date
    #: The date the operation takes effect by default (the OS's closing date).
    effective_on: date
    #: The OS the operation runs for (``None`` without an order).
    order: ServiceOrder | None = None
    service_type: ServiceType | None = None
    #: Permission roles (``"suppress_water_connection"``...) the actor holds.
    permissions: frozenset[str] = attrs.field(factory=frozenset, converter=_permissions)
    #: The property's open debts (read only by the operations that gate on them).
    debts: tuple[OpenDebt, ...] = attrs.field(factory=tuple, converter=_debts)
    #: The local date the order closed (the data-update operations read it).
    order_closed_on: date | None = None
    #: The service request (RA) the operation is recorded under (CAEMA).
    request_id: int | None = None
    #: UC0105: the minimum consumption billing computed for the property.
    calculated_minimum: int | None = None


@attrs.frozen(kw_only=True)
class SituationStep:
    """One situation change an operation makes."""

    kind: ConnectionKind
    before: int
    after: int


@attrs.frozen(kw_only=True)
class ConnectionDecision:
    """What an operation changes. ``water`` / ``sewer``: the connection to store
    (a new one has version 1); ``None`` leaves it alone."""

    property: Property
    water: WaterConnection | None = None
    sewer: SewerConnection | None = None
    removed: tuple[ConnectionKind, ...] = ()
    steps: tuple[SituationStep, ...] = ()
    effective_on: date
    reading: int | None = None


Outcome = tuple[list[Violation], ConnectionDecision | None]
Rule = Callable[[ConnectionFacts, ConnectionContext, object], Outcome]
