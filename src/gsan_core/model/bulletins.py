"""The contractor's measurement bulletin of executed orders: the quantities
asked when an order closes (``ordem_servico_boletim``, ENC-19) and the
utility's inspection of a concluded selective order ("Manter Ordem de Serviço
Concluída", ``boletim_os_concluida``, FIS-17/18)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import ClassVar

import attrs

from gsan_core.model.catalog import AttributeSpec, CatalogKind
from gsan_core.model.events import DomainEvent

__all__ = [
    "BULLETIN_KINDS",
    "SERVICE_TYPE_BULLETIN",
    "BulletinInput",
    "BulletinRecorded",
    "ConcludedOrderInspected",
    "ConcludedOrderInspection",
    "InspectionCode",
    "OrderBulletin",
]


@attrs.frozen(kw_only=True)
class BulletinInput:
    """What the closing user informs for the bulletin (ENC-19). ``None`` is a
    field left empty; ``zero_confirmed`` is the "values will be recorded as
    zeros: confirm?" answer."""

    has_pavement: bool | None = None
    asphalt: Decimal | None = None
    paving_stone: Decimal | None = None
    sidewalk: Decimal | None = None
    zero_confirmed: bool = False


@attrs.frozen(kw_only=True)
class OrderBulletin:
    """``ordem_servico_boletim``: an executed order's bulletin quantities (m²
    of asphalt, paving stone and sidewalk put back; whether there was
    pavement). Its id is the order's."""

    id: int
    order_id: int
    has_pavement: bool | None = None
    asphalt: Decimal = Decimal(0)
    paving_stone: Decimal = Decimal(0)
    sidewalk: Decimal = Decimal(0)
    actor: int
    at: datetime
    version: int = 1


class InspectionCode(IntEnum):
    """``bosc_cdfiscalizacao``: the result of inspecting a concluded order."""

    NONE = 0
    APPROVED = 1
    REPROVED = 2


@attrs.frozen(kw_only=True)
class ConcludedOrderInspection:
    """``boletim_os_concluida`` (+ ``data_fiscaliz_os_selet``): the inspection
    of a concluded selective order for the contractor's bulletin. Its id is
    the order's."""

    id: int
    order_id: int
    code: InspectionCode = InspectionCode.NONE
    #: Up to three inspection dates, each after the one before (FIS-17).
    inspected_on_1: date | None = None
    inspected_on_2: date | None = None
    inspected_on_3: date | None = None
    #: The employee (user) who inspected (FIS-18).
    inspector_id: int | None = None
    #: ``bosc_amreferenciaboletim``: the bulletin's month (yyyymm) once in one.
    bulletin_month: int | None = None
    #: ``bosc_dtencerramentoboletim``: the bulletin it is in was closed.
    bulletin_closed_on: date | None = None
    protection_box_swapped: bool = False
    register_swapped: bool = False
    actor: int
    version: int = 1

    @property
    def inspection_dates(self) -> tuple[date, ...]:
        """The inspection dates filled, first to last."""
        return tuple(
            d
            for d in (self.inspected_on_1, self.inspected_on_2, self.inspected_on_3)
            if d is not None
        )


@attrs.frozen(kw_only=True)
class BulletinRecorded(DomainEvent):
    """An executed order's bulletin quantities were recorded (ENC-19)."""

    tag: ClassVar[str] = "bulletin.recorded"
    order_id: int


@attrs.frozen(kw_only=True)
class ConcludedOrderInspected(DomainEvent):
    """A concluded order's inspection was recorded or changed (FIS-17/18)."""

    tag: ClassVar[str] = "bulletin.concluded_order_inspected"
    order_id: int
    code: InspectionCode


SERVICE_TYPE_BULLETIN = CatalogKind(
    name="service_type_bulletin",
    title="Service type bulletin information",
    title_pt="Serviço Tipo Boletim",
    gsan_table="atendimentopublico.servico_tipo_boletim",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="service_type_id",
            type="int",
            required=True,
            unique=True,
            doc="svtp_id: a type whose closing asks the bulletin (svtp_icboletim)",
        ),
        AttributeSpec(
            name="asks_pavement",
            type="bool",
            default=False,
            doc="stbo_icpavimento: whether there was pavement (mandatory answer)",
        ),
        AttributeSpec(
            name="asks_asphalt",
            type="bool",
            default=False,
            doc="stbo_icreposicaoasfalto: m² of asphalt put back",
        ),
        AttributeSpec(
            name="asks_paving_stone",
            type="bool",
            default=False,
            doc="stbo_icreposicaoparalelo: m² of paving stone put back",
        ),
        AttributeSpec(
            name="asks_sidewalk",
            type="bool",
            default=False,
            doc="stbo_icreposicaocalcada: m² of sidewalk put back",
        ),
    ),
)
BULLETIN_KINDS: tuple[CatalogKind, ...] = (SERVICE_TYPE_BULLETIN,)
