"""Anomaly inspections and field visits (INSP) and measurement visits (VIS).

The files themselves are :class:`~gsan_core.model.field_files.FieldFile` rows
of kind ``ANOMALY_INSPECTION`` (prodiga's zipped file of a command) or
``FIELD_VISIT`` (caema's ``arq_txt_visita_campo``), their orders
:class:`~gsan_core.model.field_files.FieldFileItem` rows and the visits'
returns staged :class:`~gsan_core.model.field_files.ReturnLine` rows, as for
the smartphone files. This module holds what is their own: the consult rows
(INSP-10), the events of processing a visit (INSP-08/09) and of closing a
measurement visit (VIS-02), and the catalogue of the visits' return reasons.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

import attrs

from gsan_core.model.catalog import CatalogKind
from gsan_core.model.events import DomainEvent

__all__ = [
    "FIELD_VISIT_KINDS",
    "MEASUREMENT_RETURN_REASON",
    "READING_ANOMALY",
    "MeasurementVisitClosed",
    "VisitFileOrder",
    "VisitProcessed",
]


def _ids(value: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return tuple(value)


#: VIS-02: "Motivo de Retorno da Visita de Medição" (no public GSAN table: a
#: plain catalogue, field-work §5's recommendation).
MEASUREMENT_RETURN_REASON = CatalogKind(
    name="measurement_return_reason",
    title="Measurement visit return reason",
    title_pt="Motivo de Retorno da Visita de Medição",
    gsan_table="—",
    description_max_length=50,
    abbreviation_max_length=10,
)

#: ``LeituraAnormalidade`` (``ltan_id``): what a reader or a visit finds at
#: the meter. The visit file sends them (INSP-06 record ``01``), the visit's
#: return names one (INSP-07) and an inspection file selects by them (INSP-02).
READING_ANOMALY = CatalogKind(
    name="reading_anomaly",
    title="Reading anomaly",
    title_pt="Anormalidade de Leitura",
    gsan_table="micromedicao.leitura_anormalidade",
    description_max_length=25,
    abbreviation_max_length=5,
)

FIELD_VISIT_KINDS: tuple[CatalogKind, ...] = (
    MEASUREMENT_RETURN_REASON,
    READING_ANOMALY,
)


@attrs.frozen(kw_only=True)
class VisitFileOrder:
    """INSP-10 (UC1228): one order of a field-visit file as the consult
    screen shows it."""

    order_id: int
    property_id: int | None
    sequence: int
    #: The order is still open (pendente) or closed (encerrada).
    pending: bool
    #: When its return was received (``atrv_tmrecebimento``), if it came.
    received_at: datetime | None
    #: The return was processed (``atrv_icconferida``).
    checked: bool

    @property
    def can_update(self) -> bool:
        """The "Consultar/Atualizar dados da OS de execução" link: a pending
        order whose return came and is not processed yet."""
        return self.pending and self.received_at is not None and not self.checked


@attrs.frozen(kw_only=True)
class VisitProcessed(DomainEvent):
    """INSP-08/INSP-09: a visit's return was processed: the visit order
    closed, an order generated for each action the user kept. The anomaly
    found is carried so that the utility's billing can put the property in
    its special billing situation (INSP-08 (1), billing's)."""

    tag: ClassVar[str] = "field_work.visit_processed"
    file_id: int
    order_id: int
    property_id: int | None
    anomaly_id: int | None
    anomaly_text: str | None
    street_pavement_id: int | None
    sidewalk_pavement_id: int | None
    generated_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
    #: Actions proposed in the field that the user did not keep.
    declined_service_type_ids: tuple[int, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class MeasurementVisitClosed(DomainEvent):
    """VIS-02: a measurement visit was closed with its return reason."""

    tag: ClassVar[str] = "field_work.measurement_visit_closed"
    order_id: int
    property_id: int | None
    return_reason_id: int
    closing_reason_id: int
    closed_on: date
    penalised: bool
    reading: int | None
    anomaly_id: int | None
