"""The service-desk façade (``gsan.service_desk``): the supply and maintenance
schedule, the outbound messages and the standard operating procedures; one
unit of work per call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

import attrs

from gsan_core.errors import ConfigurationError
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    MessageStatus,
    OperatingProcedure,
    OutboundMessage,
    ProcedureScope,
    ScheduleKind,
    SupplySchedule,
    month_reference,
)
from gsan_core.ports.messages import GatewayReply, MessageGateway
from gsan_core.rules.validation import check_page, ensure
from gsan_core.services.context import Service, ServiceContext
from gsan_core.services.service_desk import messages, procedures, schedules

__all__ = ["DispatchRun", "ServiceDeskService"]

#: The most rows one page of a query returns.
MAX_PAGE = 500


def _page(limit: int, offset: int) -> None:
    ensure(check_page(limit=limit, offset=offset, maximum=MAX_PAGE))


@attrs.frozen(kw_only=True)
class DispatchRun:
    """What one :meth:`ServiceDeskService.dispatch` did."""

    #: Outbox entries read by the composer.
    entries: int
    composed: tuple[OutboundMessage, ...]
    sent: int
    failed: int


class ServiceDeskService(Service):
    """``gsan.service_desk``: schedules, text messages and procedures."""

    def __init__(
        self, context: ServiceContext, *, gateway: MessageGateway | None = None
    ) -> None:
        super().__init__(context)
        #: Where :meth:`dispatch` hands the messages (the system sets a logging
        #: gateway; an integrator sets its SMS provider).
        self.gateway = gateway

    # ------------------------------------------------------------ schedules
    def schedule(
        self,
        *,
        kind: ScheduleKind,
        municipality_id: int,
        starts_on: date,
        ends_on: date,
        start_time: time,
        end_time: time,
        actor: int,
        locality_id: int | None = None,
        sector_id: int | None = None,
        neighbourhood_id: int | None = None,
        area_id: int | None = None,
        description: str | None = None,
        situation: MaintenanceSituation | None = None,
        reference: int | None = None,
    ) -> SupplySchedule:
        """Informar Programação de Abastecimento e Manutenção: add a supply or
        a maintenance window to a place (PAM-01..PAM-03). ``reference``
        (``yyyymm``) defaults to the month of ``starts_on``; both days must be
        in it. A maintenance window needs its description and situation."""
        window = SupplySchedule(
            id=0,
            kind=kind,
            reference=(
                reference if reference is not None else month_reference(starts_on)
            ),
            municipality_id=municipality_id,
            locality_id=locality_id,
            sector_id=sector_id,
            neighbourhood_id=neighbourhood_id,
            area_id=area_id,
            starts_on=starts_on,
            ends_on=ends_on,
            start_time=start_time,
            end_time=end_time,
            description=description,
            situation=situation,
        )
        with self._work() as uow:
            stored = schedules.save_schedule_in(
                uow, self._ctx, window, actor=actor, at=self._now()
            )
            uow.commit()
        return stored

    def inform(
        self,
        *,
        place: SupplySchedule,
        windows: Sequence[SupplySchedule],
        actor: int,
    ) -> tuple[SupplySchedule, ...]:
        """PAM-01 "Informar Programação de Abastecimento e Manutenção": save
        the whole list of a place's month in one call, as the screen does
        (``id`` 0 adds a window, a stored id replaces it, a stored window left
        out is removed); every window passes PAM-02/PAM-03 against the list,
        PAM-05 against its stored version; all or nothing. ``place`` is any
        window of the place and month (the first of ``schedules(...)``)."""
        with self._work() as uow:
            saved = schedules.inform_in(
                uow,
                self._ctx,
                place=place,
                windows=windows,
                actor=actor,
                at=self._now(),
            )
            uow.commit()
        return saved

    def update_schedule(
        self,
        schedule: SupplySchedule,
        *,
        actor: int,
        expected_version: int | None = None,
    ) -> SupplySchedule:
        """Store a changed window (``attrs.evolve`` of one read): PAM-02,
        PAM-03, and PAM-05 against ``expected_version`` (default: the
        window's own version)."""
        with self._work() as uow:
            stored = schedules.save_schedule_in(
                uow,
                self._ctx,
                schedule,
                actor=actor,
                at=self._now(),
                expected_version=expected_version,
            )
            uow.commit()
        return stored

    def remove_schedule(
        self, *, schedule_id: int, actor: int, expected_version: int | None = None
    ) -> SupplySchedule:
        """Remove a window (PAM-01); returns it as it was."""
        with self._work() as uow:
            removed = schedules.remove_schedule_in(
                uow,
                schedule_id=schedule_id,
                actor=actor,
                at=self._now(),
                expected_version=expected_version,
            )
            uow.commit()
        return removed

    def copy_supply(
        self,
        *,
        source: SupplySchedule,
        target: SupplySchedule,
        actor: int,
    ) -> tuple[SupplySchedule, ...]:
        """PAM-04 "Copiar": the supply windows of ``source``'s place and month
        to ``target``'s place and month (any window of each names them)."""
        with self._work() as uow:
            copies = schedules.copy_supply_in(
                uow,
                self._ctx,
                source=source,
                target=target,
                actor=actor,
                at=self._now(),
            )
            uow.commit()
        return copies

    def schedules(
        self,
        *,
        limit: int = 100,
        offset: int = 0,
        reference: int | None = None,
        kind: ScheduleKind | None = None,
        municipality_id: int | None = None,
        locality_id: int | None = None,
        sector_id: int | None = None,
        neighbourhood_id: int | None = None,
        area_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        """PAM-08: a page of the windows matching every criterion given (the
        month's calendar of an area), by start; one statement."""
        _page(limit, offset)
        with self._read() as uow:
            return uow.supply_schedules.search(
                limit=limit,
                offset=offset,
                reference=reference,
                kind=kind,
                municipality_id=municipality_id,
                locality_id=locality_id,
                sector_id=sector_id,
                neighbourhood_id=neighbourhood_id,
                area_id=area_id,
            )

    def interruptions(
        self,
        *,
        at: datetime | None = None,
        area_id: int | None = None,
        neighbourhood_id: int | None = None,
        sector_id: int | None = None,
        locality_id: int | None = None,
    ) -> tuple[SupplySchedule, ...]:
        """PAM-06: the open maintenance windows that cover the place at ``at``
        (now by default): the programmed interruptions there."""
        when = at if at is not None else self._now()
        with self._read() as uow:
            return schedules.covering_in(
                uow,
                self._ctx,
                at=when,
                area_id=area_id,
                neighbourhood_id=neighbourhood_id,
                sector_id=sector_id,
                locality_id=locality_id,
                kind=ScheduleKind.MAINTENANCE,
            )

    def property_interruptions(
        self,
        *,
        property_id: int,
        at: datetime | None = None,
        area_id: int | None = None,
        neighbourhood_id: int | None = None,
    ) -> tuple[SupplySchedule, ...]:
        """Whether the property is in a programmed interruption now: the open
        maintenance windows covering its locality or commercial sector (or the
        neighbourhood and area given, which the library's properties do not
        carry) at ``at``; ``NotFound`` for an unknown property. Two reads."""
        when = at if at is not None else self._now()
        with self._read() as uow:
            prop = uow.properties.get(property_id)
            return schedules.covering_in(
                uow,
                self._ctx,
                at=when,
                area_id=area_id,
                neighbourhood_id=neighbourhood_id,
                sector_id=prop.sector_id,
                locality_id=prop.locality_id,
                kind=ScheduleKind.MAINTENANCE,
            )

    # ------------------------------------------------------------ messages
    def send_message(
        self,
        *,
        phone: str,
        text: str,
        actor: int,
        request_id: int | None = None,
        property_id: int | None = None,
        customer_id: int | None = None,
    ) -> OutboundMessage:
        """Queue a text message typed by hand (:meth:`dispatch` sends it). A
        malformed phone or an empty text is a ``RuleViolation`` (SMS-01)."""
        with self._work() as uow:
            message = messages.queue_in(
                uow,
                phone=phone,
                text=text,
                actor=actor,
                at=self._now(),
                max_length=self.profile.service_requests.sms_max_length,
                request_id=request_id,
                property_id=property_id,
                customer_id=customer_id,
            )
            uow.commit()
        return message

    def compose_messages(
        self, *, actor: int = 0, batch_size: int = 500
    ) -> tuple[int, tuple[OutboundMessage, ...]]:
        """Write the messages the committed events call for (ENC-13: the
        requester of a request closed that came by the SMS channel), reading
        the outbox after the composer's cursor until it is exhausted;
        ``(entries read, messages written)``. Each event gives at most one
        message per phone, however often this runs, also at once."""
        read = 0
        written: list[OutboundMessage] = []
        while True:
            # the reads first, then the messages, the cursor and the event
            # sent together (one statement on PostgreSQL)
            with self._work(defer=True) as uow:
                count, batch = messages.compose_in(
                    uow, self._ctx, actor=actor, at=self._now(), limit=batch_size
                )
                uow.commit()
            read += count
            written += batch
            if count < batch_size:
                return read, tuple(written)

    def dispatch(
        self,
        *,
        gateway: MessageGateway | None = None,
        actor: int = 0,
        batch_size: int = 100,
        compose: bool = True,
    ) -> DispatchRun:
        """Compose (unless ``compose=False``) and hand the due messages to the
        gateway (this one, else :attr:`gateway`), ``batch_size`` at a time.
        One dispatch runs at a time (``BatchAlreadyRunning``). A refused or
        raising send is ``FAILED`` and retried by a later dispatch until the
        profile's ``sms_max_attempts``; a message handed over by a dispatcher
        that died before recording the answer stays ``UNCONFIRMED`` and is
        never sent again."""
        target = gateway if gateway is not None else self.gateway
        if target is None:
            msg = "no message gateway: pass one or set gsan.service_desk.gateway"
            raise ConfigurationError(msg)
        entries, composed = self.compose_messages(actor=actor) if compose else (0, ())
        sent = failed = 0
        attempts = self.profile.service_requests.sms_max_attempts
        with self._exclusive("message dispatch", "messages"):
            while True:
                with self._work() as uow:
                    claimed = messages.claim_due_in(
                        uow, limit=batch_size, max_attempts=attempts
                    )
                    uow.commit()
                if not claimed:
                    break
                replies = [(m, _send(target, m)) for m in claimed]
                with self._work() as uow:
                    messages.record_replies_in(
                        uow, replies, actor=actor, at=self._now()
                    )
                    uow.commit()
                sent += sum(1 for _, r in replies if r.accepted)
                failed += sum(1 for _, r in replies if not r.accepted)
                if len(claimed) < batch_size:
                    break  # the last batch: no claim that would come back empty
        return DispatchRun(entries=entries, composed=composed, sent=sent, failed=failed)

    def messages(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        phone: str | None = None,
        request_id: int | None = None,
        property_id: int | None = None,
        customer_id: int | None = None,
        reason: str | None = None,
        status: Sequence[MessageStatus] | None = None,
        sent_from: datetime | None = None,
        sent_until: datetime | None = None,
    ) -> Sequence[OutboundMessage]:
        """Consultar Mensagens Enviadas Via SMS (SMS-02): a page of the history,
        newest first, by phone (a malformed one is a ``RuleViolation``),
        request, property, customer, reason, status and the period
        ``[sent_from, sent_until)`` of their composition; one statement."""
        _page(limit, offset)
        wanted = messages.history_phone(phone)
        with self._read() as uow:
            return uow.outbound_messages.search(
                limit=limit,
                offset=offset,
                phone=wanted,
                request_id=request_id,
                property_id=property_id,
                customer_id=customer_id,
                reason=reason,
                status=status,
                created_from=sent_from,
                created_until=sent_until,
            )

    # ------------------------------------------------------------ procedures
    def attach_procedure(
        self,
        *,
        title: str,
        document: str,
        actor: int,
        specification_id: int | None = None,
        service_type_id: int | None = None,
        summary: str | None = None,
    ) -> OperatingProcedure:
        """Attach a standard operating procedure (POP-01) to a specification or
        a service type."""
        procedure = OperatingProcedure(
            id=0,
            title=title,
            document=document,
            specification_id=specification_id,
            service_type_id=service_type_id,
            summary=summary,
            changed_at=self._now(),
        )
        with self._work() as uow:
            stored = procedures.save_procedure_in(
                uow, procedure, actor=actor, at=self._now()
            )
            uow.commit()
        return stored

    def update_procedure(
        self,
        procedure: OperatingProcedure,
        *,
        actor: int,
        expected_version: int | None = None,
    ) -> OperatingProcedure:
        """Store a changed procedure (``active=False`` withdraws it)."""
        with self._work() as uow:
            stored = procedures.save_procedure_in(
                uow,
                procedure,
                actor=actor,
                at=self._now(),
                expected_version=expected_version,
            )
            uow.commit()
        return stored

    def procedures(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        request_type_id: int | None = None,
        specification_id: int | None = None,
        service_type_id: int | None = None,
        scope: ProcedureScope | None = None,
        active_only: bool = True,
    ) -> Sequence[OperatingProcedure]:
        """Consultar Procedimento Operacional Padrão (POP-02): a page of the
        procedures of a request type, a specification, a service type or a
        scope, by title; at most three statements."""
        _page(limit, offset)
        with self._read() as uow:
            rows = procedures.find_procedures_in(
                uow,
                request_type_id=request_type_id,
                specification_id=specification_id,
                service_type_id=service_type_id,
                scope=scope,
                active_only=active_only,
            )
        return rows[offset : offset + limit]


def _send(gateway: MessageGateway, message: OutboundMessage) -> GatewayReply:
    try:
        return gateway.send(
            phone=message.phone, text=message.text, message_id=message.id
        )
    except Exception as error:
        return GatewayReply(accepted=False, detail=f"{type(error).__name__}: {error}")
