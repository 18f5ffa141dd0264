"""The sewer-connection command (caema "Gerar Ordem de Serviço Conexão de
Esgoto", ESG): a command selects properties like a selective one, generates
one sewer-connection order per property (ESG-01) and, when it closes
automatically, turns each notified order old enough into a "factível
faturável" sewer connection with the command's technical data and closes it
(ESG-02, ESG-03).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from gsan_core.display import short_repr
from gsan_core.model.connections import SewerConnectionInput
from gsan_core.model.events import DomainEvent
from gsan_core.model.field_work import SelectiveCriteria

__all__ = [
    "SewerCommand",
    "SewerCommandOrder",
    "SewerOrdersClosed",
    "SewerOrdersGenerated",
]


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        msg = f"{attribute.name} must be an aware datetime"
        raise ValueError(msg)


def _ids(value: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class SewerCommand:
    """A sewer-connection command (``com_os_conexao_esgoto``, ``coce_*``)."""

    id: int
    description: str
    #: ``svtp_id``: the type of the orders it generates.
    service_type_id: int
    #: The properties it selects (location bounds and the selective criteria).
    criteria: SelectiveCriteria = attrs.field(factory=SelectiveCriteria)
    #: The technical data the sewer connections get on the automatic close
    #: (diameter, material, profile, percentages, grease trap, drainage,
    #: inspection box, destinations, origin).
    connection: SewerConnectionInput = attrs.field(factory=SewerConnectionInput)
    #: ``coce_icencerramentoautomatico``.
    automatic_close: bool = False
    #: ``coce_dsparecerencerramento``: the closing remark of its orders.
    closing_remark: str | None = None
    #: ``coce_tmcomando``.
    created_at: datetime = attrs.field(validator=_aware)
    created_by: int
    #: ``coce_tmrealizacao``: when its orders were generated.
    executed_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: ``coce_tmfinalizacao``: when its last open order was closed.
    finished_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: Orders generated so far.
    generated: int = 0
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "description", "service_type_id", "generated")


@attrs.frozen(kw_only=True)
class SewerCommandOrder:
    """An order a sewer command generated (``ordem_servico.coce_id``): one per
    property and command."""

    id: int
    command_id: int
    order_id: int
    property_id: int
    #: When the field team registered the connection notice (the photo of
    #: type "notificação de conexão de esgoto" GSAN requires, ESG-02).
    notified_at: datetime | None = attrs.field(default=None, validator=_aware)
    version: int = 1


@attrs.frozen(kw_only=True)
class SewerOrdersGenerated(DomainEvent):
    """ESG-01: a chunk of a sewer command generated its orders."""

    tag: ClassVar[str] = "field_work.sewer_orders_generated"
    command_id: int
    order_ids: tuple[int, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class SewerOrdersClosed(DomainEvent):
    """ESG-02/ESG-03: the automatic close of a command's notified orders."""

    tag: ClassVar[str] = "field_work.sewer_orders_closed"
    command_id: int
    closed_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
    failed_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
