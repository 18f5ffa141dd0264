"""Consumption history (``micromedicao.consumo_historico``) as the billing port
reports it.

Billing lives outside this library. Two rules of the connection area read what
billing computed for a property and a reference month: the batch "religar
imóveis cortados com consumo real" (UC1073) reconnects cut properties whose water
consumption of the billing month was *real* and billed, and "atualizar consumo
mínimo" (UC0463) refuses a fixed minimum below the minimum billing computed. The
default adapters keep these rows in the library's own store; integrators answer
from their billing system.
"""

from __future__ import annotations

from enum import IntEnum

import attrs

__all__ = ["ConsumptionRecord", "MeasurementKind"]


class MeasurementKind(IntEnum):
    """``LigacaoTipo``: the connection a consumption belongs to."""

    WATER = 1
    SEWER = 2


def _non_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        msg = f"{attribute.name} must not be negative, got {value}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class ConsumptionRecord:
    """One month's consumption of a property's water (or sewer) connection."""

    property_id: int
    #: The billing reference month, ``yyyymm``.
    reference: int
    kind: MeasurementKind = MeasurementKind.WATER
    #: ``cstp_id``: how the consumption was obtained (real, average, minimum...).
    consumption_type_id: int
    #: ``cshi_nnconsumofaturadomes``: the billed volume (m³).
    billed_volume: int = attrs.field(validator=_non_negative)
    #: ``cshi_nnconsumominimo``: the minimum consumption billing computed (UC0105).
    minimum: int | None = None
    #: The month's anomaly, if any (GSAN's ``csan_id`` of the consumption or
    #: ``ltan_id`` of the reading, as the utility's billing records it): INSP-02
    #: and the selective criterion of consecutive anomalies read it.
    anomaly_id: int | None = None
