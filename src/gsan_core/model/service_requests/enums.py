"""The area's enumerations (situations, actions, routing reasons...) and the
converters and validators its types share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

import attrs


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
