"""The service desk's own records: the supply and maintenance schedule of an
area (``AbastecimentoProgramacao`` / ``ManutencaoProgramacao``), the outbound
text messages (SMS) the utility sends and their history
(``MensagemSMSHistorico``), and the standard operating procedures (POP)
attached to request specifications and service types."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent
from gsan_core.model.service_requests.enums import _aware

__all__ = [
    "MaintenanceSituation",
    "MessageCursor",
    "MessageStatus",
    "OperatingProcedure",
    "OperatingProcedureChanged",
    "OutboundMessage",
    "OutboundMessageChanged",
    "ProcedureScope",
    "ScheduleKind",
    "SupplySchedule",
    "SupplyScheduleChanged",
    "month_reference",
]


def month_reference(day: date) -> int:
    """``anoMesReferencia``: ``yyyymm`` of a day."""
    return day.year * 100 + day.month


# ================================================================ schedules
class ScheduleKind(enum.IntEnum):
    """Which schedule a window belongs to."""

    #: ``AbastecimentoProgramacao``: water is supplied to the area in the window.
    SUPPLY = 1
    #: ``ManutencaoProgramacao``: planned maintenance interrupts it.
    MAINTENANCE = 2


class MaintenanceSituation(enum.IntEnum):
    """``mnpr_cdsituacao``."""

    OPEN = 1
    CONCLUDED = 2


@attrs.frozen(kw_only=True)
class SupplySchedule:
    """One window of the supply rotation or of planned maintenance of an area.

    The area is the municipality with any of locality, commercial sector,
    neighbourhood (``bairro``) and neighbourhood area (``área de bairro``); the
    window runs from ``starts_on`` ``start_time`` to ``ends_on`` ``end_time``
    (utility-local wall-clock times) inside the month ``reference``.
    """

    id: int
    kind: ScheduleKind
    #: ``anoMesReferencia``: ``yyyymm``.
    reference: int
    municipality_id: int
    locality_id: int | None = None
    sector_id: int | None = None
    neighbourhood_id: int | None = None
    area_id: int | None = None
    starts_on: date
    ends_on: date
    start_time: time
    end_time: time
    #: ``mnpr_dsmanutencao``: what the maintenance is (maintenance only).
    description: str | None = None
    #: ``mnpr_cdsituacao`` (maintenance only).
    situation: MaintenanceSituation | None = None
    version: int = 1

    def starts(self) -> datetime:
        """The naive local start instant."""
        return datetime.combine(self.starts_on, self.start_time)

    def ends(self) -> datetime:
        """The naive local end instant."""
        return datetime.combine(self.ends_on, self.end_time)

    def __repr__(self) -> str:
        return short_repr(self, "kind", "reference", "area_id", "starts_on", "ends_on")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class SupplyScheduleChanged(DomainEvent):
    """A schedule window was added, changed or removed."""

    tag: ClassVar[str] = "service_desk.schedule_changed"
    schedule_id: int
    kind: ScheduleKind
    change: str


# ================================================================ messages
class MessageStatus(enum.IntEnum):
    """Where an outbound message is."""

    #: Composed, waiting for the gateway.
    PENDING = 1
    #: Handed to the gateway, which accepted it.
    SENT = 2
    #: The gateway refused it (``returnCode`` not success) or raised.
    FAILED = 3
    #: The destination is not a phone number: never sent.
    INVALID = 4
    #: Handed to the gateway by a dispatcher that stopped before recording the
    #: answer: never sent again automatically (no message twice).
    UNCONFIRMED = 5


@attrs.frozen(kw_only=True)
class OutboundMessage:
    """A text message to a phone (``MensagemSMSHistorico``).

    ``event_id`` and ``reason`` say what produced it: the outbox entry of the
    event (a closed request, ENC-13) or ``None`` for a message sent by hand; one
    event gives at most one message per phone.
    """

    id: int
    #: The phone: digits only, area code (DDD) first.
    phone: str
    text: str
    #: What the message is about (``"request_closed"``, ``"manual"``...).
    reason: str
    event_id: int | None = None
    request_id: int | None = None
    property_id: int | None = None
    customer_id: int | None = None
    status: MessageStatus = MessageStatus.PENDING
    created_at: datetime = attrs.field(validator=_aware)
    sent_at: datetime | None = attrs.field(default=None, validator=_aware)
    attempts: int = 0
    #: The gateway's answer (its code or its error).
    gateway_reply: str | None = None
    actor: int = 0
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "phone", "reason", "status", "request_id")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class MessageCursor:
    """How far the message composer has read the outbox (one row, id 1)."""

    id: int
    position: int = 0
    version: int = 1


@attrs.frozen(kw_only=True)
class OutboundMessageChanged(DomainEvent):
    """Outbound messages were composed or dispatched."""

    tag: ClassVar[str] = "service_desk.messages_changed"
    message_ids: tuple[int, ...]
    status: MessageStatus


# ================================================================ procedures
class ProcedureScope(enum.StrEnum):
    """POP-02 "procedimento": the service type's ``svtp_cdservicotipo``."""

    OPERATIONAL = "O"
    COMMERCIAL = "C"


@attrs.frozen(kw_only=True)
class OperatingProcedure:
    """A standard operating procedure (``ArquivoProcedimentoOperacionalPadrao``,
    POP-01): a document attached to a request specification or a service type.
    The library keeps its name, its link (or the integrator's storage key) and
    its text summary, not the bytes."""

    id: int
    title: str
    #: Where the document is (a URL or the integrator's storage key).
    document: str
    specification_id: int | None = None
    service_type_id: int | None = None
    summary: str | None = None
    changed_at: datetime = attrs.field(validator=_aware)
    active: bool = True
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "title", "specification_id", "service_type_id")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class OperatingProcedureChanged(DomainEvent):
    """A procedure was attached or changed."""

    tag: ClassVar[str] = "service_desk.procedure_changed"
    procedure_id: int
    active: bool
